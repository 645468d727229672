//! Free text into items, and items into themes: how the working group's report finds
//! what worked, the issues and the measures that recur across tables and sessions.
//!
//! A list is read as an analyst reads a printed group report ([`read_items`]): bullets
//! and list numbers start items; a sub-heading line (wholly in brackets, or ending in a
//! colon) is structure, kept as the context of the items below it; a line starting with
//! 「→」 is a remedy for the issue above it; 「・」 between two clauses splits them. Each
//! item is normalised ([`normalize`]) so that 「情報共有が難しい。」 and 「・情報共有が
//! 難しい」 are one item, and filed under the one theme whose words fit it best
//! ([`Theme`], [`best_theme`]); items no theme fits are "other".

use std::collections::{BTreeMap, BTreeSet};

use crate::content::ListRole;
use crate::lang::Lang;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

pub use crate::content::Theme;

/// How well an item (normalised) fits a theme: the characters of the item its words
/// cover, two points each, and one point for a character only a name of its people or
/// bodies ([`Theme::who`]) covers. Covered, not summed: 「医師会」 does not count again
/// as 「医師」. So a longer, more specific word outweighs a short one, and what an item
/// is about (研修会を開催) outweighs who it names in passing (医師会と共催で).
fn score(theme: &Theme, key: &str) -> usize {
    let chars: Vec<char> = key.chars().collect();
    let mut points = vec![0u8; chars.len()];
    let mut cover = |entries: &[String], weight: u8| {
        for entry in entries {
            let parts: Vec<Vec<char>> = entry.split('+').map(|p| p.chars().collect()).collect();
            let found: Vec<Vec<usize>> = parts.iter().map(|p| positions(&chars, p)).collect();
            if parts.iter().any(Vec::is_empty) || found.iter().any(Vec::is_empty) {
                continue;
            }
            for (part, starts) in parts.iter().zip(&found) {
                for start in starts {
                    for point in &mut points[*start..start + part.len()] {
                        *point = (*point).max(weight);
                    }
                }
            }
        }
    };
    cover(&theme.words, 2);
    cover(&theme.who, 1);
    points.iter().map(|p| usize::from(*p)).sum()
}

/// Where `needle` starts in `hay`, every time.
fn positions(hay: &[char], needle: &[char]) -> Vec<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return Vec::new();
    }
    (0..=hay.len() - needle.len())
        .filter(|i| hay[*i..i + needle.len()] == *needle)
        .collect()
}

/// The id of the group of items that match no theme.
pub const OTHER: &str = "other";

/// The built-in themes of regional home-care and ACP collaboration reports: (id,
/// Japanese label, English label, words, names of its people and bodies). Order breaks ties: the more specific
/// themes come first. Words are written normalised (see [`normalize`]).
/// A built-in theme as written here: (id, Japanese label, English label, words, names
/// of its people and bodies).
type BuiltIn = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

