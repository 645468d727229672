-- Live facilitation: projector link, pacing, spotlight, and step timers.

ALTER TABLE session ADD COLUMN projector_key TEXT;
UPDATE session SET projector_key = lower(hex(randomblob(16))) WHERE projector_key IS NULL;
CREATE UNIQUE INDEX session_projector_key ON session(projector_key);

-- 'hold': tables wait on the facilitator's scene; 'free': tables walk a case at their own pace.
ALTER TABLE session ADD COLUMN pace TEXT NOT NULL DEFAULT 'free' CHECK (pace IN ('hold', 'free'));
-- JSON array of up to two table numbers shown on the projector.
ALTER TABLE session ADD COLUMN spotlight TEXT NOT NULL DEFAULT '[]';

-- The clock of a step, owned by the server. Remaining time is
-- duration_ms - elapsed_ms - (now - started_at if running).
CREATE TABLE step_timer (
    session_id   TEXT NOT NULL REFERENCES session(id),
    step_index   INTEGER NOT NULL,
    duration_ms  INTEGER NOT NULL CHECK (duration_ms >= 0),
    elapsed_ms   INTEGER NOT NULL DEFAULT 0,
    started_at   INTEGER,                    -- set while running
    state        TEXT NOT NULL CHECK (state IN ('ready', 'running', 'paused', 'ended')),
    locked       INTEGER NOT NULL DEFAULT 0, -- answers of the step are locked
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (session_id, step_index)
) STRICT;
