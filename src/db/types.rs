//! The words stored in text columns, as enums: a session's status and pace, and the
//! names of logged events. Each is written and read as its code (`open`, `hold`,
//! `conclusion.saved`…) through `ToSql`/`FromSql`, serializes as the same code (so
//! templates and JSON compare the strings they always did), and reading any other
//! stored text is an error the caller reports, never a guess.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::Serialize;

/// Declares a stored enum with its codes and the `ToSql`/`FromSql`/`Serialize` glue.
macro_rules! stored_words {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident => $code:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored in the database and shown to templates.
            pub fn code(self) -> &'static str {
                match self {
                    $( $name::$variant => $code, )+
                }
            }

            /// The value a stored code names; `None` for any other text.
            pub fn from_code(code: &str) -> Option<$name> {
                match code {
                    $( $code => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.code()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let text = value.as_str()?;
                $name::from_code(text).ok_or_else(|| {
                    FromSqlError::Other(
                        format!(
                            "stored {} {text:?} is not one of {}",
                            $what,
                            $name::ALL
                                .iter()
                                .map(|v| v.code())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                        .into(),
                    )
                })
            }
        }
    };
}

stored_words! {
    /// Whether a session still takes saves (`session.status`).
    SessionStatus, "session status" {
        /// Running or not started: tables join and save.
        Open => "open",
        /// Closed by the facilitator: no more saves, the record stays.
        Closed => "closed",
    }
}

stored_words! {
    /// Where a step's clock stands (`step_timer.state`).
    TimerState, "timer state" {
        /// Set to the step's minutes, not started yet.
        Ready => "ready",
        /// Counting down.
        Running => "running",
        /// Stopped with the time left kept.
        Paused => "paused",
        /// Time is up or the facilitator ended it: answers lock.
        Ended => "ended",
    }
}

stored_words! {
    /// How a device came to hold its table (`table_device.via`).
    Via, "device route" {
        /// The first device, with the join code and number.
        First => "first",
        /// The table's printed QR code.
        Qr => "qr",
        /// The pairing code shown on the table's screen.
        Pairing => "pairing",
        /// The facilitator approved its request.
        Approval => "approval",
        /// The facilitator opened the table on their own device (never claims the table).
        Facilitator => "facilitator",
    }
}

stored_words! {
    /// Who did what a log entry records (`event.actor`), for every entry this build
    /// writes. The log is read back as text (`EventRow::actor`), as its names are: a log
    /// imported from another version may name others.
    Actor, "event actor" {
        /// The organizer (sessions, roster, imports).
        Organizer => "organizer",
        /// The session's facilitator.
        Facilitator => "facilitator",
        /// A table's screen.
        Table => "table",
        /// A participant on their own phone (checking in by the code on their card).
        Participant => "participant",
        /// The server itself (a step's time ran out).
        System => "system",
    }
}

stored_words! {
    /// How tables move through a case walk (`session.pace`).
    Pace, "pace" {
        /// Tables wait for the facilitator to move them on.
        Hold => "hold",
        /// Tables walk the case at their own pace (the default).
        Free => "free",
    }
}

