//! Charts for the reports, drawn by plotters as SVG to be inlined in the page.
//!
//! plotters is built without system fonts (it only estimates text widths) and the
//! browser lays text out, so labels use a list of Japanese fonts that falls back to
//! whatever the machine has; the stylesheet makes chart text use the page's own font.
//! plotters escapes every text and attribute it writes (`<`, `&`, quotes), so labels
//! typed in curricula go in as they are; the one attribute added here is escaped here.
//! Long labels are wrapped by [`wrap`] (kinsoku: no line starts with 。、）」ー or a
//! small kana) rather than cut, so a Japanese option of forty characters stays readable.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Fonts for chart text, Japanese first; the page's stylesheet overrides it when inlined.
pub const FONT: &str = "BIZ UDPGothic, Hiragino Sans, Hiragino Kaku Gothic ProN, Noto Sans CJK JP, Noto Sans JP, Yu Gothic, Meiryo, sans-serif";

/// Width of every chart, in SVG units (the page scales it to the column).
pub const WIDTH: u32 = 760;

/// Text colour (the page's ink).
const INK: RGBColor = RGBColor(0x1d, 0x2a, 0x27);
/// Muted text and axes.
const MUTED: RGBColor = RGBColor(0x5b, 0x6b, 0x67);
/// Grid lines.
const GRID: RGBColor = RGBColor(0xd5, 0xde, 0xdb);
/// The page's accent: bars of a single series, "after".
pub const ACCENT: RGBColor = RGBColor(0x2f, 0x6f, 0x5e);
/// "Before" bars: a light tone that still prints on a monochrome printer.
pub const BEFORE: RGBColor = RGBColor(0xa8, 0xc8, 0xbd);
/// The "before" mean marker: darker than the bars so its text reads.
pub const BEFORE_MEAN: RGBColor = RGBColor(0x4f, 0x86, 0x75);
/// The mean marker.
const MEAN: RGBColor = RGBColor(0xa2, 0x3a, 0x2a);

/// Series colours for stacked charts (Okabe–Ito, distinguishable with colour blindness).
pub const PALETTE: [RGBColor; 9] = [
    RGBColor(0x00, 0x72, 0xb2),
    RGBColor(0xe6, 0x9f, 0x00),
    RGBColor(0x00, 0x9e, 0x73),
    RGBColor(0xcc, 0x79, 0xa7),
    RGBColor(0x56, 0xb4, 0xe9),
    RGBColor(0xd5, 0x5e, 0x00),
    RGBColor(0xf0, 0xe4, 0x42),
    RGBColor(0x33, 0x33, 0x33),
    RGBColor(0x99, 0x99, 0x99),
];

/// Label text size.
const TEXT: f64 = 14.0;
/// Small text (values, axis ticks).
const SMALL: f64 = 12.5;
/// Height of a line of label text.
const LINE: f64 = 18.0;

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type Drawn = Result<(), Box<dyn std::error::Error>>;

/// A font of `px` pixels (plotters writes its size divided by 1.24).
fn font(px: f64) -> FontDesc<'static> {
    (FONT, px * 1.24).into_font()
}

fn style(px: f64, color: &RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle {
        color: color.to_backend_color(),
        ..TextStyle::from(font(px)).pos(Pos::new(h, v))
    }
}

/// Whether a character takes a full em (CJK, kana, full-width forms).
fn is_wide(c: char) -> bool {
    let u = c as u32;
    (0x1100..=0x115f).contains(&u)
        || (0x2e80..=0xa4cf).contains(&u)
        || (0xac00..=0xd7a3).contains(&u)
        || (0xf900..=0xfaff).contains(&u)
        || (0xfe30..=0xfe4f).contains(&u)
        || (0xff00..=0xff60).contains(&u)
        || (0xffe0..=0xffe6).contains(&u)
        || u >= 0x20000
}

/// Estimated width of `text` at `px` pixels: a full em for CJK, about half for Latin.
pub fn text_width(text: &str, px: f64) -> f64 {
    text.chars()
        .map(|c| {
            if is_wide(c) {
                1.0
            } else if c == ' ' {
                0.3
            } else if c.is_ascii_uppercase() || c == 'm' || c == 'w' {
                0.68
            } else {
                0.56
            }
        })
        .sum::<f64>()
        * px
}

/// Characters that may not start a line (they hang at the end of the line before).
const NO_START: &str =
    "、。，．,.)）」』】〕〉》!！?？:：;；ー・ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ％%";

