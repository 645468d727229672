-- Organizer sign-ins: only a hash of each browser's sign-in token is stored.
CREATE TABLE organizer_login (
    token_hash  TEXT PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
) STRICT;
