//! Typesets workbook PDFs in Japanese and English from a small document model.
//!
//! The workbook builders (`crate::workbook`) describe a document as [`Doc`] blocks; this
//! module checks every character against the bundled fonts (the main family, then
//! the fallbacks; a character in none is printed as `[U+XXXX]`, listed on the first
//! page and in a warning), breaks lines with kinsoku, lays out pages with a running
//! header, page numbers and a table of contents, and hands the drawing to the backend,
//! the only file that knows genpdf. Rendering is synchronous and memory-hungry (a few
//! hundred KB per page): servers run it on a blocking thread and hold a [`job`] slot.

mod backend;
mod fonts;
mod layout;
mod linebreak;
pub mod model;

use std::collections::BTreeSet;

use tokio::sync::{Semaphore, SemaphorePermit};

pub use fonts::{FALLBACK, code_point, unprintable};
pub use model::*;

use crate::lang::Lang;
use layout::{Item, Op, PageFlow, Pen, flow, paginate};
use linebreak::text_width;

/// Longest document rendered, in pages: a bound on memory and time per job.
pub const MAX_PAGES: usize = 1000;

/// Renders allowed at once in one process; more wait for nothing and are told to retry.
pub const MAX_JOBS: usize = 2;

static JOBS: Semaphore = Semaphore::const_new(MAX_JOBS);

/// Takes a render slot, or `None` when [`MAX_JOBS`] renders are running.
pub fn job() -> Option<SemaphorePermit<'static>> {
    JOBS.try_acquire().ok()
}

/// Paper sizes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Paper {
    /// A4, 210 × 297 mm.
    #[default]
    A4,
    /// JIS B5, 182 × 257 mm (the usual Japanese B5).
    B5,
}

impl Paper {
    /// Parses `a4` or `b5` (any case).
    pub fn parse(text: &str) -> Option<Paper> {
        match text.to_ascii_lowercase().as_str() {
            "a4" => Some(Paper::A4),
            "b5" => Some(Paper::B5),
            _ => None,
        }
    }

    /// Width and height in millimetres.
    pub fn size(self) -> (f64, f64) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::B5 => (182.0, 257.0),
        }
    }

    /// Margins: top, right, bottom, left.
    fn margins(self) -> (f64, f64, f64, f64) {
        match self {
            Paper::A4 => (20.0, 18.0, 18.0, 18.0),
            Paper::B5 => (17.0, 14.0, 15.0, 14.0),
        }
    }
}

/// Which way the paper is turned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Orientation {
    /// Taller than wide.
    #[default]
    Portrait,
    /// Wider than tall: room for a wide table.
    Landscape,
}

impl Orientation {
    /// Parses `portrait` or `landscape` (any case; also 縦 and 横).
    pub fn parse(text: &str) -> Option<Orientation> {
        match text.trim().to_ascii_lowercase().as_str() {
            "portrait" | "縦" => Some(Orientation::Portrait),
            "landscape" | "横" => Some(Orientation::Landscape),
            _ => None,
        }
    }
}

/// What a render is doing, for progress displays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Laying out text.
    Layout,
    /// Drawing page `page` of `pages`.
    Draw {
        /// Pages drawn.
        page: usize,
        /// Pages in all.
        pages: usize,
    },
    /// Subsetting, compressing and writing the file.
    Finish,
}

/// A finished PDF.
#[derive(Debug, Clone)]
pub struct Pdf {
    /// The file.
    pub bytes: Vec<u8>,
    /// Number of pages.
    pub pages: usize,
    /// Characters no bundled font has (main or fallback), printed as their code points
    /// (`[U+1FAE0]`) and listed on the first page.
    pub missing: Vec<char>,
}

impl Pdf {
    /// Human-readable warnings (empty when nothing was replaced).
    pub fn warnings(&self) -> Vec<String> {
        if self.missing.is_empty() {
            return Vec::new();
        }
        let list: Vec<String> = self
            .missing
            .iter()
            .map(|c| format!("{c} (U+{:04X})", u32::from(*c)))
            .collect();
        vec![format!(
            "{} character(s) are in none of the bundled fonts and were printed as their code points ([U+…]): {}",
            self.missing.len(),
            list.join(", ")
        )]
    }
}

