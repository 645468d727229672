//! Free text into items, and items into themes: how the working group's report finds the
//! issues and measures that recur across tables and sessions.
//!
//! A table's "hard" or "measures" field is split into items at line breaks, bullets and
//! 。; each item is normalised (NFKC folds full-width letters and digits and half-width
//! kana, case is folded, spaces and punctuation are dropped) so that 「情報共有が難しい。」
//! and 「・情報共有が難しい」 are one item. Items then fall under every built-in theme
//! whose keywords they contain ([`THEMES`]); items matching none are "other".

use std::collections::{BTreeMap, BTreeSet};

use crate::lang::Lang;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

/// A theme of home-care collaboration with the words that put an item under it.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    /// Stable id, kept in the JSON and CSV downloads.
    pub id: &'static str,
    /// Japanese label.
    pub ja: &'static str,
    /// English label.
    pub en: &'static str,
    /// Words looked for in the normalised item (lower case, no spaces or punctuation).
    pub keywords: &'static [&'static str],
}

impl Theme {
    /// The label in the given UI language.
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.ja, self.en)
    }
}

/// The id of the group of items that match no theme.
pub const OTHER: &str = "other";

/// The built-in themes, in the order the working group's agendas list them. Keywords
/// are written normalised (see [`normalize`]); English stems serve English curricula.
pub const THEMES: &[Theme] = &[
    Theme {
        id: "info-sharing",
        ja: "情報共有・連絡",
        en: "Sharing information",
        keywords: &[
            "情報共有",
            "共有",
            "連絡",
            "連携",
            "申し送り",
            "伝達",
            "情報提供",
            "情報",
            "報告",
            "ict",
            "電話",
            "fax",
            "ファックス",
            "連絡帳",
            "ノート",
            "記録",
            "share",
            "sharing",
            "communicat",
            "inform",
        ],
    },
    Theme {
        id: "discharge",
        ja: "入退院の調整",
        en: "Admission and discharge",
        keywords: &[
            "退院",
            "入院",
            "入退院",
            "転院",
            "病棟",
            "在宅復帰",
            "discharge",
            "admission",
        ],
    },
    Theme {
        id: "will-acp",
        ja: "本人の意思・ACP",
        en: "The person's wishes, ACP",
        keywords: &[
            "本人の意思",
            "意思",
            "意向",
            "本人の思い",
            "本人の希望",
            "希望",
            "人生会議",
            "acp",
            "アドバンスケアプランニング",
            "価値観",
            "大切にしている",
            "wish",
            "prefer",
            "advancecare",
            "decision",
            "values",
        ],
    },
    Theme {
        id: "family",
        ja: "家族支援",
        en: "Supporting the family",
        keywords: &[
            "家族",
            "介護者",
            "介護負担",
            "キーパーソン",
            "長男",
            "長女",
            "次男",
            "次女",
            "息子",
            "娘",
            "配偶者",
            "妻",
            "夫婦",
            "family",
            "caregiver",
            "carer",
        ],
    },
    Theme {
        id: "roles",
        ja: "役割分担",
        en: "Sharing out roles",
        keywords: &[
            "役割",
            "分担",
            "担当を決",
            "担当者を決",
            "窓口",
            "誰が",
            "責任",
            "role",
            "responsib",
            "whodoes",
        ],
    },
    Theme {
        id: "face-to-face",
        ja: "顔の見える関係",
        en: "Knowing each other",
        keywords: &[
            "顔の見える",
            "顔が見える",
            "顔見知り",
            "関係づくり",
            "関係性",
            "関係作り",
            "相談しやすい",
            "相談できる",
            "気軽に",
            "交流",
            "知り合",
            "faceto",
            "relationship",
            "knoweachother",
        ],
    },
    Theme {
        id: "conference",
        ja: "話し合い・カンファレンス",
        en: "Meetings and conferences",
        keywords: &[
            "カンファレンス",
            "カンファ",
            "会議",
            "話し合い",
            "話し合う",
            "担当者会議",
            "conference",
            "meeting",
        ],
    },
    Theme {
        id: "end-of-life",
        ja: "看取り",
        en: "End-of-life care",
        keywords: &[
            "看取",
            "最期",
            "終末期",
            "臨終",
            "亡くな",
            "死亡",
            "緩和",
            "endoflife",
            "dying",
            "death",
            "palliative",
        ],
    },
    Theme {
        id: "dementia",
        ja: "認知症",
        en: "Dementia",
        keywords: &[
            "認知症",
            "認知機能",
            "物忘れ",
            "もの忘れ",
            "bpsd",
            "dementia",
        ],
    },
    Theme {
        id: "medication",
        ja: "服薬",
        en: "Medication",
        keywords: &[
            "服薬",
            "処方",
            "残薬",
            "内服",
            "お薬",
            "薬の",
            "薬を",
            "薬が",
            "飲み忘れ",
            "麻薬",
            "痛み止め",
            "medication",
            "medicine",
            "prescri",
        ],
    },
    Theme {
        id: "eating",
        ja: "食支援・嚥下",
        en: "Eating and swallowing",
        keywords: &[
            "食",
            "嚥下",
            "飲み込",
            "誤嚥",
            "経口",
            "胃ろう",
            "胃瘻",
            "栄養",
            "口腔",
            "義歯",
            "入れ歯",
            "swallow",
            "eating",
            "nutrition",
            "feeding",
            "tube",
        ],
    },
    Theme {
        id: "emergency",
        ja: "緊急時対応",
        en: "Emergencies",
        keywords: &[
            "急変",
            "緊急",
            "救急",
            "119",
            "夜間",
            "休日",
            "搬送",
            "蘇生",
            "dnar",
            "emergenc",
            "ambulance",
            "night",
        ],
    },
    Theme {
        id: "living-alone",
        ja: "独居・身寄りのない人",
        en: "Living alone, no kin",
        keywords: &[
            "独居",
            "一人暮らし",
            "ひとり暮らし",
            "身寄り",
            "身元保証",
            "後見",
            "livingalone",
            "nokin",
            "guardian",
        ],
    },
    Theme {
        id: "resources",
        ja: "地域資源",
        en: "Community resources",
        keywords: &[
            "地域資源",
            "社会資源",
            "資源",
            "介護保険",
            "制度",
            "サービス",
            "見守り",
            "ボランティア",
            "サロン",
            "通いの場",
            "民生委員",
            "resource",
            "service",
            "volunteer",
        ],
    },
    Theme {
        id: "training",
        ja: "研修・人材育成",
        en: "Training and staff development",
        keywords: &[
            "研修",
            "勉強会",
            "教育",
            "人材",
            "育成",
            "学ぶ",
            "学び",
            "学習",
            "事例検討",
            "知識",
            "スキル",
            "training",
            "educat",
            "learn",
            "study",
        ],
    },
    Theme {
        id: "workload",
        ja: "時間・業務の負担",
        en: "Time and workload",
        keywords: &[
            "時間がない",
            "時間が足り",
            "時間がかか",
            "忙し",
            "多忙",
            "人手",
            "業務",
            "workload",
            "busy",
            "notime",
        ],
    },
];

