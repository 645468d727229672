//! The document model the typesetter takes: headings, paragraphs of styled text, lists,
//! tables with framed cells, and ruled lines to write on. Nothing here knows about PDF
//! or fonts, so the workbook builders never touch the renderer.

use crate::lang::Lang;
/// Body text size in points.
pub const BODY: u8 = 10;
/// Small print (help text, notes under a form) in points.
pub const SMALL: u8 = 8;

/// A whole document.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// The title: PDF metadata, the running header and the cover.
    pub title: String,
    /// Printed at the right of the running header (which document this is).
    pub kind: String,
    /// Language of the text, written into the PDF for screen readers.
    pub lang: Lang,
    /// The cover: the first page, without running header or page number.
    pub cover: Vec<Block>,
    /// When set, a table of contents with this heading follows the cover.
    pub contents: Option<String>,
    /// Everything after the cover and the table of contents.
    pub body: Vec<Block>,
}

/// One block of the page flow.
#[derive(Debug, Clone)]
pub enum Block {
    /// A heading; it is kept on the same page as what follows it.
    Heading(Heading),
    /// A paragraph.
    Para(Para),
    /// A bulleted, numbered or tick-box list.
    List(List),
    /// A table; also used for framed boxes (one column, one row).
    Table(Table),
    /// Ruled lines to write on by hand.
    Lines(Lines),
    /// Vertical space in millimetres (dropped at the top of a page).
    Space(f64),
    /// Starts a new page.
    PageBreak,
    /// Blocks kept on one page if they fit on one.
    Keep(Vec<Block>),
}

/// A heading.
#[derive(Debug, Clone)]
pub struct Heading {
    /// 1 (part or step), 2 (section) or 3 (sub-section).
    pub level: u8,
    /// The text.
    pub text: String,
    /// A short line above the text, e.g. "ステップ 2 · グループワーク · 25分".
    pub label: String,
    /// Starts on a new page.
    pub new_page: bool,
    /// Listed in the table of contents and the PDF outline.
    pub listed: bool,
}

impl Heading {
    /// A heading listed in the contents.
    pub fn new(level: u8, text: impl Into<String>) -> Self {
        Self {
            level,
            text: text.into(),
            label: String::new(),
            new_page: false,
            listed: level <= 2,
        }
    }

    /// Adds the line above the text.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Starts the heading on a new page.
    pub fn new_page(mut self) -> Self {
        self.new_page = true;
        self
    }

    /// Leaves the heading out of the contents and the outline.
    pub fn unlisted(mut self) -> Self {
        self.listed = false;
        self
    }
}

/// How a run of text looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Tone {
    /// Black.
    #[default]
    Normal,
    /// Grey: labels, hints, metadata.
    Muted,
    /// Dark blue: marks and emphasis that must not look like filled-in answers.
    Accent,
}

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// The text; `\n` breaks the line.
    pub text: String,
    /// Bold.
    pub bold: bool,
    /// Colour.
    pub tone: Tone,
}

impl Span {
    /// Plain text.
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            bold: false,
            tone: Tone::Normal,
        }
    }

    /// Bold text.
    pub fn bold(text: impl Into<String>) -> Self {
        Self {
            bold: true,
            ..Self::plain(text)
        }
    }

    /// Grey text.
    pub fn muted(text: impl Into<String>) -> Self {
        Self {
            tone: Tone::Muted,
            ..Self::plain(text)
        }
    }
}

/// Horizontal alignment of a paragraph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Align {
    /// Ragged right.
    #[default]
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
}

/// A paragraph.
#[derive(Debug, Clone)]
pub struct Para {
    /// The text runs.
    pub spans: Vec<Span>,
    /// Size in points.
    pub size: u8,
    /// Alignment.
    pub align: Align,
    /// Space after, in millimetres.
    pub after: f64,
}

impl Para {
    /// A paragraph of body text.
    pub fn new(spans: Vec<Span>) -> Self {
        Self {
            spans,
            size: BODY,
            align: Align::Left,
            after: 1.5,
        }
    }

    /// A paragraph of plain body text.
    pub fn text(text: impl Into<String>) -> Self {
        Self::new(vec![Span::plain(text)])
    }

    /// Sets the size.
    pub fn size(mut self, size: u8) -> Self {
        self.size = size;
        self
    }

    /// Sets the alignment.
    pub fn align(mut self, align: Align) -> Self {
        self.align = align;
        self
    }

