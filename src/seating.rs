//! Balanced seating: spreads a session's participants over its tables so that every
//! table mixes professions, organizations, areas and the hospital and home sides.
//!
//! The algorithm is deterministic (the same roster always gives the same plan):
//!
//! 1. **Table sizes.** People moved by hand (`fixed`) keep their table; the others fill
//!    the tables up to sizes that differ by at most one (water-filling).
//! 2. **Greedy by scarcity.** People of the rarest professions are placed first (then
//!    those of the largest organizations), each at the table where they add the least
//!    [cost](#cost), ties going to the emptiest table, then the lowest number.
//! 3. **Local improvement.** Every pair of people at different tables is tried as a
//!    swap; a swap is kept when it lowers the total cost. Passes repeat until none helps.
//!    Swaps keep the table sizes, so step 1's balance holds.
//!
//! # Cost
//!
//! The cost of a plan is a sum over tables of:
//! - [`W_ORGANIZATION`] for every pair of people of one organization,
//! - [`W_PROFESSION`] × (people of a profession)², which is lowest when each profession
//!   is spread evenly (squares punish a 2-and-0 more than two 1s),
//! - [`W_AREA`] × (people of an area)²,
//! - [`W_SIDE`] × (people of a side)², plus [`W_SIDE_MISSING`] when the table has no
//!   one of the hospital side, or no one of the home side, while the roster has both.

use std::collections::HashMap;

use serde::Serialize;

/// Cost of each pair of people from one organization at a table: the strongest rule.
pub const W_ORGANIZATION: i64 = 20;
/// Cost of a table missing the hospital or the home side when the roster has both.
pub const W_SIDE_MISSING: i64 = 60;
/// Weight of the squared count of each profession at a table.
pub const W_PROFESSION: i64 = 8;
/// Weight of the squared count of each area at a table.
pub const W_AREA: i64 = 2;
/// Weight of the squared count of each side at a table.
pub const W_SIDE: i64 = 1;
/// Most improvement passes; a pass that changes nothing ends the search sooner.
const MAX_PASSES: usize = 60;

/// Which side of a hospital–home discharge a person works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Hospital side: hospital physician, ward nurse, MSW…
    Hospital,
    /// Home side: home physician, visiting nurse, care manager…
    Home,
    /// Neither (city staff, citizens, students…).
    None,
}

impl Side {
    /// The id stored in the database.
    pub fn id(self) -> &'static str {
        match self {
            Side::Hospital => "hospital",
            Side::Home => "home",
            Side::None => "none",
        }
    }

    /// Parses a stored id.
    pub fn from_id(id: &str) -> Side {
        match id {
            "hospital" => Side::Hospital,
            "home" => Side::Home,
            _ => Side::None,
        }
    }
}

/// What the algorithm knows of a person.
#[derive(Debug, Clone)]
pub struct Person {
    /// The person's built-in profession id (`visiting-nurse`…): tables get a mix of them.
    pub profession: String,
    /// Organization; empty means none (never counted as a duplicate).
    pub organization: String,
    /// Area; empty means unknown.
    pub area: String,
    /// Whether the profession works in hospital, in home care or neither: when the roster
    /// has both sides, each table should too.
    pub side: Side,
    /// A table (0-based) the person must keep, e.g. after a move by hand.
    pub fixed: Option<usize>,
}

/// The four things spread over tables.
const DIMENSIONS: usize = 4;
const PROFESSION: usize = 0;
const ORGANIZATION: usize = 1;
const AREA: usize = 2;
const SIDE: usize = 3;

/// People as category indices per dimension, with counts per table.
struct Board {
    /// `cats[person][dim]`: the category, or none (empty organization, no side).
    cats: Vec<[Option<usize>; DIMENSIONS]>,
    /// Number of categories per dimension.
    sizes: [usize; DIMENSIONS],
    /// `counts[dim][table * sizes[dim] + cat]`.
    counts: [Vec<i64>; DIMENSIONS],
    /// Whether the roster has both sides, so each table should too.
    both_sides: bool,
    table_of: Vec<Option<usize>>,
    seated: Vec<usize>,
}

