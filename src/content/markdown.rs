//! Markdown to HTML for content text, in one place.
//!
//! Content files are written by people, not vetted code: raw HTML in them is cleaned by
//! ammonia (scripts, event handlers, styles and foreign frames removed; harmless markup
//! such as `<br>` or `<ruby>` kept), links may only point to web pages, mail or within
//! the site, and images only to our own assets, so nothing in a content file can run a
//! script in a participant's browser or make a page reach the internet.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};
use serde::Serialize;

/// The one place pulldown-cmark options are chosen.
pub fn options() -> Options {
    Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
}

/// Builds the parser used for every content file.
pub fn new_parser(text: &str) -> Parser<'_> {
    Parser::new_ext(text, options())
}

/// Markdown text with its safe HTML rendering.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Markdown {
    /// The Markdown source as written (used for print and plain-text output).
    pub source: String,
    /// Sanitized HTML, safe to insert into a page unescaped.
    pub html: String,
}

impl Markdown {
    /// Renders `source` into sanitized HTML.
    pub fn new(source: &str) -> Self {
        let source = source.trim().to_string();
        Self {
            html: to_safe_html(&source),
            source,
        }
    }

    /// True when there is no text at all.
    pub fn is_empty(&self) -> bool {
        self.source.is_empty()
    }
}

/// The HTML cleaner, configured once.
static CLEANER: std::sync::LazyLock<ammonia::Builder<'static>> = std::sync::LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .add_tags(["ruby", "rt", "rp"])
        .attribute_filter(|element, attribute, value| {
            // Images must be served by us: an external one would reach the internet.
            if element == "img" && attribute == "src" && !value.starts_with("/assets/") {
                None
            } else {
                Some(value.into())
            }
        });
    builder
});

/// Renders Markdown to HTML, then cleans it: unsafe markup and link targets removed.
pub fn to_safe_html(source: &str) -> String {
    let events = new_parser(source).map(|event| match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            // Images must be served by us: an external one would reach the internet.
            dest_url: if dest_url.starts_with("/assets/") {
                dest_url
            } else {
                CowStr::Borrowed("")
            },
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    CLEANER.clean(&out).to_string()
}

fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let allowed = lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || lower.starts_with('#')
        || lower.starts_with('/') && !lower.starts_with("//");
    if allowed { url } else { CowStr::Borrowed("#") }
}

/// Maps byte offsets of a file to 1-based line numbers.
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_cleaned() {
        let html = to_safe_html(
            "こんにちは <script>alert(1)</script>\n\n<img src=x onerror=alert(1)> <a href=\"javascript:x()\" onclick=\"y()\">a</a>\n\n<iframe src=\"https://t\"></iframe><ruby>漢<rt>かん</rt></ruby><br>",
        );
        for bad in [
            "<script",
            "alert",
            "onerror",
            "onclick",
            "javascript",
            "<iframe",
            "src=\"x\"",
        ] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        assert!(
            html.contains("こんにちは")
                && html.contains("<ruby>漢<rt>かん</rt></ruby>")
                && html.contains("<br>"),
            "{html}"
        );
    }

    #[test]
    fn script_links_are_neutered() {
        let html = to_safe_html(
            "[x](javascript:alert(1)) [y](https://example.org/) ![i](https://t/x.png)",
        );
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("https://example.org/"), "{html}");
        assert!(!html.contains("https://t/x.png"), "{html}");
    }

    #[test]
    fn line_index_counts_from_one() {
        let index = LineIndex::new("a\nb\nc");
        assert_eq!(index.line(0), 1);
        assert_eq!(index.line(2), 2);
        assert_eq!(index.line(4), 3);
    }
}