/// Breaks `text` into lines at most `width` pixels wide at `px` pixels: between any two
/// CJK characters, at spaces between Latin words, never before closing punctuation.
/// At most `max_lines` lines; the last one ends in … if text was left over.
pub fn wrap(text: &str, width: f64, px: f64, max_lines: usize) -> Vec<String> {
    // Tokens: a CJK character, a Latin word, or a space.
    let mut tokens: Vec<String> = Vec::new();
    for c in text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
    {
        let joins = !is_wide(c)
            && c != ' '
            && tokens
                .last()
                .and_then(|t| t.chars().last())
                .is_some_and(|l| !is_wide(l) && l != ' ');
        match tokens.last_mut() {
            Some(last) if joins => last.push(c),
            _ => tokens.push(c.to_string()),
        }
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for token in tokens {
        let hangs = token.chars().next().is_some_and(|c| NO_START.contains(c));
        if line.is_empty() || hangs || text_width(&line, px) + text_width(&token, px) <= width {
            if !(line.is_empty() && token == " ") {
                line.push_str(&token);
            }
            continue;
        }
        lines.push(line.trim_end().to_string());
        line = if token == " " { String::new() } else { token };
        // A single word wider than the line is split between characters.
        while text_width(&line, px) > width && line.chars().count() > 1 {
            let mut head = String::new();
            for c in line.chars() {
                if !head.is_empty()
                    && text_width(&head, px) + text_width(&c.to_string(), px) > width
                {
                    break;
                }
                head.push(c);
            }
            line = line[head.len()..].to_string();
            lines.push(head);
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && text_width(last, px) + px > width {
                last.pop();
            }
            last.push('…');
        }
    }
    lines
}

/// Escapes text for an XML attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Draws with `draw` on a canvas of `height`, names the image for screen readers with
/// `title`, and returns the SVG; on a drawing error, logs it and returns nothing (the
/// numbers are on the page beside the chart).
fn svg(height: u32, title: &str, draw: impl FnOnce(&Area<'_>) -> Drawn) -> String {
    let mut out = String::new();
    let drawn = {
        let root = SVGBackend::with_string(&mut out, (WIDTH, height)).into_drawing_area();
        let drawn = root
            .fill(&WHITE)
            .map_err(|e| e.into())
            .and_then(|()| draw(&root));
        drawn.and_then(|()| root.present().map_err(|e| e.into()))
    };
    if let Err(e) = drawn {
        tracing::warn!("chart {title:?} could not be drawn: {e}");
        return String::new();
    }
    out.replacen(
        "<svg ",
        &format!(
            "<svg class=\"chart-svg\" role=\"img\" aria-label=\"{}\" ",
            escape(title)
        ),
        1,
    )
}

/// A highest axis value at or above `max` that gives whole-number ticks.
fn axis_max(max: f64) -> f64 {
    if max <= 5.0 {
        return max.ceil().max(1.0);
    }
    let step = tick_step(max);
    (max / step).ceil() * step
}

fn tick_step(max: f64) -> f64 {
    [1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 500.0]
        .into_iter()
        .find(|s| max / s <= 6.0)
        .unwrap_or(1000.0)
}

/// Draws a label of several lines, the block centred on `y`.
fn lines_at(area: &Area<'_>, lines: &[String], (x, y): (i32, i32), st: &TextStyle<'_>) -> Drawn {
    let top = y as f64 - (lines.len() as f64 - 1.0) * LINE / 2.0;
    for (i, line) in lines.iter().enumerate() {
        area.draw(&Text::new(
            line.clone(),
            (x, (top + i as f64 * LINE).round() as i32),
            st.clone(),
        ))?;
    }
    Ok(())
}

/// One series of bars.
#[derive(Debug, Clone)]
pub struct Series {
    /// Its name in the legend (empty: no legend).
    pub name: String,
    /// Its colour.
    pub color: RGBColor,
    /// One value per category.
    pub values: Vec<f64>,
    /// The text written at the end of each bar (e.g. "12人（40%）").
    pub texts: Vec<String>,
}

/// Draws a legend row of `series` at the top left of the canvas.
fn legend(area: &Area<'_>, series: &[&Series], x: i32, y: i32) -> Drawn {
    let mut at = x;
    for s in series.iter().filter(|s| !s.name.is_empty()) {
        area.draw(&Rectangle::new(
            [(at, y - 6), (at + 14, y + 8)],
            s.color.filled(),
        ))?;
        area.draw(&Text::new(
            s.name.clone(),
            (at + 20, y + 1),
            style(SMALL, &INK, HPos::Left, VPos::Center),
        ))?;
        at += 40 + text_width(&s.name, SMALL) as i32;
    }
    Ok(())
}

/// Horizontal bars: one row per category (long labels wrapped on the left), one bar per
/// series in each row, the text of each bar after its end. Used for choice counts and
/// for before/after shares of a choice. `max` fixes the axis (100 for percentages).
pub fn horizontal_bars(
    title: &str,
    categories: &[String],
    series: &[Series],
    max: Option<f64>,
) -> String {
    const LABEL_W: f64 = 300.0;
    const BAR: f64 = 18.0;
    const GAP: f64 = 4.0;
    const PAD: f64 = 12.0;
    let labels: Vec<Vec<String>> = categories
        .iter()
        .map(|c| wrap(c, LABEL_W - 12.0, TEXT, 6))
        .collect();
    let bars_h = series.len() as f64 * (BAR + GAP) - GAP;
    let heights: Vec<f64> = labels
        .iter()
        .map(|l| (l.len() as f64 * LINE).max(bars_h) + PAD)
        .collect();
    let rows_h: f64 = heights.iter().sum::<f64>().max(1.0);
    let with_legend = series.len() > 1;
    let top = if with_legend { 34.0 } else { 10.0 };
    let bottom = 30.0;
    let height = (top + rows_h + bottom).ceil() as u32;
    let biggest = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0, f64::max);
    let xmax = max.unwrap_or_else(|| axis_max(biggest));
    svg(height, title, |root| {
        if with_legend {
            legend(root, &series.iter().collect::<Vec<_>>(), LABEL_W as i32, 16)?;
        }
        let area = root.margin(top as i32, 0, 0, 0);
        let mut chart = ChartBuilder::on(&area)
            .margin_left(LABEL_W as i32)
            .margin_right(100)
            .x_label_area_size(bottom as i32)
            .build_cartesian_2d(0f64..xmax, 0f64..rows_h)?;
        let step = if max.is_some() { 25.0 } else { tick_step(xmax) };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .disable_y_axis()
            .x_labels((xmax / step) as usize + 1)
            .x_label_formatter(&|x| whole(*x))
            .x_label_style(font(SMALL).color(&MUTED))
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(MUTED)
            .draw()?;
        // Chart units per pixel on the y axis (1 unless the canvas was rounded).
        let span = chart.backend_coord(&(0.0, 0.0)).1 - chart.backend_coord(&(0.0, rows_h)).1;
        let px = rows_h / f64::from(span.max(1));
        let mut y_top = rows_h;
        for (i, h) in heights.iter().enumerate() {
            let centre = y_top - h * px / 2.0;
            let (lx, ly) = chart.backend_coord(&(0.0, centre));
            lines_at(
                root,
                &labels[i],
                (lx - 12, ly),
                &style(TEXT, &INK, HPos::Right, VPos::Center),
            )?;
            let first = centre + bars_h * px / 2.0;
            for (s, serie) in series.iter().enumerate() {
                let y1 = first - s as f64 * (BAR + GAP) * px;
                let y0 = y1 - BAR * px;
                let value = serie.values.get(i).copied().unwrap_or(0.0);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y0), (value, y1)],
                    serie.color.filled(),
                )))?;
                let (tx, ty) = chart.backend_coord(&(value, (y0 + y1) / 2.0));
                if let Some(text) = serie.texts.get(i) {
                    root.draw(&Text::new(
                        text.clone(),
                        (tx + 6, ty),
                        style(SMALL, &INK, HPos::Left, VPos::Center),
                    ))?;
                }
            }
            y_top -= h * px;
        }
        Ok(())
    })
}

