//! The four workbook documents, built from the same content model as the screens:
//! the blank teaching-programme workbook and the facilitator guide of a curriculum,
//! and the record of a session or of one of its tables.
//!
//! Builders only describe documents ([`crate::pdf::Doc`]); `crate::pdf` typesets them.
//! Labels come from [`crate::i18n`] in the content's language, so an English edition
//! of a curriculum gets an English workbook.

mod answers;
pub mod demo;
mod forms;
pub mod glyphs;
mod groups;
mod markdown;
mod programme;
mod record;

use std::fmt::Display;

use crate::lang::Lang;

/// The scenes a table can reach in a case-walk step (the previews and the content
/// warnings use it too).
pub use groups::group_report;
pub use programme::{guide, programme, walk_scenes};
pub use record::{SessionData, load_run, session_record, table_record};

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// The blank teaching-programme workbook of a curriculum.
    Programme,
    /// The facilitator guide of a curriculum.
    Guide,
    /// The record of a session.
    Session,
    /// The record of one table of a session.
    Table,
}

impl Document {
    /// The i18n key of the document's name.
    pub fn key(self) -> &'static str {
        match self {
            Document::Programme => "pdf.kind.programme",
            Document::Guide => "pdf.kind.guide",
            Document::Session => "pdf.kind.session",
            Document::Table => "pdf.kind.table",
        }
    }

    /// Used in file names.
    pub fn slug(self) -> &'static str {
        match self {
            Document::Programme => "programme",
            Document::Guide => "guide",
            Document::Session => "session-record",
            Document::Table => "table-record",
        }
    }
}

/// UI labels in one language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Labels<'a> {
    /// The content's language, which is the document's.
    pub lang: Lang,
    /// The professions of the content the document shows (a session's snapshot).
    professions: &'a crate::content::Professions,
}

impl<'a> Labels<'a> {
    /// Labels in the content's language, naming only the built-in professions.
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            professions: &crate::content::profession::BUILTIN,
        }
    }

    /// Labels in the content's language that also name the roles it declares.
    pub fn with_professions(lang: Lang, professions: &'a crate::content::Professions) -> Self {
        Self { lang, professions }
    }

    /// The string for `key`.
    pub fn t(&self, key: &str) -> String {
        crate::i18n::text(self.lang, key).unwrap_or(key).to_string()
    }

    /// The string for `key` with arguments.
    pub fn f(&self, key: &str, args: &[&dyn Display]) -> String {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        crate::i18n::format(self.lang, key, &args)
    }

    /// A profession's label by id (the id itself if unknown).
    pub fn profession(&self, id: &str) -> String {
        self.professions.label(id, self.lang)
    }

    /// The professions of the document's content, in the usual order.
    pub fn professions(&self) -> &crate::content::Professions {
        self.professions
    }

    /// A list joined the way the language joins lists.
    pub fn join(&self, items: &[String]) -> String {
        items.join(self.lang.list_separator())
    }
}

/// Japanese punctuation the builders put between labels and values (：（）　・), made
/// Latin in an English document. English content does not use these characters.
pub(crate) fn localize(mut doc: crate::pdf::Doc, l: &Labels) -> crate::pdf::Doc {
    use crate::pdf::Block;
    fn text(s: &mut String) {
        if s.contains(['：', '（', '）', '　', '・']) {
            *s = s
                .replace('：', ": ")
                .replace('（', " (")
                .replace('）', ")")
                .replace('　', "  ")
                .replace('・', " · ")
                .replace("( ", "(");
        }
    }
    fn blocks(list: &mut [Block]) {
        for block in list {
            match block {
                Block::Heading(h) => {
                    text(&mut h.text);
                    text(&mut h.label);
                }
                Block::Para(p) => p.spans.iter_mut().for_each(|s| text(&mut s.text)),
                Block::List(list) => list.items.iter_mut().for_each(|i| blocks(i)),
                Block::Table(t) => t
                    .header
                    .iter_mut()
                    .chain(t.rows.iter_mut())
                    .flatten()
                    .for_each(|c| blocks(&mut c.blocks)),
                Block::Keep(inner) => blocks(inner),
                Block::Lines(_) | Block::Space(_) | Block::PageBreak => {}
            }
        }
    }
    if l.lang == Lang::En {
        text(&mut doc.title);
        blocks(&mut doc.cover);
        blocks(&mut doc.body);
    }
    doc
}

/// A file name for a download: ASCII, so it survives every browser and file system.
pub fn file_name(document: Document, id: &str) -> String {
    let id: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(60)
        .collect();
    if id.is_empty() {
        format!("{}.pdf", document.slug())
    } else {
        format!("{id}-{}.pdf", document.slug())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_ascii() {
        assert_eq!(
            file_name(Document::Guide, "decision-support-basics"),
            "decision-support-basics-guide.pdf"
        );
        assert_eq!(file_name(Document::Table, "人生会議"), "table-record.pdf");
    }
}
