//! Line breaking for mixed Japanese and Latin text.
//!
//! Break opportunities come from UAX #14 (`unicode-linebreak`), which already carries
//! the basic kinsoku rules: no line starts with 。、」）ー or a small kana, none ends
//! with 「（. Lines are filled greedily. A piece with no break opportunity that is wider
//! than the line (a long URL, a narrow table column) is split between characters, so
//! no text is ever dropped for being too wide.

use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::model::{Span, Tone};

/// Millimetres per point.
pub const MM_PER_PT: f64 = 25.4 / 72.0;

/// A run of one style within a laid-out line.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// The text.
    pub text: String,
    /// Bold.
    pub bold: bool,
    /// Colour.
    pub tone: Tone,
    /// Offset from the start of the line, in millimetres.
    pub x: f64,
}

/// One laid-out line of a paragraph.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextLine {
    /// Runs, left to right.
    pub pieces: Vec<Piece>,
    /// Width of the printed text, in millimetres.
    pub width: f64,
}

/// Width of `c` at `size` points, in millimetres.
pub fn char_width(c: char, bold: bool, size: u8) -> f64 {
    super::fonts::advance(c, bold) * f64::from(size) * MM_PER_PT
}

/// Width of `text` at `size` points, in millimetres.
pub fn text_width(text: &str, bold: bool, size: u8) -> f64 {
    text.chars().map(|c| char_width(c, bold, size)).sum()
}

/// One character with its style and width.
#[derive(Clone, Copy)]
struct Glyph {
    c: char,
    run: usize,
    width: f64,
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\n'
}

/// Breaks `spans` into lines at most `width` mm wide, at `size` points.
pub fn break_lines(spans: &[Span], size: u8, width: f64) -> Vec<TextLine> {
    let mut full = String::new();
    let mut runs_end = Vec::with_capacity(spans.len());
    for span in spans {
        full.push_str(&span.text);
        runs_end.push(full.len());
    }
    if full.is_empty() {
        return Vec::new();
    }
    let run_at = |byte: usize| runs_end.partition_point(|end| *end <= byte);
    let mut lines = Vec::new();
    let mut line: Vec<Glyph> = Vec::new();
    let mut line_width = 0.0;
    let mut start = 0;
    for (end, opportunity) in linebreaks(&full) {
        let segment: Vec<Glyph> = full[start..end]
            .char_indices()
            .map(|(i, c)| {
                let run = run_at(start + i);
                let bold = spans.get(run).is_some_and(|s| s.bold);
                Glyph {
                    c,
                    run,
                    width: if c == '\n' {
                        0.0
                    } else {
                        char_width(c, bold, size)
                    },
                }
            })
            .collect();
        start = end;
        // Trailing spaces may hang past the margin: they are never printed at a line end.
        let inked: f64 = {
            let keep = segment
                .iter()
                .rposition(|g| !is_space(g.c))
                .map_or(0, |i| i + 1);
            segment[..keep].iter().map(|g| g.width).sum()
        };
        let total: f64 = segment.iter().map(|g| g.width).sum();
        if !line.is_empty() && line_width + inked > width {
            lines.push(finish(&line, spans));
            line.clear();
            line_width = 0.0;
        }
        if inked > width {
            // No break opportunity fits: split between characters.
            for g in segment {
                if !line.is_empty() && !is_space(g.c) && line_width + g.width > width {
                    lines.push(finish(&line, spans));
                    line.clear();
                    line_width = 0.0;
                }
                line_width += g.width;
                line.push(g);
            }
        } else {
            line.extend(segment);
            line_width += total;
        }
        let hard = opportunity == BreakOpportunity::Mandatory && full[..end].ends_with('\n');
        if hard {
            lines.push(finish(&line, spans));
            line.clear();
            line_width = 0.0;
        }
    }
    if !line.is_empty() {
        lines.push(finish(&line, spans));
    }
    lines
}

/// Groups a line's glyphs into pieces, dropping trailing spaces and newlines.
fn finish(line: &[Glyph], spans: &[Span]) -> TextLine {
    let keep = line
        .iter()
        .rposition(|g| !is_space(g.c))
        .map_or(0, |i| i + 1);
    let mut out = TextLine::default();
    let mut x = 0.0;
    for g in &line[..keep] {
        if g.c == '\n' {
            continue;
        }
        let span = &spans[g.run.min(spans.len() - 1)];
        match out.pieces.last_mut() {
            Some(piece) if piece.bold == span.bold && piece.tone == span.tone => {
                piece.text.push(g.c);
            }
            _ => out.pieces.push(Piece {
                text: g.c.to_string(),
                bold: span.bold,
                tone: span.tone,
                x,
            }),
        }
        x += g.width;
    }
    out.width = x;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[TextLine]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.pieces.iter().map(|p| p.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn japanese_without_spaces_wraps_and_keeps_every_character() {
        let text = "本人の意思がいちばん大切です。本人が家族等や医療・ケアチームと十分に話し合ったうえで、自分で決めることが基本です。".repeat(5);
        let lines = break_lines(&[Span::plain(text.clone())], 10, 60.0);
        assert!(lines.len() > 5);
        assert_eq!(texts(&lines).concat(), text);
        for line in &lines {
            assert!(line.width <= 60.0 + 1e-6, "{}", line.width);
        }
    }

    #[test]
    fn kinsoku_no_line_starts_with_closing_marks() {
        let text = "「本人の思い」を、家族の希望と分けて考えます。ー「そうですね」と長男は言った。"
            .repeat(20);
        for width in [30.0, 31.5, 33.0, 47.0, 52.5] {
            let lines = break_lines(&[Span::plain(text.clone())], 10, width);
            for line in texts(&lines).iter().skip(1) {
                let first = line.chars().next().unwrap_or(' ');
                assert!(!"。、」）ーょゃゅっ".contains(first), "{line:?} at {width}");
                let last = line.chars().last().unwrap_or(' ');
                assert!(!"「（".contains(last), "{line:?} at {width}");
            }
        }
    }

    #[test]
    fn latin_breaks_at_spaces_and_overlong_words_are_split() {
        let lines = break_lines(
            &[Span::plain(
                "see https://example.org/a-very-long-path-without-any-break-at-all for more",
            )],
            10,
            40.0,
        );
        let all = texts(&lines).join("|");
        assert!(all.starts_with("see "), "{all}");
        assert!(lines.iter().all(|l| l.width <= 40.0 + 1e-6), "{all}");
        assert_eq!(
            texts(&lines).concat().replace(' ', ""),
            "seehttps://example.org/a-very-long-path-without-any-break-at-allformore"
        );
    }

    #[test]
    fn hard_breaks_and_styles() {
        let lines = break_lines(
            &[Span::bold("見出し："), Span::plain("一行目\n\n三行目")],
            10,
            100.0,
        );
        assert_eq!(texts(&lines), ["見出し：一行目", "", "三行目"]);
        assert_eq!(lines[0].pieces.len(), 2);
        assert!(lines[0].pieces[0].bold && !lines[0].pieces[1].bold);
        assert!(lines[0].pieces[1].x > 0.0);
    }
}
