//! The organizer's theme moves, applied to the cross-session report: an item a table
//! wrote that the organizer put under another theme than the report chose is counted
//! there, and only there, and marked as moved (「手動で移動」), on the page, in the CSV
//! and in the JSON.
//!
//! A move names one item one table wrote ([`item_key`]: session, prompt, table number
//! and the item's normalised text), so a later session writing the same words is placed
//! by the report again until the organizer moves it too. A move whose item is no longer
//! there (its table edited the text) is listed as stale, never dropped in silence.
//!
//! The report's grouping ([`items::group`]) is used as it is: items not moved are
//! grouped by it, and the themes it chose for each moved item are read from it, so this
//! file holds no rule of its own about which theme an item belongs to.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::items::{self, Merged, SessionTables, Source, ThemeGroup, Written};
use crate::db::themes::MoveRow;
use crate::lang::Lang;

/// The key that names one item one table wrote, the same in the database, the session
/// file and the report: session id, prompt key, table number, normalised text.
pub fn item_key(session_id: &str, prompt_key: &str, table_number: i64, normalized: &str) -> String {
    // Unit separators: none of the four holds one (ids, keys and normalised text are
    // letters, digits and `:`/`-`).
    format!("{session_id}\u{1f}{prompt_key}\u{1f}{table_number}\u{1f}{normalized}")
}

/// One item as a table wrote it, with the prompt it answers.
#[derive(Debug, Clone)]
pub struct Writing {
    /// The three-field prompt's key.
    pub prompt: String,
    /// The item and its table.
    pub written: Written,
}

impl Writing {
    /// Its [`item_key`].
    pub fn key(&self) -> String {
        item_key(
            &self.written.source.session,
            &self.prompt,
            self.written.source.table,
            &items::normalize(&self.written.text),
        )
    }
}

/// A theme an item can be moved to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    /// Theme id, or [`items::OTHER`].
    pub id: String,
    /// Its label in the report's language.
    pub label: String,
}

/// The themes an item may be moved to, in the report's order, "other" last: the one
/// place that asks the report which themes there are.
pub fn choices(lang: Lang) -> Vec<Choice> {
    items::THEMES
        .iter()
        .map(|t| t.id)
        .chain([items::OTHER])
        .map(|id| Choice {
            id: id.to_string(),
            label: label(id, lang),
        })
        .collect()
}

/// True for a theme id an item may be moved to.
pub fn is_theme(id: &str) -> bool {
    id == items::OTHER || items::theme(id).is_some()
}

/// A theme's label (an unknown id is shown as it is).
pub fn label(id: &str, lang: Lang) -> String {
    match items::theme(id) {
        Some(t) => t.label(lang).to_string(),
        None if id == items::OTHER => crate::i18n::format(lang, "report.theme_other", &[]),
        None => id.to_string(),
    }
}

/// Items the organizer moved under a theme: identical ones merged, as the report merges.
#[derive(Debug, Clone, Serialize)]
pub struct MovedItem {
    /// The item, its count and the tables that wrote it.
    #[serde(flatten)]
    pub item: Merged,
    /// Always true: the organizer put it here (the report placed it elsewhere).
    pub moved: bool,
    /// The themes the report chose for it (ids; `other` when none).
    pub from: Vec<String>,
    /// Their labels.
    pub from_labels: Vec<String>,
}

/// One item a theme shows, as the tables wrote it: for the move form, which has to
/// move every table's writing of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    /// Session id.
    pub session: String,
    /// Prompt key.
    pub prompt: String,
    /// Table number.
    pub table: i64,
    /// The text as written.
    pub text: String,
    /// The themes the report chose for it.
    pub engine: Vec<String>,
}

/// A theme of the report after the moves.
#[derive(Debug, Clone, Serialize)]
pub struct Placed {
    /// The theme as the report grouped it, its counts, tables and sessions recounted
    /// with the items moved in and without those moved out; `items` are the report's.
    #[serde(flatten)]
    pub group: ThemeGroup,
    /// Items the organizer moved here.
    pub moved: Vec<MovedItem>,
    /// Normalised item → every writing of it the theme shows (not in the downloads).
    #[serde(skip)]
    pub holds: BTreeMap<String, Vec<Held>>,
}