/// The first-page notice of a document with characters no bundled font has.
fn unprintable_notice(lang: Lang, missing: &BTreeSet<char>) -> String {
    let list: Vec<String> = missing.iter().map(|c| fonts::code_point(*c)).collect();
    match lang {
        Lang::En => format!(
            "{} character(s) could not be printed and are shown as their code points: {}",
            missing.len(),
            list.join(" ")
        ),
        Lang::Ja => format!(
            "印刷できない文字が{}種類あり、文字の番号で示しています：{}",
            missing.len(),
            list.join(" ")
        ),
    }
}

/// Why a document could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The document is longer than [`MAX_PAGES`].
    #[error("the document would have {pages} pages; at most {max} can be made at once")]
    TooLong {
        /// Pages it would have.
        pages: usize,
        /// The limit.
        max: usize,
    },
    /// The renderer failed.
    #[error("the PDF could not be made: {0}")]
    Render(String),
}

/// Replaces characters the fonts cannot print, in every text of the document.
fn clean(doc: &mut Doc, missing: &mut BTreeSet<char>) {
    fn blocks(list: &mut [Block], missing: &mut BTreeSet<char>) {
        for block in list {
            match block {
                Block::Heading(h) => {
                    h.text = fonts::printable(&h.text, missing);
                    h.label = fonts::printable(&h.label, missing);
                }
                Block::Para(p) => {
                    for span in &mut p.spans {
                        span.text = fonts::printable(&span.text, missing);
                    }
                }
                Block::List(l) => {
                    for item in &mut l.items {
                        blocks(item, missing);
                    }
                }
                Block::Table(t) => {
                    for row in t.header.iter_mut().chain(t.rows.iter_mut()) {
                        for cell in row {
                            blocks(&mut cell.blocks, missing);
                        }
                    }
                }
                Block::Keep(inner) => blocks(inner, missing),
                Block::Lines(_) | Block::Space(_) | Block::PageBreak => {}
            }
        }
    }
    doc.title = fonts::printable(&doc.title, missing).replace('\n', " ");
    doc.kind = fonts::printable(&doc.kind, missing).replace('\n', " ");
    if let Some(c) = &mut doc.contents {
        *c = fonts::printable(c, missing);
    }
    blocks(&mut doc.cover, missing);
    blocks(&mut doc.body, missing);
}

