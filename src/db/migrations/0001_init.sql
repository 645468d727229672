-- Sessions, tables, conclusions (every version kept), scene paths and the event log.
-- Times are Unix milliseconds (UTC).

-- The content files a session started with, so later edits never change its record.
CREATE TABLE content_snapshot (
    hash        TEXT PRIMARY KEY,
    files       TEXT NOT NULL,               -- JSON object: path -> file text
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE session (
    id               TEXT PRIMARY KEY,       -- UUID
    curriculum_id    TEXT NOT NULL,
    content_hash     TEXT NOT NULL REFERENCES content_snapshot(hash),
    title            TEXT NOT NULL,
    held_on          TEXT NOT NULL,          -- YYYY-MM-DD
    place            TEXT NOT NULL DEFAULT '',
    table_count      INTEGER NOT NULL CHECK (table_count BETWEEN 1 AND 60),
    join_code        TEXT NOT NULL UNIQUE,
    facilitator_key  TEXT NOT NULL UNIQUE,
    current_step     INTEGER NOT NULL DEFAULT 0,
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at       INTEGER NOT NULL,
    closed_at        INTEGER
) STRICT;

CREATE TABLE session_table (
    id           INTEGER PRIMARY KEY,
    session_id   TEXT NOT NULL REFERENCES session(id),
    number       INTEGER NOT NULL CHECK (number >= 1),
    token        TEXT NOT NULL UNIQUE,       -- capability for this one table
    professions  TEXT NOT NULL DEFAULT '[]', -- JSON array of profession ids
    joined_at    INTEGER,
    UNIQUE (session_id, number)
) STRICT;

-- A table's answer to a prompt. Never updated: a new save is a new version.
CREATE TABLE conclusion (
    id          INTEGER PRIMARY KEY,
    table_id    INTEGER NOT NULL REFERENCES session_table(id),
    prompt_key  TEXT NOT NULL,               -- curriculum:<id>:<prompt> or case:<id>:<prompt>
    version     INTEGER NOT NULL CHECK (version >= 1),
    answer      TEXT NOT NULL,               -- JSON, shaped by the prompt kind
    step_index  INTEGER NOT NULL,
    saved_at    INTEGER NOT NULL,
    UNIQUE (table_id, prompt_key, version)
) STRICT;

-- The scenes a table has walked in a case-walk step, in order.
CREATE TABLE scene_visit (
    id          INTEGER PRIMARY KEY,
    table_id    INTEGER NOT NULL REFERENCES session_table(id),
    step_index  INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    case_id     TEXT NOT NULL,
    scene_id    TEXT NOT NULL,
    via_option  TEXT,                        -- the branch option chosen to get here
    at          INTEGER NOT NULL,
    UNIQUE (table_id, step_index, seq)
) STRICT;

-- Append-only log of everything that changed, and who changed it.
CREATE TABLE event (
    id          INTEGER PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES session(id),
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,               -- organizer | facilitator | table | system
    table_id    INTEGER REFERENCES session_table(id),
    kind        TEXT NOT NULL,
    data        TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE INDEX event_by_session ON event(session_id, id);

CREATE TRIGGER event_no_update BEFORE UPDATE ON event
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER event_no_delete BEFORE DELETE ON event
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER conclusion_no_update BEFORE UPDATE ON conclusion
BEGIN SELECT RAISE(ABORT, 'conclusions are versioned, never changed'); END;
CREATE TRIGGER conclusion_no_delete BEFORE DELETE ON conclusion
BEGIN SELECT RAISE(ABORT, 'conclusions are versioned, never deleted'); END;
CREATE TRIGGER scene_visit_no_update BEFORE UPDATE ON scene_visit
BEGIN SELECT RAISE(ABORT, 'scene paths are append-only'); END;