#[rustfmt::skip]
const DEFAULTS: &[BuiltIn] = &[
    ("discharge", "入退院支援", "Admission and discharge support", &[
        "入退院", "退院", "入院", "転院", "病棟", "在宅復帰", "病院との", "病院側", "病院から",
        "病院と在宅", "地域連携室", "discharge", "admission", "hospital", "急性期",
    ], &[]),
    ("end-of-life", "看取り・急変時対応", "End of life and sudden changes", &[
        "看取", "みとり", "最期", "終末期", "臨終", "亡くな", "死亡", "緩和", "急変", "緊急",
        "救急", "119", "夜間", "休日", "搬送", "蘇生", "dnar", "24時間", "キット", "endoflife", "dying",
        "death", "palliative", "emergenc", "ambulance", "night",
    ], &[]),
    ("will-acp", "本人の意思・ACPの実践", "The person's wishes, practising ACP", &[
        "acp", "人生会議", "アドバンスケアプランニング", "意思決定", "意思", "意向",
        "本人の思い", "本人の想い", "本人の希望", "本人の気持ち", "本人らしさ", "価値観",
        "大切にしている", "事前指示", "リビングウィル", "エンディングノート", "もしバナ",
        "望む", "wish", "prefer", "advancecare", "decision", "values",
    ], &[]),
    ("dementia", "認知症", "Dementia", &[
        "認知症", "認知機能", "物忘れ", "もの忘れ", "bpsd", "dementia",
    ], &[]),
    ("medication", "服薬", "Medication", &[
        "服薬", "処方", "残薬", "内服", "お薬", "薬の", "薬を", "薬が", "飲み忘れ", "麻薬",
        "medication", "medicine", "prescri",
    ], &[]),
    ("eating", "食支援・嚥下", "Eating and swallowing", &[
        "食支援", "食事", "嚥下", "飲み込", "誤嚥", "経口", "胃ろう", "胃瘻", "栄養", "口腔",
        "義歯", "歯科", "口の健康", "swallow", "eating", "nutrition", "feeding", "dental", "oral",
    ], &[]),
    ("living-alone", "独居・身寄りのない人", "Living alone, no kin", &[
        "独居", "一人暮らし", "ひとり暮らし", "身寄り", "身元保証", "後見", "livingalone",
        "nokin", "guardian",
    ], &[]),
    ("doctors", "医師の関与・医師会", "Physicians and the medical association", &[
        "訪問診療", "往診", "medicalassociation",
    ], &[
        "医師会", "医師", "かかりつけ医", "主治医", "開業医", "在宅医", "ドクター", "診療所",
        "クリニック", "病院長", "医療機関", "physician", "doctor", "gp", "clinic",
    ]),
    ("municipality", "市町村・保健所の役割", "The municipality and public health centre", &[
        "施策", "事業計画", "広域", "圏域", "庁内", "事務局", "要望",
    ], &[
        "市町村", "行政", "市役所", "役所", "役場", "保健所", "保健センター", "保健師",
        "自治体", "都道府県", "県の", "県が", "県と", "県内", "県単位", "県全体", "県庁",
        "市の", "市が", "市と", "町の", "町が", "村の", "担当課", "介護保険課", "高齢福祉課",
        "municipal", "cityhall", "publichealth", "government", "prefectur",
    ]),
    ("coordinator", "コーディネーター・相談窓口", "Coordinators and contact points", &[
        "コーディネーター", "コーディネータ", "相談窓口", "窓口", "相談支援",
        "連携支援センター", "支援センター", "地域包括", "包括支援", "相談員", "拠点", "調整役",
        "つなぎ役", "つなぐ役", "橋渡し", "中核", "ハブ", "相談先", "相談できる場", "coordinat",
        "contactpoint", "helpdesk", "hub",
    ], &[]),
    ("public", "住民の意識・普及啓発", "Residents' awareness and outreach", &[
        "普及啓発", "啓発", "普及", "周知", "広報", "出前講座", "講演会", "公開講座",
        "リーフレット", "パンフレット", "チラシ", "ポスター", "知られていない", "認知度",
        "知ってもらう", "動画", "字幕", "連載", "授業", "学校", "public", "awareness", "outreach",
        "leaflet", "video", "school",
    ], &[
        "住民", "市民", "町民", "村民", "自治会", "老人会", "地域の人", "一般の方", "citizen",
        "resident",
    ]),
    ("info-sharing", "情報共有・ICT", "Sharing information, ICT", &[
        "情報共有", "情報の共有", "共有シート", "連絡票", "連絡帳", "連絡ノート", "連携シート",
        "連携ノート", "連携ツール", "連携パス", "ict", "mcs", "ネットワーク", "電子", "ツール",
        "アプリ", "タブレット", "オンライン", "メール", "電話", "fax", "ファックス", "ファクス",
        "申し送り", "情報提供", "連絡先", "連絡", "伝達", "記録", "様式", "書式", "シート", "報告書",
        "共有", "情報", "share", "sharing", "information", "communicat", "online",
    ], &[]),
    ("training", "多職種研修・顔の見える関係", "Joint training, knowing each other", &[
        "研修", "勉強会", "事例検討", "顔の見える", "顔が見える", "顔見知り", "交流会", "交流",
        "意見交換", "グループワーク", "懇親会", "知り合", "関係づくり", "関係作り", "関係性",
        "相談しやすい", "気軽に", "職種の理解", "役割の理解", "お互い", "講習", "学ぶ", "学び",
        "学習", "顔合わせ", "雰囲気", "責めず", "相談できること", "training", "workshop",
        "faceto", "knoweachother", "study", "learn",
    ], &[]),
    ("staffing", "人材・人手不足", "Staffing and shortages", &[
        "人材", "人手", "人員", "マンパワー", "担い手", "なり手", "人手不足", "人材不足",
        "職員不足", "医師不足", "看護師不足", "後継者", "離職", "多忙", "忙し", "業務負担",
        "時間がない", "時間が取れ", "時間がとれ", "余裕がない", "一人で抱え", "潜在看護師",
        "再就業", "復職", "ハローワーク", "看護学生", "職場体験", "仕事を知ってもらう",
        "仕事の魅力", "応援し合", "専門職も高齢", "staff", "recruit",
        "shortage", "workforce", "busy", "workload",
    ], &[]),
    ("budget", "予算・継続性", "Budget and continuity", &[
        "予算", "財源", "費用", "補助金", "助成", "委託", "報酬", "加算", "事業費", "お金",
        "有料", "無償", "継続", "持続", "単年度", "異動", "引き継", "後任", "次年度", "来年度",
        "定例化", "恒常", "仕組み化", "続けていく", "持ち回り", "議会", "財政", "事業として",
        "budget", "fund", "cost", "continu",
        "sustain",
    ], &[]),
    ("system", "連携のしくみ・ルールづくり", "Ways of working together, shared rules", &[
        "ルール", "手順", "マニュアル", "フロー", "体制", "仕組み", "しくみ", "取り決め",
        "統一", "共通", "ガイドライン", "手引き", "ガイド", "改訂", "協定", "連携+方法",
        "連携+課題", "連携+難し", "連携+途切れ", "連携+個人的", "属人", "担当者が変わ", "rule",
        "protocol", "procedure", "guideline",
    ], &[]),
    ("conference", "話し合い・会議", "Meetings and conferences", &[
        "カンファレンス", "カンファ", "会議", "担当者会議", "協議会", "部会", "定例会",
        "連絡会", "検討会", "話し合い", "話し合う", "集まる場", "conference", "meeting",
    ], &[]),
    ("roles", "役割分担", "Sharing out roles", &[
        "役割", "分担", "担当を決", "担当者を決", "誰が", "責任", "role", "responsib",
    ], &[]),
    ("family", "家族支援", "Supporting the family", &[
        "家族", "介護者", "介護負担", "キーパーソン", "長男", "長女", "次男", "次女", "息子",
        "配偶者", "family", "caregiver", "carer",
    ], &[]),
    ("distance", "移動距離・地理的条件", "Distance and geography", &[
        "中山間", "山間", "離島", "過疎", "へき地", "僻地", "車で", "移動", "距離", "雪",
        "遠い", "rural", "distance", "travel", "remote",
    ], &[]),
    ("evaluation", "評価・調査・改善", "Evaluation, surveys and improvement", &[
        "調査", "回収率", "アンケート", "評価", "改善", "成果", "指標", "効果測定", "振り返",
        "数字で", "evaluat", "survey", "indicator", "outcome",
    ], &[]),
    ("reach", "支援の届きにくい人（小児・若者・非がん）", "People services reach less (children, young carers, non-cancer)", &[
        "医療的ケア児", "小児", "こども", "子ども", "ヤングケアラー", "障害", "がん以外",
        "非がん", "心不全", "呼吸器疾患", "難病", "精神疾患", "children", "youngcarer",
        "noncancer", "disabilit",
    ], &[]),
    ("resources", "地域資源・サービス", "Community resources and services", &[
        "地域資源", "社会資源", "資源", "介護保険", "制度", "サービス", "見守り",
        "ボランティア", "サロン", "通いの場", "民生委員", "施設", "事業所", "マップ", "薬局",
        "歯科医院", "サテライト", "リスト",
        "resource", "service", "volunteer",
    ], &[]),
];