/// A theme by id (`other` is not one).
pub fn theme(id: &str) -> Option<&'static Theme> {
    THEMES.iter().find(|t| t.id == id)
}

/// Characters that start a list item and are not part of it.
const BULLETS: &[char] = &[
    '・', '･', '•', '●', '○', '◯', '◎', '■', '□', '◆', '◇', '▪', '▫', '★', '☆', '※', '＊', '*',
    '-', '－', '‐', '―', 'ー', '→', '⇒', '>', '＞', '+', '＋', '✓', '✔', '〇',
];

/// Splits a free-text field into items: one per line, bullet or sentence (。！？, and an
/// English full stop after a word). Bullets and list numbers (`1.`, `（2）`, `③`) are
/// removed; blank items are dropped.
pub fn split_items(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut sentence = String::new();
        let mut chars = line.chars().peekable();
        let mut previous = ' ';
        while let Some(c) = chars.next() {
            sentence.push(c);
            let full_stop = c == '.'
                && previous.is_alphabetic()
                && chars.peek().is_none_or(|n| n.is_whitespace());
            if full_stop || matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | ';') {
                push_item(&mut out, &sentence);
                sentence.clear();
            }
            previous = c;
        }
        push_item(&mut out, &sentence);
    }
    out
}

fn push_item(out: &mut Vec<String>, raw: &str) {
    let item = strip_marker(raw.trim());
    let item = item
        .trim_end_matches(['。', '．', '.', '；', ';', '、', ',', '，'])
        .trim();
    if item.chars().any(char::is_alphanumeric) {
        out.push(item.to_string());
    }
}