/// Shortens `text` with … to fit `width` mm at `size` points.
fn fit(text: &str, size: u8, width: f64) -> String {
    if text_width(text, false, size) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let limit = width - text_width("…", false, size);
    for c in text.chars() {
        if text_width(&out, false, size) + linebreak::char_width(c, false, size) > limit {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// The table of contents as blocks, with `number(i)` as the page of entry `i`.
fn contents(title: &str, entries: &[(u8, String)], number: impl Fn(usize) -> String) -> Vec<Block> {
    let mut table = Table::new(vec![12.0, 1.2]).border(Border::None);
    for (i, (level, text)) in entries.iter().enumerate() {
        let entry = if *level <= 1 {
            Para::new(vec![Span::bold(text.clone())])
        } else {
            Para::new(vec![Span::plain(format!("　{text}"))])
        };
        table.rows.push(vec![
            Cell::new(vec![entry.after(0.0).into()]),
            Cell::new(vec![
                Para::text(number(i)).align(Align::Right).after(0.0).into(),
            ]),
        ]);
    }
    vec![
        Heading::new(1, title).unlisted().into(),
        Block::Table(table),
    ]
}

/// Typesets `doc` on `paper`, portrait.
pub fn render(doc: &Doc, paper: Paper, progress: &mut dyn FnMut(Stage)) -> Result<Pdf, PdfError> {
    render_turned(doc, paper, Orientation::Portrait, progress)
}

/// Typesets `doc` on `paper` turned `orientation` (the margins stay as they are).
pub fn render_turned(
    doc: &Doc,
    paper: Paper,
    orientation: Orientation,
    progress: &mut dyn FnMut(Stage),
) -> Result<Pdf, PdfError> {
    progress(Stage::Layout);
    let mut doc = doc.clone();
    let mut missing = BTreeSet::new();
    clean(&mut doc, &mut missing);
    if !missing.is_empty() {
        // Said on the first page too, so whoever prints the file knows before reading.
        let notice = Para::new(vec![Span::bold(unprintable_notice(doc.lang, &missing))]).after(3.0);
        let first = if doc.cover.is_empty() {
            &mut doc.body
        } else {
            &mut doc.cover
        };
        first.insert(0, notice.into());
    }
    let (page_w, page_h) = match (paper.size(), orientation) {
        ((w, h), Orientation::Portrait) => (w, h),
        ((w, h), Orientation::Landscape) => (h, w),
    };
    let (top, right, bottom, left) = paper.margins();
    let width = page_w - left - right;
    let body_h = page_h - top - bottom;

    let cover = paginate(flow(&doc.cover, width), body_h);
    let body = paginate(flow(&doc.body, width), body_h);
    let marks: Vec<(usize, f64, layout::Mark)> = body
        .iter()
        .enumerate()
        .flat_map(|(p, page)| {
            page.items
                .iter()
                .filter_map(move |placed| placed.item.mark.clone().map(|m| (p, placed.y, m)))
        })
        .collect();
    let entries: Vec<(u8, String)> = marks
        .iter()
        .map(|(_, _, m)| (m.level, m.title.clone()))
        .collect();
    let front = if doc.cover.is_empty() { 0 } else { cover.len() };
    let toc = match &doc.contents {
        Some(title) if !entries.is_empty() => {
            // The contents' own length does not depend on the numbers (a fixed column).
            let draft = paginate(
                flow(&contents(title, &entries, |_| "000".into()), width),
                body_h,
            );
            let offset = front + draft.len();
            paginate(
                flow(
                    &contents(title, &entries, |i| (offset + marks[i].0 + 1).to_string()),
                    width,
                ),
                body_h,
            )
        }
        _ => Vec::new(),
    };
    let mut flows: Vec<(bool, PageFlow)> = Vec::new();
    if !doc.cover.is_empty() {
        flows.extend(cover.into_iter().map(|p| (false, p)));
    }
    flows.extend(toc.into_iter().map(|p| (true, p)));
    let body_start = flows.len();
    flows.extend(body.into_iter().map(|p| (true, p)));
    let total = flows.len();
    if total > MAX_PAGES {
        return Err(PdfError::TooLong {
            pages: total,
            max: MAX_PAGES,
        });
    }

    // Place every item on its page and add the running header and the page number.
    let header_size = 8;
    let kind_w = text_width(&doc.kind, false, header_size);
    let title = fit(&doc.title, header_size, width - kind_w - 8.0);
    let pages: Vec<Vec<Op>> = flows
        .into_iter()
        .enumerate()
        .map(|(n, (decorated, page))| {
            let mut ops = Vec::new();
            for placed in page.items {
                place(&mut ops, placed.item, left, top + placed.y);
            }
            ops.extend(page.extra.into_iter().map(|op| shift(op, left, top)));
            if decorated {
                let base = top - 6.0;
                ops.push(Op::Text {
                    x: left,
                    y: base,
                    size: header_size,
                    bold: false,
                    tone: Tone::Muted,
                    text: title.clone(),
                });
                ops.push(Op::Text {
                    x: page_w - right - kind_w,
                    y: base,
                    size: header_size,
                    bold: false,
                    tone: Tone::Muted,
                    text: doc.kind.clone(),
                });
                ops.push(Op::Rule {
                    x1: left,
                    y1: base + 2.0,
                    x2: page_w - right,
                    y2: base + 2.0,
                    pen: Pen::Hair,
                });
                let number = format!("{} / {total}", n + 1);
                let nw = text_width(&number, false, header_size);
                ops.push(Op::Text {
                    x: (page_w - nw) / 2.0,
                    y: page_h - bottom / 2.0 + 1.0,
                    size: header_size,
                    bold: false,
                    tone: Tone::Muted,
                    text: number,
                });
            }
            ops
        })
        .collect();
    let outline: Vec<backend::OutlineEntry> = marks
        .iter()
        .filter(|(_, _, m)| m.level <= 2)
        .map(|(p, y, m)| backend::OutlineEntry {
            level: m.level,
            title: m.title.clone(),
            page: body_start + p,
            y: top + y,
        })
        .collect();
    let output = backend::Output {
        title: &doc.title,
        lang: doc.lang.code(),
        size: (page_w, page_h),
        pages: &pages,
        outline: &outline,
    };
    let bytes = backend::write(&output, &mut |page| {
        progress(Stage::Draw { page, pages: total });
        if page == total {
            progress(Stage::Finish);
        }
    })
    .map_err(PdfError::Render)?;
    Ok(Pdf {
        bytes,
        pages: total,
        missing: missing.into_iter().collect(),
    })
}

fn shift(op: Op, dx: f64, dy: f64) -> Op {
    op.shifted(dx, dy)
}

fn place(ops: &mut Vec<Op>, item: Item, dx: f64, dy: f64) {
    ops.extend(item.ops.into_iter().map(|op| shift(op, dx, dy)));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document with every kind of block.
    pub fn sample() -> Doc {
        let mut body: Vec<Block> = vec![
            Heading::new(1, "ステップ1 開会とミニ講義").label("講義 · 12分").into(),
            Para::new(vec![
                Span::bold("人生の最終段階における医療・ケアの決定プロセスに関するガイドライン"),
                Span::plain("（厚生労働省、2018年改訂）では、本人の意思がいちばん大切です。Advance care planning (ACP) is a process. 絵文字😀と\u{1FAE0}も。"),
            ])
            .into(),
            List::of(
                Marker::Bullet,
                [
                    Para::text("本人の考えは変わります。話し合いは一度で終わらせず、くり返します（人生会議）。"),
                    Para::text("話し合った内容は、そのたびに記録し、共有します。"),
                ],
            )
            .into(),
            Heading::new(2, "問い　フミさんの人生にとっての最善は何だと考えますか").into(),
            Block::Lines(Lines::new(5)),
            List::of(Marker::Tick, [Para::text("胃ろうをつくる"), Para::text("つくらない")]).into(),
            Table::new(vec![1.0, 1.0])
                .row(vec![
                    Cell::new(vec![Para::new(vec![Span::bold("医学的適応")]).into(), Block::Lines(Lines::new(4))]),
                    Cell::new(vec![Para::new(vec![Span::bold("本人の意向")]).into(), Block::Lines(Lines::new(4))]),
                ])
                .row(vec![
                    Cell::new(vec![Para::new(vec![Span::bold("QOL")]).into(), Block::Lines(Lines::new(4))]),
                    Cell::new(vec![Para::new(vec![Span::bold("周囲の状況")]).into(), Block::Lines(Lines::new(4))]),
                ])
                .into(),
        ];
        let mut cards = Table::new(vec![1.0, 1.0, 1.0]).border(Border::Cut);
        cards.gap = 4.0;
        for row in ["家で過ごす", "痛みがない", "家族の負担"].chunks(3) {
            cards.rows.push(
                row.iter()
                    .map(|c| {
                        Cell::new(vec![List::of(Marker::Tick, [Para::text(*c)]).into()])
                            .min_height(18.0)
                    })
                    .collect(),
            );
        }
        body.push(cards.into());
        body.push(
            Table::new(vec![1.0, 4.0])
                .header(vec![Cell::bold("テーブル"), Cell::bold("結論")])
                .row(vec![Cell::text("1"), Cell::text("長い答え。".repeat(300))])
                .into(),
        );
        Doc {
            title: "意思決定支援の基本 ― 本人の意思を中心に".into(),
            kind: "ワークブック".into(),
            lang: Lang::Ja,
            cover: vec![
                Para::new(vec![Span::bold("意思決定支援の基本")])
                    .size(20)
                    .into(),
            ],
            contents: Some("目次".into()),
            body,
        }
    }

    #[test]
    fn a_sample_document_renders() {
        let mut stages = Vec::new();
        let pdf = render(&sample(), Paper::A4, &mut |s| stages.push(s)).expect("pdf");
        assert!(pdf.bytes.starts_with(b"%PDF"));
        assert!(pdf.pages >= 4, "{}", pdf.pages);
        // The emoji is drawn by the symbol fallback; only a character newer than every
        // bundled font is missing, printed as its code point.
        assert_eq!(pdf.missing, ['\u{1FAE0}']);
        assert!(pdf.warnings()[0].contains("U+1FAE0"));
        assert_eq!(stages.first(), Some(&Stage::Layout));
        assert_eq!(stages.last(), Some(&Stage::Finish));
        if let Ok(path) = std::env::var("ACP_PDF_SAMPLE") {
            std::fs::write(path, &pdf.bytes).expect("write sample");
        }
    }
}
