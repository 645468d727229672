//! Page layout: blocks become a flow of items (a line of text, a band of a table row, a
//! ruled line), and the flow is cut into pages.
//!
//! Every item knows whether it must stay on the page of the next one (`keep`): a heading
//! and what follows it, the bands of one table row, the lines of one writing area. A run
//! of kept items that fits on a page is never split; one taller than a page is split
//! between items, and frames left open by the split are closed and reopened.

use super::linebreak::{MM_PER_PT, break_lines, text_width};
use super::model::{Align, Block, Border, Cell, Heading, List, Marker, Para, Span, Table, Tone};

/// Line height as a multiple of the text size (Japanese reads best with generous leading).
const LEADING: f64 = 1.6;
/// Cell padding, horizontal and vertical, in millimetres.
const PAD_X: f64 = 2.0;
const PAD_Y: f64 = 1.6;
/// Indent of list items.
const LIST_INDENT: f64 = 5.5;
/// A table band taller than this is cut even where a line of a cell crosses the cut.
const MAX_BAND: f64 = 30.0;
/// A table at most this tall is kept on one page.
const KEEP_TABLE: f64 = 90.0;

/// How a rule is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pen {
    /// Frames and table lines.
    Frame,
    /// Light lines to write on.
    Hair,
    /// Heavier rule under main headings.
    Strong,
}

/// Something to draw, relative to its item's top left.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// Text with its baseline at `y`.
    Text {
        /// Left edge.
        x: f64,
        /// Baseline.
        y: f64,
        /// Size in points.
        size: u8,
        /// Bold.
        bold: bool,
        /// Colour.
        tone: Tone,
        /// The text.
        text: String,
    },
    /// A straight line.
    Rule {
        /// Start.
        x1: f64,
        /// Start.
        y1: f64,
        /// End.
        x2: f64,
        /// End.
        y2: f64,
        /// Pen.
        pen: Pen,
    },
}

impl Op {
    /// The same op moved by `dx`, `dy`.
    pub fn shifted(mut self, dx: f64, dy: f64) -> Op {
        match &mut self {
            Op::Text { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            Op::Rule { x1, y1, x2, y2, .. } => {
                *x1 += dx;
                *x2 += dx;
                *y1 += dy;
                *y2 += dy;
            }
        }
        self
    }
}

/// A heading's place, for the contents and the outline.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Heading level.
    pub level: u8,
    /// Heading text.
    pub title: String,
}

/// What kind of item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Content.
    Normal,
    /// Space, dropped at the top of a page.
    Space,
    /// A forced page break.
    Break,
}

/// One unit of the page flow.
#[derive(Debug, Clone)]
pub struct Item {
    /// Height in millimetres.
    pub h: f64,
    /// What to draw.
    pub ops: Vec<Op>,
    /// No page break between this item and the next.
    pub keep: bool,
    /// Frames that continue below this item: (left, right) edges.
    pub open: Vec<(f64, f64)>,
    /// A listed heading starts here.
    pub mark: Option<Mark>,
    /// Kind.
    pub kind: Kind,
}

impl Item {
    fn new(h: f64, ops: Vec<Op>) -> Item {
        Item {
            h,
            ops,
            keep: false,
            open: Vec::new(),
            mark: None,
            kind: Kind::Normal,
        }
    }

    fn space(h: f64) -> Item {
        Item {
            kind: Kind::Space,
            ..Item::new(h, Vec::new())
        }
    }

    fn shift(&mut self, dx: f64) {
        if dx == 0.0 {
            return;
        }
        let ops = std::mem::take(&mut self.ops);
        self.ops = ops.into_iter().map(|op| op.shifted(dx, 0.0)).collect();
        for (l, r) in &mut self.open {
            *l += dx;
            *r += dx;
        }
    }
}

/// The baseline of text of `size` points in a line box of `size * LEADING` points.
fn baseline(size: u8) -> f64 {
    let f = super::fonts::face(false);
    let pt = f64::from(size);
    let glyph = (f.ascent - f.descent) * pt;
    ((LEADING * pt - glyph) / 2.0 + f.ascent * pt) * MM_PER_PT
}