/// Removes a leading bullet or list number, and the space after it.
fn strip_marker(item: &str) -> &str {
    let mut rest = item.trim_start();
    // No word starts with a dash or a prolonged-sound mark (ー is what a Japanese
    // keyboard gives for "-"): at the start of an item it is a bullet.
    if let Some(c) = rest.chars().next()
        && BULLETS.contains(&c)
        && rest.chars().nth(1).is_some()
    {
        rest = rest[c.len_utf8()..].trim_start();
        return rest;
    }
    // Circled numbers ①–⑳.
    if let Some(c) = rest.chars().next()
        && ('\u{2460}'..='\u{2473}').contains(&c)
    {
        return rest[c.len_utf8()..].trim_start();
    }
    // "1." "1)" "１．" "(1)" "（１）" "1、"
    let folded: String = rest.chars().take(6).collect::<String>().nfkc().collect();
    let mut chars = folded.char_indices().peekable();
    let open = matches!(chars.peek(), Some((_, '(')));
    if open {
        chars.next();
    }
    let mut digits = 0;
    while let Some((_, c)) = chars.peek() {
        if c.is_ascii_digit() {
            digits += 1;
            chars.next();
        } else {
            break;
        }
    }
    if digits == 0 || digits > 2 {
        return rest;
    }
    let Some((_, close)) = chars.next() else {
        return rest;
    };
    let closes = if open {
        close == ')'
    } else {
        matches!(close, '.' | ')' | '、' | ':')
    };
    if !closes {
        return rest;
    }
    // Count the original characters the marker took (NFKC keeps one per one here).
    let taken = digits + 1 + usize::from(open);
    let offset = rest
        .char_indices()
        .nth(taken)
        .map_or(rest.len(), |(i, _)| i);
    let after = rest[offset..].trim_start();
    if after.is_empty() { rest } else { after }
}

/// The key two items are merged by: NFKC (full-width letters and digits to half-width,
/// half-width kana to full-width), lower case, and no spaces, punctuation or symbols.
pub fn normalize(item: &str) -> String {
    item.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The themes an item falls under (ids, in [`THEMES`] order); empty means "other".
pub fn themes_of(item: &str) -> Vec<&'static str> {
    let key = normalize(item);
    THEMES
        .iter()
        .filter(|t| t.keywords.iter().any(|k| key.contains(k)))
        .map(|t| t.id)
        .collect()
}

/// Where an item was written: a table of a session.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Source {
    /// The session's date (first, so sources sort by date).
    pub held_on: String,
    /// Session id.
    pub session: String,
    /// Table number.
    pub table: i64,
}

/// The tables of one session that wrote items under a theme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionTables {
    /// Session id.
    pub session: String,
    /// Its date.
    pub held_on: String,
    /// Table numbers, ascending.
    pub tables: Vec<i64>,
}