    /// Sets the space after.
    pub fn after(mut self, after: f64) -> Self {
        self.after = after;
        self
    }
}

impl From<Para> for Block {
    fn from(p: Para) -> Self {
        Block::Para(p)
    }
}

impl From<Heading> for Block {
    fn from(h: Heading) -> Self {
        Block::Heading(h)
    }
}

impl From<Table> for Block {
    fn from(t: Table) -> Self {
        Block::Table(t)
    }
}

impl From<List> for Block {
    fn from(l: List) -> Self {
        Block::List(l)
    }
}

/// What marks the items of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// A bullet.
    Bullet,
    /// Numbers from the given start.
    Number(u32),
    /// An empty tick box to mark by hand.
    Tick,
    /// A tick box already marked (a choice a table made).
    Ticked,
}

/// A list.
#[derive(Debug, Clone)]
pub struct List {
    /// The marker.
    pub marker: Marker,
    /// Each item is a flow of blocks.
    pub items: Vec<Vec<Block>>,
}

impl List {
    /// A list of one-paragraph items.
    pub fn of(marker: Marker, items: impl IntoIterator<Item = Para>) -> Self {
        Self {
            marker,
            items: items.into_iter().map(|p| vec![Block::Para(p)]).collect(),
        }
    }
}

/// How a table's lines are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Border {
    /// Every cell framed.
    Grid,
    /// Only a frame around the whole table, and lines between rows.
    Rows,
    /// Every cell framed with a dashed line, to cut out.
    Cut,
    /// No lines.
    None,
}

/// A table.
#[derive(Debug, Clone)]
pub struct Table {
    /// Relative column widths.
    pub columns: Vec<f64>,
    /// A header row, printed bold on a light rule.
    pub header: Option<Vec<Cell>>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
    /// Lines.
    pub border: Border,
    /// Space between columns, in millimetres (for cards laid out in a grid).
    pub gap: f64,
}

impl Table {
    /// A table with equal-weight or given columns and framed cells.
    pub fn new(columns: Vec<f64>) -> Self {
        Self {
            columns,
            header: None,
            rows: Vec::new(),
            border: Border::Grid,
            gap: 0.0,
        }
    }

    /// One framed box around `blocks`.
    pub fn framed(blocks: Vec<Block>) -> Self {
        let mut table = Self::new(vec![1.0]);
        table.rows.push(vec![Cell::new(blocks)]);
        table
    }

    /// Sets the header row.
    pub fn header(mut self, cells: Vec<Cell>) -> Self {
        self.header = Some(cells);
        self
    }

    /// Adds a row.
    pub fn row(mut self, cells: Vec<Cell>) -> Self {
        self.rows.push(cells);
        self
    }

    /// Sets the border.
    pub fn border(mut self, border: Border) -> Self {
        self.border = border;
        self
    }
}

/// One cell of a table.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    /// The cell's flow.
    pub blocks: Vec<Block>,
    /// How many columns it covers (1 or more).
    pub span: usize,
    /// Smallest height in millimetres (room to write in).
    pub min_height: f64,
}

impl Cell {
    /// A cell holding `blocks`.
    pub fn new(blocks: Vec<Block>) -> Self {
        Self {
            blocks,
            span: 1,
            min_height: 0.0,
        }
    }

    /// A cell of plain text.
    pub fn text(text: impl Into<String>) -> Self {
        Self::new(vec![Block::Para(Para::text(text).after(0.0))])
    }

    /// A cell of bold text.
    pub fn bold(text: impl Into<String>) -> Self {
        Self::new(vec![Block::Para(
            Para::new(vec![Span::bold(text)]).after(0.0),
        )])
    }

    /// An empty cell at least `height` mm tall, to write in.
    pub fn blank(height: f64) -> Self {
        Self {
            min_height: height,
            ..Self::new(Vec::new())
        }
    }

    /// Makes the cell cover `span` columns.
    pub fn span(mut self, span: usize) -> Self {
        self.span = span.max(1);
        self
    }

    /// Sets the smallest height.
    pub fn min_height(mut self, height: f64) -> Self {
        self.min_height = height;
        self
    }
}

/// Ruled lines to write on.
#[derive(Debug, Clone, Copy)]
pub struct Lines {
    /// How many.
    pub count: usize,
    /// Distance between lines in millimetres (8 mm suits handwriting).
    pub pitch: f64,
}

impl Lines {
    /// `count` lines for handwriting.
    pub fn new(count: usize) -> Self {
        Self { count, pitch: 8.0 }
    }
}