/// Height of one line of text at `size` points.
pub fn line_height(size: u8) -> f64 {
    LEADING * f64::from(size) * MM_PER_PT
}

/// Lays out a paragraph's lines at `width`.
fn para(p: &Para, width: f64) -> Vec<Item> {
    let lines = break_lines(&p.spans, p.size, width);
    let h = line_height(p.size);
    let base = baseline(p.size);
    let n = lines.len();
    let mut items: Vec<Item> = lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let dx = match p.align {
                Align::Left => 0.0,
                Align::Center => ((width - line.width) / 2.0).max(0.0),
                Align::Right => (width - line.width).max(0.0),
            };
            let ops = line
                .pieces
                .into_iter()
                .map(|piece| Op::Text {
                    x: dx + piece.x,
                    y: base,
                    size: p.size,
                    bold: piece.bold,
                    tone: piece.tone,
                    text: piece.text,
                })
                .collect();
            let mut item = Item::new(h, ops);
            // No single first or last line of a longer paragraph alone on a page.
            item.keep = n >= 4 && (i == 0 || i + 2 == n);
            item
        })
        .collect();
    if let Some(last) = items.last_mut() {
        last.h += p.after;
    }
    items
}

fn heading(h: &Heading, width: f64) -> Vec<Item> {
    let (size, before, after) = match h.level {
        1 => (15, 4.0, 3.0),
        2 => (12, 5.0, 2.0),
        _ => (10, 3.0, 1.0),
    };
    let mut items = Vec::new();
    if h.new_page {
        items.push(Item {
            kind: Kind::Break,
            ..Item::new(0.0, Vec::new())
        });
    } else {
        items.push(Item::space(before));
    }
    let mut body = Vec::new();
    if !h.label.is_empty() {
        body.extend(para(
            &Para::new(vec![Span {
                text: h.label.clone(),
                bold: false,
                tone: Tone::Accent,
            }])
            .size(9)
            .after(0.0),
            width,
        ));
    }
    body.extend(para(
        &Para::new(vec![Span::bold(h.text.clone())])
            .size(size)
            .after(0.0),
        width,
    ));
    if h.level <= 2 {
        let pen = if h.level == 1 {
            Pen::Strong
        } else {
            Pen::Frame
        };
        let mut rule = Item::new(
            1.2,
            vec![Op::Rule {
                x1: 0.0,
                y1: 0.6,
                x2: width,
                y2: 0.6,
                pen,
            }],
        );
        rule.h += after;
        body.push(rule);
    } else if let Some(last) = body.last_mut() {
        last.h += after;
    }
    for item in &mut body {
        item.keep = true;
    }
    if h.listed
        && let Some(first) = body.first_mut()
    {
        first.mark = Some(Mark {
            level: h.level,
            title: h.text.clone(),
        });
    }
    items.extend(body);
    items
}

fn list(l: &List, width: f64) -> Vec<Item> {
    let mut items = Vec::new();
    for (n, blocks) in l.items.iter().enumerate() {
        let marker = match l.marker {
            Marker::Bullet => "・".to_string(),
            Marker::Number(start) => format!("{}.", start as usize + n),
            Marker::Tick => "□".to_string(),
            Marker::Ticked => "■".to_string(),
        };
        let mut inner = flow(blocks, width - LIST_INDENT);
        for item in &mut inner {
            item.shift(LIST_INDENT);
        }
        // The marker sits on the baseline of the item's first line of text.
        let first_text = inner.iter().enumerate().find_map(|(i, item)| {
            item.ops.iter().find_map(|op| match op {
                Op::Text { y, size, .. } => Some((i, *y, *size)),
                _ => None,
            })
        });
        if let Some((i, y, size)) = first_text {
            let mw = text_width(&marker, false, size);
            inner[i].ops.push(Op::Text {
                x: (LIST_INDENT - mw - 0.8).max(0.0),
                y,
                size,
                bold: false,
                tone: if matches!(l.marker, Marker::Ticked) {
                    Tone::Normal
                } else {
                    Tone::Accent
                },
                text: marker,
            });
        }
        items.extend(inner);
    }
    items
}

