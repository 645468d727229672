//! Reading a session's roster (参加者名簿) from CSV: UTF-8 or Excel's Shift_JIS,
//! Japanese or English headers, professions by id or by Japanese or English name.
//! Every problem is reported with its line; the caller imports nothing unless there
//! are none.

use serde::Serialize;

use crate::content::{MemberField, Profession, Professions};
use crate::seating::Side;

pub mod plan;

/// Longest name, organization or area accepted, in characters.
pub const MAX_FIELD: usize = 100;

/// One person read from a roster file or the add form.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Line of the file (0 for the add form).
    pub line: usize,
    /// Name, may be empty.
    pub name: String,
    /// Profession.
    pub profession: Profession,
    /// Organization, may be empty.
    pub organization: String,
    /// Area (北部 / 中部 / 南部…), may be empty.
    pub area: String,
    /// Hospital or home side.
    pub side: Side,
    /// The table the file seats this person at (1-based), if it gives one: they are
    /// pinned there and balanced seating fills the other seats around them.
    pub table: Option<i64>,
}

pub use crate::problem::Problem;

/// A roster file read without problems.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The people, in file order.
    pub entries: Vec<Entry>,
    /// The encoding the file was in (`UTF-8`, `Shift_JIS`, `UTF-16`).
    pub encoding: &'static str,
    /// Header cells that name no known column (kept out of the roster).
    pub ignored_columns: Vec<String>,
}

/// The columns of a roster file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    Profession,
    Organization,
    Area,
    Side,
    Table,
}

impl From<MemberField> for Column {
    fn from(field: MemberField) -> Column {
        match field {
            MemberField::Name => Column::Name,
            MemberField::Profession => Column::Profession,
            MemberField::Organization => Column::Organization,
            MemberField::Area => Column::Area,
        }
    }
}

/// Header names accepted for the columns a report cannot show (compared after
/// [`normalize`]); the name, profession, organization and area columns take the words
/// of [`MemberField::WORDS`], the same a curriculum's `report_members:` takes.
const HEADERS: &[(Column, &[&str])] = &[
    (
        Column::Side,
        &[
            "病院・在宅",
            "病院/在宅",
            "病院在宅",
            "病院・在宅の別",
            "立場",
            "区分",
            "side",
        ],
    ),
    (
        Column::Table,
        &[
            "テーブル",
            "テーブル番号",
            "テーブルno",
            "テーブルno.",
            "卓",
            "グループ",
            "グループ番号",
            "班",
            "table",
            "tableno",
            "tablenumber",
            "group",
            "groupno",
        ],
    ),
];

/// Columns a file must have; the others may be left out.
const REQUIRED: &[(Column, &str)] = &[(Column::Profession, "職種"), (Column::Organization, "所属")];

/// The header line of the template, Japanese first.
pub const TEMPLATE_HEADER: &str = "氏名,職種,所属,地区,病院・在宅,テーブル";

/// The template offered for download: UTF-8 with a byte-order mark, so Excel opens
/// it in the right encoding, and two example rows to overwrite.
pub fn template_csv() -> Vec<u8> {
    let mut out = crate::text::csv::Writer::new();
    out.row(TEMPLATE_HEADER.split(','));
    out.row([
        "山田 花子",
        "訪問看護師",
        "北部訪問看護ステーション",
        "北部",
        "在宅",
        "",
    ]);
    out.row(["", "病院看護師", "中央市民病院", "中部", "病院", "3"]);
    out.finish()
}

/// Full-width ASCII to half-width, ideographic spaces removed, lowercase, no spaces:
/// what people type in Excel varies in all of these.
pub fn normalize(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
            _ => Some(c),
        })
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Short names people write for professions, besides ids and the labels' parts.
const PROFESSION_ALIASES: &[(&str, &str)] = &[
    ("ケアマネ", "care-manager"),
    ("cm", "care-manager"),
    ("ソーシャルワーカー", "msw"),
    ("包括", "community-support"),
    ("地域包括", "community-support"),
    ("pt", "physical-therapist"),
    ("ot", "occupational-therapist"),
    ("st", "speech-therapist"),
    ("栄養士", "dietitian"),
    ("ヘルパー", "care-worker"),
    ("介護福祉士", "care-worker"),
    ("行政", "city-staff"),
    ("市職員", "city-staff"),
    ("開業医", "physician-clinic"),
    ("勤務医", "physician-hospital"),
    ("病棟看護師", "hospital-nurse"),
    ("退院調整看護師", "hospital-nurse"),
];

