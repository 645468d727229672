//! The bundled fonts: metrics for layout, coverage checks, and subsets for embedding.
//!
//! BIZ UDPGothic (SIL OFL 1.1, `templates/static/fonts/`) is a TrueType family with a
//! real bold, which the renderer needs: it loads only single TrueType files with glyf
//! outlines and cannot fake bold. The whole fonts stay in the binary; each PDF embeds
//! only the glyphs it uses, with a rebuilt cmap (the renderer maps text through it).

use std::collections::BTreeSet;
use std::sync::LazyLock;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
use allsorts::tables::FontTableProvider;

/// BIZ UDPGothic Regular.
const REGULAR: &[u8] = include_bytes!("../../templates/static/fonts/BIZUDPGothic-Regular.ttf");
/// BIZ UDPGothic Bold.
const BOLD: &[u8] = include_bytes!("../../templates/static/fonts/BIZUDPGothic-Bold.ttf");
/// Hanazono Mincho A, reduced to the ideographs BIZ UDPGothic lacks (JIS X 0213's
/// 3,017 among them, and 𠮷 and the other Extension B characters it has).
const CJK: &[u8] = include_bytes!("../../templates/static/fonts/HanaMinA-subset.ttf");
/// Symbola, reduced to the symbols and emoji BIZ UDPGothic lacks (drawn in black).
const SYMBOLS: &[u8] = include_bytes!("../../templates/static/fonts/Symbola-subset.ttf");

/// Printed, until the fallback fonts, for a character the fonts lack; kept for callers
/// that name it. A character no font has is now printed as its code point
/// (`code_point`), so the reader sees which one it was.
pub const FALLBACK: char = '〓';

/// How a character no bundled font has is printed: `[U+1FAE0]`.
pub fn code_point(c: char) -> String {
    format!("[U+{:04X}]", u32::from(c))
}

/// Which bundled font draws a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Slot {
    /// BIZ UDPGothic, in the run's own weight.
    Main,
    /// The ideograph fallback (one weight).
    Cjk,
    /// The symbol and emoji fallback (one weight).
    Symbols,
}

impl Slot {
    /// The fallback slots, in the order they are tried.
    pub const FALLBACKS: [Slot; 2] = [Slot::Cjk, Slot::Symbols];

    /// The face of this slot for a run in `bold`.
    pub fn face(self, bold: bool) -> &'static Face {
        match self {
            Slot::Main => face(bold),
            Slot::Cjk => &CJK_FACE,
            Slot::Symbols => &SYMBOL_FACE,
        }
    }
}

/// The font that draws `c`: the main family when both weights have it (a character
/// must look the same in a heading and in the text), else the first fallback that has
/// it; `None` when no bundled font has it.
pub fn slot_of(c: char) -> Option<Slot> {
    if REGULAR_FACE.has(c) && BOLD_FACE.has(c) {
        return Some(Slot::Main);
    }
    Slot::FALLBACKS
        .into_iter()
        .find(|slot| slot.face(false).has(c))
}

/// Advance width of `c` in ems, in the font that draws it.
pub fn advance(c: char, bold: bool) -> f64 {
    slot_of(c).unwrap_or(Slot::Main).face(bold).advance(c)
}

/// A parsed font with the numbers layout needs.
pub struct Face {
    font: rusttype::Font<'static>,
    /// Raw file.
    data: &'static [u8],
    /// Scale at which rusttype's advance widths come out in ems.
    scale: rusttype::Scale,
    /// Ascent in ems.
    pub ascent: f64,
    /// Descent in ems (negative).
    pub descent: f64,
}

impl Face {
    fn load(data: &'static [u8]) -> Face {
        // The bundled files are known-good; a failure here is a broken build, caught by tests.
        let font = rusttype::Font::from_bytes(data).expect("the bundled font loads");
        let em = f32::from(font.units_per_em());
        let v = font.v_metrics_unscaled();
        Face {
            scale: rusttype::Scale::uniform((v.ascent - v.descent) / em),
            ascent: f64::from(v.ascent / em),
            descent: f64::from(v.descent / em),
            font,
            data,
        }
    }

    /// True when the font has a glyph for `c`.
    pub fn has(&self, c: char) -> bool {
        self.font.glyph(c).id().0 != 0
    }

    /// Advance width of `c` in ems.
    pub fn advance(&self, c: char) -> f64 {
        f64::from(
            self.font
                .glyph(c)
                .scaled(self.scale)
                .h_metrics()
                .advance_width,
        )
    }

    /// The font file reduced to the glyphs of `chars` (plus .notdef), with a cmap for them.
    pub fn subset(&self, chars: &BTreeSet<char>) -> Result<Vec<u8>, String> {
        let mut glyphs: Vec<u16> = vec![0];
        let mut seen = BTreeSet::new();
        for c in chars {
            let id = self.font.glyph(*c).id().0;
            // Glyph ids of a TrueType font fit in 16 bits.
            if let Ok(id) = u16::try_from(id)
                && id != 0
                && seen.insert(id)
            {
                glyphs.push(id);
            }
        }
        let file = ReadScope::new(self.data)
            .read::<FontData<'_>>()
            .map_err(|e| format!("reading the font: {e}"))?;
        let provider = file
            .table_provider(0)
            .map_err(|e| format!("reading the font tables: {e}"))?;
        if !provider.has_table(allsorts::tag::GLYF) {
            return Err("the font has no TrueType outlines".into());
        }
        subset(&provider, &glyphs, &SubsetProfile::Pdf, CmapTarget::Unicode)
            .map_err(|e| format!("subsetting the font: {e:?}"))
    }
}