/// The built-in themes, in the order that breaks ties (see [`DEFAULTS`]).
pub fn default_themes() -> Vec<Theme> {
    DEFAULTS
        .iter()
        .map(|(id, ja, en, words, who)| Theme {
            id: id.to_string(),
            ja: ja.to_string(),
            en: en.to_string(),
            words: words.iter().map(|w| w.to_string()).collect(),
            who: who.iter().map(|w| w.to_string()).collect(),
        })
        .collect()
}

/// The themes a curriculum's reports use: its own themes first, then the built-ins it
/// does not redefine (a theme of its own with a built-in's id takes that one's place,
/// so sessions of different curricula still count under the same ids).
pub fn themes_with(own: &[Theme]) -> Vec<Theme> {
    let mut out: Vec<Theme> = own.to_vec();
    out.extend(
        default_themes()
            .into_iter()
            .filter(|d| !own.iter().any(|o| o.id == d.id)),
    );
    out
}

/// The theme an item's words fit best (the highest [`score`]; the earlier theme
/// on a tie), or none.
pub fn best_theme<'t>(themes: &'t [Theme], item: &str) -> Option<&'t Theme> {
    let key = normalize(item);
    let mut best: Option<(&Theme, usize)> = None;
    for t in themes {
        let score = score(t, &key);
        if score > 0 && best.is_none_or(|(_, b)| score > b) {
            best = Some((t, score));
        }
    }
    best.map(|(t, _)| t)
}

/// One item of a list, as an analyst reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The item text (bullet, number and full stop removed).
    pub text: String,
    /// The sub-heading it stands under, if any (without its brackets or colon).
    pub context: Option<String>,
    /// A 「→」 line: a remedy (a measure), never an issue.
    pub remedy: bool,
    /// For a remedy, the item it answers (the last item above that is not a remedy).
    pub answers: Option<String>,
}

/// Characters that start a list item and are not part of it.
const BULLETS: &[char] = &[
    '・', '･', '•', '●', '○', '◯', '◎', '■', '□', '◆', '◇', '▪', '▫', '★', '☆', '※', '＊', '*',
    '-', '－', '‐', '―', 'ー', '>', '＞', '+', '＋', '✓', '✔', '〇', '▶', '▷', '►',
];

/// Bullets that start a new item even in the middle of a line (「●研修会の開催 ●マップ
/// の作成」); 「・」 is not one (see [`split_clauses`]), nor a dash.
const INLINE_BULLETS: &[char] = &['●', '■', '◆', '□', '◇', '▪', '★', '☆', '▶', '►'];

/// What starts a remedy line: 「→」 and its look-alikes.
const ARROWS: &[&str] = &["→", "⇒", "⇨", "➡", "->", "=>", "＝＞", "－＞"];

/// Bracket pairs that, around a whole line, make it a sub-heading. 「」 is not one: a
/// quoted line is something a group said.
const BRACKETS: &[(char, char)] = &[
    ('（', '）'),
    ('(', ')'),
    ('【', '】'),
    ('〈', '〉'),
    ('《', '》'),
    ('＜', '＞'),
    ('<', '>'),
    ('［', '］'),
    ('[', ']'),
    ('〔', '〕'),
    ('≪', '≫'),
];

/// Longest label before a colon read as the line's sub-heading (「課題：…」).
const LABEL_MAX: usize = 12;

/// The shortest side of a 「・」 that splits an item, in letters: 「医療・介護」 has
/// two-letter sides and stays one item.
const CLAUSE_MIN: usize = 6;

/// Splits a free-text list into the texts of its items (see [`read_items`]).
pub fn split_items(text: &str) -> Vec<String> {
    read_items(text).into_iter().map(|i| i.text).collect()
}

/// Reads a list as an analyst splits it into items:
///
/// - one item per line, bullet or list number (・ ● ○ ■ - * ① 1. （2）…), and per
///   sentence (。！？; an English full stop after a word); ● ■ ◆ and circled numbers
///   start an item in the middle of a line too, and so does 「・」 after a space;
/// - a line wholly in brackets (（…） 【…】 〈…〉 《…》 ＜…＞ […]) or ending in a colon
///   is a sub-heading: not an item, but the context of the items below it, until the
///   next sub-heading; a short label before a colon (「課題：夜間の連絡」) is the context
///   of that line alone;
/// - a line starting with 「→」 (⇒, ->) is a remedy for the item above it;
/// - 「・」 splits an item only between two clauses: both sides at least
///   [`CLAUSE_MIN`] letters and each with some hiragana (a particle or an ending,
///   「研修会を開催する・マップを作成する」). A list of nouns stays one item, however
///   long: 「医療・介護の連携」, 「訪問看護ステーション・地域包括支援センターとの連携」.
pub fn read_items(text: &str) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    let mut context: Option<String> = None;
    let mut issue: Option<String> = None;
    for line in text.lines() {
        let mut line = line.trim();
        let mut remedy = false;
        // A bullet before the arrow (「・→…」) is still a remedy.
        let unbulleted = strip_marker(line);
        for arrow in ARROWS {
            if let Some(rest) = unbulleted.strip_prefix(arrow) {
                remedy = true;
                line = rest.trim_start();
                break;
            }
        }
        if !remedy && let Some(heading) = sub_heading(strip_marker(line)) {
            context = Some(heading);
            continue;
        }
        let (label, body) = labelled(strip_marker(line));
        let line_context = label.or_else(|| context.clone());
        for piece in pieces(body) {
            let text = tidy(&piece);
            if !text.chars().any(char::is_alphanumeric) {
                continue;
            }
            if !remedy {
                issue = Some(text.clone());
            }
            out.push(Item {
                text,
                context: line_context.clone(),
                remedy,
                answers: if remedy { issue.clone() } else { None },
            });
        }
    }
    out
}