fn whole(x: f64) -> String {
    if (x - x.round()).abs() < 1e-6 {
        format!("{}", x.round() as i64)
    } else {
        String::new()
    }
}

/// A vertical marker (the mean) at a category position.
#[derive(Debug, Clone)]
pub struct Marker {
    /// Position in category units: 0.5 is the middle of the first category.
    pub at: f64,
    /// The text above the marker.
    pub text: String,
    /// Its colour.
    pub color: RGBColor,
}

/// Vertical bars: one group per category (a scale point), one bar per series, the count
/// above each bar, markers for means, and the category labels (with the scale's end
/// labels) wrapped under the axis. `y_label` names the axis.
pub fn vertical_bars(
    title: &str,
    categories: &[(String, String)],
    series: &[Series],
    markers: &[Marker],
    y_label: &str,
) -> String {
    let n = categories.len().max(1);
    let plot_w = WIDTH as f64 - 80.0 - 30.0;
    let cat_w = plot_w / n as f64;
    let notes: Vec<Vec<String>> = categories
        .iter()
        .map(|(_, note)| wrap(note, cat_w - 6.0, SMALL, 3))
        .collect();
    let note_lines = notes.iter().map(Vec::len).max().unwrap_or(0);
    let with_legend = series.iter().filter(|s| !s.name.is_empty()).count() > 1;
    // Markers write their text in a strip above the value labels of the bars.
    let top = if with_legend { 34.0 } else { 12.0 } + if markers.is_empty() { 0.0 } else { 26.0 };
    let bottom = 28.0 + note_lines as f64 * 16.0;
    let plot_h = 200.0;
    let height = (top + plot_h + bottom).ceil() as u32;
    let biggest = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0, f64::max);
    let ymax = axis_max(biggest);
    svg(height, title, |root| {
        if with_legend {
            legend(root, &series.iter().collect::<Vec<_>>(), 80, 16)?;
        }
        let area = root.margin(top as i32, 0, 0, 0);
        let mut chart = ChartBuilder::on(&area)
            .margin_right(30)
            .x_label_area_size(bottom as i32)
            .y_label_area_size(80)
            .build_cartesian_2d(0f64..n as f64, 0f64..ymax)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels((ymax / tick_step(ymax)) as usize + 1)
            .y_label_formatter(&|y| whole(*y))
            .y_label_style(font(SMALL).color(&MUTED))
            .y_desc(y_label)
            .axis_desc_style(font(SMALL).color(&MUTED))
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(MUTED)
            .draw()?;
        let k = series.len().max(1) as f64;
        let width = 0.7 / k;
        for (s, serie) in series.iter().enumerate() {
            for (i, value) in serie.values.iter().enumerate() {
                let x0 = i as f64 + 0.15 + s as f64 * width;
                let x1 = x0 + width * 0.92;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x0, 0.0), (x1, *value)],
                    serie.color.filled(),
                )))?;
                if let Some(text) = serie.texts.get(i) {
                    let (tx, ty) = chart.backend_coord(&((x0 + x1) / 2.0, *value));
                    root.draw(&Text::new(
                        text.clone(),
                        (tx, ty - 4),
                        style(SMALL, &INK, HPos::Center, VPos::Bottom),
                    ))?;
                }
            }
        }
        for (i, (label, _)) in categories.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
            root.draw(&Text::new(
                label.clone(),
                (x, y + 6),
                style(TEXT, &INK, HPos::Center, VPos::Top),
            ))?;
            for (j, note) in notes[i].iter().enumerate() {
                root.draw(&Text::new(
                    note.clone(),
                    (x, y + 26 + j as i32 * 16),
                    style(SMALL, &MUTED, HPos::Center, VPos::Top),
                ))?;
            }
        }
        for (m, marker) in markers.iter().enumerate() {
            let (x, y_low) = chart.backend_coord(&(marker.at, 0.0));
            let (_, y_high) = chart.backend_coord(&(marker.at, ymax));
            let y_top = y_high - 20 - m as i32 * 2;
            root.draw(&PathElement::new(
                vec![(x, y_low), (x, y_top)],
                marker.color.stroke_width(2),
            ))?;
            // Two markers close together put their texts on either side.
            let right = m % 2 == 0;
            root.draw(&Text::new(
                marker.text.clone(),
                (if right { x + 4 } else { x - 4 }, y_top),
                style(
                    SMALL,
                    &marker.color,
                    if right { HPos::Left } else { HPos::Right },
                    VPos::Bottom,
                ),
            ))?;
        }
        Ok(())
    })
}

