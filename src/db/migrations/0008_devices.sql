-- A table belongs to its devices (issue 13, finding 3). The first device to join a table
-- claims it; a further device joins with the table's QR code, the pairing code on the
-- table's screen, or the facilitator's approval. A device is a random id in an HttpOnly
-- cookie; only its SHA-256 is stored here.
CREATE TABLE table_device (
    id           INTEGER PRIMARY KEY,
    table_id     INTEGER NOT NULL REFERENCES session_table(id),
    device_hash  TEXT NOT NULL,
    label        INTEGER NOT NULL,           -- 端末1, 端末2… in joining order, per table
    agent        TEXT NOT NULL DEFAULT '',   -- browser and system, e.g. "Safari · iPhone"
    via          TEXT NOT NULL CHECK (via IN ('first', 'qr', 'pairing', 'approval', 'facilitator')),
    joined_at    INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL,
    released_at  INTEGER,                    -- set when the facilitator released it
    UNIQUE (table_id, device_hash),
    UNIQUE (table_id, label)
) STRICT;

-- A device asking the facilitator to let it join a claimed table.
CREATE TABLE join_request (
    id           INTEGER PRIMARY KEY,
    table_id     INTEGER NOT NULL REFERENCES session_table(id),
    device_hash  TEXT NOT NULL,
    agent        TEXT NOT NULL DEFAULT '',
    asked_at     INTEGER NOT NULL,
    decision     TEXT CHECK (decision IN ('approved', 'refused')),
    decided_at   INTEGER,
    UNIQUE (table_id, device_hash)
) STRICT;

-- The short code a table's screen shows so another device can join it. Kept as typed
-- (it is on the screen anyway); it changes when used, after wrong tries, and with time.
CREATE TABLE table_pairing (
    table_id   INTEGER PRIMARY KEY REFERENCES session_table(id),
    code       TEXT NOT NULL,
    issued_at  INTEGER NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0
) STRICT;