fn lines(count: usize, pitch: f64, width: f64) -> Vec<Item> {
    (0..count)
        .map(|_| {
            let mut item = Item::new(
                pitch,
                vec![Op::Rule {
                    x1: 0.0,
                    y1: pitch - 0.3,
                    x2: width,
                    y2: pitch - 0.3,
                    pen: Pen::Hair,
                }],
            );
            item.keep = true;
            item
        })
        .collect()
}

/// A laid-out cell: its items at positions from the cell's content top.
struct CellBox {
    x0: f64,
    x1: f64,
    items: Vec<(f64, Item)>,
    height: f64,
}

fn cell_box(cell: &Cell, x0: f64, x1: f64) -> CellBox {
    let inner = (x1 - x0 - 2.0 * PAD_X).max(4.0);
    let mut y = PAD_Y;
    let mut items = Vec::new();
    for item in flow(&cell.blocks, inner) {
        if item.kind != Kind::Normal && items.is_empty() {
            continue;
        }
        let h = item.h;
        items.push((y, item));
        y += h;
    }
    // Space after the last paragraph is not needed inside a cell.
    let content = y + PAD_Y;
    CellBox {
        x0,
        x1,
        items,
        height: content.max(cell.min_height),
    }
}

/// Splits one row into bands at heights where no line of any cell is cut and no cell
/// parts what it keeps together (a heading from its first lines, a paragraph's first
/// or last line from the rest), or, failing that within [`MAX_BAND`], at any line
/// boundary.
fn row_cuts(cells: &[CellBox], height: f64) -> Vec<f64> {
    let mut bounds: Vec<f64> = cells
        .iter()
        .flat_map(|c| c.items.iter().map(|(y, item)| y + item.h))
        .filter(|y| *y > 0.01 && *y < height - 0.01)
        .collect();
    bounds.sort_by(f64::total_cmp);
    bounds.dedup_by(|a, b| (*a - *b).abs() < 0.01);
    let crosses = |y: f64| {
        cells.iter().any(|c| {
            c.items.iter().enumerate().any(|(i, (top, item))| {
                let bottom = top + item.h;
                let cut = *top < y - 0.01 && bottom > y + 0.01;
                // Ending on a kept item with more of its cell below parts them.
                let parts = item.keep && (bottom - y).abs() < 0.01 && i + 1 < c.items.len();
                cut || parts
            })
        })
    };
    let mut cuts = vec![0.0];
    let mut pending: Vec<f64> = Vec::new();
    for b in bounds {
        if crosses(b) {
            pending.push(b);
            continue;
        }
        let last = *cuts.last().unwrap_or(&0.0);
        if b - last > MAX_BAND {
            // Too tall without a clean cut: fall back to the unclean ones in between.
            let mut from = last;
            for p in pending.drain(..) {
                if p - from >= MAX_BAND / 2.0 {
                    cuts.push(p);
                    from = p;
                }
            }
        }
        pending.clear();
        cuts.push(b);
    }
    let last = *cuts.last().unwrap_or(&0.0);
    if height - last > MAX_BAND {
        let mut from = last;
        for p in pending {
            if p - from >= MAX_BAND / 2.0 {
                cuts.push(p);
                from = p;
            }
        }
    }
    cuts.push(height);
    cuts
}

fn dashed(x1: f64, y1: f64, x2: f64, y2: f64, ops: &mut Vec<Op>) {
    const DASH: f64 = 1.6;
    const GAP: f64 = 1.2;
    let len = ((x2 - x1).powi(2) + (y2 - y1).powi(2)).sqrt();
    if len < 0.01 {
        return;
    }
    let (dx, dy) = ((x2 - x1) / len, (y2 - y1) / len);
    let mut at = 0.0;
    while at < len {
        let end = (at + DASH).min(len);
        ops.push(Op::Rule {
            x1: x1 + dx * at,
            y1: y1 + dy * at,
            x2: x1 + dx * end,
            y2: y1 + dy * end,
            pen: Pen::Frame,
        });
        at = end + GAP;
    }
}