/// A scale question's answers: bars per point with counts, the mean marked.
pub fn scale(
    title: &str,
    points: &[(i64, String, usize)],
    mean: Option<(f64, String)>,
    min: i64,
    people: &str,
) -> String {
    let categories: Vec<(String, String)> = points
        .iter()
        .map(|(v, label, _)| (v.to_string(), label.clone()))
        .collect();
    let series = [Series {
        name: String::new(),
        color: ACCENT,
        values: points.iter().map(|(_, _, c)| *c as f64).collect(),
        texts: points.iter().map(|(_, _, c)| c.to_string()).collect(),
    }];
    let markers: Vec<Marker> = mean
        .into_iter()
        .map(|(m, text)| Marker {
            at: m - min as f64 + 0.5,
            text,
            color: MEAN,
        })
        .collect();
    vertical_bars(title, &categories, &series, &markers, people)
}

/// Stacked vertical bars: one bar per category (a session), stacked by series (a
/// profession), the total above, the legend on the right.
pub fn stacked(
    title: &str,
    categories: &[Vec<String>],
    series: &[Series],
    y_label: &str,
) -> String {
    const LEGEND_W: f64 = 230.0;
    let n = categories.len().max(1);
    let label_lines = categories.iter().map(Vec::len).max().unwrap_or(1);
    let plot_h = 240.0_f64.max(series.len() as f64 * 20.0);
    let bottom = 14.0 + label_lines as f64 * 16.0;
    let height = (14.0 + plot_h + bottom).ceil() as u32;
    let totals: Vec<f64> = (0..n)
        .map(|i| {
            series
                .iter()
                .map(|s| s.values.get(i).copied().unwrap_or(0.0))
                .sum()
        })
        .collect();
    let ymax = axis_max(totals.iter().copied().fold(0.0, f64::max) * 1.08);
    svg(height, title, |root| {
        let area = root.margin(14, 0, 0, 0);
        let mut chart = ChartBuilder::on(&area)
            .margin_right(LEGEND_W as i32)
            .x_label_area_size(bottom as i32)
            .y_label_area_size(70)
            .build_cartesian_2d(0f64..n as f64, 0f64..ymax)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels((ymax / tick_step(ymax)) as usize + 1)
            .y_label_formatter(&|y| whole(*y))
            .y_label_style(font(SMALL).color(&MUTED))
            .y_desc(y_label)
            .axis_desc_style(font(SMALL).color(&MUTED))
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(MUTED)
            .draw()?;
        let mut base = vec![0.0; n];
        for serie in series {
            for (i, value) in serie.values.iter().enumerate().take(n) {
                if *value > 0.0 {
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(i as f64 + 0.2, base[i]), (i as f64 + 0.8, base[i] + value)],
                        serie.color.filled(),
                    )))?;
                }
                base[i] += value;
            }
        }
        for (i, label) in categories.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
            for (j, line) in label.iter().enumerate() {
                root.draw(&Text::new(
                    line.clone(),
                    (x, y + 6 + j as i32 * 16),
                    style(SMALL, &INK, HPos::Center, VPos::Top),
                ))?;
            }
            let (_, ty) = chart.backend_coord(&(i as f64 + 0.5, totals[i]));
            root.draw(&Text::new(
                whole(totals[i]),
                (x, ty - 4),
                style(SMALL, &INK, HPos::Center, VPos::Bottom),
            ))?;
        }
        // The legend lists the series top to bottom in the order they are stacked upwards,
        // so it reads like the bars.
        let x = WIDTH as i32 - LEGEND_W as i32 + 16;
        for (j, serie) in series.iter().rev().enumerate() {
            let y = 24 + j as i32 * 20;
            root.draw(&Rectangle::new(
                [(x, y - 7), (x + 14, y + 7)],
                serie.color.filled(),
            ))?;
            let name = wrap(&serie.name, LEGEND_W - 40.0, SMALL, 1).join("");
            root.draw(&Text::new(
                name,
                (x + 20, y),
                style(SMALL, &INK, HPos::Left, VPos::Center),
            ))?;
        }
        Ok(())
    })
}