/// The sub-heading a line is, without its brackets or colon; none for a line that is
/// an item.
fn sub_heading(line: &str) -> Option<String> {
    let line = line.trim();
    let inner = BRACKETS.iter().find_map(|(open, close)| {
        let inner = line.strip_prefix(*open)?.strip_suffix(*close)?;
        // 「（1）…（2）」 is not one bracket around the line.
        (!inner.contains(*open) && !inner.contains(*close)).then_some(inner)
    });
    let heading = match inner {
        Some(inner) => inner,
        None => line.strip_suffix(['：', ':'])?,
    };
    let heading = heading.trim().trim_end_matches(['：', ':']).trim();
    heading
        .chars()
        .any(char::is_alphanumeric)
        .then(|| heading.to_string())
}

/// A line's own short label before a colon or a closing bracket (「課題：夜間の連絡」,
/// 「【課題】夜間の連絡」), and the rest.
fn labelled(line: &str) -> (Option<String>, &str) {
    for (open, close) in BRACKETS {
        if let Some(rest) = line.strip_prefix(*open)
            && let Some((label, body)) = rest.split_once(*close)
            && !body.trim().is_empty()
            && label.chars().count() <= LABEL_MAX * 2
            // 「(1)」 is a list number, already removed or kept as text.
            && label.chars().any(|c| !c.is_ascii_digit() && c.is_alphanumeric())
        {
            return (Some(label.trim().to_string()), body.trim_start());
        }
    }
    if let Some((label, body)) = line.split_once(['：', ':'])
        && !body.trim().is_empty()
        && (1..=LABEL_MAX).contains(&label.chars().count())
        && !label.chars().next().is_some_and(|c| c.is_ascii_digit())
    {
        return (Some(label.trim().to_string()), body.trim_start());
    }
    (None, line)
}

/// A line's items: its sentences, split at bullets within the line, then between
/// clauses joined by 「・」.
fn pieces(line: &str) -> Vec<String> {
    let mut sentences = Vec::new();
    let mut sentence = String::new();
    let mut chars = line.chars().peekable();
    let mut previous = ' ';
    while let Some(c) = chars.next() {
        let inline_bullet = (INLINE_BULLETS.contains(&c) || ('\u{2460}'..='\u{2473}').contains(&c))
            || (c == '・' && previous.is_whitespace());
        if inline_bullet && !sentence.trim().is_empty() {
            sentences.push(std::mem::take(&mut sentence));
        }
        sentence.push(c);
        let full_stop =
            c == '.' && previous.is_alphabetic() && chars.peek().is_none_or(|n| n.is_whitespace());
        if full_stop || matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | ';') {
            sentences.push(std::mem::take(&mut sentence));
        }
        previous = c;
    }
    sentences.push(sentence);
    sentences
        .iter()
        .map(|s| strip_marker(s.trim()).to_string())
        .flat_map(|s| split_clauses(&s))
        .collect()
}

/// Whether a side of a 「・」 reads as a clause: long enough, and with hiragana (a
/// particle or an ending) rather than a run of nouns.
fn is_clause(side: &str) -> bool {
    side.chars().filter(|c| c.is_alphanumeric()).count() >= CLAUSE_MIN
        && side.chars().any(|c| ('\u{3041}'..='\u{3096}').contains(&c))
}

/// Action nouns that end a clause written without its verb (「研修会の開催・…」).
const ACTION_NOUNS: &[&str] = &[
    "開催",
    "実施",
    "作成",
    "設置",
    "配置",
    "導入",
    "開始",
    "強化",
    "推進",
    "充実",
    "整備",
    "確保",
    "活用",
    "周知",
    "共有",
    "統一",
    "検討",
    "参加",
    "派遣",
    "把握",
    "見直し",
];

/// Whether the side before a 「・」 ends a clause: with hiragana (an ending or a particle:
/// 「…を設置した・…」) or an action noun (「研修会の開催・…」), and not inside brackets
/// it opened. 「…統一し、病院・ケアマネジャーとも…」 and 「高校生に医療・介護の仕事を…」
/// end in a plain noun that the 「・」 lists with the next one, and stay one item.
fn ends_clause(side: &str) -> bool {
    let opened = side
        .chars()
        .filter(|c| matches!(c, '（' | '(' | '「' | '【'))
        .count();
    let closed = side
        .chars()
        .filter(|c| matches!(c, '）' | ')' | '」' | '】'))
        .count();
    if opened > closed {
        return false;
    }
    let last = side.trim_end().chars().last();
    last.is_some_and(|c| ('\u{3041}'..='\u{3096}').contains(&c))
        || ACTION_NOUNS.iter().any(|n| side.trim_end().ends_with(n))
}

