-- Check-in on the day, the individual survey, and the facilitator's own notes (issue 7).

-- When a person on the roster arrived (at the desk or by their own phone); NULL until then.
ALTER TABLE participant ADD COLUMN checked_in_at INTEGER;

-- What the facilitator writes during a session (a rehearsal's notes can be copied
-- into the real session's).
ALTER TABLE session ADD COLUMN notes TEXT NOT NULL DEFAULT '';

-- One person's answers to one survey step. Anonymous: `respondent` is a hash of a
-- random id kept in the phone's cookie, never a roster row, so one phone answers a
-- step once, and a before and an after answer from the same phone can be paired.
CREATE TABLE survey_response (
    id            INTEGER PRIMARY KEY,
    uid           TEXT NOT NULL UNIQUE,        -- UUID, stable across export and import
    session_id    TEXT NOT NULL REFERENCES session(id),
    step_index    INTEGER NOT NULL,
    respondent    TEXT NOT NULL,
    profession    TEXT NOT NULL DEFAULT '',    -- as the respondent chose to state it, may be empty
    answers       TEXT NOT NULL,               -- JSON object: question id -> answer
    submitted_at  INTEGER NOT NULL,
    UNIQUE (session_id, step_index, respondent)
) STRICT;

CREATE INDEX survey_response_by_session ON survey_response(session_id, step_index);

CREATE TRIGGER survey_response_no_update BEFORE UPDATE ON survey_response
WHEN (SELECT count(*) FROM purge_permit) = 0
BEGIN SELECT RAISE(ABORT, 'survey answers are never changed'); END;