/// A line over sessions: one point per category where the value is known, joined in
/// order (gaps are skipped), with the value above each point. `min..max` is the axis.
pub fn trend(
    title: &str,
    categories: &[Vec<String>],
    values: &[Option<f64>],
    (min, max): (f64, f64),
) -> String {
    let n = categories.len().max(1);
    let label_lines = categories.iter().map(Vec::len).max().unwrap_or(1);
    let bottom = 14.0 + label_lines as f64 * 16.0;
    let height = (20.0 + 180.0 + bottom).ceil() as u32;
    svg(height, title, |root| {
        let area = root.margin(20, 0, 0, 0);
        let mut chart = ChartBuilder::on(&area)
            .margin_right(30)
            .x_label_area_size(bottom as i32)
            .y_label_area_size(50)
            .build_cartesian_2d(0f64..n as f64, min..max)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(((max - min) as usize + 1).min(11))
            .y_label_formatter(&|y| whole(*y))
            .y_label_style(font(SMALL).color(&MUTED))
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(MUTED)
            .draw()?;
        let known: Vec<(f64, f64)> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (i as f64 + 0.5, v)))
            .collect();
        chart.draw_series(LineSeries::new(known.clone(), ACCENT.stroke_width(2)))?;
        for (x, v) in &known {
            chart.draw_series(std::iter::once(Circle::new((*x, *v), 4, ACCENT.filled())))?;
            let (px, py) = chart.backend_coord(&(*x, *v));
            root.draw(&Text::new(
                format!("{v:.1}"),
                (px, py - 8),
                style(SMALL, &INK, HPos::Center, VPos::Bottom),
            ))?;
        }
        for (i, label) in categories.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(i as f64 + 0.5, min));
            let known = values.get(i).copied().flatten().is_some();
            for (j, line) in label.iter().enumerate() {
                root.draw(&Text::new(
                    line.clone(),
                    (x, y + 6 + j as i32 * 16),
                    style(
                        SMALL,
                        if known { &INK } else { &MUTED },
                        HPos::Center,
                        VPos::Top,
                    ),
                ))?;
            }
        }
        Ok(())
    })
}