/// Splits an item at each 「・」 that joins two clauses (see [`read_items`]). The side
/// after a 「・」 takes in the short parts that follow it, so that in
/// 「研修会の開催・医療・介護の連携」 the second item is 「医療・介護の連携」.
fn split_clauses(item: &str) -> Vec<String> {
    let parts: Vec<&str> = item.split(['・', '･']).collect();
    if parts.len() < 2 {
        return vec![item.to_string()];
    }
    let mut out: Vec<String> = Vec::new();
    let mut current = parts[0].to_string();
    for i in 1..parts.len() {
        // The next clause: this part and the short parts after it.
        let mut next = parts[i].to_string();
        for later in &parts[i + 1..] {
            if is_clause(&next) {
                break;
            }
            next.push('・');
            next.push_str(later);
        }
        if is_clause(&current) && ends_clause(&current) && is_clause(&next) {
            out.push(std::mem::take(&mut current));
            current = parts[i].to_string();
        } else {
            current.push('・');
            current.push_str(parts[i]);
        }
    }
    out.push(current);
    out
}

/// An item's text without the bullet, number or full stop around it.
fn tidy(raw: &str) -> String {
    strip_marker(raw.trim())
        .trim_end_matches(['。', '．', '.', '；', ';', '、', ',', '，'])
        .trim()
        .to_string()
}

/// Removes a leading bullet or list number, and the space after it.
fn strip_marker(item: &str) -> &str {
    let mut rest = item.trim_start();
    // No word starts with a dash or a prolonged-sound mark (ー is what a Japanese
    // keyboard gives for "-"): at the start of an item it is a bullet. An arrow is
    // not a bullet: it makes a remedy.
    if let Some(c) = rest.chars().next()
        && BULLETS.contains(&c)
        && rest.chars().nth(1).is_some()
        && !(c == '-' && rest[1..].starts_with('>'))
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

/// The theme an analyst files an item under: by its own words, else by the words of
/// its sub-heading, else (a remedy) by the words of the issue it answers; [`OTHER`]
/// when none fits.
pub fn file(themes: &[Theme], item: &Item) -> String {
    [
        Some(&item.text),
        item.context.as_ref(),
        item.answers.as_ref(),
    ]
    .into_iter()
    .flatten()
    .find_map(|text| best_theme(themes, text))
    .map_or_else(|| OTHER.to_string(), |t| t.id.clone())
}

/// Where an item of a list counts in the report: a remedy (「→」) under an issue is a
/// measure, never an issue (under what worked it is what came of it, and stays there);
/// the items of a list whose heading says nothing an analyst can read
/// ([`ListRole::Other`], 「グループで出た意見」) are read one by one from their own
/// words ([`item_role`]).
pub fn role_in(list: ListRole, item: &Item) -> ListRole {
    match list {
        ListRole::Hard if item.remedy => ListRole::Measures,
        ListRole::Other if item.remedy => ListRole::Measures,
        ListRole::Other => item_role(&item.text),
        role => role,
    }
}

/// What an item under a heading of no known role is, from its words: a difficulty
/// (難しい, 不足, …ない) is an issue; an intention (したい, 必要, 作る, 進める) a measure;
/// something achieved (できた, よかった, a past tense) what worked. An item that says none of these is
/// counted under the issues, where an analyst puts a group's "opinions": most of what a
/// group notes without a heading is what it found hard.
pub fn item_role(text: &str) -> ListRole {
    let t = normalize(text);
    let says = |(words, ends): (&[&str], &[&str])| {
        words.iter().any(|w| t.contains(w)) || ends.iter().any(|w| t.ends_with(w))
    };
    if says(PROBLEM) {
        ListRole::Hard
    } else if says(INTENT) {
        ListRole::Measures
    } else if says(DONE) {
        ListRole::Worked
    } else {
        ListRole::Hard
    }
}

/// Words (anywhere, then at the end) of an item that says something is hard.
#[rustfmt::skip]
const PROBLEM: (&[&str], &[&str]) = (
    &[
        "難し", "困難", "課題", "不足", "足りない", "わからない", "分からない", "少ない", "遅れ",
        "負担", "不安", "困る", "困って", "困った", "問題", "不明", "できない", "できなかった",
        "進まない", "hard", "difficult", "lack", "unclear",
    ],
    &["ない", "なかった", "にくい", "づらい"],
);

/// Words of an item that says what to do.
#[rustfmt::skip]
const INTENT: (&[&str], &[&str]) = (
    &[
        "したい", "していく", "ていきたい", "必要", "検討", "べき", "目指", "図る", "進める",
        "取り組む", "作る", "つくる", "作成する", "開催する", "活用する", "増やす", "should",
        "willbe", "needto", "plan",
    ],
    &["する", "化", "を", "たい", "ていく", "こと"],
);

/// Words of an item that says what was achieved (a past tense at the end).
#[rustfmt::skip]
const DONE: (&[&str], &[&str]) = (
    &[
        "できた", "よかった", "良かった", "効果", "役立", "深まった", "進んだ", "増えた",
        "つながった", "worked", "helped",
    ],
    &["た"],
);

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
    /// The key of the prompt it answers.
    pub prompt: String,
    /// The session's title, shown beside the item so a reader can find it.
    pub session_title: String,
    /// The heading of the list it was written under, as shown.
    pub heading: String,
    /// The sub-heading it stood under.
    pub context: Option<String>,
    /// For a remedy (「→」), the issue it answers.
    pub answers: Option<String>,
    /// The theme its words put it under ([`file`]), a theme id or [`OTHER`].
    pub theme: String,
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
    /// The key of the prompt it answers.
    pub prompt: String,
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
    /// The sub-heading it stood under.
    pub context: Option<String>,
    /// For a remedy (「→」), the issue it answers.
    pub answers: Option<String>,
    /// Whether an organizer moved it under this theme.
    pub moved: bool,
    /// For a moved item, the theme its words put it under (an id, or [`OTHER`]).
    pub from: Option<String>,
    /// That theme's label.
    pub from_label: Option<String>,
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
    /// How many of the items an organizer moved here.
    pub moved: usize,
}