impl Board {
    fn new(people: &[Person], tables: usize) -> Self {
        let mut maps: [HashMap<&str, usize>; DIMENSIONS] = Default::default();
        let mut cats = Vec::with_capacity(people.len());
        for p in people {
            let side = match p.side {
                Side::Hospital => Some("hospital"),
                Side::Home => Some("home"),
                Side::None => None,
            };
            let values = [
                Some(p.profession.as_str()),
                Some(p.organization.trim()).filter(|o| !o.is_empty()),
                Some(p.area.trim()).filter(|a| !a.is_empty()),
                side,
            ];
            let mut row = [None; DIMENSIONS];
            for (dim, value) in values.into_iter().enumerate() {
                row[dim] = value.map(|v| {
                    let next = maps[dim].len();
                    *maps[dim].entry(v).or_insert(next)
                });
            }
            cats.push(row);
        }
        let sizes = [0, 1, 2, 3].map(|d| maps[d].len());
        let counts = sizes.map(|n| vec![0; n * tables]);
        Self {
            both_sides: maps[SIDE].len() == 2,
            cats,
            sizes,
            counts,
            table_of: vec![None; people.len()],
            seated: vec![0; tables],
        }
    }

    /// The cost of `c` people of category `cat` of `dim` at one table.
    fn term(&self, dim: usize, c: i64) -> i64 {
        match dim {
            PROFESSION => W_PROFESSION * c * c,
            ORGANIZATION => W_ORGANIZATION * c * (c - 1) / 2,
            AREA => W_AREA * c * c,
            _ => {
                W_SIDE * c * c
                    + if self.both_sides && c == 0 {
                        W_SIDE_MISSING
                    } else {
                        0
                    }
            }
        }
    }

    fn count(&self, dim: usize, table: usize, cat: usize) -> i64 {
        self.counts[dim][table * self.sizes[dim] + cat]
    }

    fn bump(&mut self, person: usize, table: usize, by: i64) {
        for dim in 0..DIMENSIONS {
            if let Some(cat) = self.cats[person][dim] {
                self.counts[dim][table * self.sizes[dim] + cat] += by;
            }
        }
    }

    fn place(&mut self, person: usize, table: usize) {
        self.bump(person, table, 1);
        self.table_of[person] = Some(table);
        self.seated[table] += 1;
    }

    /// Cost change of seating `person` at `table`.
    fn add_delta(&self, person: usize, table: usize) -> i64 {
        (0..DIMENSIONS)
            .filter_map(|dim| {
                let cat = self.cats[person][dim]?;
                let c = self.count(dim, table, cat);
                Some(self.term(dim, c + 1) - self.term(dim, c))
            })
            .sum()
    }

    /// Cost change of swapping `x` (at table `a`) and `y` (at table `b`).
    fn swap_delta(&self, x: usize, a: usize, y: usize, b: usize) -> i64 {
        let mut delta = 0;
        for dim in 0..DIMENSIONS {
            let (cx, cy) = (self.cats[x][dim], self.cats[y][dim]);
            if cx == cy {
                continue;
            }
            if let Some(cx) = cx {
                let (na, nb) = (self.count(dim, a, cx), self.count(dim, b, cx));
                delta += self.term(dim, na - 1) - self.term(dim, na) + self.term(dim, nb + 1)
                    - self.term(dim, nb);
            }
            if let Some(cy) = cy {
                let (na, nb) = (self.count(dim, a, cy), self.count(dim, b, cy));
                delta += self.term(dim, nb - 1) - self.term(dim, nb) + self.term(dim, na + 1)
                    - self.term(dim, na);
            }
        }
        delta
    }
}

/// Table sizes that differ by at most one, never below the people fixed at a table.
fn target_sizes(fixed: &[usize], free: usize) -> Vec<usize> {
    let mut sizes = fixed.to_vec();
    for _ in 0..free {
        if let Some(smallest) = (0..sizes.len()).min_by_key(|&t| (sizes[t], t)) {
            sizes[smallest] += 1;
        }
    }
    sizes
}

