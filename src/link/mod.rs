//! Linking across a batch: figures from different articles that speak of
//! the same thing are compared, so that a claim is known to be corroborated
//! by an independent outlet, contradicted by one, or single-source.
//!
//! Two figures speak of the same thing when they share a key (predicate,
//! counted thing and unit: `killed people`), at least one named entity
//! ("Calder Bay"), and were published within a few days of each other.
//! Copies of one story (the same body, or the same sentence word for word)
//! are not independent and never corroborate each other. This module keeps
//! only compact claim keys, never article text: a [`Batch`] stores each
//! key, entity, outlet and figure text once and refers to it by number, so
//! a figure costs a few dozen bytes whatever the batch's size. Figures are
//! compared within a key and entity, sorted by date, so only those within
//! the window are paired. It does not read or write files.

use std::collections::{BTreeSet, HashMap};

/// One keyed figure of one article, as an article's analysis hands it to
/// linking. A [`Batch`] keeps it in compact form.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LinkClaim {
    /// Position of the article in the input, for stable ordering.
    pub article: usize,
    /// Index of the quantity-conflict rule that keyed the figure.
    pub rule: usize,
    pub article_id: String,
    /// 1-based sentence number.
    pub sentence: usize,
    pub key: String,
    /// Lowercased named entities of the sentence.
    pub entities: Vec<String>,
    #[serde(with = "any_f64")]
    pub low: f64,
    /// `inf` for an open range ("at least 80").
    #[serde(with = "any_f64")]
    pub high: f64,
    /// The figure as written ("dozens").
    pub value: String,
    pub outlet: String,
    /// Days since 1970-01-01 of the article's publication, when known.
    pub day: Option<i64>,
    /// Fingerprint of the article body: equal for copies of one story.
    pub copy: u64,
    /// Fingerprint of the sentence: equal for a sentence copied word for word.
    pub sentence_copy: u64,
    /// Relative slack before two values conflict (from the rule).
    pub tolerance: f64,
    /// Given as a change of an earlier count ("rose to 120"): compared with
    /// nothing, since a later count is not a contradiction.
    #[serde(default)]
    pub update: bool,
    /// The day its sentence names ("on March 3"): figures of different
    /// days are about different moments and are not compared.
    #[serde(default)]
    pub event: Option<crate::analyze::dates::Day>,
}

/// JSON has no infinity: open bounds travel as the strings `inf` and `-inf`.
mod any_f64 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            s.serialize_f64(*v)
        } else {
            s.serialize_str(&v.to_string())
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Num {
            Number(f64),
            Text(String),
        }
        match Num::deserialize(d)? {
            Num::Number(v) => Ok(v),
            Num::Text(t) => t.parse().map_err(serde::de::Error::custom),
        }
    }
}

/// What the rest of the batch says about one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// No other outlet reports this figure.
    SingleSource,
    /// An independent outlet reports a compatible value, and none an
    /// incompatible one.
    Corroborated,
    /// An independent outlet reports an incompatible value.
    Contradicted,
}

impl Status {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::SingleSource => "single-source",
            Status::Corroborated => "corroborated",
            Status::Contradicted => "contradicted",
        }
    }
}

/// Days within which two reports can be about the same event.
pub const WINDOW_DAYS: i64 = 7;

/// Strings of a batch, each stored once and named by its number.
#[derive(Debug, Default)]
struct Interner {
    ids: HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = u32::try_from(self.names.len()).expect("fewer than 2^32 distinct strings");
        self.names.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }

    fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
}

/// What every figure of one article shares.
#[derive(Debug)]
struct ArticleEntry {
    seq: usize,
    id: Box<str>,
    /// The outlet as written, and folded for comparison.
    outlet: u32,
    outlet_folded: u32,
    day: Option<i64>,
    copy: u64,
}

/// One figure in compact form: numbers into the batch's tables.
#[derive(Debug)]
struct Figure {
    article: u32,
    rule: u32,
    sentence: u32,
    key: u32,
    /// Range of the figure's sorted entity ids in `Batch::entities`.
    entities: (u32, u32),
    value: u32,
    low: f64,
    high: f64,
    tolerance: f64,
    sentence_copy: u64,
    update: bool,
    event: Option<crate::analyze::dates::Day>,
}