/// One item as written, with where it came from.
#[derive(Debug, Clone)]
pub struct Written {
    /// The item text (trimmed, bullet removed).
    pub text: String,
    /// Its table.
    pub source: Source,
    /// Its stable identity ([`item_key`]), what an organizer's move is kept under.
    pub key: String,
    /// The session's title, shown beside the item so a reader can find it.
    pub session_title: String,
    /// The heading of the list it was written under, as shown.
    pub heading: String,
}

/// The stable identity of an item: the session, the table, the prompt it answered and
/// its text after [`normalize`] (so re-typing a bullet or a full stop keeps it). Two
/// identical items of one table's answer share a key, and a move applies to both. The
/// parts are joined with `|`, which neither ids, prompt keys nor normalised text hold.
pub fn item_key(session_id: &str, prompt_key: &str, table: i64, text: &str) -> String {
    format!("{session_id}|{table}|{prompt_key}|{}", normalize(text))
}

/// An organizer's moves: item key ([`item_key`]) → the theme id the item belongs under
/// (a theme's id or [`OTHER`]). A move naming a theme the report does not know is
/// ignored, so the item stays where its words put it.
pub type Moves = BTreeMap<String, String>;

/// One place an item was written, for the reader who checks a count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    /// The item's key ([`item_key`]).
    pub key: String,
    /// Session id.
    pub session: String,
    /// Session title.
    pub session_title: String,
    /// Its date.
    pub held_on: String,
    /// Table number.
    pub table: i64,
    /// The list's heading, as shown.
    pub heading: String,
    /// The text as written there.
    pub text: String,
    /// Whether an organizer moved it under this theme.
    pub moved: bool,
}

/// Identical items (after [`normalize`]) merged, with where each was written.
#[derive(Debug, Clone, Serialize)]
pub struct Merged {
    /// The text as first written.
    pub text: String,
    /// The merge key.
    pub key: String,
    /// How many times it was written.
    pub count: usize,
    /// The tables that wrote it.
    pub sources: Vec<Source>,
    /// Every place it was written, in the order read.
    pub places: Vec<Place>,
}

/// A theme with every item under it.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeGroup {
    /// Theme id, or [`OTHER`].
    pub id: String,
    /// The theme's label in the report's language.
    pub label: String,
    /// Items under the theme.
    pub count: usize,
    /// Different sessions the items came from.
    pub sessions: usize,
    /// Different tables (of any session) the items came from.
    pub tables: usize,
    /// Each table that wrote an item under the theme, once, by date and table.
    pub sources: Vec<Source>,
    /// The same tables by session.
    pub by_session: Vec<SessionTables>,
    /// The items, identical ones merged, most often written first.
    pub items: Vec<Merged>,
}

