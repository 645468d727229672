//! Content Markdown as document blocks: paragraphs with bold runs, lists, tables,
//! quotes. Raw HTML is printed as text, as on the screens.

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use crate::content::Markdown;
use crate::content::markdown::new_parser;
use crate::pdf::{Block, Border, Cell, List, Marker, Para, Span, Table, Tone};

enum Frame {
    Flow(Vec<Block>),
    List(Marker, Vec<Vec<Block>>),
    Table {
        columns: usize,
        header: Vec<Cell>,
        rows: Vec<Vec<Cell>>,
        row: Vec<Cell>,
    },
}

struct Builder {
    stack: Vec<Frame>,
    spans: Vec<Span>,
    bold: usize,
    emphasis: usize,
    heading: Option<HeadingLevel>,
    link: Vec<String>,
    size: u8,
    /// Inside `<script>`, `<style>` or `<rp>`: text is not printed (the screens drop it too).
    skip: bool,
}

impl Builder {
    fn push_text(&mut self, text: &str) {
        let bold = self.bold > 0 || self.heading.is_some();
        let tone = if self.emphasis > 0 {
            Tone::Accent
        } else {
            Tone::Normal
        };
        match self.spans.last_mut() {
            Some(last) if last.bold == bold && last.tone == tone => last.text.push_str(text),
            _ => self.spans.push(Span {
                text: text.to_string(),
                bold,
                tone,
            }),
        }
    }

    /// Raw HTML in content (cleaned and shown on the screens): tags are not printed;
    /// `<br>` breaks the line and ruby prints as base（reading）.
    fn html(&mut self, html: &str) {
        let mut rest = html;
        while !rest.is_empty() {
            match rest.find('<') {
                Some(0) => {
                    let end = rest.find('>').map_or(rest.len(), |i| i + 1);
                    let tag = rest[1..end.saturating_sub(1).max(1)]
                        .trim()
                        .to_ascii_lowercase();
                    let name: String = tag
                        .trim_start_matches('/')
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .collect();
                    let closing = tag.starts_with('/');
                    match (name.as_str(), closing) {
                        ("br", _) => self.push_text("\n"),
                        ("rt", false) => self.push_text("（"),
                        ("rt", true) => self.push_text("）"),
                        ("script" | "style" | "rp", _) => self.skip = !closing,
                        _ => {}
                    }
                    rest = &rest[end..];
                }
                found => {
                    let end = found.unwrap_or(rest.len());
                    if !self.skip {
                        let text = rest[..end]
                            .replace("&lt;", "<")
                            .replace("&gt;", ">")
                            .replace("&quot;", "\"")
                            .replace("&#39;", "'")
                            .replace("&nbsp;", " ")
                            .replace("&amp;", "&");
                        if !text.trim().is_empty() {
                            self.push_text(&text);
                        }
                    }
                    rest = &rest[end..];
                }
            }
        }
    }

    /// Ends the current paragraph, if any text is waiting.
    fn flush(&mut self) {
        if self.spans.iter().all(|s| s.text.trim().is_empty()) {
            self.spans.clear();
            return;
        }
        let spans = std::mem::take(&mut self.spans);
        let para = Para::new(spans).size(self.size);
        self.add(Block::Para(para));
    }

    fn add(&mut self, block: Block) {
        match self.stack.last_mut() {
            Some(Frame::Flow(blocks)) => blocks.push(block),
            Some(Frame::List(_, items)) => match items.last_mut() {
                Some(item) => item.push(block),
                None => items.push(vec![block]),
            },
            Some(Frame::Table { .. }) | None => {}
        }
    }

    fn close_flow(&mut self) -> Vec<Block> {
        self.flush();
        match self.stack.pop() {
            Some(Frame::Flow(blocks)) => blocks,
            Some(other) => {
                self.stack.push(other);
                Vec::new()
            }
            None => Vec::new(),
        }
    }
}