stored_words! {
    /// What a logged event records (`event.kind`), for every event this build writes.
    ///
    /// The log is read back as text (`EventRow::kind`): a log imported from another
    /// version may hold names this build never writes.
    EventKind, "event name" {
        /// The organizer created the session.
        SessionCreated => "session.created",
        /// The facilitator closed the session.
        SessionClosed => "session.closed",
        /// Names and free text were removed.
        SessionPurged => "session.purged",
        /// The session came in from a session file.
        SessionImported => "session.imported",
        /// The facilitator moved the session to another step.
        StepChanged => "step.changed",
        /// The facilitator switched between hold and free pace.
        PaceChanged => "pace.changed",
        /// The facilitator chose the tables on the projector.
        SpotlightChanged => "spotlight.changed",
        /// The facilitator saved their notes.
        NotesSaved => "notes.saved",
        /// A table confirmed the professions seated at it.
        TableRoster => "table.roster",
        /// A table saved a new version of an answer.
        ConclusionSaved => "conclusion.saved",
        /// The organizer typed up a table's answer from a paper or Word report.
        ConclusionTypedUp => "conclusion.typed_up",
        /// A table entered a scene of a case walk.
        SceneEntered => "scene.entered",
        /// A step's timer was started, paused, changed or ran out.
        TimerChanged => "timer.changed",
        /// Someone answered the survey (who is never logged).
        SurveyAnswered => "survey.answered",
        /// The organizer imported a roster file.
        RosterImported => "roster.imported",
        /// The organizer added one person.
        RosterAdded => "roster.added",
        /// The organizer removed one person.
        RosterRemoved => "roster.removed",
        /// The organizer changed the seats per table.
        RosterSeats => "roster.seats",
        /// A person arrived (at the desk or by phone).
        RosterCheckedIn => "roster.checked_in",
        /// An arrival was undone at the desk.
        RosterCheckInUndone => "roster.check_in_undone",
        /// A balanced seating plan was stored.
        SeatingAssigned => "seating.assigned",
        /// The organizer moved a person to another table.
        SeatingMoved => "seating.moved",
        /// A device joined a table.
        TableDeviceJoined => "table_device.joined",
        /// The facilitator released a device of a table.
        TableDeviceReleased => "table_device.released",
        /// The organizer moved an item of the cross-session report to another theme.
        ThemeMoved => "theme.moved",
        /// The organizer put a moved item back where the report placed it.
        ThemeMoveUndone => "theme.move_undone",
    }
}

/// A roster person's side (`participant.side`), stored as its id (`hospital`, `home`,
/// `none`); the type is the seating rule's own, stored here as the words above are.
impl ToSql for crate::seating::Side {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.id()))
    }
}

impl FromSql for crate::seating::Side {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        use crate::seating::Side;
        let text = value.as_str()?;
        [Side::Hospital, Side::Home, Side::None]
            .into_iter()
            .find(|s| s.id() == text)
            .ok_or_else(|| {
                FromSqlError::Other(
                    format!("stored side {text:?} is not one of hospital, home, none").into(),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn codes_go_in_and_out_and_unknown_text_is_an_error() {
        let conn = Connection::open_in_memory().expect("a database");
        for status in SessionStatus::ALL {
            let back: SessionStatus = conn
                .query_row("SELECT ?1", [status], |r| r.get(0))
                .expect("read back");
            assert_eq!(back, *status);
        }
        for kind in EventKind::ALL {
            assert_eq!(EventKind::from_code(kind.code()), Some(*kind));
        }
        for state in TimerState::ALL {
            let back: TimerState = conn
                .query_row("SELECT ?1", [state], |r| r.get(0))
                .expect("read back");
            assert_eq!(back, *state);
        }
        // The audit log names each actor by `role.<code>`.
        for actor in Actor::ALL {
            let key = format!("role.{}", actor.code());
            assert!(
                crate::i18n::text(crate::lang::Lang::Ja, &key).is_some(),
                "{key}"
            );
        }
        let side: crate::seating::Side = conn
            .query_row("SELECT ?1", [crate::seating::Side::Home], |r| r.get(0))
            .expect("a side reads back");
        assert_eq!(side, crate::seating::Side::Home);
        assert!(
            conn.query_row("SELECT 'ward'", [], |r| r.get::<_, crate::seating::Side>(0))
                .is_err()
        );
        let bad = conn.query_row("SELECT 'stopped'", [], |r| r.get::<_, TimerState>(0));
        assert!(bad.is_err(), "a timer state this build does not write");
        let bad = conn.query_row("SELECT 'paused'", [], |r| r.get::<_, Pace>(0));
        assert!(bad.is_err());
        assert_eq!(
            serde_json::to_value(Pace::Hold).expect("json"),
            serde_json::json!("hold")
        );
    }
}