/// Every keyed figure of a batch, ready to be linked.
#[derive(Debug, Default)]
pub struct Batch {
    strings: Interner,
    articles: Vec<ArticleEntry>,
    figures: Vec<Figure>,
    entities: Vec<u32>,
}

/// The result of linking a batch, read through [`Batch::verdicts`] and
/// [`Batch::conflicts`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Links {
    /// Per figure, the start of its edges in `edges` (one more entry than figures).
    edge_start: Vec<u32>,
    /// Each figure's edges, grouped by figure, packed as [`edge`] makes
    /// them: 8 bytes an edge, the figure in the high half.
    edges: Vec<u64>,
    /// Pairs of figures (batch indices, lower first) that conflict, sorted.
    pub conflicts: Vec<(usize, usize)>,
}

/// The verdict on one claim (one sentence of one article): the strongest of
/// its figures' verdicts, with the articles behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimVerdict<'a> {
    /// Position of the article in the input.
    pub article: usize,
    /// 1-based sentence number.
    pub sentence: usize,
    /// The article's outlet as written.
    pub outlet: &'a str,
    pub status: Status,
    /// Ids of articles that report a compatible value, sorted, once each.
    pub agrees: Vec<&'a str>,
    /// Ids of articles that report an incompatible value, sorted, once each.
    pub disagrees: Vec<&'a str>,
}

