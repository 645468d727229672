//! The one place genpdf (and printpdf and lopdf under it) is used: draws laid-out pages
//! and finishes the file. Replacing the renderer means replacing this file.
//!
//! Workarounds for genpdf 0.2, all kept here:
//! - text is drawn line by line at positions the layout computed, so genpdf's own line
//!   breaking (which drops unspaced Japanese text) is never used;
//! - fonts are subset before embedding (genpdf embeds whole fonts, once per style), and
//!   the two italic slots genpdf insists on are removed from the file afterwards;
//! - genpdf cannot set line widths: rules are stroked in sentinel colours that are
//!   rewritten into a real colour and width in the content streams;
//! - printpdf writes the title as raw UTF-8 and streams uncompressed: the file is read
//!   back with lopdf, the title rewritten as UTF-16, an outline added, streams compressed.

use std::collections::BTreeSet;

use genpdf::fonts::{FontCache, FontData, FontFamily};
use genpdf::render::Renderer;
use genpdf::style::{Color, Style};
use genpdf::{Mm, Position, Size};
use lopdf::{Dictionary, Object, ObjectId, StringFormat};

use super::fonts::{BOLD_FACE, CJK_FACE, Face, REGULAR_FACE, SYMBOL_FACE, Slot, slot_of};
use super::layout::{Op, Pen};
use super::linebreak::{MM_PER_PT, text_width};
use super::model::Tone;

/// A heading for the PDF outline (bookmarks).
#[derive(Debug, Clone)]
pub struct OutlineEntry {
    /// 1 or 2.
    pub level: u8,
    /// The heading.
    pub title: String,
    /// 0-based page.
    pub page: usize,
    /// Distance from the top of the page, in millimetres.
    pub y: f64,
}

/// What the finished file is made of.
pub struct Output<'a> {
    /// Document title.
    pub title: &'a str,
    /// Language tag.
    pub lang: &'a str,
    /// Page size in millimetres.
    pub size: (f64, f64),
    /// Each page's drawing, in page coordinates (mm from the top left).
    pub pages: &'a [Vec<Op>],
    /// Headings for the outline.
    pub outline: &'a [OutlineEntry],
}

/// Sentinel stroke colours, one per pen, and what each becomes in the file.
const PENS: [(Pen, (u8, u8, u8), &str); 3] = [
    (Pen::Frame, (3, 0, 3), "0.15 0.15 0.15 RG 0.6 w"),
    (Pen::Hair, (5, 0, 3), "0.6 0.6 0.6 RG 0.35 w"),
    (Pen::Strong, (8, 0, 3), "0.1 0.2 0.45 RG 1.4 w"),
];

fn tone_color(tone: Tone) -> Option<Color> {
    match tone {
        Tone::Normal => None,
        Tone::Muted => Some(Color::Rgb(95, 95, 95)),
        Tone::Accent => Some(Color::Rgb(25, 55, 115)),
    }
}