/// The regular face.
pub static REGULAR_FACE: LazyLock<Face> = LazyLock::new(|| Face::load(REGULAR));
/// The bold face.
pub static BOLD_FACE: LazyLock<Face> = LazyLock::new(|| Face::load(BOLD));
/// The ideograph fallback face.
pub static CJK_FACE: LazyLock<Face> = LazyLock::new(|| Face::load(CJK));
/// The symbol and emoji fallback face.
pub static SYMBOL_FACE: LazyLock<Face> = LazyLock::new(|| Face::load(SYMBOLS));

/// The face for a style.
pub fn face(bold: bool) -> &'static Face {
    if bold { &BOLD_FACE } else { &REGULAR_FACE }
}

/// Characters with no width and no glyph of their own (joiners, variation selectors,
/// direction marks): removed before layout rather than shown as missing.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}'
        | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}'
        | '\u{E0000}'..='\u{E01EF}')
}

/// Spaces other than the ordinary one, printed as an ordinary space.
fn is_other_space(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}'
    )
}

/// True when [`printable`] prints `c` as its code point: a visible character that no
/// bundled font (main or fallback) has.
pub fn is_unprintable(c: char) -> bool {
    !(c.is_control() || is_invisible(c) || is_other_space(c)) && slot_of(c).is_none()
}

/// The characters of `text` that a PDF prints as their code points (`[U+1FAE0]`), the
/// same check [`printable`] makes, without building a document: what a download page
/// names before the organizer downloads. Each distinct character is looked up once.
pub fn unprintable(text: &str) -> BTreeSet<char> {
    let distinct: BTreeSet<char> = text.chars().collect();
    distinct
        .into_iter()
        .filter(|c| is_unprintable(*c))
        .collect()
}

/// Text made safe to print: tabs become spaces, invisible and control characters go,
/// and a character no bundled font has (main or fallback) is printed as its code point
/// (`[U+1FAE0]`, see [`code_point`]) and reported once in `missing`.
pub fn printable(text: &str, missing: &mut BTreeSet<char>) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            '\r' => {}
            // No-break and other spaces print as an ordinary space.
            c if is_other_space(c) => out.push(' '),
            c if c.is_control() || is_invisible(c) => {}
            c if !is_unprintable(c) => out.push(c),
            c => {
                missing.insert(c);
                out.push_str(&code_point(c));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fonts_cover_japanese_and_the_marks_we_print() {
        for c in "あア漢字。、「」・〓□■→★○◯…―ー①②ⅠＡａ0123456789/（）".chars()
        {
            assert!(REGULAR_FACE.has(c), "regular lacks {c}");
            assert!(BOLD_FACE.has(c), "bold lacks {c}");
        }
        assert!(REGULAR_FACE.advance('あ') > 0.8, "full-width kana");
        assert!(REGULAR_FACE.advance('i') < 0.5, "proportional Latin");
    }

    #[test]
    fn fallback_fonts_draw_what_the_main_font_lacks() {
        for (c, slot) in [
            ('あ', Slot::Main),
            ('𠮷', Slot::Cjk),
            ('髙', Slot::Main),
            ('﨑', Slot::Main),
            ('🍣', Slot::Symbols),
            ('😀', Slot::Symbols),
        ] {
            assert_eq!(slot_of(c), Some(slot), "{c}");
        }
        let mut missing = BTreeSet::new();
        let text = printable("花😀子\u{FE0F}\tさん\u{200B}𠮷", &mut missing);
        assert_eq!(text, "花😀子 さん𠮷");
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn a_character_no_font_has_is_printed_as_its_code_point() {
        let mut missing = BTreeSet::new();
        // U+1FAE0 (melting face, Unicode 14) is newer than the symbol font.
        let text = printable("花\u{1FAE0}子", &mut missing);
        assert_eq!(text, "花[U+1FAE0]子");
        assert_eq!(missing.into_iter().collect::<Vec<_>>(), ['\u{1FAE0}']);
    }

    #[test]
    fn unprintable_names_what_printable_replaces() {
        let text = "𠮷野\u{1FAE0}さん\u{FE0F}\t\u{00A0}🍣\u{1FAE0}\u{E0100}";
        let mut missing = BTreeSet::new();
        printable(text, &mut missing);
        assert_eq!(unprintable(text), missing);
        assert_eq!(
            unprintable(text).into_iter().collect::<Vec<_>>(),
            ['\u{1FAE0}']
        );
        assert!(unprintable("").is_empty());
    }

    #[test]
    fn a_subset_keeps_a_cmap_that_maps_the_text() {
        let chars: BTreeSet<char> = "人生会議ACP".chars().collect();
        let data = REGULAR_FACE.subset(&chars).expect("subset");
        assert!(data.len() < 40_000, "{} bytes", data.len());
        let font = rusttype::Font::from_bytes(data).expect("loads");
        for c in chars {
            assert_ne!(font.glyph(c).id().0, 0, "{c} is mapped");
        }
        assert_eq!(font.glyph('猫').id().0, 0, "other glyphs are gone");
    }
}