/// One side of a conflict between outlets.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureRef<'a> {
    pub rule: usize,
    pub key: &'a str,
    pub article_id: &'a str,
    /// 1-based sentence number.
    pub sentence: usize,
    pub value: &'a str,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Number of figures.
    pub fn len(&self) -> usize {
        self.figures.len()
    }

    /// True when the batch holds no figure.
    pub fn is_empty(&self) -> bool {
        self.figures.is_empty()
    }

    /// Adds one figure. An article's figures come together, articles in
    /// input order.
    pub fn push(&mut self, c: &LinkClaim) {
        if self.articles.last().is_none_or(|a| a.seq != c.article) {
            let outlet = self.strings.id(&c.outlet);
            let outlet_folded = self.strings.id(&c.outlet.to_ascii_lowercase());
            self.articles.push(ArticleEntry {
                seq: c.article,
                id: c.article_id.as_str().into(),
                outlet,
                outlet_folded,
                day: c.day,
                copy: c.copy,
            });
        }
        let article = (self.articles.len() - 1) as u32;
        let mut ids: Vec<u32> = c.entities.iter().map(|e| self.strings.id(e)).collect();
        ids.sort_unstable();
        ids.dedup();
        // Figures of one sentence share their names: store them once.
        let entities = match self.figures.last() {
            Some(last)
                if last.article == article && self.entity_ids(last.entities) == ids.as_slice() =>
            {
                last.entities
            }
            _ => {
                let start = self.entities.len() as u32;
                self.entities.extend_from_slice(&ids);
                (start, ids.len() as u32)
            }
        };
        let figure = Figure {
            article,
            rule: c.rule as u32,
            sentence: c.sentence as u32,
            key: self.strings.id(&c.key),
            entities,
            value: self.strings.id(&c.value),
            low: c.low,
            high: c.high,
            tolerance: c.tolerance,
            sentence_copy: c.sentence_copy,
            update: c.update,
            event: c.event,
        };
        self.figures.push(figure);
    }

    /// Adds every figure of `claims`.
    pub fn extend<'c>(&mut self, claims: impl IntoIterator<Item = &'c LinkClaim>) {
        for c in claims {
            self.push(c);
        }
    }

    fn entity_ids(&self, (start, len): (u32, u32)) -> &[u32] {
        &self.entities[start as usize..(start + len) as usize]
    }

    fn day(&self, f: u32) -> Option<i64> {
        self.articles[self.figures[f as usize].article as usize].day
    }

    /// Compares every pair of figures that share a key and an entity and
    /// are near enough in time.
    pub fn link(&self) -> Links {
        // One entry per (key, entity) a figure has, sorted so that each
        // bucket is a run, undated figures first, then by date.
        let mut entries: Vec<(u32, u32, u32)> = Vec::new();
        for (i, f) in self.figures.iter().enumerate() {
            for &e in self.entity_ids(f.entities) {
                entries.push((f.key, e, i as u32));
            }
        }
        entries.sort_unstable_by_key(|&(k, e, i)| (k, e, self.day(i), i));
        // Each pair is an edge both ways: a figure's edges name the other
        // article. Edges are packed into one u64 and pushed straight away,
        // with no list of pairs beside them: linking a large batch holds
        // 16 bytes a pair, not 36.
        let mut edges: Vec<u64> = Vec::new();
        let mut conflicts: Vec<(usize, usize)> = Vec::new();
        for bucket in entries.chunk_by(|a, b| a.0 == b.0 && a.1 == b.1) {
            let entity = bucket[0].1;
            for (n, &(_, _, i)) in bucket.iter().enumerate() {
                let day_i = self.day(i);
                for &(_, _, j) in &bucket[n + 1..] {
                    if let (Some(x), Some(y)) = (day_i, self.day(j))
                        && y - x > WINDOW_DAYS
                    {
                        break; // later members are later still
                    }
                    // A pair sharing several entities is judged once, in
                    // the bucket of the first entity they share.
                    if self.first_shared_entity(i, j) != Some(entity) {
                        continue;
                    }
                    let (a, b) = (&self.figures[i as usize], &self.figures[j as usize]);
                    if !self.independent(a, b) || !same_moment(a, b) {
                        continue;
                    }
                    let (i, j) = (i.min(j), i.max(j));
                    let bad = incompatible(a, b, a.tolerance.max(b.tolerance));
                    edges.push(edge(i, self.figures[j as usize].article, bad));
                    edges.push(edge(j, self.figures[i as usize].article, bad));
                    if bad {
                        conflicts.push((i as usize, j as usize));
                    }
                }
            }
        }
        drop(entries);
        conflicts.sort_unstable();
        // Sorted as (figure, article, incompatible) tuples would be.
        edges.sort_unstable();
        edges.dedup();
        let mut edge_start = Vec::with_capacity(self.figures.len() + 1);
        let mut at = 0;
        for f in 0..self.figures.len() as u32 {
            edge_start.push(at as u32);
            while at < edges.len() && edges[at] >> 32 == u64::from(f) {
                at += 1;
            }
        }
        edge_start.push(at as u32);
        Links {
            edge_start,
            edges,
            conflicts,
        }
    }

    /// The smallest entity id both figures have.
    fn first_shared_entity(&self, i: u32, j: u32) -> Option<u32> {
        let a = self.entity_ids(self.figures[i as usize].entities);
        let b = self.entity_ids(self.figures[j as usize].entities);
        let (mut x, mut y) = (0, 0);
        while x < a.len() && y < b.len() {
            match a[x].cmp(&b[y]) {
                std::cmp::Ordering::Less => x += 1,
                std::cmp::Ordering::Greater => y += 1,
                std::cmp::Ordering::Equal => return Some(a[x]),
            }
        }
        None
    }

    /// Different outlets, and neither a copy of the other's story nor of its sentence.
    fn independent(&self, a: &Figure, b: &Figure) -> bool {
        let (x, y) = (
            &self.articles[a.article as usize],
            &self.articles[b.article as usize],
        );
        a.article != b.article
            && x.outlet_folded != y.outlet_folded
            && x.copy != y.copy
            && a.sentence_copy != b.sentence_copy
    }

    /// One verdict per claim that has figures, in input order (article,
    /// then sentence).
    pub fn verdicts<'a>(&'a self, links: &'a Links) -> impl Iterator<Item = ClaimVerdict<'a>> {
        let mut order: Vec<u32> = (0..self.figures.len() as u32).collect();
        // Articles come in input order; within one, sentences may not.
        order.sort_by_key(|&f| {
            let f = &self.figures[f as usize];
            (f.article, f.sentence)
        });
        let mut at = 0;
        std::iter::from_fn(move || {
            let first = *order.get(at)?;
            let head = &self.figures[first as usize];
            let article = &self.articles[head.article as usize];
            let (mut agrees, mut disagrees) = (BTreeSet::new(), BTreeSet::new());
            while let Some(&f) = order.get(at) {
                let fig = &self.figures[f as usize];
                if fig.article != head.article || fig.sentence != head.sentence {
                    break;
                }
                let span = links.edge_start[f as usize] as usize
                    ..links.edge_start[f as usize + 1] as usize;
                for &e in &links.edges[span] {
                    let (other, bad) = edge_parts(e);
                    let id = &*self.articles[other as usize].id;
                    if bad {
                        disagrees.insert(id);
                    } else {
                        agrees.insert(id);
                    }
                }
                at += 1;
            }
            let status = if !disagrees.is_empty() {
                Status::Contradicted
            } else if !agrees.is_empty() {
                Status::Corroborated
            } else {
                Status::SingleSource
            };
            Some(ClaimVerdict {
                article: article.seq,
                sentence: head.sentence as usize,
                outlet: self.strings.name(article.outlet),
                status,
                agrees: agrees.into_iter().collect(),
                disagrees: disagrees.into_iter().collect(),
            })
        })
    }

    /// Both sides of every conflict between outlets, in order.
    pub fn conflicts<'a>(
        &'a self,
        links: &'a Links,
    ) -> impl Iterator<Item = (FigureRef<'a>, FigureRef<'a>)> {
        links
            .conflicts
            .iter()
            .map(|&(i, j)| (self.figure(i), self.figure(j)))
    }

    fn figure(&self, i: usize) -> FigureRef<'_> {
        let f = &self.figures[i];
        FigureRef {
            rule: f.rule as usize,
            key: self.strings.name(f.key),
            article_id: &self.articles[f.article as usize].id,
            sentence: f.sentence as usize,
            value: self.strings.name(f.value),
        }
    }
}