/// Draws the pages and returns the finished PDF file.
pub fn write(out: &Output<'_>, progress: &mut dyn FnMut(usize)) -> Result<Vec<u8>, String> {
    // Only the characters actually printed go into each font: the main regular and
    // bold, then the ideograph and the symbol fallbacks (see `fonts::slot_of`).
    let mut chars: [BTreeSet<char>; 4] = std::array::from_fn(|_| BTreeSet::from([' ']));
    for op in out.pages.iter().flatten() {
        if let Op::Text { bold, text, .. } = op {
            for c in text.chars() {
                chars[font_index(slot_of(c).unwrap_or(Slot::Main), *bold)].insert(c);
            }
        }
    }
    let faces = [&*REGULAR_FACE, &*BOLD_FACE, &*CJK_FACE, &*SYMBOL_FACE];
    let mut subsets = Vec::new();
    let mut unicode = Vec::new();
    for (face, chars) in faces.iter().zip(&chars) {
        let subset = face.subset(chars)?;
        unicode.push(to_unicode(&subset, chars)?);
        subsets.push(subset);
    }
    let data = |bytes: Vec<u8>| FontData::new(bytes, None).map_err(|e| format!("font: {e}"));
    // genpdf wants four styles. The slots never drawn with (italics; the bold of a
    // fallback, which has one weight) are declared as built-in PDF fonts, which keeps
    // printpdf from embedding them (and from scanning every Unicode code point for their
    // glyphs); they are removed from the file afterwards.
    let unused = || {
        FontData::new(subsets[0].clone(), Some(printpdf::BuiltinFont::Helvetica))
            .map_err(|e| format!("font: {e}"))
    };
    let family = FontFamily {
        italic: unused()?,
        bold_italic: unused()?,
        regular: data(subsets[0].clone())?,
        bold: data(subsets[1].clone())?,
    };
    let fallback = |bytes: &Vec<u8>| -> Result<FontFamily<FontData>, String> {
        Ok(FontFamily {
            regular: data(bytes.clone())?,
            bold: unused()?,
            italic: unused()?,
            bold_italic: unused()?,
        })
    };
    let (cjk, symbols) = (fallback(&subsets[2])?, fallback(&subsets[3])?);
    let size = Size::new(out.size.0, out.size.1);
    let renderer = Renderer::new(size, out.title).map_err(|e| format!("renderer: {e}"))?;
    let mut renderer = renderer.with_conformance(printpdf::PdfConformance::Custom(
        printpdf::CustomPdfConformance {
            requires_icc_profile: false,
            requires_xmp_metadata: false,
            ..Default::default()
        },
    ));
    let mut cache = FontCache::new(family);
    let cjk = cache.add_font_family(cjk);
    let symbols = cache.add_font_family(symbols);
    cache
        .load_pdf_fonts(&renderer)
        .map_err(|e| format!("fonts: {e}"))?;
    let family = cache.default_font_family();
    // genpdf puts the baseline one glyph height below the given top, each font its own.
    let glyph_mm =
        |face: &Face, size: u8| (face.ascent - face.descent) * f64::from(size) * MM_PER_PT;
    for (index, ops) in out.pages.iter().enumerate() {
        if index > 0 {
            renderer.add_page(size);
        }
        let area = renderer.last_page().last_layer().area();
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    bold,
                    tone,
                    text,
                } => {
                    // Each run of characters one font draws, at the x the layout
                    // measured it at (with the same widths).
                    let mut left = *x;
                    for (slot, run) in runs(text) {
                        let fonts = match slot {
                            Slot::Main => family,
                            Slot::Cjk => cjk,
                            Slot::Symbols => symbols,
                        };
                        let mut style = Style::new().with_font_family(fonts).with_font_size(*size);
                        if *bold && slot == Slot::Main {
                            style = style.bold();
                        }
                        if let Some(color) = tone_color(*tone) {
                            style = style.with_color(color);
                        }
                        let top = y - glyph_mm(slot.face(*bold), *size);
                        let drawn = area
                            .print_str(
                                &cache,
                                Position::new(Mm::from(left), Mm::from(top)),
                                style,
                                &run,
                            )
                            .map_err(|e| format!("text: {e}"))?;
                        if !drawn {
                            return Err(format!(
                                "text below the page on page {}: {text}",
                                index + 1
                            ));
                        }
                        left += text_width(&run, *bold, *size);
                    }
                }
                Op::Rule {
                    x1,
                    y1,
                    x2,
                    y2,
                    pen,
                } => {
                    let (_, (r, g, b), _) = PENS
                        .iter()
                        .find(|(p, _, _)| p == pen)
                        .copied()
                        .unwrap_or(PENS[0]);
                    area.draw_line(
                        vec![Position::new(*x1, *y1), Position::new(*x2, *y2)],
                        Style::new().with_color(Color::Rgb(r, g, b)),
                    );
                }
            }
        }
        progress(index + 1);
    }
    let mut raw = Vec::new();
    renderer
        .write(&mut raw)
        .map_err(|e| format!("writing: {e}"))?;
    finish(&raw, out, &unicode)
}

/// Where the subset of a font is in the list `write` makes: main regular, main bold,
/// ideograph fallback, symbol fallback.
fn font_index(slot: Slot, bold: bool) -> usize {
    match slot {
        Slot::Main => usize::from(bold),
        Slot::Cjk => 2,
        Slot::Symbols => 3,
    }
}