fn table(t: &Table, width: f64) -> Vec<Item> {
    let n = t.columns.len().max(1);
    let total: f64 = t.columns.iter().sum::<f64>().max(f64::EPSILON);
    let usable = width - t.gap * (n as f64 - 1.0);
    let mut edges = vec![0.0];
    for (i, w) in t.columns.iter().enumerate() {
        let left = edges[edges.len() - 1] + if i == 0 { 0.0 } else { t.gap };
        edges.push(left + usable * w / total);
    }
    // Column i spans edges[i] (+ gap) .. edges[i + 1].
    let col_left = |i: usize| edges[i] + if i == 0 { 0.0 } else { t.gap };
    let rows: Vec<(bool, &Vec<Cell>)> = t
        .header
        .iter()
        .map(|h| (true, h))
        .chain(t.rows.iter().map(|r| (false, r)))
        .collect();
    let row_count = rows.len();
    let mut items = Vec::new();
    for (r, (is_header, cells)) in rows.into_iter().enumerate() {
        let mut col = 0;
        let mut boxes = Vec::new();
        for cell in cells {
            if col >= n {
                break;
            }
            let end = (col + cell.span).min(n);
            boxes.push(cell_box(cell, col_left(col), edges[end]));
            col = end;
        }
        if boxes.is_empty() {
            continue;
        }
        let height = boxes.iter().map(|b| b.height).fold(0.0, f64::max);
        let cuts = row_cuts(&boxes, height);
        let last_row = r + 1 == row_count;
        let bands = cuts.len() - 1;
        for band in 0..bands {
            let (y0, y1) = (cuts[band], cuts[band + 1]);
            let mut ops = Vec::new();
            for b in &boxes {
                for (top, item) in &b.items {
                    let from_here = *top >= y0 - 0.01 && (*top < y1 - 0.01 || band + 1 == bands);
                    if from_here {
                        ops.extend(
                            item.ops
                                .iter()
                                .cloned()
                                .map(|op| op.shifted(b.x0 + PAD_X, top - y0)),
                        );
                    }
                }
            }
            let h = y1 - y0;
            let first_band = band == 0;
            let last_band = band + 1 == bands;
            let rule = |x1: f64, y1: f64, x2: f64, y2: f64| Op::Rule {
                x1,
                y1,
                x2,
                y2,
                pen: Pen::Frame,
            };
            match t.border {
                Border::Grid => {
                    for b in &boxes {
                        ops.push(rule(b.x0, 0.0, b.x0, h));
                        ops.push(rule(b.x1, 0.0, b.x1, h));
                        if first_band {
                            ops.push(rule(b.x0, 0.0, b.x1, 0.0));
                        }
                        if last_band && last_row {
                            ops.push(rule(b.x0, h, b.x1, h));
                        }
                    }
                }
                Border::Rows => {
                    ops.push(rule(0.0, 0.0, 0.0, h));
                    ops.push(rule(width, 0.0, width, h));
                    if first_band {
                        ops.push(rule(0.0, 0.0, width, 0.0));
                    }
                    if last_band && last_row {
                        ops.push(rule(0.0, h, width, h));
                    }
                }
                Border::Cut => {
                    for b in &boxes {
                        dashed(b.x0, 0.0, b.x0, h, &mut ops);
                        dashed(b.x1, 0.0, b.x1, h, &mut ops);
                        if first_band {
                            dashed(b.x0, 0.0, b.x1, 0.0, &mut ops);
                        }
                        if last_band {
                            dashed(b.x0, h, b.x1, h, &mut ops);
                        }
                    }
                }
                Border::None => {}
            }
            if is_header && last_band {
                // A second line under the header row.
                ops.push(Op::Rule {
                    x1: 0.0,
                    y1: h - 0.5,
                    x2: width,
                    y2: h - 0.5,
                    pen: Pen::Hair,
                });
            }
            let mut item = Item::new(h, ops);
            item.keep = !last_band || is_header;
            item.open = match t.border {
                Border::Grid | Border::Rows if !(last_row && last_band) => vec![(0.0, width)],
                Border::Cut if !last_band => boxes.iter().map(|b| (b.x0, b.x1)).collect(),
                _ => Vec::new(),
            };
            items.push(item);
        }
        // Cut-out cards need a gap between rows too.
        if t.border == Border::Cut && t.gap > 0.0 && !last_row {
            items.push(Item::space(t.gap));
        }
    }
    // A short table is not worth splitting: it moves to the next page whole.
    let total: f64 = items.iter().map(|i| i.h).sum();
    if total <= KEEP_TABLE {
        let n = items.len();
        for item in items.iter_mut().take(n.saturating_sub(1)) {
            item.keep = true;
        }
    }
    if let Some(last) = items.last_mut() {
        last.h += 2.0;
    }
    items
}