/// A profession of `professions` (the built-ins and the session's declared roles) by
/// its id, its Japanese or English label, a part of a label (`ケアマネジャー`, `在宅医`),
/// its short name or a common alias (`ケアマネ`, `PT`).
pub fn find_profession(professions: &Professions, text: &str) -> Option<Profession> {
    let wanted = normalize(text);
    if wanted.is_empty() {
        return None;
    }
    let parts = |label: &str| -> Vec<String> {
        label
            .split(['（', '）', '(', ')', '・', '/'])
            .map(normalize)
            .filter(|p| p.chars().count() > 1)
            .collect()
    };
    let all = professions.all();
    // Whole names first, so a declared 透析室看護師 is not taken for a part of another.
    all.iter()
        .copied()
        .find(|p| {
            normalize(p.id) == wanted
                || normalize(p.ja) == wanted
                || normalize(p.en) == wanted
                || (p.is_declared() && normalize(p.short) == wanted)
        })
        .or_else(|| {
            all.iter()
                .copied()
                .find(|p| parts(p.ja).contains(&wanted) || parts(p.en).contains(&wanted))
        })
        .or_else(|| {
            PROFESSION_ALIASES
                .iter()
                .find(|(alias, _)| normalize(alias) == wanted)
                .and_then(|(_, id)| Profession::builtin(id))
        })
}

/// The side written in a cell: empty means none.
pub fn parse_side(text: &str) -> Option<Side> {
    match normalize(text).as_str() {
        "病院" | "病院側" | "hospital" | "入院" => Some(Side::Hospital),
        "在宅" | "在宅側" | "地域" | "home" | "community" => Some(Side::Home),
        "" | "なし" | "無" | "-" | "－" | "その他" | "none" | "neither" => Some(Side::None),
        _ => None,
    }
}

/// A table cell that is not one table number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotATable;

/// The table number written in a cell: `3`, `３`, `テーブル3`, `第3卓`, `G3`, `3番`;
/// `Ok(None)` for an empty cell, an error for anything that is not one number from 1 to
/// [`crate::session::MAX_TABLES`].
pub fn parse_table(text: &str) -> Result<Option<i64>, NotATable> {
    let text = normalize(text);
    if text.is_empty() {
        return Ok(None);
    }
    let digits: Vec<(usize, char)> = text
        .char_indices()
        .filter(|(_, c)| c.is_ascii_digit())
        .collect();
    let (Some(first), Some(last)) = (digits.first(), digits.last()) else {
        return Err(NotATable);
    };
    let run = &text[first.0..=last.0];
    // One run of digits, with at most a word around it (テーブル3, 第3卓), not 3-1 or 3,4.
    if run.chars().any(|c| !c.is_ascii_digit()) || text.chars().count() > run.len() + 6 {
        return Err(NotATable);
    }
    let number: i64 = run.parse().map_err(|_| NotATable)?;
    if (1..=crate::session::MAX_TABLES).contains(&number) {
        Ok(Some(number))
    } else {
        Err(NotATable)
    }
}

/// The key two rows share when they are the same person: name and organization,
/// without spaces. Rows without a name are never duplicates (names are optional).
pub fn person_key(name: &str, organization: &str) -> Option<String> {
    let name = normalize(name);
    (!name.is_empty()).then(|| format!("{name}\u{1F}{}", normalize(organization)))
}

/// One person's cells as typed, in a roster file's row or the add form.
#[derive(Debug, Clone, Default)]
pub struct Cells {
    /// 氏名, may be empty.
    pub name: String,
    /// 職種 as written: an id, a name or a short name.
    pub profession: String,
    /// 所属.
    pub organization: String,
    /// 地区.
    pub area: String,
    /// 病院・在宅 as written; empty means neither.
    pub side: String,
    /// テーブル as written; empty means seating decides.
    pub table: String,
}

impl Cells {
    /// Each cell as the importer reads a file's: control characters out, an ideographic
    /// space made a plain one, trimmed.
    pub fn cleaned(self) -> Self {
        let clean = |v: String| {
            crate::text::clean_line(&v)
                .replace('\u{3000}', " ")
                .trim()
                .to_string()
        };
        Self {
            name: clean(self.name),
            profession: clean(self.profession),
            organization: clean(self.organization),
            area: clean(self.area),
            side: clean(self.side),
            table: clean(self.table),
        }
    }
}