/// A move whose item no longer exists: the table edited or removed the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stale {
    /// Session id.
    pub session: String,
    /// Its date.
    pub held_on: String,
    /// Prompt key.
    pub prompt: String,
    /// Table number.
    pub table: i64,
    /// The item as it read when moved.
    pub text: String,
    /// The theme it was moved to.
    pub theme: String,
    /// That theme's label.
    pub theme_label: String,
    /// When it was moved (ms).
    pub moved_at: i64,
}

/// Both lists of the report after the moves, and the moves that found no item.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The "hard" items by theme.
    pub issues: Vec<Placed>,
    /// The "measures" items by theme.
    pub measures: Vec<Placed>,
    /// Moves of the report's sessions whose item is not there.
    pub stale: Vec<Stale>,
}

/// Groups both lists of items with the moves applied. `held_on` gives each session's
/// date (for the stale list); moves of other sessions should not be passed.
pub fn apply(
    issues: &[Writing],
    measures: &[Writing],
    moves: &[MoveRow],
    held_on: &BTreeMap<String, String>,
    lang: Lang,
) -> Applied {
    let by_key: HashMap<String, &MoveRow> = moves
        .iter()
        .map(|m| {
            (
                item_key(&m.session_id, &m.prompt_key, m.table_number, &m.item),
                m,
            )
        })
        .collect();
    let mut used = BTreeSet::new();
    let issues = place(issues, &by_key, &mut used, lang);
    let measures = place(measures, &by_key, &mut used, lang);
    let stale = moves
        .iter()
        .filter(|m| {
            !used.contains(&item_key(
                &m.session_id,
                &m.prompt_key,
                m.table_number,
                &m.item,
            ))
        })
        .map(|m| Stale {
            session: m.session_id.clone(),
            held_on: held_on.get(&m.session_id).cloned().unwrap_or_default(),
            prompt: m.prompt_key.clone(),
            table: m.table_number,
            text: if m.text.is_empty() {
                m.item.clone()
            } else {
                m.text.clone()
            },
            theme: m.theme.clone(),
            theme_label: label(&m.theme, lang),
            moved_at: m.moved_at,
        })
        .collect();
    Applied {
        issues,
        measures,
        stale,
    }
}

/// The themes the report's grouping chooses for one item on its own.
fn engine_themes(w: &Written, lang: Lang) -> Vec<String> {
    items::group(std::slice::from_ref(w), lang)
        .into_iter()
        .map(|g| g.id)
        .collect()
}

fn empty_group(id: &str, lang: Lang) -> ThemeGroup {
    ThemeGroup {
        id: id.to_string(),
        label: label(id, lang),
        count: 0,
        sessions: 0,
        tables: 0,
        sources: Vec::new(),
        by_session: Vec::new(),
        items: Vec::new(),
    }
}

