-- Data retention: the organizer can purge a session's personal data (names, free
-- text) while keeping anonymous aggregates. Conclusions stay append-only for
-- everything else: only a purge, which first writes a permit row inside its own
-- transaction, may blank their text.

ALTER TABLE session ADD COLUMN purged_at INTEGER;

CREATE TABLE purge_permit (
    session_id  TEXT NOT NULL
) STRICT;

DROP TRIGGER conclusion_no_update;
CREATE TRIGGER conclusion_no_update BEFORE UPDATE ON conclusion
WHEN (SELECT count(*) FROM purge_permit) = 0
BEGIN SELECT RAISE(ABORT, 'conclusions are versioned, never changed'); END;
