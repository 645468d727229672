//! CSV for Excel, written one way everywhere (the report, the conclusions export, the
//! roster template): UTF-8 with a byte-order mark, CRLF line ends, quoting by the `csv`
//! crate (a cell holding a comma, a quote or a line break is quoted, quotes doubled),
//! and every cell passed through [`guard`] so that typed text is never run as a formula.

use std::borrow::Cow;

/// The byte-order mark that makes Excel open a UTF-8 file as UTF-8 (without it, Excel
/// reads Japanese as the system's legacy code page).
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be read
/// by Excel as a formula (a table could type `=HYPERLINK(…)`), so it gets a leading `'`,
/// which Excel shows as text. Every other cell is returned as it is.
pub fn guard(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A CSV document being written: starts with the [`BOM`]; rows may differ in length (a
/// report's sections each have their own columns).
pub struct Writer {
    out: Vec<u8>,
    format: ::csv::WriterBuilder,
}

impl Default for Writer {
    fn default() -> Self {
        Self::new()
    }
}

impl Writer {
    /// An empty document (only the BOM).
    pub fn new() -> Self {
        let mut format = ::csv::WriterBuilder::new();
        format.terminator(::csv::Terminator::CRLF).flexible(true);
        Self {
            out: BOM.to_vec(),
            format,
        }
    }

    /// One row, every cell [`guard`]ed. A row of no cells or of one empty cell is a blank
    /// line (the `csv` crate would write `""` for it).
    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<S> = cells.into_iter().collect();
        if cells.len() <= 1 && cells.iter().all(|c| c.as_ref().is_empty()) {
            self.blank();
            return;
        }
        // The row goes straight onto the document; writing to a Vec cannot fail.
        let mut row = self.format.from_writer(&mut self.out);
        let _ = row.write_record(cells.iter().map(|c| guard(c.as_ref()).into_owned()));
        let _ = row.flush();
    }

    /// A blank line (between a report's sections).
    pub fn blank(&mut self) {
        self.out.extend_from_slice(b"\r\n");
    }

    /// The document's bytes.
    pub fn finish(self) -> Vec<u8> {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_written_as_text() {
        for (typed, written) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-情報共有", "'-情報共有"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
        ] {
            assert_eq!(guard(typed), written);
        }
        assert_eq!(guard("本人の思い = 家"), "本人の思い = 家");
        assert_eq!(guard(""), "");
    }

    #[test]
    fn a_document_has_a_bom_crlf_quotes_and_blank_lines() {
        let mut w = Writer::new();
        w.row(["職種", "人数"]);
        w.row(["訪問看護師, 在宅", "3"]);
        w.row(["「よい」と\"言った\"\n2行目", "=1+1"]);
        w.row([""]);
        w.row(["", "x"]);
        w.blank();
        w.row(["\rx"]);
        let bytes = w.finish();
        assert!(bytes.starts_with(BOM));
        let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
        assert_eq!(
            text,
            "職種,人数\r\n\"訪問看護師, 在宅\",3\r\n\"「よい」と\"\"言った\"\"\n2行目\",'=1+1\r\n\r\n,x\r\n\r\n\"'\rx\"\r\n"
        );
    }
}