/// Groups items into themes, labelled in `lang`. Themes are ordered by the number of
/// sessions, then items; themes with no items are left out; "other" always comes last.
/// Each item stands under one theme: the one its words put it under
/// ([`Written::theme`]), or the one the organizer moved it to; `themes` give the labels
/// and break ties in the order (a move to a theme not among them is ignored).
pub fn group(items: &[Written], themes: &[Theme], moves: &Moves, lang: Lang) -> Vec<ThemeGroup> {
    let theme = |id: &str| themes.iter().find(|t| t.id == id);
    let label = |id: &str| {
        theme(id).map_or_else(
            || crate::i18n::format(lang, "report.theme_other", &[]),
            |t| t.label(lang).to_string(),
        )
    };
    let mut groups: Vec<ThemeGroup> = Vec::new();
    for item in items {
        let moved = moves
            .get(&item.key)
            .filter(|id| **id != item.theme && (id.as_str() == OTHER || theme(id).is_some()));
        let id = moved.unwrap_or(&item.theme).as_str();
        {
            let group = match groups.iter().position(|g| g.id == id) {
                Some(i) => &mut groups[i],
                None => {
                    groups.push(ThemeGroup {
                        id: id.to_string(),
                        label: label(id),
                        count: 0,
                        sessions: 0,
                        tables: 0,
                        sources: Vec::new(),
                        by_session: Vec::new(),
                        items: Vec::new(),
                        moved: 0,
                    });
                    groups.last_mut().expect("just pushed")
                }
            };
            group.count += 1;
            group.moved += usize::from(moved.is_some());
            if !group.sources.contains(&item.source) {
                group.sources.push(item.source.clone());
            }
            let key = normalize(&item.text);
            let place = Place {
                key: item.key.clone(),
                prompt: item.prompt.clone(),
                session: item.source.session.clone(),
                session_title: item.session_title.clone(),
                held_on: item.source.held_on.clone(),
                table: item.source.table,
                heading: item.heading.clone(),
                text: item.text.clone(),
                context: item.context.clone(),
                answers: item.answers.clone(),
                moved: moved.is_some(),
                from: moved.map(|_| item.theme.clone()),
                from_label: moved.map(|_| label(&item.theme)),
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
    let rank = |g: &ThemeGroup| themes.iter().position(|t| t.id == g.id);
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

    fn item(text: &str, context: Option<&str>, remedy: bool, answers: Option<&str>) -> Item {
        Item {
            text: text.into(),
            context: context.map(str::to_string),
            remedy,
            answers: answers.map(str::to_string),
        }
    }

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
        // Bullets inside a line start items too; 「・」 after a space is a bullet.
        assert_eq!(
            split_items(
                "●研修会の開催 ●連絡票の作成\n①医師会と協議②市と相談\n・ICT導入 ・予算確保"
            ),
            [
                "研修会の開催",
                "連絡票の作成",
                "医師会と協議",
                "市と相談",
                "ICT導入",
                "予算確保"
            ]
        );
    }

    #[test]
    fn sub_headings_are_context_not_items() {
        let text = "（医師会との連携）\n・月1回の勉強会\n・往診の依頼が難しい\n【住民への周知】\n出前講座を開く\n〈課題〉\n《その他》\n予算について：\n来年度の確保\n課題：夜間の連絡体制\n＜行政＞\n(1) 保健所の関わり";
        let items = read_items(text);
        assert_eq!(
            items,
            [
                item("月1回の勉強会", Some("医師会との連携"), false, None),
                item("往診の依頼が難しい", Some("医師会との連携"), false, None),
                item("出前講座を開く", Some("住民への周知"), false, None),
                item("来年度の確保", Some("予算について"), false, None),
                item("夜間の連絡体制", Some("課題"), false, None),
                item("保健所の関わり", Some("行政"), false, None),
            ]
        );
        // Text with brackets inside is an item: only a whole line in brackets is a
        // sub-heading.
        assert_eq!(
            split_items("家族の負担（特に夜間）が大きい\n（1）往診医（在宅医）が少ない"),
            ["家族の負担（特に夜間）が大きい", "往診医（在宅医）が少ない"]
        );
    }

    /// A 「・」 after a plain noun lists it with the next noun, however long both sides
    /// are; after an ending or an action noun it joins two clauses.
    #[test]
    fn a_dot_after_a_plain_noun_or_inside_brackets_keeps_the_item_whole() {
        for whole in [
            "入退院時の情報共有シートを圏域で統一し、病院・ケアマネジャーとも使い始めた",
            "講座の講師を、医師・看護師・ケアマネジャーの三人一組にした",
            "地元の高校生に医療・介護の仕事を知ってもらう職場体験を行う",
            "がん以外の病気（心不全・慢性呼吸器疾患など）の人の在宅療養が支えにくい",
        ] {
            assert_eq!(split_items(whole), [whole], "{whole}");
        }
        assert_eq!(
            split_items("相談窓口を一本化した・多職種研修を年3回続けた"),
            ["相談窓口を一本化した", "多職種研修を年3回続けた"]
        );
    }

    #[test]
    fn arrows_are_remedies_of_the_item_above() {
        let text = "・夜間の連絡先がわからない\n→連絡先の一覧表を作る\n⇒ 当番表を共有する\n・医師が少ない\n-> 医師会に相談\n・→ICTの導入";
        let items = read_items(text);
        assert_eq!(
            items,
            [
                item("夜間の連絡先がわからない", None, false, None),
                item(
                    "連絡先の一覧表を作る",
                    None,
                    true,
                    Some("夜間の連絡先がわからない")
                ),
                item(
                    "当番表を共有する",
                    None,
                    true,
                    Some("夜間の連絡先がわからない")
                ),
                item("医師が少ない", None, false, None),
                item("医師会に相談", None, true, Some("医師が少ない")),
                item("ICTの導入", None, true, Some("医師が少ない")),
            ]
        );
        // A remedy under an issue counts as a measure, never as an issue; under what
        // worked it stays there; under a heading of no role, it is a measure.
        assert_eq!(role_in(ListRole::Hard, &items[1]), ListRole::Measures);
        assert_eq!(role_in(ListRole::Hard, &items[0]), ListRole::Hard);
        assert_eq!(role_in(ListRole::Worked, &items[1]), ListRole::Worked);
        assert_eq!(role_in(ListRole::Other, &items[1]), ListRole::Measures);
        assert_eq!(role_in(ListRole::Measures, &items[0]), ListRole::Measures);
    }

    #[test]
    fn a_dot_splits_clauses_but_not_a_list_of_nouns() {
        // Two actions, each a clause: two items.
        assert_eq!(
            split_items("研修会を開催する・マップを作成する"),
            ["研修会を開催する", "マップを作成する"]
        );
        assert_eq!(
            split_items("医師会との連携が難しい・住民の理解が進まない"),
            ["医師会との連携が難しい", "住民の理解が進まない"]
        );
        assert_eq!(
            split_items("退院前カンファレンスの開催・連絡票の活用"),
            ["退院前カンファレンスの開催", "連絡票の活用"]
        );
        // The short parts after a dot go with the clause they belong to.
        assert_eq!(
            split_items("研修会の開催・医療・介護の連携"),
            ["研修会の開催", "医療・介護の連携"]
        );
        assert_eq!(
            split_items("医療・介護の連携が難しい・住民の理解が進まない"),
            ["医療・介護の連携が難しい", "住民の理解が進まない"]
        );
        // Nouns joined by a dot stay one item, short or long.
        for one in [
            "医療・介護",
            "医療・介護・福祉の連携",
            "在宅医療・介護連携推進事業",
            "訪問看護ステーション・地域包括支援センターとの連携",
            "医師会・歯科医師会・薬剤師会との協力",
            "医師会の協力・行政の支援",
        ] {
            assert_eq!(split_items(one), [one], "{one}");
        }
    }

    #[test]
    fn width_case_and_punctuation_do_not_split_an_item() {
        assert_eq!(normalize("ＡＣＰを、知る！"), normalize("acpを知る"));
        assert_eq!(normalize("ｹｱﾏﾈと連絡"), normalize("ケアマネと 連絡"));
        assert_eq!(normalize("１１９番"), "119番");
        assert_ne!(normalize("家族と話す"), normalize("家族が話す"));
    }

    fn theme_of(text: &str) -> &'static str {
        let themes = Box::leak(Box::new(default_themes()));
        best_theme(themes, text).map_or(OTHER, |t| t.id.as_str())
    }

    #[test]
    fn collaboration_alone_is_no_theme_and_specific_words_decide() {
        // 連携 decides nothing on its own.
        assert_eq!(theme_of("多職種の連携"), OTHER);
        assert_eq!(theme_of("連携を深める"), OTHER);
        assert_eq!(theme_of("医療と介護の連携"), OTHER);
        // A specific word does.
        assert_eq!(theme_of("連携シートで情報共有する"), "info-sharing");
        assert_eq!(theme_of("医師会との連携"), "doctors");
        assert_eq!(theme_of("保健所との連携"), "municipality");
        assert_eq!(theme_of("連携の方法が決まっていない"), "system");
        assert_eq!(theme_of("退院時の連携"), "discharge");
        assert_eq!(theme_of("夜間の急変時の対応"), "end-of-life");
        assert_eq!(theme_of("ＡＣＰの話を切り出しにくい"), "will-acp");
        assert_eq!(theme_of("住民へのACPの普及啓発"), "public");
        assert_eq!(theme_of("コーディネーターの配置"), "coordinator");
        assert_eq!(theme_of("来年度の予算がつかない"), "budget");
        assert_eq!(theme_of("訪問看護師の人手不足"), "staffing");
        assert_eq!(theme_of("顔の見える関係づくり"), "training");
        assert_eq!(theme_of("Sharing the plan online"), "info-sharing");
        assert_eq!(theme_of("天気がよかった"), OTHER);
        // Every word is written normalised, and ids are unique.
        let themes = default_themes();
        for t in &themes {
            for w in t.words.iter().chain(&t.who) {
                for part in w.split('+') {
                    assert_eq!(normalize(part), part, "{}: {w}", t.id);
                }
                assert!(
                    !["連携", "支援", "地域"].contains(&w.as_str()),
                    "{}: {w}",
                    t.id
                );
            }
        }
        let mut ids: Vec<_> = themes.iter().map(|t| t.id.as_str()).collect();
        ids.push(OTHER);
        let before = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(before, ids.len());
    }

    #[test]
    fn an_item_is_filed_by_its_words_then_its_heading_then_its_issue() {
        let themes = default_themes();
        assert_eq!(
            file(
                &themes,
                &item("月1回開く", Some("医師会との連携"), false, None)
            ),
            "doctors"
        );
        assert_eq!(
            file(
                &themes,
                &item("一覧表を作る", None, true, Some("夜間の連絡先がわからない"))
            ),
            "info-sharing"
        );
        assert_eq!(
            file(&themes, &item("研修会を開く", Some("医師会"), false, None)),
            "training"
        );
        assert_eq!(file(&themes, &item("がんばる", None, false, None)), OTHER);
        // A curriculum's own theme comes first and may take a built-in's place.
        let own = Theme {
            id: "doctors".into(),
            ja: "在宅医の参加".into(),
            en: "Home doctors".into(),
            words: vec!["在宅医".into(), "連携+歯科".into()],
            who: Vec::new(),
        };
        let with = themes_with(std::slice::from_ref(&own));
        assert_eq!(with[0], own);
        assert_eq!(with.len(), themes.len());
        assert_eq!(
            best_theme(&with, "歯科との連携").map(|t| t.id.as_str()),
            Some("doctors")
        );
        assert_eq!(
            best_theme(&with, "医師会の協力").map(|t| t.id.as_str()),
            None
        );
    }

    #[test]
    fn items_of_a_list_without_a_role_are_read_by_their_words() {
        assert_eq!(item_role("夜間の連絡先がわからない"), ListRole::Hard);
        assert_eq!(item_role("往診医が少ない"), ListRole::Hard);
        assert_eq!(item_role("連絡票を作成する"), ListRole::Measures);
        assert_eq!(item_role("研修会を続けていきたい"), ListRole::Measures);
        assert_eq!(item_role("顔の見える関係ができた"), ListRole::Worked);
        assert_eq!(item_role("医師会の協力"), ListRole::Hard);
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
            prompt: "curriculum:c:q".into(),
            session_title: format!("研修会{session}"),
            heading: "苦労した点".into(),
            context: None,
            answers: None,
            theme: String::new(),
        }
    }

    #[test]
    fn identical_items_merge_and_themes_count_sessions_and_tables() {
        let themes = default_themes();
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
                let themes = &themes;
                read_items(&w.text).into_iter().map(move |i| Written {
                    key: item_key(&w.source.session, "curriculum:c:q", w.source.table, &i.text),
                    theme: file(themes, &i),
                    text: i.text,
                    ..w.clone()
                })
            })
            .collect();
        let groups = group(&items, &themes, &Moves::new(), Lang::Ja);
        let ids: Vec<_> = groups.iter().map(|g| g.id.as_str()).collect();
        // One theme per item: 夜間の連絡先 is about contacts (連絡先, 連絡) more than
        // the night (夜間).
        assert_eq!(ids, ["info-sharing", "end-of-life", "other"]);
        let info = &groups[0];
        assert_eq!(info.label, "情報共有・ICT");
        assert_eq!((info.count, info.sessions, info.tables), (4, 3, 4));
        let where_: Vec<_> = info
            .by_session
            .iter()
            .map(|s| (s.session.as_str(), s.tables.clone()))
            .collect();
        // By date: b and c (January 1st, by id), then a (January 3rd).
        assert_eq!(where_, [("b", vec![2, 3]), ("c", vec![1]), ("a", vec![1])]);
        assert_eq!(info.items[0].text, "情報共有が難しい");
        assert_eq!(info.items[0].count, 3);
        assert_eq!(info.items[0].sources.len(), 3);
        let eol = &groups[1];
        assert_eq!((eol.count, eol.sessions), (1, 1));
        assert_eq!(groups[2].items[0].text, "天気");
        assert_eq!(groups[2].label, "その他");
        assert_eq!(
            group(&items, &themes, &Moves::new(), Lang::En)[2].label,
            "Other"
        );
        // Every place is listed with its session and heading.
        let places = &info.items[0].places;
        assert_eq!(places.len(), 3);
        assert_eq!(places[1].session_title, "研修会b");
        assert_eq!(
            (places[1].table, places[1].heading.as_str()),
            (2, "苦労した点")
        );
        // The counts add up: one theme per item.
        assert_eq!(groups.iter().map(|g| g.count).sum::<usize>(), items.len());

        // A move puts the item under the chosen theme; an unknown theme is ignored.
        let mut moves = Moves::new();
        moves.insert(
            item_key("c", "curriculum:c:q", 1, "夜間の連絡先がわからない"),
            "end-of-life".into(),
        );
        moves.insert(
            item_key("a", "curriculum:c:q", 1, "天気"),
            "no-such-theme".into(),
        );
        let groups = group(&items, &themes, &moves, Lang::Ja);
        let eol = groups
            .iter()
            .find(|g| g.id == "end-of-life")
            .expect("moved");
        assert_eq!(eol.count, 2);
        let moved = eol
            .items
            .iter()
            .find(|m| m.text == "夜間の連絡先がわからない")
            .expect("moved item");
        assert!(moved.places[0].moved);
        assert_eq!(moved.places[0].from.as_deref(), Some("info-sharing"));
        assert_eq!(moved.places[0].from_label.as_deref(), Some("情報共有・ICT"));
        assert_eq!(eol.moved, 1);
        assert_eq!(
            groups
                .iter()
                .find(|g| g.id == "info-sharing")
                .map(|g| g.count),
            Some(3)
        );
        assert!(
            groups
                .iter()
                .any(|g| g.id == "other" && g.items[0].text == "天気")
        );
        // The key ignores width, bullets and full stops.
        assert_eq!(
            item_key("s", "p", 1, "・情報共有が難しい。"),
            item_key("s", "p", 1, "情報共有が難しい")
        );
        assert_ne!(item_key("s", "p", 1, "x"), item_key("s", "p", 2, "x"));
    }
}
