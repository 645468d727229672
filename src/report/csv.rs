//! The reports as CSV for Excel: UTF-8 with a byte-order mark (so Excel reads Japanese
//! correctly), CRLF line ends, and one section per part of the report. A section is a
//! title line starting with `#`, a header line, its rows, and a blank line; a table
//! such as the three-field report or the professions by session keeps its shape, so it
//! can be copied into a document as it is. Headers are in the page's language.
//!
//! Written by [`crate::text::csv`]: a cell that starts with `=`, `+`, `-`, `@`, a tab or
//! a carriage return gets a leading `'`, so that Excel shows typed text as text and
//! never runs it as a formula.

use super::cross::CrossReport;
use super::session::{Member, SessionReport};
use super::survey::{QuestionResult, Tally};
use crate::i18n;
use crate::lang::Lang;

/// A CSV document being written, with the page's language for its labels.
struct Sheet {
    out: crate::text::csv::Writer,
    /// The language of the headers and labels.
    lang: Lang,
}

impl Sheet {
    fn new(lang: Lang) -> Self {
        Self {
            out: crate::text::csv::Writer::new(),
            lang,
        }
    }

    fn t(&self, key: &str) -> String {
        i18n::format(self.lang, key, &[])
    }

    fn f(&self, key: &str, args: &[String]) -> String {
        i18n::format(self.lang, key, args)
    }

    fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.out.row(cells);
    }

    fn keys(&mut self, keys: &[&str]) {
        let cells: Vec<String> = keys.iter().map(|k| self.t(k)).collect();
        self.row(cells);
    }

    fn section(&mut self, title: &str) {
        self.row([format!("# {title}")]);
    }

    /// The blank line after a section.
    fn end(&mut self) {
        self.out.blank();
    }

    fn finish(self) -> Vec<u8> {
        self.out.finish()
    }
}

fn members(list: &[Member], lang: Lang) -> String {
    let sep = lang.list_separator();
    list.iter()
        .map(|m| match m.count {
            Some(n) if n > 1 => format!("{}×{n}", m.label),
            _ => m.label.clone(),
        })
        .collect::<Vec<_>>()
        .join(sep)
}