/// Reads one person from cleaned cells at `line` (0 for the add form), or says every
/// problem with them; the one check of a person's cells for a file and the form alike.
pub fn entry_of(
    line: usize,
    cells: &Cells,
    professions: &Professions,
) -> Result<Entry, Vec<Problem>> {
    let mut problems = Vec::new();
    for (value, label) in [
        (&cells.name, "氏名"),
        (&cells.organization, "所属"),
        (&cells.area, "地区"),
    ] {
        if value.chars().count() > MAX_FIELD {
            problems.push(Problem::at_line(
                line,
                "roster.err_too_long",
                &[&label, &MAX_FIELD],
            ));
        }
    }
    let profession = if cells.profession.is_empty() {
        problems.push(Problem::at_line(line, "roster.err_no_profession", &[]));
        None
    } else {
        let found = find_profession(professions, &cells.profession);
        if found.is_none() {
            problems.push(Problem::at_line(
                line,
                "roster.err_profession",
                &[&cells.profession],
            ));
        }
        found
    };
    let side = parse_side(&cells.side);
    if side.is_none() {
        problems.push(Problem::at_line(line, "roster.err_side", &[&cells.side]));
    }
    let table = parse_table(&cells.table).unwrap_or_else(|NotATable| {
        problems.push(Problem::at_line(
            line,
            "roster.err_table",
            &[&cells.table, &crate::session::MAX_TABLES],
        ));
        None
    });
    match (profession, side) {
        (Some(profession), Some(side)) if problems.is_empty() => Ok(Entry {
            line,
            name: cells.name.clone(),
            profession,
            organization: cells.organization.clone(),
            area: cells.area.clone(),
            side,
            table,
        }),
        _ => Err(problems),
    }
}

/// Decodes a file: UTF-8 (with or without BOM), UTF-16 with BOM, or Shift_JIS (what
/// Excel writes by default in Japan).
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), Problem> {
    if let Some(rest) = bytes.strip_prefix(crate::text::csv::BOM) {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), "UTF-8"))
            .map_err(|_| Problem::at_line(0, "roster.err_encoding", &[]));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let (text, _, bad) = encoding_rs::UTF_16LE.decode(bytes);
        return if bad {
            Err(Problem::at_line(0, "roster.err_encoding", &[]))
        } else {
            Ok((text.into_owned(), "UTF-16"))
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), "UTF-8"));
    }
    encoding_rs::SHIFT_JIS
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| (text.into_owned(), "Shift_JIS"))
        .ok_or_else(|| Problem::at_line(0, "roster.err_encoding", &[]))
}

