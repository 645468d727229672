//! Text in and out. In: the one cleaning path for every text that comes from outside:
//! typed into a form, uploaded in a roster CSV, or read from an imported session file.
//! Out: [`csv`] writes the CSV files people open in Excel, [`time`] shows stored times.
//!
//! Some characters cannot be seen but change what a text looks like or says: control
//! characters, and bidirectional overrides and isolates that reverse the order a line
//! is shown in (`\u{202E}`: "txt.exe" shown as "exe.txt"), and zero-width marks that
//! hide text or split a word so a search misses it. They are removed everywhere;
//! a newline and a tab stay in multi-line texts ([`clean_text`]) and become a space
//! in one-line texts ([`clean_line`]). Text that is not valid UTF-8 is refused where
//! its bytes arrive (form bodies in `server::extract`, uploads in `exchange::text_of`
//! and `roster::decode`), with a message saying so.
//!
//! Kept on purpose: the zero-width joiner (U+200D) and variation selectors, which
//! emoji and ideographic variants (葛󠄀) need, and the zero-width non-joiner (U+200C)
//! some scripts need.

pub mod csv;
pub mod time;

/// Longest session title (the new-session form and import).
pub const TITLE_MAX: usize = 200;

/// Longest place of a session.
pub const PLACE_MAX: usize = 200;

/// Longest facilitator's notes.
pub const NOTES_MAX: usize = 20_000;

/// True for a character no stored text may hold: control characters other than newline
/// and tab, bidirectional controls, and invisible format characters that hide or
/// disguise text.
pub fn is_hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            // Bidirectional embeddings, overrides, isolates and marks.
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{061C}'
                // Zero-width space, word joiner and invisible operators, byte-order mark.
                | '\u{200B}'
                | '\u{2060}'..='\u{2064}'
                | '\u{FEFF}'
                // Deprecated format characters, Mongolian vowel separator, soft hyphen.
                | '\u{206A}'..='\u{206F}'
                | '\u{180E}'
                | '\u{00AD}'
                // Interlinear annotation marks, and the invisible tag characters.
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

/// True when `text` holds a character [`is_hidden`] removes (or a carriage return).
pub fn needs_cleaning(text: &str) -> bool {
    text.chars()
        .any(|c| is_hidden(c) || matches!(c, '\r' | '\u{2028}' | '\u{2029}'))
}

/// Removes hidden characters and unifies line ends (`\r\n`, `\r`, U+2028, U+2029 become
/// `\n`), changing nothing else: no trimming. For texts whose every character counts,
/// such as a form field's raw value before its handler trims it.
pub fn strip(text: &str) -> String {
    if !needs_cleaning(text) {
        return text.to_string();
    }
    let text = text.replace("\r\n", "\n");
    text.chars()
        .map(|c| match c {
            '\r' | '\u{2028}' | '\u{2029}' => '\n',
            c => c,
        })
        .filter(|c| !is_hidden(*c))
        .collect()
}

/// A multi-line text (an answer, notes, a free-text survey answer): hidden characters
/// removed, line ends unified, trailing space trimmed.
pub fn clean_text(text: &str) -> String {
    strip(text).trim_end().to_string()
}

/// A one-line text (a name, a title, a place, a search): hidden characters removed,
/// newlines and tabs turned into spaces, space around it trimmed.
pub fn clean_line(text: &str) -> String {
    strip(text)
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each kind of character the cleaning removes.
    pub const HOSTILE: &str = "\u{0007}\u{001B}[31m\u{007F}\u{0085}\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{061C}\u{200B}\u{2060}\u{FEFF}\u{00AD}\u{E0041}";

    #[test]
    fn every_hidden_character_is_removed() {
        let dirty = format!("あ{HOSTILE}い");
        assert_eq!(clean_text(&dirty), "あ[31mい");
        assert_eq!(clean_line(&dirty), "あ[31mい");
        assert!(!needs_cleaning(&clean_text(&dirty)));
        for c in HOSTILE
            .chars()
            .filter(|c| *c != '[' && !c.is_ascii_alphanumeric())
        {
            assert!(is_hidden(c), "U+{:04X} is removed", c as u32);
        }
    }

    #[test]
    fn lines_are_kept_in_texts_and_joined_in_lines() {
        assert_eq!(clean_text("a\r\nb\rc\u{2028}d\te  "), "a\nb\nc\nd\te");
        assert_eq!(clean_line("  a\r\nb\tc  "), "a b c");
        assert_eq!(strip("  a\r\n "), "  a\n ");
    }

    #[test]
    fn emoji_sequences_and_variants_are_kept() {
        let family = "👨\u{200D}👩\u{200D}👧 ❤\u{FE0F} 葛\u{E0100} 𠮷野";
        assert_eq!(clean_text(family), family);
    }
}