/// A session's date as two short lines for an axis: the year, then month and day.
pub fn date_label(held_on: &str) -> Vec<String> {
    match held_on.split_once('-') {
        Some((year, rest)) => vec![year.to_string(), rest.replace('-', "/")],
        None => vec![held_on.to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_japanese_labels_wrap_without_breaking_kinsoku() {
        let label = "一人暮らしで身寄りのない人の意思決定支援、そして地域の見守り。";
        let lines = wrap(label, 10.0 * 14.0, 14.0, 9);
        assert!(lines.len() >= 3, "{lines:?}");
        assert_eq!(lines.concat(), label, "nothing is lost");
        for line in &lines {
            let first = line.chars().next().expect("no empty line");
            assert!(
                !NO_START.contains(first),
                "{line} starts a line with {first}"
            );
        }
        let english = wrap(
            "Sharing the plan with the family at discharge",
            120.0,
            14.0,
            9,
        );
        assert!(
            english
                .iter()
                .all(|l| !l.starts_with(' ') && !l.ends_with(' '))
        );
        assert_eq!(
            english.join(" "),
            "Sharing the plan with the family at discharge"
        );
        let cut = wrap(label, 5.0 * 14.0, 14.0, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'));
    }

    #[test]
    fn labels_are_escaped_in_the_svg() {
        let chart = horizontal_bars(
            "<script>alert(1)</script> & \"q\"",
            &[
                "<script>alert('x')</script> & いいえ".to_string(),
                "はい".to_string(),
            ],
            &[Series {
                name: String::new(),
                color: ACCENT,
                values: vec![3.0, 2.0],
                texts: vec!["3人 <b>".into(), "2人".into()],
            }],
            None,
        );
        assert!(
            chart.starts_with("<svg class=\"chart-svg\" role=\"img\""),
            "{chart}"
        );
        assert!(
            !chart.contains("<script") && !chart.contains("<b>"),
            "{chart}"
        );
        assert!(chart.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; いいえ"));
        assert!(
            chart.contains(
                "aria-label=\"&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;\""
            )
        );
        assert!(chart.contains(FONT), "Japanese fonts are named");
        assert!(
            !chart.contains("style="),
            "no inline styles: the page's CSP forbids them"
        );
        assert!(chart.trim_end().ends_with("</svg>"));
    }

    #[test]
    fn every_chart_draws() {
        let s = scale(
            "自信",
            &[
                (1, "低い".into(), 0),
                (2, String::new(), 1),
                (3, String::new(), 4),
                (4, String::new(), 2),
                (5, "高い".into(), 3),
            ],
            Some((3.7, "平均 3.7".into())),
            1,
            "人数",
        );
        assert!(s.contains("平均 3.7") && s.contains("<rect"), "{s}");
        let st = stacked(
            "職種",
            &[date_label("2026-04-01"), date_label("2026-05-01")],
            &[Series {
                name: "訪問看護師".into(),
                color: PALETTE[0],
                values: vec![3.0, 5.0],
                texts: Vec::new(),
            }],
            "人数",
        );
        assert!(st.contains("訪問看護師") && st.contains("04/01"));
        let t = trend(
            "平均",
            &[
                date_label("2026-04-01"),
                date_label("2026-05-01"),
                date_label("2026-06-01"),
            ],
            &[Some(3.2), None, Some(4.0)],
            (1.0, 5.0),
        );
        assert!(
            t.contains("3.2") && t.contains("4.0") && t.contains("<polyline"),
            "{t}"
        );
    }
}