/// `text` cut into runs that one font draws each.
fn runs(text: &str) -> Vec<(Slot, String)> {
    let mut out: Vec<(Slot, String)> = Vec::new();
    for c in text.chars() {
        let slot = slot_of(c).unwrap_or(Slot::Main);
        match out.last_mut() {
            Some((last, run)) if *last == slot => run.push(c),
            _ => out.push((slot, c.to_string())),
        }
    }
    out
}

/// Each glyph of a subset font with the character it was drawn for.
fn to_unicode(font: &[u8], chars: &BTreeSet<char>) -> Result<Vec<(u16, char)>, String> {
    let font = rusttype::Font::from_bytes(font).map_err(|e| format!("subset font: {e}"))?;
    // Where two characters of the text share a glyph, the ordinary one wins over a
    // Kangxi radical or a compatibility ideograph.
    let odd = |c: char| matches!(c, '\u{2E80}'..='\u{2FDF}' | '\u{F900}'..='\u{FAFF}' | '\u{2F800}'..='\u{2FA1F}');
    let mut map: std::collections::BTreeMap<u16, char> = std::collections::BTreeMap::new();
    for c in chars {
        if let Ok(id) = u16::try_from(font.glyph(*c).id().0)
            && id != 0
        {
            match map.get(&id) {
                Some(seen) if !odd(*seen) || odd(*c) => {}
                _ => {
                    map.insert(id, *c);
                }
            }
        }
    }
    Ok(map.into_iter().collect())
}