/// Assigns every person a table (0-based) out of `tables`; see the module docs.
/// Returns an empty plan when there are no tables.
pub fn assign(people: &[Person], tables: usize) -> Vec<usize> {
    if tables == 0 {
        return Vec::new();
    }
    let mut board = Board::new(people, tables);
    let mut fixed_counts = vec![0; tables];
    let mut free = Vec::new();
    for (i, p) in people.iter().enumerate() {
        match p.fixed.filter(|&t| t < tables) {
            Some(t) => {
                board.place(i, t);
                fixed_counts[t] += 1;
            }
            None => free.push(i),
        }
    }
    let targets = target_sizes(&fixed_counts, free.len());

    // Scarcity order: rare professions first, then people of large organizations.
    let mut totals: [HashMap<usize, usize>; DIMENSIONS] = Default::default();
    for row in &board.cats {
        for (dim, cat) in row.iter().enumerate() {
            if let Some(cat) = cat {
                *totals[dim].entry(*cat).or_default() += 1;
            }
        }
    }
    let total = |i: usize, dim: usize| {
        board.cats[i][dim].map_or(0, |c| totals[dim].get(&c).copied().unwrap_or(0))
    };
    free.sort_by_key(|&i| {
        (
            total(i, PROFESSION),
            std::cmp::Reverse(total(i, ORGANIZATION)),
            i,
        )
    });
    for &i in &free {
        let best = (0..tables)
            .filter(|&t| board.seated[t] < targets[t])
            .min_by_key(|&t| (board.add_delta(i, t), board.seated[t], t));
        if let Some(t) = best {
            board.place(i, t);
        }
    }

    // Local improvement by pairwise swaps of people who were not fixed.
    let mut movable = free;
    movable.sort_unstable();
    for _ in 0..MAX_PASSES {
        let mut improved = false;
        for (k, &x) in movable.iter().enumerate() {
            for &y in &movable[k + 1..] {
                let (Some(a), Some(b)) = (board.table_of[x], board.table_of[y]) else {
                    continue;
                };
                if a == b || board.cats[x] == board.cats[y] {
                    continue;
                }
                if board.swap_delta(x, a, y, b) < 0 {
                    board.bump(x, a, -1);
                    board.bump(y, b, -1);
                    board.bump(x, b, 1);
                    board.bump(y, a, 1);
                    board.table_of[x] = Some(b);
                    board.table_of[y] = Some(a);
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
    board
        .table_of
        .iter()
        .map(|t| t.unwrap_or_default())
        .collect()
}

/// The best table (0-based) for one more person when the others keep their seats:
/// among the tables with the fewest people (and below `seats`), the one where the
/// newcomer adds the least cost. `None` when every table is full.
pub fn place_one(
    people: &[Person],
    plan: &[usize],
    tables: usize,
    seats: usize,
    newcomer: &Person,
) -> Option<usize> {
    let mut all = people.to_vec();
    all.push(newcomer.clone());
    let mut board = Board::new(&all, tables);
    for (i, &t) in plan.iter().enumerate().take(people.len()) {
        if t < tables {
            board.place(i, t);
        }
    }
    let smallest = (0..tables).map(|t| board.seated[t]).min()?;
    let newcomer = people.len();
    (0..tables)
        .filter(|&t| board.seated[t] == smallest && board.seated[t] < seats)
        .min_by_key(|&t| (board.add_delta(newcomer, t), t))
}

/// How well a plan spreads people, for the page, the README and the tests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Spread {
    /// People at the smallest table.
    pub smallest: usize,
    /// People at the largest table.
    pub largest: usize,
    /// Professions whose count per table differs by more than one between tables.
    pub uneven_professions: Vec<String>,
    /// Extra people sharing an organization at a table (a table with three of one
    /// organization counts two).
    pub organization_duplicates: usize,
    /// The least possible: an organization with more people than tables must repeat.
    pub unavoidable_duplicates: usize,
    /// Whether the roster has people of both the hospital and the home side.
    pub both_sides: bool,
    /// Tables without both sides, when the roster has both.
    pub tables_missing_side: usize,
    /// The least possible, when one side has fewer people than there are tables.
    pub unavoidable_missing_side: usize,
    /// Areas whose count per table differs by more than one between tables.
    pub uneven_areas: Vec<String>,
}

/// Measures a plan (`plan[i]` is person `i`'s table, 0-based).
pub fn spread(people: &[Person], plan: &[usize], tables: usize) -> Spread {
    if tables == 0 {
        return Spread::default();
    }
    let mut board = Board::new(people, tables);
    for (i, &t) in plan.iter().enumerate().take(people.len()) {
        if t < tables {
            board.place(i, t);
        }
    }
    let names = |dim: usize| {
        let mut names = vec![String::new(); board.sizes[dim]];
        for (i, p) in people.iter().enumerate() {
            if let Some(cat) = board.cats[i][dim] {
                names[cat] = match dim {
                    PROFESSION => p.profession.clone(),
                    AREA => p.area.trim().to_string(),
                    _ => String::new(),
                };
            }
        }
        names
    };
    let uneven = |dim: usize| {
        let names = names(dim);
        let mut out: Vec<String> = (0..board.sizes[dim])
            .filter(|&cat| {
                let counts = (0..tables).map(|t| board.count(dim, t, cat));
                let (lo, hi) =
                    counts.fold((i64::MAX, i64::MIN), |(lo, hi), c| (lo.min(c), hi.max(c)));
                hi - lo > 1
            })
            .map(|cat| names[cat].clone())
            .collect();
        out.sort();
        out
    };
    let mut organization_duplicates = 0;
    let mut unavoidable_duplicates = 0;
    for cat in 0..board.sizes[ORGANIZATION] {
        let mut total = 0;
        for t in 0..tables {
            let c = board.count(ORGANIZATION, t, cat);
            total += c;
            organization_duplicates += (c - 1).max(0) as usize;
        }
        unavoidable_duplicates += (total - tables as i64).max(0) as usize;
    }
    let (mut tables_missing_side, mut unavoidable_missing_side) = (0, 0);
    if board.both_sides {
        tables_missing_side = (0..tables)
            .filter(|&t| (0..2).any(|cat| board.count(SIDE, t, cat) == 0))
            .count();
        let fewest = (0..2)
            .map(|cat| (0..tables).map(|t| board.count(SIDE, t, cat)).sum::<i64>())
            .min()
            .unwrap_or(0);
        unavoidable_missing_side = (tables as i64 - fewest).max(0) as usize;
    }
    Spread {
        smallest: board.seated.iter().copied().min().unwrap_or(0),
        largest: board.seated.iter().copied().max().unwrap_or(0),
        uneven_professions: uneven(PROFESSION),
        organization_duplicates,
        unavoidable_duplicates,
        both_sides: board.both_sides,
        tables_missing_side,
        unavoidable_missing_side,
        uneven_areas: uneven(AREA),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(profession: &str, organization: &str, area: &str, side: Side) -> Person {
        Person {
            profession: profession.into(),
            organization: organization.into(),
            area: area.into(),
            side,
            fixed: None,
        }
    }

    /// The 215-person roster of the test fixture, as the algorithm sees it.
    fn meeting() -> Vec<Person> {
        let parsed = crate::roster::parse_csv(
            include_bytes!("../tests/fixtures/roster-215.csv"),
            &Default::default(),
        )
        .expect("the fixture roster parses");
        parsed
            .entries
            .iter()
            .map(|e| person(e.profession.id, &e.organization, &e.area, e.side))
            .collect()
    }

    #[test]
    fn a_215_person_meeting_spreads_over_30_tables() {
        let people = meeting();
        assert_eq!(people.len(), 215);
        let started = std::time::Instant::now();
        let plan = assign(&people, 30);
        let elapsed = started.elapsed();
        assert_eq!(plan.len(), 215);
        let spread = spread(&people, &plan, 30);
        assert!(
            spread.largest - spread.smallest <= 1,
            "table sizes {spread:?}"
        );
        assert_eq!((spread.smallest, spread.largest), (7, 8));
        assert!(
            spread.uneven_professions.is_empty(),
            "each profession differs by at most one per table: {spread:?}"
        );
        assert_eq!(spread.unavoidable_duplicates, 0);
        assert_eq!(
            spread.organization_duplicates, 0,
            "no two people of one organization at a table: {spread:?}"
        );
        assert!(spread.both_sides);
        assert_eq!(
            spread.tables_missing_side, 0,
            "every table has both sides: {spread:?}"
        );
        assert!(spread.uneven_areas.is_empty(), "areas mix: {spread:?}");
        // The same roster always gives the same plan.
        assert_eq!(assign(&people, 30), plan);
        assert!(elapsed.as_secs() < 10, "took {elapsed:?}");
    }

    #[test]
    fn unavoidable_duplicates_are_counted_and_kept_to_the_minimum() {
        // Seven people of one station at three tables: 7 - 3 = 4 must share.
        let mut people: Vec<Person> = (0..7)
            .map(|_| person("visiting-nurse", "A訪問看護", "北部", Side::Home))
            .collect();
        people
            .extend((0..5).map(|i| person("pharmacist", &format!("薬局{i}"), "南部", Side::Home)));
        let plan = assign(&people, 3);
        let spread = spread(&people, &plan, 3);
        assert_eq!(spread.unavoidable_duplicates, 4);
        assert_eq!(spread.organization_duplicates, 4);
        assert_eq!((spread.smallest, spread.largest), (4, 4));
    }

    #[test]
    fn both_sides_reach_every_table_when_there_are_enough() {
        let mut people = Vec::new();
        for i in 0..4 {
            people.push(person(
                "hospital-nurse",
                &format!("病院{i}"),
                "",
                Side::Hospital,
            ));
        }
        for i in 0..4 {
            people.push(person(
                "hospital-nurse",
                &format!("病院{}", i + 4),
                "",
                Side::Home,
            ));
        }
        let plan = assign(&people, 4);
        let spread = spread(&people, &plan, 4);
        assert_eq!(spread.tables_missing_side, 0, "{plan:?}");
        // With only two hospital people, two of four tables must go without.
        let few: Vec<Person> = people[2..].to_vec();
        let plan = assign(&few, 4);
        let spread = super::spread(&few, &plan, 4);
        assert_eq!(spread.unavoidable_missing_side, 2);
        assert_eq!(spread.tables_missing_side, 2);
    }

    #[test]
    fn fixed_people_keep_their_table() {
        let mut people = meeting();
        people.truncate(40);
        for p in people.iter_mut().take(5) {
            p.fixed = Some(2);
        }
        let plan = assign(&people, 5);
        assert!(plan[..5].iter().all(|&t| t == 2), "{plan:?}");
        let spread = spread(&people, &plan, 5);
        // Table 3 holds the five fixed people and no more; the rest balance around it.
        assert!(spread.largest <= 9, "{spread:?}");
    }

    #[test]
    fn a_late_arrival_goes_to_a_small_table_that_lacks_their_kind() {
        let people = vec![
            person("physician-clinic", "A", "北部", Side::Home),
            person("visiting-nurse", "B", "北部", Side::Home),
            person("physician-clinic", "C", "南部", Side::Home),
        ];
        let plan = vec![0, 0, 1];
        let newcomer = person("physician-clinic", "D", "南部", Side::Home);
        // Table 2 has one person, table 1 two: the newcomer goes to the smaller one, even
        // though it has a physician already (sizes stay within one).
        assert_eq!(place_one(&people, &plan, 2, 8, &newcomer), Some(1));
        let plan = vec![0, 1, 1];
        let nurse = person("visiting-nurse", "E", "中部", Side::Home);
        let three = vec![people[0].clone(), people[1].clone(), people[2].clone()];
        assert_eq!(place_one(&three, &[0, 0, 1], 2, 2, &nurse), Some(1));
        assert_eq!(place_one(&three, &plan, 2, 1, &nurse), None);
    }

    #[test]
    fn no_tables_means_no_plan() {
        assert!(assign(&[person("citizen", "", "", Side::None)], 0).is_empty());
    }
}
