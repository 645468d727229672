-- Rosters, seating plans and rehearsals (issue 7).

-- A rehearsal (the facilitator meeting) runs like a real session but is labeled and
-- left out of reports.
ALTER TABLE session ADD COLUMN rehearsal INTEGER NOT NULL DEFAULT 0 CHECK (rehearsal IN (0, 1));
-- Seats at each table: the roster may not hold more people than tables x seats.
ALTER TABLE session ADD COLUMN seats_per_table INTEGER NOT NULL DEFAULT 8 CHECK (seats_per_table BETWEEN 1 AND 30);

-- The people expected at a session, entered or imported by the organizer.
CREATE TABLE participant (
    id            INTEGER PRIMARY KEY,
    session_id    TEXT NOT NULL REFERENCES session(id),
    seq           INTEGER NOT NULL,            -- order of entry, shown as the person's number
    name          TEXT NOT NULL DEFAULT '',    -- optional
    profession    TEXT NOT NULL,               -- profession id
    organization  TEXT NOT NULL DEFAULT '',
    area          TEXT NOT NULL DEFAULT '',
    side          TEXT NOT NULL DEFAULT 'none' CHECK (side IN ('hospital', 'home', 'none')),
    table_number  INTEGER CHECK (table_number >= 1), -- NULL until seated
    pinned        INTEGER NOT NULL DEFAULT 0,  -- moved by hand: re-balancing keeps the seat
    late          INTEGER NOT NULL DEFAULT 0,  -- added on the day
    created_at    INTEGER NOT NULL,
    UNIQUE (session_id, seq)
) STRICT;

CREATE INDEX participant_by_session ON participant(session_id, table_number);