fn number(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn question_rows(sheet: &mut Sheet, q: &QuestionResult) {
    let kind = |k: &str| sheet.t(&format!("report.csv.{k}"));
    let mut rows: Vec<[String; 5]> = Vec::new();
    match &q.result {
        Tally::Scale { points, mean, .. } => {
            for p in points {
                rows.push([
                    kind("point"),
                    p.value.to_string(),
                    p.count.to_string(),
                    String::new(),
                    String::new(),
                ]);
            }
            if let Some(m) = mean {
                rows.push([
                    kind("mean"),
                    String::new(),
                    q.answered.to_string(),
                    number(*m),
                    String::new(),
                ]);
            }
        }
        Tally::Choice { options, .. } => {
            for o in options {
                let share = if q.answered > 0 {
                    number(o.count as f64 * 100.0 / q.answered as f64)
                } else {
                    String::new()
                };
                rows.push([
                    kind("option"),
                    o.label.clone(),
                    o.count.to_string(),
                    share,
                    String::new(),
                ]);
            }
        }
        Tally::Text { comments } => {
            for c in comments {
                rows.push([
                    kind("comment"),
                    String::new(),
                    String::new(),
                    String::new(),
                    c.clone(),
                ]);
            }
        }
    }
    if let Some(change) = &q.before {
        if !change.shown {
            rows.push([
                kind("before"),
                change.key.clone(),
                change.respondents.to_string(),
                String::new(),
                sheet.f(
                    "report.hidden",
                    &[
                        change.respondents.to_string(),
                        crate::survey::MIN_RESPONSES.to_string(),
                    ],
                ),
            ]);
        } else {
            match &change.result {
                Some(Tally::Scale { mean: Some(m), .. }) => rows.push([
                    kind("before_mean"),
                    change.key.clone(),
                    change.answered.to_string(),
                    number(*m),
                    String::new(),
                ]),
                Some(Tally::Choice { options, .. }) => {
                    for o in options {
                        let share = if change.answered > 0 {
                            number(o.count as f64 * 100.0 / change.answered as f64)
                        } else {
                            String::new()
                        };
                        rows.push([
                            kind("before_option"),
                            o.label.clone(),
                            o.count.to_string(),
                            share,
                            String::new(),
                        ]);
                    }
                }
                _ => {}
            }
            if let Some(d) = change.paired_change {
                rows.push([
                    kind("paired_change"),
                    String::new(),
                    change.paired.to_string(),
                    number(d),
                    String::new(),
                ]);
            }
        }
    }
    for [what, option, count, value, text] in rows {
        sheet.row([
            q.key.clone(),
            q.title.clone(),
            what,
            option,
            count,
            value,
            text,
        ]);
    }
}

/// One session's report as CSV.
pub fn session(report: &SessionReport, lang: Lang) -> Vec<u8> {
    let mut s = Sheet::new(lang);
    let r = report;
    s.section(&s.t("report.title"));
    let yes_no = |b: bool| {
        if b {
            s.t("report.yes")
        } else {
            s.t("report.no")
        }
    };
    let facts = [
        ("session.title", r.session.title.clone()),
        ("session.held_on", r.session.held_on.clone()),
        ("session.place", r.session.place.clone()),
        (
            "home.curricula",
            format!(
                "{} (v{})",
                r.session.curriculum_title, r.session.curriculum_version
            ),
        ),
        ("session.tables", r.session.tables.to_string()),
        ("rehearsal.label", yes_no(r.session.rehearsal)),
        ("report.csv.session_id", r.session.id.clone()),
    ];
    for (key, value) in facts {
        let label = s.t(key);
        s.row([label, value]);
    }
    s.end();

    let who = &r.participants;
    let from = s.t(&format!("report.from.{}", kebab(who.counted_from)));
    s.section(&format!("{} — {from}", s.t("report.by_profession")));
    s.keys(&["report.csv.id", "report.profession", "report.count"]);
    for c in &who.by_profession {
        s.row([c.id.clone(), c.label.clone(), c.count.to_string()]);
    }
    s.row([String::new(), s.t("report.total"), who.total.to_string()]);
    s.end();
    if !who.by_builtin.is_empty() {
        s.section(&format!("{} — {from}", s.t("report.by_builtin")));
        s.keys(&["report.csv.id", "report.profession", "report.count"]);
        for c in &who.by_builtin {
            s.row([c.id.clone(), c.label.clone(), c.count.to_string()]);
        }
        s.end();
    }
    if !who.by_area.is_empty() {
        s.section(&format!("{} — {from}", s.t("report.by_area")));
        s.keys(&["report.area", "report.count"]);
        for c in &who.by_area {
            s.row([c.label.clone(), c.count.to_string()]);
        }
        s.end();
    }

    for three in &r.three_field {
        s.section(&format!("{} — {}", s.t("report.three_field"), three.title));
        // One row per headed list, in the group's order (a table that wrote
        // nothing keeps one row, so every table is listed).
        s.keys(&[
            "report.table",
            "report.members",
            "report.heading",
            "report.list_text",
        ]);
        for row in &three.rows {
            let table = row.table.to_string();
            let who = members(&row.members, lang);
            if row.lists.is_empty() {
                s.row([table.clone(), who.clone(), String::new(), String::new()]);
            }
            for list in &row.lists {
                s.row([
                    table.clone(),
                    who.clone(),
                    list.heading.clone(),
                    list.text.clone(),
                ]);
            }
        }
        s.end();
    }

    s.section(&s.t("report.conclusions"));
    s.keys(&[
        "report.table",
        "step.title",
        "report.scene",
        "report.csv.id",
        "report.question",
        "report.answer",
    ]);
    for t in &r.tables {
        for c in &t.conclusions {
            s.row([
                t.table.to_string(),
                c.step_title.clone(),
                c.scene.clone().unwrap_or_default(),
                c.key.clone(),
                c.title.clone(),
                c.text.clone(),
            ]);
        }
    }
    s.end();

    for step in &r.surveys {
        s.section(&format!("{} — {}", s.t("report.survey"), step.title));
        let label = s.t("report.respondents");
        s.row([label, step.respondents.to_string()]);
        if !step.shown {
            let note = s.f(
                "report.hidden",
                &[
                    step.respondents.to_string(),
                    crate::survey::MIN_RESPONSES.to_string(),
                ],
            );
            s.row([note]);
        } else {
            s.keys(&[
                "report.csv.id",
                "report.question",
                "report.csv.what",
                "report.csv.option_col",
                "report.count",
                "report.csv.value",
                "report.csv.text",
            ]);
            for q in &step.questions {
                question_rows(&mut s, q);
            }
        }
        s.end();
    }
    s.finish()
}

/// `checked-in` etc., as in the JSON.
fn kebab(from: super::CountedFrom) -> String {
    serde_json::to_value(from)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The working group's report as CSV.
pub fn cross(report: &CrossReport, lang: Lang, curriculum_title: Option<&str>) -> Vec<u8> {
    let mut s = Sheet::new(lang);
    let r = report;
    s.section(&s.t("reports.title"));
    let any = s.t("reports.any");
    let conditions = [
        (
            "home.curricula",
            curriculum_title
                .map(str::to_string)
                .unwrap_or_else(|| any.clone()),
        ),
        (
            "reports.from",
            r.filter.from.clone().unwrap_or_else(|| any.clone()),
        ),
        (
            "reports.to",
            r.filter.to.clone().unwrap_or_else(|| any.clone()),
        ),
        ("reports.sessions_count", r.sessions.len().to_string()),
        ("reports.rehearsals_out", r.rehearsals_left_out.to_string()),
    ];
    for (key, value) in conditions {
        let label = s.t(key);
        s.row([label, value]);
    }
    s.end();

    s.section(&s.t("reports.sessions"));
    s.keys(&[
        "session.held_on",
        "session.title",
        "session.place",
        "home.curricula",
        "reports.tables",
        "reports.participants",
        "reports.counted_from",
        "reports.reports",
        "report.respondents",
        "report.csv.session_id",
    ]);
    for line in &r.sessions {
        let from = s.t(&format!("report.counted.{}", kebab(line.counted_from)));
        s.row([
            line.held_on.clone(),
            line.title.clone(),
            line.place.clone(),
            line.curriculum_title.clone(),
            line.tables.to_string(),
            line.participants.map(|n| n.to_string()).unwrap_or_default(),
            from,
            line.reports.to_string(),
            line.respondents.to_string(),
            line.id.clone(),
        ]);
    }
    s.end();

    s.section(&s.t("reports.professions"));
    let mut header = vec![s.t("report.csv.id"), s.t("report.profession")];
    header.extend(
        r.sessions
            .iter()
            .map(|l| format!("{} {}", l.held_on, l.title)),
    );
    header.push(s.t("report.total"));
    s.row(header);
    for p in &r.professions {
        let mut row = vec![p.id.clone(), p.label.clone()];
        row.extend(p.counts.iter().map(|c| c.to_string()));
        row.push(p.total.to_string());
        s.row(row);
    }
    s.end();

    // One row per item as written, so that every count can be checked against the
    // tables' reports (and an organizer's move found by its key).
    for (key, groups) in [
        ("reports.worked", &r.worked),
        ("reports.issues", &r.issues),
        ("reports.measures", &r.measures),
    ] {
        s.section(&s.t(key));
        s.keys(&[
            "report.csv.id",
            "reports.theme",
            "reports.items",
            "reports.item",
            "session.held_on",
            "reports.session_title",
            "report.table",
            "reports.item_heading",
            "reports.item_context",
            "reports.item_answers",
            "reports.item_moved",
            "report.csv.session_id",
            "reports.item_key",
        ]);
        for g in groups {
            for item in &g.items {
                for place in &item.places {
                    s.row([
                        g.id.clone(),
                        g.label.clone(),
                        g.count.to_string(),
                        place.text.clone(),
                        place.held_on.clone(),
                        place.session_title.clone(),
                        place.table.to_string(),
                        place.heading.clone(),
                        place.context.clone().unwrap_or_default(),
                        place.answers.clone().unwrap_or_default(),
                        match (&place.moved, &place.from_label) {
                            (true, Some(from)) => {
                                s.f("reports.moved_from", std::slice::from_ref(from))
                            }
                            (true, None) => s.t("reports.moved"),
                            (false, _) => String::new(),
                        },
                        place.session.clone(),
                        place.key.clone(),
                    ]);
                }
            }
        }
        s.end();
    }

    // Moves that place no item now: listed, so that none is lost without a word.
    if !r.stale_moves.is_empty() {
        s.section(&s.t("reports.stale"));
        s.keys(&[
            "session.held_on",
            "report.table",
            "reports.item",
            "reports.theme",
            "report.csv.session_id",
            "reports.item_key",
        ]);
        for m in &r.stale_moves {
            s.row([
                m.held_on.clone(),
                m.table.to_string(),
                m.text.clone(),
                m.theme_label.clone(),
                m.session.clone(),
                m.key.clone(),
            ]);
        }
        s.end();
    }

    s.section(&s.t("reports.trends"));
    let mut header = vec![s.t("report.csv.id"), s.t("report.question")];
    header.extend(
        r.sessions
            .iter()
            .map(|l| format!("{} {}", l.held_on, l.title)),
    );
    s.row(header);
    for t in &r.survey_trends {
        let mut row = vec![t.key.clone(), t.title.clone()];
        row.extend(r.sessions.iter().map(|l| {
            t.points
                .iter()
                .find(|p| p.session == l.id)
                .and_then(|p| p.mean)
                .map(number)
                .unwrap_or_default()
        }));
        s.row(row);
    }
    s.end();
    s.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_written_as_text() {
        let safe = crate::text::csv::guard;
        assert_eq!(safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe("-情報共有"), "'-情報共有");
        assert_eq!(safe("@SUM"), "'@SUM");
        assert_eq!(safe("情報共有"), "情報共有");
        let mut s = Sheet::new(Lang::Ja);
        s.row(["=1", "+1", "-1", "@1", "\t1", "\r1", "1"]);
        let text = String::from_utf8(s.finish()[3..].to_vec()).expect("utf-8");
        assert_eq!(text, "'=1,'+1,'-1,'@1,'\t1,\"'\r1\",1\r\n");
        assert_eq!(number(4.2), "4.2");
        assert_eq!(number(4.0), "4");
        assert_eq!(number(33.333), "33.33");
    }

    #[test]
    fn a_sheet_has_a_bom_crlf_and_sections() {
        let mut s = Sheet::new(Lang::Ja);
        s.section("参加者");
        s.row(["職種", "人数"]);
        s.row(["訪問看護師, 在宅", "3"]);
        s.row(["「よい」と\"言った\"\n2行目", "=1+1"]);
        s.end();
        let bytes = s.finish();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
        assert_eq!(
            text,
            "# 参加者\r\n職種,人数\r\n\"訪問看護師, 在宅\",3\r\n\"「よい」と\"\"言った\"\"\n2行目\",'=1+1\r\n\r\n"
        );
    }
}