/// One list: the items not moved grouped by the report, the moved ones added under
/// their themes, every count recounted.
fn place(
    writings: &[Writing],
    moves: &HashMap<String, &MoveRow>,
    used: &mut BTreeSet<String>,
    lang: Lang,
) -> Vec<Placed> {
    let mut kept: Vec<Written> = Vec::new();
    // Theme → the moved writings, with the report's themes for each.
    let mut moved: BTreeMap<String, Vec<(&Writing, Vec<String>)>> = BTreeMap::new();
    let mut holds: BTreeMap<String, BTreeMap<String, Vec<Held>>> = BTreeMap::new();
    for w in writings {
        let key = w.key();
        let engine = engine_themes(&w.written, lang);
        let normalized = items::normalize(&w.written.text);
        let held = Held {
            session: w.written.source.session.clone(),
            prompt: w.prompt.clone(),
            table: w.written.source.table,
            text: w.written.text.clone(),
            engine: engine.clone(),
        };
        match moves.get(&key) {
            Some(m) => {
                used.insert(key);
                holds
                    .entry(m.theme.clone())
                    .or_default()
                    .entry(normalized)
                    .or_default()
                    .push(held);
                moved.entry(m.theme.clone()).or_default().push((w, engine));
            }
            None => {
                for id in &engine {
                    holds
                        .entry(id.clone())
                        .or_default()
                        .entry(normalized.clone())
                        .or_default()
                        .push(held.clone());
                }
                kept.push(w.written.clone());
            }
        }
    }
    let mut out: Vec<Placed> = items::group(&kept, lang)
        .into_iter()
        .map(|group| Placed {
            group,
            moved: Vec::new(),
            holds: BTreeMap::new(),
        })
        .collect();
    for (theme, writings) in moved {
        let i = match out.iter().position(|p| p.group.id == theme) {
            Some(i) => i,
            None => {
                out.push(Placed {
                    group: empty_group(&theme, lang),
                    moved: Vec::new(),
                    holds: BTreeMap::new(),
                });
                out.len() - 1
            }
        };
        let placed = &mut out[i];
        for (w, engine) in writings {
            let source = &w.written.source;
            let key = items::normalize(&w.written.text);
            match placed.moved.iter_mut().find(|m| m.item.key == key) {
                Some(m) => {
                    m.item.count += 1;
                    if !m.item.sources.contains(source) {
                        m.item.sources.push(source.clone());
                    }
                    for id in engine {
                        if !m.from.contains(&id) {
                            m.from_labels.push(label(&id, lang));
                            m.from.push(id);
                        }
                    }
                }
                None => placed.moved.push(MovedItem {
                    item: Merged {
                        text: w.written.text.clone(),
                        key,
                        count: 1,
                        sources: vec![source.clone()],
                    },
                    moved: true,
                    from_labels: engine.iter().map(|id| label(id, lang)).collect(),
                    from: engine,
                }),
            }
            placed.group.count += 1;
            if !placed.group.sources.contains(source) {
                placed.group.sources.push(source.clone());
            }
        }
        recount(&mut placed.group);
        placed
            .moved
            .sort_by_key(|m| std::cmp::Reverse(m.item.count));
    }
    for p in &mut out {
        p.holds = holds.remove(&p.group.id).unwrap_or_default();
    }
    // The report's order: most sessions, then most items, then the themes' own order;
    // "other" last.
    let rank = |p: &Placed| items::THEMES.iter().position(|t| t.id == p.group.id);
    out.sort_by(|a, b| {
        (a.group.id == items::OTHER)
            .cmp(&(b.group.id == items::OTHER))
            .then(b.group.sessions.cmp(&a.group.sessions))
            .then(b.group.count.cmp(&a.group.count))
            .then(rank(a).cmp(&rank(b)))
    });
    out
}