/// Lays out blocks at `width` into a flow of items.
pub fn flow(blocks: &[Block], width: f64) -> Vec<Item> {
    let mut items = Vec::new();
    for block in blocks {
        match block {
            Block::Heading(h) => items.extend(heading(h, width)),
            Block::Para(p) => items.extend(para(p, width)),
            Block::List(l) => {
                items.extend(list(l, width));
                if let Some(last) = items.last_mut() {
                    last.h += 1.0;
                }
            }
            Block::Table(t) => items.extend(table(t, width)),
            Block::Lines(l) => items.extend(lines(l.count, l.pitch, width)),
            Block::Space(h) => items.push(Item::space(*h)),
            Block::PageBreak => items.push(Item {
                kind: Kind::Break,
                ..Item::new(0.0, Vec::new())
            }),
            Block::Keep(inner) => {
                let mut kept = flow(inner, width);
                let n = kept.len();
                for (i, item) in kept.iter_mut().enumerate() {
                    if i + 1 < n {
                        item.keep = true;
                    }
                }
                items.extend(kept);
            }
        }
    }
    items
}

/// An item placed on a page.
#[derive(Debug, Clone)]
pub struct Placed {
    /// Distance from the top of the page body.
    pub y: f64,
    /// The item.
    pub item: Item,
}

/// A page of placed items, plus rules that close or reopen frames split by the break.
#[derive(Debug, Clone, Default)]
pub struct PageFlow {
    /// The items.
    pub items: Vec<Placed>,
    /// Extra drawing, in body coordinates.
    pub extra: Vec<Op>,
}