/// An edge from `figure` to an `article`, packed so that edges sort by
/// figure, then article, then compatible before incompatible. Article
/// numbers take 31 bits: a batch holds fewer than two billion articles.
fn edge(figure: u32, article: u32, incompatible: bool) -> u64 {
    (u64::from(figure) << 32) | (u64::from(article & 0x7fff_ffff) << 1) | u64::from(incompatible)
}

/// The other article of an edge, and whether its figure is incompatible.
fn edge_parts(edge: u64) -> (u32, bool) {
    (((edge as u32) >> 1), edge & 1 == 1)
}

/// Neither figure updates an earlier count and they name no different days.
fn same_moment(a: &Figure, b: &Figure) -> bool {
    crate::analyze::dates::same_moment((a.update, a.event), (b.update, b.event))
}

/// The same test as within an article: apart by more than `tolerance` of
/// the larger value.
fn incompatible(a: &Figure, b: &Figure, tolerance: f64) -> bool {
    let gap = if a.high < b.low {
        b.low - a.high
    } else if b.high < a.low {
        a.low - b.high
    } else {
        return false;
    };
    gap > tolerance * a.low.max(b.low).abs().max(1e-9)
}

/// Words that are capitalised for reasons other than being a name, sorted
/// for binary search.
const NOT_NAMES: &[&str] = &[
    "a",
    "after",
    "an",
    "and",
    "apr",
    "april",
    "as",
    "at",
    "aug",
    "august",
    "before",
    "but",
    "by",
    "dec",
    "december",
    "dr",
    "feb",
    "february",
    "for",
    "friday",
    "from",
    "he",
    "her",
    "his",
    "i",
    "if",
    "in",
    "it",
    "its",
    "jan",
    "january",
    "jul",
    "july",
    "jun",
    "june",
    "many",
    "mar",
    "march",
    "may",
    "monday",
    "more",
    "most",
    "mr",
    "mrs",
    "ms",
    "nov",
    "november",
    "oct",
    "october",
    "of",
    "on",
    "saturday",
    "sep",
    "sept",
    "september",
    "she",
    "some",
    "sunday",
    "that",
    "the",
    "their",
    "there",
    "these",
    "they",
    "this",
    "those",
    "thursday",
    "to",
    "tuesday",
    "we",
    "wednesday",
    "when",
    "while",
    "with",
];

