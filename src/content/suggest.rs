//! "Did you mean": the known name nearest to a wrong one, for a problem's message.
//!
//! Authors type ids by hand, often with a Japanese input method switched on, so a name
//! is compared after folding case, full-width letters and `_`/space into `-`
//! (`Ｓ３Ｂ`, `S3B` and `s3b` are the same), then by edit distance: a name at most a
//! third of its length away (at least one edit) is suggested, the nearest first.

/// `text` folded for comparison: full-width ASCII to ASCII, upper to lower case,
/// `_`, spaces (also the full-width space) to `-`.
pub fn fold(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '\u{3000}' | ' ' | '_' => '-',
            '\u{ff01}'..='\u{ff5e}' => {
                char::from_u32(c as u32 - 0xfee0).map_or(c, |c| c.to_ascii_lowercase())
            }
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Edit distance between two strings, by chars: insertions, deletions, substitutions
/// and swaps of two neighbours (`tilte` → `title` is one edit).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the table: two back (for swaps), the previous one and this one.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (previous[j - 1] + cost)
                .min(previous[j] + 1)
                .min(row[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut previous, row);
    }
    previous[b.len()]
}

/// The candidate nearest to `word` when it is near enough, else `None`. An exact match
/// after folding wins; among equally near candidates the first one does.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let folded = fold(word);
    if folded.is_empty() {
        return None;
    }
    let limit = (folded.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let d = distance(&folded, &fold(candidate));
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// A profession an author may mean: its id, Japanese and English names (a name with
/// parts, such as `介護支援専門員（ケアマネジャー）`, matches any part).
pub type ProfessionName<'a> = (&'a str, &'a str, &'a str);

/// The id of the profession `word` names, when it is not an id itself: its Japanese or
/// English name (or a part of one), or a near spelling of an id or a name.
pub fn profession<'a>(word: &str, candidates: &[ProfessionName<'a>]) -> Option<&'a str> {
    let folded = fold(word);
    let parts = |name: &'a str| {
        name.split(['（', '）', '(', ')', '・', '/', '／'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
    };
    // The whole name or one of its parts, exactly.
    for (id, ja, en) in candidates {
        let names = [*ja, *en].into_iter().flat_map(parts);
        if names.chain([*ja, *en]).any(|n| fold(n) == folded) {
            return Some(id);
        }
    }
    if let Some(id) = closest(word, candidates.iter().map(|(id, _, _)| *id)) {
        return Some(id);
    }
    let names: Vec<(&str, &str)> = candidates
        .iter()
        .flat_map(|(id, ja, en)| {
            [*ja, *en]
                .into_iter()
                .flat_map(parts)
                .map(move |n| (*id, n))
        })
        .collect();
    let near = closest(word, names.iter().map(|(_, n)| *n))?;
    names.iter().find(|(_, n)| *n == near).map(|(id, _)| *id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("relaton", "relation"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("訪問看護", "訪問看護師"), 1);
        assert_eq!(distance("tilte", "title"), 1);
    }

    #[test]
    fn case_and_width_do_not_count() {
        assert_eq!(fold("Ｓ３Ｂ"), "s3b");
        assert_eq!(closest("s3B", ["s1", "s3a", "s3b"]), Some("s3b"));
        assert_eq!(closest("Ｓ３Ｂ", ["s3a", "s3b"]), Some("s3b"));
        assert_eq!(
            closest("group_work", ["lecture", "group-work"]),
            Some("group-work")
        );
    }

    #[test]
    fn only_near_names_are_suggested() {
        assert_eq!(
            closest("relaton", ["name", "relation", "lives"]),
            Some("relation")
        );
        assert_eq!(closest("essay", ["text", "choice", "scale"]), None);
        assert_eq!(closest("x", []), None);
        assert_eq!(closest("", ["a"]), None);
    }

    #[test]
    fn professions_by_name_part_or_spelling() {
        let list = [
            ("visiting-nurse", "訪問看護師", "Visiting nurse"),
            (
                "care-manager",
                "介護支援専門員（ケアマネジャー）",
                "Care manager",
            ),
            (
                "msw",
                "医療ソーシャルワーカー（MSW）",
                "Medical social worker (MSW)",
            ),
        ];
        assert_eq!(profession("訪問看護師", &list), Some("visiting-nurse"));
        assert_eq!(profession("Visiting nurse", &list), Some("visiting-nurse"));
        assert_eq!(profession("visiting_nurse", &list), Some("visiting-nurse"));
        assert_eq!(profession("visting-nurse", &list), Some("visiting-nurse"));
        assert_eq!(profession("ケアマネジャー", &list), Some("care-manager"));
        assert_eq!(profession("MSW", &list), Some("msw"));
        assert_eq!(profession("訪問看護", &list), Some("visiting-nurse"));
        assert_eq!(profession("chaplain", &list), None);
    }
}