/// Cuts a flow into pages of `body` mm height.
pub fn paginate(items: Vec<Item>, body: f64) -> Vec<PageFlow> {
    let mut pages = vec![PageFlow::default()];
    let mut y = 0.0;
    let mut i = 0;
    let n = items.len();
    let mut items: Vec<Option<Item>> = items.into_iter().map(Some).collect();
    let new_page = |pages: &mut Vec<PageFlow>, y: &mut f64| {
        // Close the frames the last item leaves open, and reopen them on the next page.
        let open = pages
            .last()
            .and_then(|p| p.items.last())
            .map(|p| (p.y + p.item.h, p.item.open.clone()));
        let mut next = PageFlow::default();
        if let Some((bottom, open)) = open {
            if let Some(page) = pages.last_mut() {
                for (l, r) in &open {
                    page.extra.push(Op::Rule {
                        x1: *l,
                        y1: bottom,
                        x2: *r,
                        y2: bottom,
                        pen: Pen::Frame,
                    });
                }
            }
            for (l, r) in open {
                next.extra.push(Op::Rule {
                    x1: l,
                    y1: 0.0,
                    x2: r,
                    y2: 0.0,
                    pen: Pen::Frame,
                });
            }
        }
        pages.push(next);
        *y = 0.0;
    };
    while i < n {
        // The run of items that must stay together: up to the first without `keep`.
        let mut j = i;
        let mut run_h = 0.0;
        while j < n {
            let Some(item) = &items[j] else { break };
            if item.kind == Kind::Break && j > i {
                break;
            }
            run_h += item.h;
            if !item.keep || item.kind == Kind::Break {
                j += 1;
                break;
            }
            j += 1;
        }
        let empty = |pages: &Vec<PageFlow>| pages.last().is_none_or(|p| p.items.is_empty());
        let fits = y + run_h <= body + 0.01;
        if !fits && run_h <= body && !empty(&pages) {
            new_page(&mut pages, &mut y);
        }
        for slot in items.iter_mut().take(j).skip(i) {
            let Some(item) = slot.take() else { continue };
            match item.kind {
                Kind::Break => {
                    if !empty(&pages) {
                        new_page(&mut pages, &mut y);
                    }
                    continue;
                }
                Kind::Space if empty(&pages) => continue,
                _ => {}
            }
            if y + item.h > body + 0.01 && !empty(&pages) {
                if item.kind == Kind::Space {
                    continue;
                }
                new_page(&mut pages, &mut y);
            }
            let h = item.h;
            if let Some(page) = pages.last_mut() {
                page.items.push(Placed { y, item });
            }
            y += h;
        }
        i = j;
    }
    if pages.len() > 1 && pages.last().is_some_and(|p| p.items.is_empty()) {
        pages.pop();
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::model::Lines;

    fn texts(page: &PageFlow) -> String {
        page.items
            .iter()
            .flat_map(|p| p.item.ops.iter())
            .filter_map(|op| match op {
                Op::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_heading_is_never_left_alone_at_the_bottom_of_a_page() {
        let mut blocks = vec![Block::Para(Para::text("あ".repeat(1500)))];
        blocks.push(Heading::new(2, "見出し").into());
        blocks.push(Para::text("本文").into());
        let items = flow(&blocks, 170.0);
        // A body just tall enough that the heading would fit but its text would not.
        let before: f64 = items
            .iter()
            .take_while(|i| i.mark.is_none())
            .map(|i| i.h)
            .sum();
        let heading: f64 = items
            .iter()
            .filter(|i| i.mark.is_some() || i.keep)
            .map(|i| i.h)
            .sum();
        let pages = paginate(items, before + heading - 1.0);
        let with_heading = pages
            .iter()
            .position(|p| texts(p).contains("見出し"))
            .expect("heading");
        assert!(texts(&pages[with_heading]).contains("本文"));
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_and_its_frame_closed() {
        let table = Table::new(vec![1.0, 3.0]).row(vec![
            Cell::text("テーブル1"),
            Cell::text("長い答え。".repeat(400)),
        ]);
        let items = flow(&[Block::Table(table)], 150.0);
        let total: f64 = items.iter().map(|i| i.h).sum();
        let pages = paginate(items, 100.0);
        assert!(pages.len() >= (total / 100.0) as usize, "{}", pages.len());
        let all: String = pages.iter().map(texts).collect();
        assert_eq!(all.matches("長い答え。").count(), 400);
        assert!(
            !pages[1].extra.is_empty(),
            "the frame is reopened on the next page"
        );
    }

    #[test]
    fn a_heading_in_a_cell_taller_than_a_page_stays_with_its_first_lines() {
        // Many lists in one cell, each a heading and its lines, far taller than a page.
        let mut blocks = Vec::new();
        for n in 0..40 {
            blocks.push(Heading::new(3, format!("【見出し{n}】")).unlisted().into());
            blocks.push(Para::text("一行目\n二行目\n三行目").into());
        }
        let table = Table::new(vec![1.0, 6.0]).row(vec![Cell::text("1"), Cell::new(blocks)]);
        let items = flow(&[Block::Table(table)], 170.0);
        // The row is cut into bands (a page break can fall between any two); none ends
        // on a heading.
        assert!(items.len() > 10, "{}", items.len());
        for item in &items {
            let last = item
                .ops
                .iter()
                .filter_map(|op| match op {
                    Op::Text { text, y, .. } => Some((*y, text.clone())),
                    _ => None,
                })
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((_, text)) = last {
                assert!(!text.starts_with('【'), "a band ends on {text}");
            }
        }
        let pages = paginate(items, 100.0);
        assert!(pages.len() > 2, "{}", pages.len());
    }

    #[test]
    fn writing_lines_stay_together() {
        let blocks = vec![
            Block::Para(Para::text("あ".repeat(700))),
            Block::Lines(Lines::new(6)),
        ];
        let items = flow(&blocks, 170.0);
        let pages = paginate(items, 120.0);
        let rules = |p: &PageFlow| {
            p.items
                .iter()
                .flat_map(|i| i.item.ops.iter())
                .filter(|o| matches!(o, Op::Rule { pen: Pen::Hair, .. }))
                .count()
        };
        assert!(pages.iter().any(|p| rules(p) == 6), "six lines on one page");
    }
}