/// Named entities of a sentence: runs of capitalised words, lowercased
/// ("Calder Bay Harbor Authority" gives "calder bay harbor authority" and
/// each of its words that is not a common word, so that "Calder Bay" and
/// "the Calder Bay ferry" share "calder").
pub fn entities(sentence: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // The run of names so far, joined by spaces. Words are sliced, not
    // copied: only a name is lowercased into a new string.
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut Vec<String>| {
        if !run.is_empty() {
            out.push(std::mem::take(run));
        }
    };
    let mut words = sentence.split_whitespace().peekable();
    let mut first = true;
    while let Some(word) = words.next() {
        // A possessive goes ("Calder's" is "calder"); `strip_suffix` in a
        // loop does what `trim_end_matches("'s")` does without building a
        // substring searcher for every word.
        let mut bare = trim_to_alphanumeric(word);
        while let Some(rest) = bare.strip_suffix("'s") {
            bare = rest;
        }
        while let Some(rest) = bare.strip_suffix("\u{2019}s") {
            bare = rest;
        }
        // The first word is capitalised anyway: it counts only as the start
        // of a longer name ("Calder Bay ferry", not "Rescue crews").
        let opener_alone = first && !words.peek().is_some_and(|w| capitalised(w));
        first = false;
        let name = (capitalised(bare) && !opener_alone && bare.chars().nth(1).is_some())
            .then(|| {
                if bare.is_ascii() {
                    bare.to_ascii_lowercase()
                } else {
                    bare.to_lowercase()
                }
            })
            .filter(|lower| NOT_NAMES.binary_search(&lower.as_str()).is_err());
        match name {
            Some(lower) => {
                if !run.is_empty() {
                    run.push(' ');
                }
                run.push_str(&lower);
                out.push(lower);
            }
            None => flush(&mut run, &mut out),
        }
        if word.ends_with([',', '.', ';', ':', '\u{2014}']) {
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// A word without the punctuation around it: `"Calder,"` is `Calder`.
fn trim_to_alphanumeric(word: &str) -> &str {
    let bytes = word.as_bytes();
    match (bytes.first(), bytes.last()) {
        // Most words need no trimming at all.
        (Some(a), Some(z)) if a.is_ascii_alphanumeric() && z.is_ascii_alphanumeric() => word,
        _ => word.trim_matches(|c: char| !c.is_alphanumeric()),
    }
}

/// Whether a word, its punctuation aside, starts with a capital letter.
fn capitalised(word: &str) -> bool {
    match word.as_bytes().first() {
        Some(b) if b.is_ascii_uppercase() => true,
        Some(b) if b.is_ascii_alphanumeric() => false,
        _ => trim_to_alphanumeric(word)
            .chars()
            .next()
            .is_some_and(char::is_uppercase),
    }
}

/// Days since 1970-01-01 of a publication date: `YYYY-MM-DD`, alone or
/// followed by a time (`2026-02-15T10:00:00Z`, `2026-02-15 10:00`), or a
/// date as news writes it with its year (`March 3, 2026`, `3 March 2026`).
/// Impossible dates (February 30) and years outside 1..=9999 are unknown.
pub fn day_number(published: &str) -> Option<i64> {
    let p = published.trim();
    let iso = p.get(..10).filter(|head| {
        crate::analyze::dates::is_iso_shape(head.as_bytes())
            && p[10..].chars().next().is_none_or(|c| c == 'T' || c == ' ')
    });
    let (y, m, d) = match iso {
        Some(head) => (
            head[..4].parse().ok()?,
            head[5..7].parse().ok()?,
            head[8..10].parse().ok()?,
        ),
        None => match crate::analyze::dates::find_days(p).first()?.1 {
            crate::analyze::dates::Day::Date {
                year: Some(y),
                month,
                day: Some(d),
            } => (i64::from(y), i64::from(month), i64::from(d)),
            _ => return None,
        },
    };
    civil_day(y, m, d)
}

/// Days since 1970-01-01 of a calendar date, if it is one.
fn civil_day(y: i64, m: i64, d: i64) -> Option<i64> {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1..=9999).contains(&y) || !(1..=days_in_month).contains(&d) {
        return None;
    }
    // Days from civil date (proleptic Gregorian), after H. Hinnant's algorithm.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// A fingerprint of text that ignores case and spacing: copies of one story
/// with different line breaks still match. It is the FNV-1a hash of the
/// lowercased words, each followed by one space.
pub fn fingerprint(text: &str) -> u64 {
    let mut h = FNV_OFFSET;
    let mut in_word = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII a byte at a time; anything else a char at a time.
        let (space, c) = if b.is_ascii() {
            i += 1;
            (
                matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' '),
                None,
            )
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            i += c.len_utf8().max(1);
            (c.is_whitespace(), Some(c))
        };
        if space {
            if in_word {
                h = fnv1a(h, b' ');
            }
            in_word = false;
            continue;
        }
        in_word = true;
        match c {
            None => h = fnv1a(h, b.to_ascii_lowercase()),
            Some(c) => {
                let mut utf8 = [0u8; 4];
                for lower in c.to_lowercase() {
                    for &b in lower.encode_utf8(&mut utf8).as_bytes() {
                        h = fnv1a(h, b);
                    }
                }
            }
        }
    }
    if in_word {
        h = fnv1a(h, b' ');
    }
    h
}

/// The starting value of a 64-bit FNV-1a hash.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// One byte of a 64-bit FNV-1a hash: small, seedless and stable across
/// machines and versions, which fingerprints and shards need more than
/// resistance to crafted input.
pub fn fnv1a(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Verdicts = Vec<(Status, Vec<String>, Vec<String>)>;

    /// Links the claims as one batch: each claim's verdict, and the conflicts.
    fn link(claims: &[LinkClaim]) -> (Verdicts, Vec<(usize, usize)>) {
        let mut batch = Batch::new();
        batch.extend(claims);
        let links = batch.link();
        let owned = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect();
        let verdicts = batch
            .verdicts(&links)
            .map(|v| (v.status, owned(&v.agrees), owned(&v.disagrees)))
            .collect();
        (verdicts, links.conflicts)
    }

    #[test]
    fn same_pair_through_several_entities_counts_once_and_windows_hold() {
        let mut claims = Vec::new();
        for (n, day) in ["2026-02-01", "2026-02-05", "2026-02-12", "2026-02-20"]
            .iter()
            .enumerate()
        {
            let mut c = claim(
                n,
                &format!("outlet{n}.example"),
                10.0 * (n + 1) as f64,
                "The Calder Bay ferry sank near Port Avery, killing people.",
                &format!("body {n}"),
            );
            c.sentence_copy = n as u64;
            c.day = day_number(day);
            claims.push(c);
        }
        let (verdicts, conflicts) = link(&claims);
        // 1 and 5 Feb, 5 and 12 Feb are within a week; 12 and 20 Feb are not.
        assert_eq!(conflicts, [(0, 1), (1, 2)]);
        assert_eq!(verdicts[1].2, ["a0", "a2"]);
        assert_eq!(verdicts[3].0, Status::SingleSource);
    }

    fn claim(
        article: usize,
        outlet: &str,
        value: f64,
        sentence_text: &str,
        body: &str,
    ) -> LinkClaim {
        LinkClaim {
            article,
            rule: 0,
            article_id: format!("a{article}"),
            sentence: 1,
            key: "killed people".into(),
            entities: entities(sentence_text),
            low: value,
            high: value,
            value: value.to_string(),
            outlet: outlet.into(),
            day: day_number("2026-02-15"),
            copy: fingerprint(body),
            sentence_copy: fingerprint(sentence_text),
            tolerance: 0.05,
            update: false,
            event: None,
        }
    }

    #[test]
    fn independent_outlets_corroborate_and_contradict() {
        let claims = [
            claim(
                0,
                "wire.example",
                14.0,
                "The Calder Bay ferry sank, killing 14 people.",
                "x",
            ),
            claim(
                1,
                "ledger.example",
                14.0,
                "Fourteen died when the Calder Bay ferry capsized.",
                "y",
            ),
            claim(
                2,
                "blast.example",
                40.0,
                "The ferry disaster in Calder Bay killed 40 people.",
                "z",
            ),
        ];
        let (verdicts, conflicts) = link(&claims);
        assert_eq!(verdicts[0].0, Status::Contradicted);
        assert_eq!(verdicts[0].1, ["a1"]);
        assert_eq!(verdicts[2].0, Status::Contradicted);
        assert_eq!(verdicts[2].2, ["a0", "a1"]);
        assert_eq!(conflicts, [(0, 2), (1, 2)]);
    }

    #[test]
    fn copies_of_one_story_are_not_corroboration() {
        let text = "The Calder Bay ferry sank, killing 14 people.";
        let claims = [
            claim(0, "wire.example", 14.0, text, "same body"),
            claim(1, "ledger.example", 14.0, text, "same body"),
        ];
        let (verdicts, _) = link(&claims);
        assert!(verdicts.iter().all(|v| v.0 == Status::SingleSource));
    }

    #[test]
    fn a_rising_toll_and_counts_of_different_days_are_not_contradictions() {
        let first = claim(
            0,
            "wire.example",
            80.0,
            "Flooding in Marrow County killed 80.",
            "x",
        );
        let mut rose = claim(
            1,
            "ledger.example",
            120.0,
            "The Marrow County toll rose to 120.",
            "y",
        );
        rose.update = true;
        let (verdicts, conflicts) = link(&[first.clone(), rose]);
        assert!(conflicts.is_empty());
        assert!(verdicts.iter().all(|v| v.0 == Status::SingleSource));

        let day = |t: &str| crate::analyze::dates::find_days(t).first().map(|d| d.1);
        let mut monday = first.clone();
        monday.event = day("on Monday");
        let mut tuesday = claim(
            1,
            "ledger.example",
            120.0,
            "Flooding in Marrow County killed 120 by Tuesday.",
            "y",
        );
        tuesday.event = day("by Tuesday");
        let (_, conflicts) = link(&[monday.clone(), tuesday.clone()]);
        assert!(conflicts.is_empty(), "different days, different counts");
        // The same two figures with no day named are a contradiction.
        tuesday.event = None;
        let (_, conflicts) = link(&[first, tuesday]);
        assert_eq!(conflicts, [(0, 1)]);
    }

    #[test]
    fn different_events_and_distant_dates_do_not_link() {
        let mut far = claim(
            1,
            "ledger.example",
            40.0,
            "A fire in Calder Bay killed 40 people.",
            "y",
        );
        far.day = day_number("2026-06-01");
        let claims = [
            claim(
                0,
                "wire.example",
                14.0,
                "The Calder Bay ferry sank, killing 14 people.",
                "x",
            ),
            claim(
                2,
                "blast.example",
                40.0,
                "A bus crash in Westmoor killed 40 people.",
                "z",
            ),
            far,
        ];
        let (verdicts, _) = link(&claims);
        assert!(
            verdicts.iter().all(|v| v.0 == Status::SingleSource),
            "{verdicts:?}"
        );
    }

    #[test]
    fn entities_are_capitalised_runs() {
        assert_eq!(
            entities(
                "CALDER BAY — A ferry capsized on Saturday, the Calder Bay Harbor Authority said."
            ),
            [
                "authority",
                "bay",
                "calder",
                "calder bay",
                "calder bay harbor authority",
                "harbor"
            ]
        );
    }

    #[test]
    fn common_words_are_sorted_for_binary_search() {
        assert!(NOT_NAMES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn fingerprints_ignore_case_and_spacing_only() {
        let story =
            "Rescue crews searched the BAY \u{2014} \u{201c}Calder\u{201d} for İstanbul's ferry";
        let respaced = "rescue  crews searched\nthe bay \u{2014}\n\n\u{201c}calder\u{201d} FOR i\u{307}stanbul's   ferry ";
        assert_eq!(fingerprint(story), fingerprint(respaced));
        assert_eq!(fingerprint(""), fingerprint("  \n"));
        for other in [
            "Rescue crews searched the BAY \u{2014} \u{201c}Calder\u{201d} for İstanbul's ferries",
            "Rescuecrews searched the BAY \u{2014} \u{201c}Calder\u{201d} for İstanbul's ferry",
            "",
        ] {
            assert_ne!(fingerprint(story), fingerprint(other), "{other:?}");
        }
        // It is the hash of the lowercased words, each followed by a space.
        let words: String = story
            .split_whitespace()
            .flat_map(|w| w.chars().flat_map(char::to_lowercase).chain([' ']))
            .collect();
        assert_eq!(fingerprint(story), words.bytes().fold(FNV_OFFSET, fnv1a));
        assert_eq!(fingerprint("a\u{a0}b\u{2003}c"), fingerprint("A B C"));
        // Word boundaries count: "ab c" is not "a bc".
        assert_ne!(fingerprint("ab c"), fingerprint("a bc"));
    }

    #[test]
    fn day_numbers() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2026-02-15T10:00:00Z"), Some(20_499));
        assert_eq!(day_number("2026-02-15 10:00"), Some(20_499));
        assert_eq!(day_number("February 15, 2026"), Some(20_499));
        assert_eq!(day_number("15 February 2026"), Some(20_499));
        assert_eq!(day_number("2024-02-29"), Some(19_782));
        for unknown in [
            "March 3",
            "2026-02-30",
            "2025-02-29",
            "2026-02-15junk",
            "99999999999999999-01-01",
            "0000-01-01",
            "yesterday",
            "",
        ] {
            assert_eq!(day_number(unknown), None, "{unknown}");
        }
    }
}