/// The blocks of a Markdown text at `size` points.
pub fn blocks_sized(md: &Markdown, size: u8) -> Vec<Block> {
    if md.is_empty() {
        return Vec::new();
    }
    let mut b = Builder {
        stack: vec![Frame::Flow(Vec::new())],
        spans: Vec::new(),
        bold: 0,
        emphasis: 0,
        heading: None,
        link: Vec::new(),
        size,
        skip: false,
    };
    for event in new_parser(&md.source) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => b.flush(),
                Tag::Heading { level, .. } => {
                    b.flush();
                    b.heading = Some(level);
                }
                Tag::BlockQuote(_) | Tag::FootnoteDefinition(_) => {
                    b.flush();
                    b.stack.push(Frame::Flow(Vec::new()));
                }
                Tag::List(start) => {
                    b.flush();
                    let marker = match start {
                        Some(n) => Marker::Number(u32::try_from(n).unwrap_or(1)),
                        None => Marker::Bullet,
                    };
                    b.stack.push(Frame::List(marker, Vec::new()));
                }
                Tag::Item => {
                    b.flush();
                    if let Some(Frame::List(_, items)) = b.stack.last_mut() {
                        items.push(Vec::new());
                    }
                }
                Tag::Table(alignments) => {
                    b.flush();
                    b.stack.push(Frame::Table {
                        columns: alignments.len().max(1),
                        header: Vec::new(),
                        rows: Vec::new(),
                        row: Vec::new(),
                    });
                }
                Tag::TableHead | Tag::TableRow | Tag::TableCell => b.spans.clear(),
                Tag::Strong => b.bold += 1,
                Tag::Emphasis => b.emphasis += 1,
                Tag::Link { dest_url, .. } => b.link.push(dest_url.to_string()),
                Tag::Image { .. } => b.push_text("［"),
                Tag::CodeBlock(_) => b.flush(),
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph | TagEnd::CodeBlock => b.flush(),
                TagEnd::Heading(_) => {
                    b.flush();
                    b.heading = None;
                }
                TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition => {
                    let inner = b.close_flow();
                    if !inner.is_empty() {
                        b.add(Block::Table(Table::framed(inner).border(Border::Rows)));
                    }
                }
                TagEnd::Item => b.flush(),
                TagEnd::List(_) => {
                    b.flush();
                    if let Some(Frame::List(marker, items)) = b.stack.pop() {
                        b.add(Block::List(List { marker, items }));
                    }
                }
                TagEnd::TableCell => {
                    let spans = std::mem::take(&mut b.spans);
                    let cell =
                        Cell::new(vec![Block::Para(Para::new(spans).size(b.size).after(0.0))]);
                    if let Some(Frame::Table { row, .. }) = b.stack.last_mut() {
                        row.push(cell);
                    }
                }
                TagEnd::TableHead => {
                    if let Some(Frame::Table { header, row, .. }) = b.stack.last_mut() {
                        *header = std::mem::take(row);
                    }
                }
                TagEnd::TableRow => {
                    if let Some(Frame::Table { rows, row, .. }) = b.stack.last_mut() {
                        rows.push(std::mem::take(row));
                    }
                }
                TagEnd::Table => {
                    if let Some(Frame::Table {
                        columns,
                        header,
                        rows,
                        ..
                    }) = b.stack.pop()
                    {
                        let mut table = Table::new(vec![1.0; columns]);
                        if !header.is_empty() {
                            table = table.header(header);
                        }
                        table.rows = rows;
                        b.add(Block::Table(table));
                    }
                }
                TagEnd::Strong => b.bold = b.bold.saturating_sub(1),
                TagEnd::Emphasis => b.emphasis = b.emphasis.saturating_sub(1),
                TagEnd::Link => {
                    if let Some(url) = b.link.pop()
                        && (url.starts_with("http://") || url.starts_with("https://"))
                        && !b.spans.iter().any(|s| s.text.contains(&url))
                    {
                        // On paper the address is the link.
                        b.push_text(&format!("（{url}）"));
                    }
                }
                TagEnd::Image => b.push_text("］"),
                _ => {}
            },
            Event::Text(text) | Event::Code(text) if !b.skip => b.push_text(&text),
            Event::Html(html) | Event::InlineHtml(html) => b.html(&html),
            Event::SoftBreak => {
                // Japanese lines join without a space; Latin words need one.
                let latin = b
                    .spans
                    .last()
                    .and_then(|s| s.text.chars().last())
                    .is_some_and(|c| c.is_ascii_alphanumeric() || ",.;:!?)".contains(c));
                if latin {
                    b.push_text(" ");
                }
            }
            Event::HardBreak => b.push_text("\n"),
            Event::Rule => b.flush(),
            Event::FootnoteReference(name) => b.push_text(&format!("［{name}］")),
            _ => {}
        }
    }
    b.flush();
    let mut out = Vec::new();
    while let Some(frame) = b.stack.pop() {
        if let Frame::Flow(blocks) = frame {
            out = blocks;
        }
    }
    out
}

/// The blocks of a Markdown text in body size.
pub fn blocks(md: &Markdown) -> Vec<Block> {
    blocks_sized(md, crate::pdf::BODY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(blocks: &[Block]) -> String {
        let mut out = String::new();
        for b in blocks {
            match b {
                Block::Para(p) => {
                    for s in &p.spans {
                        out.push_str(&s.text);
                    }
                    out.push('|');
                }
                Block::List(l) => {
                    for item in &l.items {
                        out.push('-');
                        out.push_str(&text(item));
                    }
                }
                Block::Table(t) => {
                    for row in t.header.iter().chain(t.rows.iter()) {
                        for cell in row {
                            out.push_str(&text(&cell.blocks));
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn paragraphs_lists_tables_and_links_keep_all_their_text() {
        let md = Markdown::new(
            "**太字**と本文。\n続き\n\n- 項目1\n- 項目2\n  - 入れ子\n\n| 職種 | 情報 |\n|---|---|\n| 看護師 | 涙 |\n\n[ガイド](https://example.org/g) <b>生</b> <ruby>漢<rt>かん</rt></ruby><script>x()</script>",
        );
        let blocks = blocks(&md);
        let all = text(&blocks);
        for part in [
            "太字",
            "と本文。続き",
            "項目1",
            "項目2",
            "入れ子",
            "職種",
            "看護師",
            "涙",
            "https://example.org/g",
            "生 漢（かん）",
        ] {
            assert!(all.contains(part), "{part} in {all}");
        }
        assert!(!all.contains("<b>") && !all.contains("x()"), "{all}");
        let Block::Para(first) = &blocks[0] else {
            panic!("paragraph first")
        };
        assert!(first.spans[0].bold && !first.spans[1].bold);
    }
}