/// Sessions, tables and the tables by session, from a group's sources.
fn recount(g: &mut ThemeGroup) {
    g.sources.sort();
    g.sessions = g
        .sources
        .iter()
        .map(|s: &Source| s.session.as_str())
        .collect::<BTreeSet<_>>()
        .len();
    g.tables = g.sources.len();
    g.by_session.clear();
    for source in &g.sources {
        match g.by_session.last_mut() {
            Some(last) if last.session == source.session => last.tables.push(source.table),
            _ => g.by_session.push(SessionTables {
                session: source.session.clone(),
                held_on: source.held_on.clone(),
                tables: vec![source.table],
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writing(text: &str, session: &str, table: i64) -> Writing {
        Writing {
            prompt: "curriculum:c:three".into(),
            written: Written {
                text: text.into(),
                source: Source {
                    held_on: format!("2026-0{}-01", if session == "a" { 4 } else { 5 }),
                    session: session.into(),
                    table,
                },
            },
        }
    }

    fn moved(w: &Writing, theme: &str) -> MoveRow {
        MoveRow {
            session_id: w.written.source.session.clone(),
            prompt_key: w.prompt.clone(),
            table_number: w.written.source.table,
            item: items::normalize(&w.written.text),
            text: w.written.text.clone(),
            theme: theme.into(),
            moved_by: "organizer".into(),
            moved_at: 7,
        }
    }

    fn group<'a>(placed: &'a [Placed], id: &str) -> Option<&'a Placed> {
        placed.iter().find(|p| p.group.id == id)
    }

    #[test]
    fn a_moved_item_counts_only_under_its_new_theme() {
        let list = [
            writing("薬剤師が少ない地区", "a", 1),
            writing("薬剤師が少ない地区", "b", 2),
            writing("情報共有が難しい", "a", 2),
        ];
        let dates = BTreeMap::new();
        let before = apply(&list, &[], &[], &dates, Lang::Ja);
        assert_eq!(
            group(&before.issues, "other").expect("other").group.count,
            2
        );
        assert!(group(&before.issues, "resources").is_none());
        // Table 1 of session a moves its item; table 2 of session b is still the report's.
        let moves = [moved(&list[0], "resources")];
        let after = apply(&list, &[], &moves, &dates, Lang::Ja);
        let other = &group(&after.issues, "other").expect("other").group;
        assert_eq!((other.count, other.sessions, other.tables), (1, 1, 1));
        let resources = group(&after.issues, "resources").expect("resources");
        assert_eq!(resources.group.label, "地域資源");
        assert_eq!(
            (
                resources.group.count,
                resources.group.sessions,
                resources.group.tables
            ),
            (1, 1, 1)
        );
        assert!(resources.group.items.is_empty());
        let m = &resources.moved[0];
        assert_eq!(
            (m.item.text.as_str(), m.item.count),
            ("薬剤師が少ない地区", 1)
        );
        assert_eq!(
            (m.from.clone(), m.from_labels.clone()),
            (vec!["other".to_string()], vec!["その他".to_string()])
        );
        assert_eq!(resources.holds["薬剤師が少ない地区"][0].engine, ["other"]);
        assert!(after.stale.is_empty());
        // The JSON says it was moved.
        let json = serde_json::to_value(resources).expect("json");
        assert_eq!(json["moved"][0]["moved"], serde_json::json!(true));
        assert_eq!(json["count"], serde_json::json!(1));
        assert!(json.get("holds").is_none());
    }

    #[test]
    fn an_item_under_two_themes_moves_out_of_both() {
        let list = [writing("退院時の情報共有が遅れる", "a", 1)];
        let dates = BTreeMap::new();
        let moves = [moved(&list[0], "conference")];
        let after = apply(&list, &[], &moves, &dates, Lang::En);
        let ids: Vec<_> = after.issues.iter().map(|p| p.group.id.as_str()).collect();
        assert_eq!(ids, ["conference"]);
        assert_eq!(after.issues[0].moved[0].from, ["info-sharing", "discharge"]);
        assert_eq!(after.issues[0].group.label, "Meetings and conferences");
    }

    #[test]
    fn a_move_without_its_item_is_stale() {
        let list = [writing("情報共有が難しい", "a", 1)];
        let mut gone = moved(&writing("夜間の連絡", "a", 1), "emergency");
        gone.text = "夜間の連絡".into();
        let dates = BTreeMap::from([("a".to_string(), "2026-04-01".to_string())]);
        let after = apply(&list, &list, &[gone], &dates, Lang::Ja);
        assert_eq!(after.stale.len(), 1);
        let s = &after.stale[0];
        assert_eq!(
            (
                s.text.as_str(),
                s.theme_label.as_str(),
                s.held_on.as_str(),
                s.table
            ),
            ("夜間の連絡", "緊急時対応", "2026-04-01", 1)
        );
        // Another table's same words are not the moved item.
        let other_table = moved(&writing("情報共有が難しい", "a", 2), "roles");
        let after = apply(&list, &[], &[other_table], &dates, Lang::Ja);
        assert_eq!(after.stale.len(), 1);
        assert!(group(&after.issues, "roles").is_none());
    }

    #[test]
    fn the_choices_are_the_report_themes_and_other() {
        let ids: Vec<String> = choices(Lang::Ja).into_iter().map(|c| c.id).collect();
        assert_eq!(ids.len(), items::THEMES.len() + 1);
        assert_eq!(ids.last().map(String::as_str), Some("other"));
        assert!(is_theme("other") && is_theme("family") && !is_theme("x"));
        assert_ne!(item_key("a", "p", 1, "x"), item_key("a", "p", 11, ""));
    }
}