/// Groups items into themes, labelled in `lang`. Themes are ordered by the number of
/// sessions, then items; themes with no items are left out; "other" always comes last.
/// An item the organizer moved goes under the theme of its move alone.
pub fn group(items: &[Written], moves: &Moves, lang: Lang) -> Vec<ThemeGroup> {
    let mut groups: Vec<ThemeGroup> = Vec::new();
    for item in items {
        let moved = moves
            .get(&item.key)
            .filter(|id| id.as_str() == OTHER || theme(id).is_some());
        let mut ids = match moved {
            Some(id) => vec![theme(id).map_or(OTHER, |t| t.id)],
            None => themes_of(&item.text),
        };
        if ids.is_empty() {
            ids.push(OTHER);
        }
        for id in ids {
            let group = match groups.iter().position(|g| g.id == id) {
                Some(i) => &mut groups[i],
                None => {
                    groups.push(ThemeGroup {
                        id: id.to_string(),
                        label: theme(id).map_or_else(
                            || crate::i18n::format(lang, "report.theme_other", &[]),
                            |t| t.label(lang).to_string(),
                        ),
                        count: 0,
                        sessions: 0,
                        tables: 0,
                        sources: Vec::new(),
                        by_session: Vec::new(),
                        items: Vec::new(),
                    });
                    groups.last_mut().expect("just pushed")
                }
            };
            group.count += 1;
            if !group.sources.contains(&item.source) {
                group.sources.push(item.source.clone());
            }
            let key = normalize(&item.text);
            let place = Place {
                key: item.key.clone(),
                session: item.source.session.clone(),
                session_title: item.session_title.clone(),
                held_on: item.source.held_on.clone(),
                table: item.source.table,
                heading: item.heading.clone(),
                text: item.text.clone(),
                moved: moved.is_some(),
            };
            match group.items.iter_mut().find(|m| m.key == key) {
                Some(merged) => {
                    merged.count += 1;
                    if !merged.sources.contains(&item.source) {
                        merged.sources.push(item.source.clone());
                    }
                    merged.places.push(place);
                }
                None => group.items.push(Merged {
                    text: item.text.clone(),
                    key,
                    count: 1,
                    sources: vec![item.source.clone()],
                    places: vec![place],
                }),
            }
        }
    }
    for g in &mut groups {
        g.sessions = g
            .sources
            .iter()
            .map(|s| s.session.as_str())
            .collect::<BTreeSet<_>>()
            .len();
        g.tables = g.sources.len();
        g.sources.sort();
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
        // Stable: equal counts keep the order they were first written in.
        g.items.sort_by_key(|m| std::cmp::Reverse(m.count));
    }
    let rank = |g: &ThemeGroup| THEMES.iter().position(|t| t.id == g.id);
    groups.sort_by(|a, b| {
        (a.id == OTHER)
            .cmp(&(b.id == OTHER))
            .then(b.sessions.cmp(&a.sessions))
            .then(b.count.cmp(&a.count))
            .then(rank(a).cmp(&rank(b)))
    });
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_split_at_lines_bullets_and_sentences() {
        let text = "・情報共有が難しい。夜間の連絡先がわからない\n\n1. 退院前カンファレンスが開けない\n（２）家族の負担が大きい。\n③ 役割分担\n-\nー 服薬の確認";
        assert_eq!(
            split_items(text),
            [
                "情報共有が難しい",
                "夜間の連絡先がわからない",
                "退院前カンファレンスが開けない",
                "家族の負担が大きい",
                "役割分担",
                "服薬の確認",
            ]
        );
        // Numbers that are part of the text stay.
        assert_eq!(split_items("24時間対応が必要"), ["24時間対応が必要"]);
        assert_eq!(split_items("1人で抱えない"), ["1人で抱えない"]);
        assert_eq!(
            split_items("Who calls whom? Unclear. Use form 2.1 first."),
            ["Who calls whom?", "Unclear", "Use form 2.1 first"]
        );
        assert!(split_items("。。\n・\n  ").is_empty());
    }

    #[test]
    fn width_case_and_punctuation_do_not_split_an_item() {
        assert_eq!(normalize("ＡＣＰを、知る！"), normalize("acpを知る"));
        assert_eq!(normalize("ｹｱﾏﾈと連絡"), normalize("ケアマネと 連絡"));
        assert_eq!(normalize("１１９番"), "119番");
        assert_ne!(normalize("家族と話す"), normalize("家族が話す"));
    }

    #[test]
    fn items_fall_under_every_matching_theme_or_other() {
        assert_eq!(
            themes_of("退院時の情報共有が遅れる"),
            ["info-sharing", "discharge"]
        );
        assert_eq!(themes_of("夜間の急変時の対応"), ["emergency"]);
        assert_eq!(themes_of("ＡＣＰの話を切り出しにくい"), ["will-acp"]);
        assert_eq!(themes_of("嚥下の評価"), ["eating"]);
        assert_eq!(themes_of("薬剤師が少ない地区"), Vec::<&str>::new());
        assert!(themes_of("天気がよかった").is_empty());
        assert_eq!(
            themes_of("Sharing the plan at discharge"),
            ["info-sharing", "discharge"]
        );
    }

    fn written(text: &str, session: &str, table: i64) -> Written {
        Written {
            text: text.into(),
            source: Source {
                held_on: format!("2026-01-0{}", if session == "a" { 3 } else { 1 }),
                session: session.into(),
                table,
            },
            key: item_key(session, "curriculum:c:q", table, text),
            session_title: format!("研修会{session}"),
            heading: "苦労した点".into(),
        }
    }

    #[test]
    fn identical_items_merge_and_themes_count_sessions_and_tables() {
        let items = [
            written("情報共有が難しい", "a", 1),
            written("・情報共有が難しい。", "b", 2),
            written("情報共有が　難しい", "b", 3),
            written("夜間の連絡先がわからない", "c", 1),
            written("天気", "a", 1),
            written("急変時の動き方", "a", 2),
        ];
        let items: Vec<Written> = items
            .into_iter()
            .flat_map(|w| {
                split_items(&w.text).into_iter().map(move |text| Written {
                    key: item_key(&w.source.session, "curriculum:c:q", w.source.table, &text),
                    text,
                    ..w.clone()
                })
            })
            .collect();
        let groups = group(&items, &Moves::new(), Lang::Ja);
        let ids: Vec<_> = groups.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["info-sharing", "emergency", "other"]);
        let info = &groups[0];
        assert_eq!(info.label, "情報共有・連絡");
        assert_eq!((info.count, info.sessions, info.tables), (4, 3, 4));
        // By date: b and c (January 1st, by id), then a (January 3rd).
        let where_: Vec<_> = info
            .by_session
            .iter()
            .map(|s| (s.session.as_str(), s.tables.clone()))
            .collect();
        assert_eq!(where_, [("b", vec![2, 3]), ("c", vec![1]), ("a", vec![1])]);
        assert_eq!(info.items[0].text, "情報共有が難しい");
        assert_eq!(info.items[0].count, 3);
        assert_eq!(info.items[0].sources.len(), 3);
        assert_eq!(info.items[1].text, "夜間の連絡先がわからない");
        // 夜間 is also an emergency word.
        let emergency = &groups[1];
        assert_eq!((emergency.count, emergency.sessions), (2, 2));
        assert_eq!(groups[2].items[0].text, "天気");
        assert_eq!(groups[2].label, "その他");
        assert_eq!(group(&items, &Moves::new(), Lang::En)[2].label, "Other");
        // Every place is listed with its session and heading.
        let places = &info.items[0].places;
        assert_eq!(places.len(), 3);
        assert_eq!(places[1].session_title, "研修会b");
        assert_eq!(
            (places[1].table, places[1].heading.as_str()),
            (2, "苦労した点")
        );

        // A move puts the item under the chosen theme alone; an unknown theme is ignored.
        let mut moves = Moves::new();
        moves.insert(
            item_key("c", "curriculum:c:q", 1, "夜間の連絡先がわからない"),
            "roles".into(),
        );
        moves.insert(
            item_key("a", "curriculum:c:q", 1, "天気"),
            "no-such-theme".into(),
        );
        let groups = group(&items, &moves, Lang::Ja);
        let roles = groups.iter().find(|g| g.id == "roles").expect("moved");
        assert_eq!(roles.items[0].text, "夜間の連絡先がわからない");
        assert!(roles.items[0].places[0].moved);
        assert!(!groups.iter().any(|g| g.id == "emergency" && g.count == 2));
        assert!(
            groups
                .iter()
                .any(|g| g.id == "other" && g.items[0].text == "天気")
        );
    }

    #[test]
    fn every_keyword_is_written_normalized() {
        for theme in THEMES {
            for k in theme.keywords {
                assert_eq!(normalize(k), *k, "{}: {k}", theme.id);
            }
        }
        let mut ids: Vec<_> = THEMES.iter().map(|t| t.id).collect();
        ids.push(OTHER);
        let before = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(before, ids.len());
    }
}