/// Reads a roster file, or says everything that is wrong with it.
pub fn parse_csv(bytes: &[u8], professions: &Professions) -> Result<Parsed, Vec<Problem>> {
    let (text, encoding) = decode(bytes).map_err(|p| vec![p])?;
    let first_line = text.lines().next().unwrap_or("");
    // Excel's "Unicode text" is tab-separated.
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut problems = Vec::new();
    let mut records = reader.records();

    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(e)) => {
            let line = e.position().map_or(1, |p| p.line() as usize);
            return Err(vec![Problem::at_line(line, "roster.err_csv", &[])]);
        }
        None => return Err(vec![Problem::at_line(0, "roster.err_empty", &[])]),
    };
    let mut columns: Vec<Option<Column>> = Vec::new();
    let mut ignored_columns = Vec::new();
    for cell in header.iter() {
        let cell = crate::text::clean_line(cell);
        let cleaned = cell.as_str();
        // `氏名（任意）` and `職種*` name the same columns as `氏名` and `職種`.
        let base = cleaned
            .split(['（', '('])
            .next()
            .unwrap_or("")
            .trim_end_matches(['*', '＊', '※']);
        let key = normalize(base);
        let column = MemberField::WORDS
            .iter()
            .map(|(field, names)| (Column::from(*field), *names))
            .chain(HEADERS.iter().copied())
            .find(|(_, names)| names.iter().any(|n| normalize(n) == key))
            .map(|(c, _)| c);
        if let Some(c) = column {
            if columns.contains(&Some(c)) {
                problems.push(Problem::at_line(1, "roster.err_column_twice", &[&cleaned]));
            }
        } else if !cleaned.is_empty() {
            ignored_columns.push(cleaned.to_string());
        }
        columns.push(column);
    }
    for (column, label) in REQUIRED {
        if !columns.contains(&Some(*column)) {
            problems.push(Problem::at_line(1, "roster.err_missing_column", &[&label]));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let index = |c: Column| columns.iter().position(|x| *x == Some(c));
    let at = |record: &csv::StringRecord, c: Column| -> String {
        index(c)
            .and_then(|i| record.get(i))
            .map(|v| {
                crate::text::clean_line(v)
                    .replace('\u{3000}', " ")
                    .trim()
                    .to_string()
            })
            .unwrap_or_default()
    };

    let mut entries = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.push(Problem::at_line(line, "roster.err_csv", &[]));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let cells = Cells {
            name: at(&record, Column::Name),
            profession: at(&record, Column::Profession),
            organization: at(&record, Column::Organization),
            area: at(&record, Column::Area),
            side: at(&record, Column::Side),
            table: at(&record, Column::Table),
        };
        let entry = entry_of(line, &cells, professions);
        // Checked even when the row has other problems, so all of them are said at once.
        if let Some(key) = person_key(&cells.name, &cells.organization) {
            if let Some(first) = seen.get(&key) {
                problems.push(Problem::at_line(
                    line,
                    "roster.err_duplicate",
                    &[&cells.name, &first],
                ));
            } else {
                seen.insert(key, line);
            }
        }
        match entry {
            Ok(entry) => entries.push(entry),
            Err(mut wrong) => problems.append(&mut wrong),
        }
    }
    if entries.is_empty() && problems.is_empty() {
        problems.push(Problem::at_line(0, "roster.err_empty", &[]));
    }
    if problems.is_empty() {
        Ok(Parsed {
            entries,
            encoding,
            ignored_columns,
        })
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(problems: &[Problem]) -> Vec<(usize, &'static str)> {
        problems.iter().map(|p| (p.line(), p.key)).collect()
    }

    #[test]
    fn professions_are_found_by_id_label_part_or_short_name() {
        for (text, id) in [
            ("visiting-nurse", "visiting-nurse"),
            ("訪問看護師", "visiting-nurse"),
            ("Visiting nurse", "visiting-nurse"),
            ("介護支援専門員", "care-manager"),
            ("ケアマネジャー", "care-manager"),
            ("ケアマネ", "care-manager"),
            ("ＭＳＷ", "msw"),
            ("在宅医", "physician-clinic"),
            ("ＰＴ", "physical-therapist"),
            (" 薬剤師 ", "pharmacist"),
        ] {
            assert_eq!(
                find_profession(&Professions::default(), text).map(|p| p.id),
                Some(id),
                "{text}"
            );
        }
        assert!(find_profession(&Professions::default(), "看護士").is_none());
        assert!(find_profession(&Professions::default(), "").is_none());
    }

    #[test]
    fn a_good_file_reads_with_japanese_or_english_headers() {
        let ja = "氏名,職種,所属,地区,病院・在宅\n山田,訪問看護師,A,北部,在宅\n,病院医師,B病院,中部,病院\n\n";
        let parsed = parse_csv(ja.as_bytes(), &Professions::default()).expect("parses");
        assert_eq!(parsed.entries.len(), 2);
        assert_eq!(parsed.entries[1].line, 3);
        assert_eq!(parsed.entries[1].side, Side::Hospital);
        let en = "Profession,Organization,Area,Side,Note\npharmacist,C,south,home,x\n";
        let parsed = parse_csv(en.as_bytes(), &Professions::default()).expect("parses");
        assert_eq!(parsed.entries[0].profession.id, "pharmacist");
        assert_eq!(parsed.ignored_columns, vec!["Note".to_string()]);
    }

    /// Every word a curriculum's `report_members:` takes for a field is a header of that
    /// column here, so an author names the column as the roster file does.
    #[test]
    fn the_report_members_words_are_the_roster_headers() {
        for (field, words) in MemberField::WORDS {
            for word in words {
                // The column under test first, then the required columns it is not.
                let first = if field == MemberField::Profession {
                    "訪問看護師"
                } else {
                    "x"
                };
                let (mut header, mut row) = (vec![*word], vec![first]);
                if field != MemberField::Profession {
                    header.push("職種");
                    row.push("訪問看護師");
                }
                if field != MemberField::Organization {
                    header.push("所属");
                    row.push("A");
                }
                let file = format!("{}\n{}\n", header.join(","), row.join(","));
                let parsed = parse_csv(file.as_bytes(), &Professions::default())
                    .unwrap_or_else(|p| panic!("{word}: {p:?}"));
                assert!(parsed.ignored_columns.is_empty(), "{word} is a column");
                let e = &parsed.entries[0];
                let got = match field {
                    MemberField::Name => e.name.as_str(),
                    MemberField::Organization => e.organization.as_str(),
                    MemberField::Area => e.area.as_str(),
                    MemberField::Profession => e.profession.id,
                };
                let want = if field == MemberField::Profession {
                    "visiting-nurse"
                } else {
                    "x"
                };
                assert_eq!(got, want, "{word}");
            }
        }
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let bad = "氏名,職種,所属,病院・在宅\n山田,看護士,A,在宅\n佐藤,,B,在宅\n鈴木,薬剤師,C,外来\n山田,薬剤師,A,在宅\n";
        let problems = parse_csv(bad.as_bytes(), &Professions::default()).expect_err("problems");
        assert_eq!(
            keys(&problems),
            vec![
                (2, "roster.err_profession"),
                (3, "roster.err_no_profession"),
                (4, "roster.err_side"),
                (5, "roster.err_duplicate"),
            ]
        );
        assert!(problems[3].message(crate::lang::Lang::Ja).contains("2行目"));
        let missing = parse_csv("氏名,地区\n山田,北部\n".as_bytes(), &Professions::default())
            .expect_err("columns");
        assert_eq!(
            keys(&missing),
            vec![
                (1, "roster.err_missing_column"),
                (1, "roster.err_missing_column")
            ]
        );
    }

    #[test]
    fn shift_jis_and_utf16_files_are_read() {
        let text = "氏名,職種,所属\r\n山田 花子,訪問看護師,北部訪問看護ステーション\r\n";
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let parsed = parse_csv(&sjis, &Professions::default()).expect("Shift_JIS parses");
        assert_eq!(parsed.encoding, "Shift_JIS");
        assert_eq!(parsed.entries[0].organization, "北部訪問看護ステーション");
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in text.replace(',', "\t").encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let parsed = parse_csv(&utf16, &Professions::default()).expect("UTF-16 parses");
        assert_eq!(parsed.encoding, "UTF-16");
        assert_eq!(parsed.entries[0].name, "山田 花子");
        let garbage = [0x82, 0xA0, 0xFF, 0xFF, 0x0A];
        assert_eq!(
            keys(&parse_csv(&garbage, &Professions::default()).expect_err("unreadable")),
            vec![(0, "roster.err_encoding")]
        );
    }

    #[test]
    fn the_template_reads_back() {
        let parsed = parse_csv(&template_csv(), &Professions::default()).expect("template parses");
        assert_eq!(parsed.entries.len(), 2);
        assert_eq!(
            (parsed.entries[0].table, parsed.entries[1].table),
            (None, Some(3))
        );
        assert!(parsed.ignored_columns.is_empty());
        let text = format!(
            "\u{FEFF}{TEMPLATE_HEADER}\r\n山田 花子,訪問看護師,北部訪問看護ステーション,北部,在宅,\r\n,病院看護師,中央市民病院,中部,病院,3\r\n"
        );
        assert_eq!(template_csv(), text.as_bytes());
    }

    #[test]
    fn a_table_column_seats_people_and_bad_numbers_are_named() {
        for (cell, table) in [
            ("3", Some(3)),
            ("３", Some(3)),
            ("テーブル3", Some(3)),
            ("第12卓", Some(12)),
            ("G 7", Some(7)),
            ("", None),
        ] {
            assert_eq!(parse_table(cell), Ok(table), "{cell:?}");
        }
        for cell in ["A", "3-1", "0", "61", "3,4", "テーブル三"] {
            assert_eq!(parse_table(cell), Err(NotATable), "{cell:?}");
        }
        let file = "氏名,職種,所属,グループ,備考\n山田,訪問看護師,A,2,x\n佐藤,薬剤師,B,,y\n";
        let parsed = parse_csv(file.as_bytes(), &Professions::default()).expect("parses");
        assert_eq!(parsed.entries[0].table, Some(2));
        assert_eq!(parsed.entries[1].table, None);
        assert_eq!(parsed.ignored_columns, vec!["備考".to_string()]);
        let bad = "氏名,職種,所属,table\n山田,訪問看護師,A,北\n";
        let problems = parse_csv(bad.as_bytes(), &Professions::default()).expect_err("bad");
        assert_eq!(keys(&problems), vec![(2, "roster.err_table")]);
        assert!(problems[0].message(crate::lang::Lang::Ja).contains("北"));
    }
}
