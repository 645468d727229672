//! The embedded migrations are valid and build the schema on an empty database.

use acp_workbook::db::{Db, MIGRATIONS};

#[test]
fn migrations_are_valid() {
    assert!(MIGRATIONS.validate().is_ok());
}

#[test]
fn an_empty_database_file_gets_the_schema_and_keeps_it_append_only() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("nested/folder/acp.db");
    let db = Db::open(&path).expect("opens and creates folders");
    assert!(path.exists());
    db.write_blocking(|conn| {
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for table in ["conclusion", "content_snapshot", "event", "scene_visit", "session", "session_table"] {
            assert!(tables.iter().any(|t| t == table), "missing {table} in {tables:?}");
        }
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        assert_eq!(mode, "wal");
        let fk: i64 = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
        assert_eq!(fk, 1);
        conn.execute("INSERT INTO content_snapshot VALUES ('h', '{}', 0)", [])?;
        conn.execute(
            "INSERT INTO session (id, curriculum_id, content_hash, title, held_on, table_count, join_code, facilitator_key, created_at)
             VALUES ('s', 'c', 'h', 't', '2026-01-01', 1, 'CODE', 'key', 0)",
            [],
        )?;
        conn.execute("INSERT INTO event (session_id, at, actor, kind) VALUES ('s', 0, 'system', 'x')", [])?;
        assert!(conn.execute("UPDATE event SET kind = 'y'", []).is_err(), "events cannot change");
        assert!(conn.execute("DELETE FROM event", []).is_err(), "events cannot be deleted");
        assert!(
            conn.execute("INSERT INTO session_table (session_id, number, token) VALUES ('missing', 1, 't')", []).is_err(),
            "foreign keys are enforced"
        );
        Ok(())
    })
    .expect("schema checks");
    drop(db);
    // Opening again applies nothing twice.
    Db::open(&path).expect("reopens");
}
