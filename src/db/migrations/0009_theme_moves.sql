-- The organizer's moves of an item of the cross-session report to another theme
-- (issue 16, item 6). One row per item a table wrote in a three-field answer: the
-- session, the prompt, the table's number and the item's normalised text
-- (`report::items::normalize`) name it; `theme` is where the organizer put it. Moving
-- an item back to the theme the report chose deletes its row; a purge deletes them all.
CREATE TABLE theme_move (
    id            INTEGER PRIMARY KEY,
    session_id    TEXT NOT NULL REFERENCES session(id),
    prompt_key    TEXT NOT NULL,
    table_number  INTEGER NOT NULL,
    item          TEXT NOT NULL,            -- normalised, the key
    text          TEXT NOT NULL DEFAULT '', -- as written when moved, to name a stale move
    theme         TEXT NOT NULL,            -- a theme id, or 'other'
    moved_by      TEXT NOT NULL DEFAULT 'organizer',
    moved_at      INTEGER NOT NULL,
    UNIQUE (session_id, prompt_key, table_number, item)
) STRICT;