/// A ToUnicode CMap: glyph id to the text it stands for, in UTF-16 as PDF requires.
///
/// printpdf writes its own from the font's cmap, which breaks text extraction twice: it
/// writes characters beyond U+FFFF as five hex digits instead of a surrogate pair, and
/// where several characters share a glyph (一 and the radical ⼀, compatibility kanji)
/// it picks the highest code point rather than the one in the text.
fn unicode_cmap(map: &[(u16, char)]) -> Vec<u8> {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for block in map.chunks(100) {
        out.push_str(&format!("{} beginbfchar\n", block.len()));
        for (gid, c) in block {
            let mut units = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            out.push_str(&format!("<{gid:04X}> <{hex}>\n"));
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out.into_bytes()
}

/// `{:.02?}` is how lopdf writes reals: the sentinel colours as they appear in a stream.
fn sentinel(rgb: (u8, u8, u8)) -> Vec<u8> {
    let f = |c: u8| format!("{:.02?}", f64::from(c) / 255.0);
    format!("{} {} {} RG", f(rgb.0), f(rgb.1), f(rgb.2)).into_bytes()
}

fn replace_all(haystack: &[u8], from: &[u8], to: &[u8]) -> Option<Vec<u8>> {
    let first = haystack.windows(from.len()).position(|w| w == from)?;
    let mut out = Vec::with_capacity(haystack.len() + 64);
    out.extend_from_slice(&haystack[..first]);
    let mut rest = &haystack[first..];
    while !rest.is_empty() {
        if rest.starts_with(from) {
            out.extend_from_slice(to);
            rest = &rest[from.len()..];
        } else {
            out.push(rest[0]);
            rest = &rest[1..];
        }
    }
    Some(out)
}

/// A PDF text string: UTF-16BE with a byte-order mark, which every viewer reads.
pub fn text_string(text: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// Reads the file back, fixes what printpdf leaves, compresses, and writes it again.
fn finish(raw: &[u8], out: &Output<'_>, unicode: &[Vec<(u16, char)>]) -> Result<Vec<u8>, String> {
    let mut doc = lopdf::Document::load_mem(raw).map_err(|e| format!("reading back: {e}"))?;
    let pens: Vec<(Vec<u8>, &str)> = PENS
        .iter()
        .map(|(_, rgb, real)| (sentinel(*rgb), *real))
        .collect();
    let pages: Vec<ObjectId> = doc.page_iter().collect();
    for page in &pages {
        for content in doc.get_page_contents(*page) {
            if let Ok(Object::Stream(stream)) = doc.get_object_mut(content) {
                let mut bytes = std::mem::take(&mut stream.content);
                for (from, to) in &pens {
                    if let Some(changed) = replace_all(&bytes, from, to.as_bytes()) {
                        bytes = changed;
                    }
                }
                stream.set_plain_content(bytes);
            }
        }
    }
    // Drop the unused italic slots (built-in Type 1 fonts): every page shares one font
    // dictionary, and only our two embedded fonts are drawn with.
    if let Some(first) = pages.first() {
        let font_dict = doc
            .get_dictionary(*first)
            .ok()
            .and_then(|p| p.get(b"Resources").ok())
            .and_then(|r| r.as_reference().ok())
            .and_then(|r| doc.get_dictionary(r).ok())
            .and_then(|r| r.get(b"Font").ok())
            .and_then(|f| f.as_reference().ok());
        if let Some(id) = font_dict {
            let unused: Vec<Vec<u8>> = doc
                .get_dictionary(id)
                .map(|fonts| {
                    fonts
                        .iter()
                        .filter(|(_, font)| {
                            let font = match font {
                                Object::Reference(r) => doc.get_dictionary(*r).ok(),
                                Object::Dictionary(d) => Some(d),
                                _ => None,
                            };
                            font.and_then(|f| f.get(b"Subtype").ok())
                                .and_then(|s| s.as_name().ok())
                                == Some(b"Type1".as_slice())
                        })
                        .map(|(name, _)| name.clone())
                        .collect()
                })
                .unwrap_or_default();
            if let Ok(Object::Dictionary(fonts)) = doc.get_object_mut(id) {
                for name in unused {
                    fonts.remove(&name);
                }
            }
            // printpdf names fonts F0, F1… in the order genpdf loads them (the built-in
            // ones, removed above, take numbers too): the embedded ones, in number order,
            // are the main regular and bold, then the ideograph and symbol fallbacks, the
            // order of `unicode`.
            let mut embedded: Vec<(u32, ObjectId)> = doc
                .get_dictionary(id)
                .map(|fonts| {
                    fonts
                        .iter()
                        .filter_map(|(_, font)| {
                            let font = doc.get_dictionary(font.as_reference().ok()?).ok()?;
                            let name = font.get(b"BaseFont").ok()?.as_name().ok()?;
                            let number = std::str::from_utf8(name.strip_prefix(b"F")?)
                                .ok()?
                                .parse()
                                .ok()?;
                            Some((number, font.get(b"ToUnicode").ok()?.as_reference().ok()?))
                        })
                        .collect()
                })
                .unwrap_or_default();
            embedded.sort();
            let to_unicode: Vec<(usize, ObjectId)> = embedded
                .into_iter()
                .enumerate()
                .map(|(style, (_, stream))| (style, stream))
                .collect();
            for (style, stream) in to_unicode {
                if let Ok(Object::Stream(stream)) = doc.get_object_mut(stream)
                    && let Some(map) = unicode.get(style)
                {
                    stream.set_plain_content(unicode_cmap(map));
                }
            }
        }
    }
    // Metadata: a title viewers can read, no false PDF/X claim, our name as producer.
    let info = doc.trailer.get(b"Info").and_then(Object::as_reference).ok();
    if let Some(id) = info
        && let Ok(Object::Dictionary(info)) = doc.get_object_mut(id)
    {
        info.set("Title", text_string(out.title));
        info.remove(b"GTS_PDFXVersion");
        info.set("Producer", text_string("acp-workbook"));
        info.set("Creator", text_string("acp-workbook"));
    }
    add_outline(&mut doc, &pages, out)?;
    let catalog = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|e| format!("catalog: {e}"))?;
    if let Ok(Object::Dictionary(catalog)) = doc.get_object_mut(catalog) {
        catalog.set("Lang", text_string(out.lang));
        // Show the title, not the file name, in the viewer's window.
        let mut prefs = Dictionary::new();
        prefs.set("DisplayDocTitle", true);
        catalog.set("ViewerPreferences", prefs);
    }
    doc.prune_objects();
    compress(&mut doc);
    let mut bytes = Vec::with_capacity(raw.len() / 3);
    doc.save_to(&mut bytes)
        .map_err(|e| format!("saving: {e}"))?;
    Ok(bytes)
}

/// Deflates every stream that is not compressed yet, on two threads. lopdf's own
/// `compress` uses the slowest level, which takes longer than all of the layout for a
/// few percent of size.
fn compress(doc: &mut lopdf::Document) {
    use std::io::Write;
    fn deflate(stream: &mut lopdf::Stream) {
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
        if encoder.write_all(&stream.content).is_err() {
            return;
        }
        if let Ok(packed) = encoder.finish()
            && packed.len() + 19 < stream.content.len()
        {
            stream.set_content(packed);
            stream
                .dict
                .set("Filter", Object::Name(b"FlateDecode".to_vec()));
        }
    }
    let mut streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|o| match o {
            Object::Stream(s) if s.dict.get(b"Filter").is_err() => Some(s),
            _ => None,
        })
        .collect();
    // Largest first, dealt alternately to the two threads.
    streams.sort_by_key(|s| std::cmp::Reverse(s.content.len()));
    let (mut a, mut b): (Vec<_>, Vec<_>) = (Vec::new(), Vec::new());
    for (i, s) in streams.into_iter().enumerate() {
        if i % 2 == 0 { a.push(s) } else { b.push(s) }
    }
    std::thread::scope(|scope| {
        scope.spawn(|| a.into_iter().for_each(deflate));
        b.into_iter().for_each(deflate);
    });
}

/// Builds the outline (bookmarks) from the listed headings, level 2 under level 1.
fn add_outline(
    doc: &mut lopdf::Document,
    pages: &[ObjectId],
    out: &Output<'_>,
) -> Result<(), String> {
    if out.outline.is_empty() {
        return Ok(());
    }
    let root = doc.new_object_id();
    // (id, children ids) for top-level entries.
    let mut tops: Vec<(ObjectId, Vec<ObjectId>)> = Vec::new();
    let mut dicts: Vec<(ObjectId, Dictionary)> = Vec::new();
    for entry in out.outline {
        let Some(page) = pages.get(entry.page) else {
            continue;
        };
        let id = doc.new_object_id();
        let mut dict = Dictionary::new();
        dict.set("Title", text_string(&entry.title));
        let top = (out.size.1 - entry.y) / MM_PER_PT;
        dict.set(
            "Dest",
            Object::Array(vec![
                Object::Reference(*page),
                Object::Name(b"XYZ".to_vec()),
                Object::Null,
                Object::Real(top),
                Object::Null,
            ]),
        );
        if entry.level <= 1 || tops.is_empty() {
            dict.set("Parent", root);
            tops.push((id, Vec::new()));
        } else if let Some((parent, children)) = tops.last_mut() {
            dict.set("Parent", *parent);
            children.push(id);
        }
        dicts.push((id, dict));
    }
    let link = |ids: &[ObjectId], dicts: &mut Vec<(ObjectId, Dictionary)>| {
        for (i, id) in ids.iter().enumerate() {
            if let Some((_, dict)) = dicts.iter_mut().find(|(d, _)| d == id) {
                if i > 0 {
                    dict.set("Prev", ids[i - 1]);
                }
                if let Some(next) = ids.get(i + 1) {
                    dict.set("Next", *next);
                }
            }
        }
    };
    let top_ids: Vec<ObjectId> = tops.iter().map(|(id, _)| *id).collect();
    link(&top_ids, &mut dicts);
    for (parent, children) in &tops {
        if children.is_empty() {
            continue;
        }
        link(children, &mut dicts);
        if let Some((_, dict)) = dicts.iter_mut().find(|(d, _)| d == parent) {
            dict.set("First", children[0]);
            dict.set("Last", children[children.len() - 1]);
            // Negative: shown closed, so a long contents list stays readable.
            dict.set("Count", -(children.len() as i64));
        }
    }
    for (id, dict) in dicts {
        doc.objects.insert(id, Object::Dictionary(dict));
    }
    let mut outlines = Dictionary::new();
    outlines.set("Type", Object::Name(b"Outlines".to_vec()));
    outlines.set("First", top_ids[0]);
    outlines.set("Last", top_ids[top_ids.len() - 1]);
    outlines.set("Count", top_ids.len() as i64);
    doc.objects.insert(root, Object::Dictionary(outlines));
    let catalog = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|e| format!("catalog: {e}"))?;
    if let Ok(Object::Dictionary(catalog)) = doc.get_object_mut(catalog) {
        catalog.set("Outlines", root);
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    Ok(())
}
