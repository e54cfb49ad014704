//! credence as a stage of another engine (Spark, Dask, Ray): one JSON line
//! out per record in, per-source partial aggregates that merge in any
//! grouping and order, and a finalize step that turns the merged aggregate
//! into `sources.csv`.
//!
//! The map step (`credence score - --input-format jsonl --output-format
//! jsonl`) turns every record into a [`RecordLine`], and with `--emit
//! partials` ends with the [`PartialLine`]s of its [`SourceAggregate`]: one
//! per outlet, one per author, and one `batch` line with the batch-wide
//! totals and the keyed figures that linking needs. The reduce step
//! (`credence merge`) adds up partial lines that share a key; the finalize
//! step (`credence finalize`) links the figures across the whole batch and
//! writes the same `sources.csv` that one `credence score` run over the
//! same records writes.
//!
//! Merging is exact: totals are integers (scores in fixed point), and
//! figures are kept in a canonical order, so any grouping and order of
//! merges gives the same bytes. [`Shard`] splits an input by record id.
//! This module holds the data and the arithmetic; reading and writing
//! streams is `cli`'s.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::input::{Article, Record};
use crate::link::{self, LinkClaim, Status};
use crate::pipeline::RunOptions;
use crate::report::{ArticleRow, ClaimRow, ConflictRow, ErrorRow, FindingRow, SourceRow};
use crate::rules::RuleSet;
use crate::score::{ArticleSignals, SourceTotals, source_score};

/// Per-source running totals of a batch or of any part of one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceAggregate {
    /// Every article, for the batch mean and spread.
    pub all: SourceTotals,
    pub outlets: BTreeMap<String, SourceTotals>,
    pub authors: BTreeMap<String, SourceTotals>,
    /// Keyed figures per article, linked across the batch when the
    /// aggregate is finalized; put in canonical order when the aggregate
    /// is written or finalized (see [`SourceAggregate::push_figures`]).
    pub figures: Vec<FigureGroup>,
    /// The ratings the articles were scored with
    /// ([`RunOptions::priors_fingerprint`]), when the map step said: the
    /// finalize step must score sources with the same ones.
    pub priors: Option<String>,
}

/// The keyed figures of one article, with its outlet after aliases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureGroup {
    pub outlet: String,
    pub claims: Vec<LinkClaim>,
}

impl SourceAggregate {
    /// Adds one article: its outlet (after aliases) and each of its authors.
    pub fn add(
        &mut self,
        article: &Article,
        signals: &ArticleSignals,
        mut figures: Vec<LinkClaim>,
        options: &RunOptions,
    ) {
        self.all.add(signals);
        let outlet = options.source_map.canonical(&article.source);
        if !outlet.is_empty() {
            self.outlets.entry(outlet).or_default().add(signals);
        }
        for author in crate::score::sources::authors(&article.author) {
            self.authors.entry(author).or_default().add(signals);
        }
        if let Some(first) = figures.first() {
            // The outlet as linking credits it (see `pipeline::run`).
            let outlet = options.source_map.canonical(&first.outlet);
            // Positions are given when the batch is finalized: a figure's
            // position in one stream says nothing about the whole batch.
            for f in &mut figures {
                f.article = 0;
            }
            self.push_figures(vec![FigureGroup {
                outlet,
                claims: figures,
            }]);
        }
    }

    /// Adds another aggregate. Associative and commutative to the byte:
    /// totals are integers, and figures are sorted before they are written.
    /// Refuses one scored with other priors (see [`join_priors`]).
    pub fn merge(&mut self, other: SourceAggregate) -> Result<(), String> {
        let (ours_empty, theirs_empty) = (self.is_empty(), other.is_empty());
        join_priors(&mut self.priors, ours_empty, other.priors, theirs_empty)?;
        self.all.merge(&other.all);
        for (table, theirs) in [
            (&mut self.outlets, other.outlets),
            (&mut self.authors, other.authors),
        ] {
            for (name, totals) in theirs {
                table.entry(name).or_default().merge(&totals);
            }
        }
        self.push_figures(other.figures);
        Ok(())
    }

    /// True when no article and no figure has been added.
    fn is_empty(&self) -> bool {
        self.all.articles == 0 && self.figures.is_empty()
    }

    /// Adds figure groups, unsorted: sorting on every article would make a
    /// stream of n articles cost n² log n.
    fn push_figures(&mut self, groups: Vec<FigureGroup>) {
        self.figures.extend(groups);
    }

    /// Puts the figure groups in canonical order, once, before they are
    /// written or linked: by each group's JSON text, a total order that
    /// does not depend on where a group came from. Linking gives the same
    /// verdicts for any order of articles.
    fn sort_figures(&mut self) {
        self.figures
            .sort_by_cached_key(|g| serde_json::to_vec(g).unwrap_or_default());
    }

    /// The aggregate as partial lines: the batch line, then one line per
    /// outlet and one per author, each in name order.
    pub fn lines(mut self) -> Vec<PartialLine> {
        self.sort_figures();
        let mut lines = vec![PartialLine {
            partial: PartialKind::Batch,
            name: String::new(),
            totals: self.all,
            figures: self.figures,
            priors: self.priors,
        }];
        for (kind, table) in [
            (PartialKind::Outlet, self.outlets),
            (PartialKind::Author, self.authors),
        ] {
            lines.extend(table.into_iter().map(|(name, totals)| PartialLine {
                partial: kind,
                name,
                totals,
                figures: Vec::new(),
                priors: None,
            }));
        }
        lines
    }

    /// Adds one partial line.
    pub fn add_line(&mut self, line: PartialLine) -> Result<(), String> {
        match line.partial {
            PartialKind::Batch => {
                if !line.name.is_empty() {
                    return Err("a batch line has no name".into());
                }
                let theirs_empty = line.totals.articles == 0 && line.figures.is_empty();
                if line.priors.is_none() && !theirs_empty {
                    return Err(
                        "a batch line with articles but not the ratings they were scored with; \
                         write partials with `credence score --emit partials` of this version"
                            .into(),
                    );
                }
                let ours_empty = self.is_empty();
                join_priors(&mut self.priors, ours_empty, line.priors, theirs_empty)?;
                self.all.merge(&line.totals);
                self.push_figures(line.figures);
            }
            PartialKind::Outlet | PartialKind::Author => {
                if !line.figures.is_empty() || line.priors.is_some() {
                    return Err("only the batch line carries figures and priors".into());
                }
                let table = if line.partial == PartialKind::Outlet {
                    &mut self.outlets
                } else {
                    &mut self.authors
                };
                table.entry(line.name).or_default().merge(&line.totals);
            }
        }
        Ok(())
    }

    /// Links the figures and returns the source rows, best first: what
    /// `credence score` writes to `sources.csv`. Linking spools its
    /// figures in a hidden folder of `spool`, removed when it ends.
    pub fn finalize(
        mut self,
        rules: &RuleSet,
        options: &RunOptions,
        spool: &Path,
    ) -> Result<Vec<SourceRow>, link::SpoolError> {
        self.sort_figures();
        let mut linker = link::Linker::create(spool)?;
        // Each article's figures get a position of their own in the batch.
        for (n, group) in self.figures.iter_mut().enumerate() {
            for f in group.claims.iter_mut() {
                f.article = n;
            }
            linker.extend(group.claims.iter())?;
        }
        let linked = linker.link()?;
        for v in linked.verdicts() {
            let v = v?;
            let Some(group) = self.figures.get(v.article) else {
                continue;
            };
            if let Some(t) = self.outlets.get_mut(&group.outlet) {
                match v.status {
                    Status::Corroborated => t.corroborated += 1,
                    Status::Contradicted => t.contradicted += 1,
                    Status::SingleSource => {}
                }
            }
        }
        Ok(source_rows(
            &self.outlets,
            &self.authors,
            &self.all,
            rules,
            options,
        ))
    }
}

/// The `sources.csv` rows from a batch's totals: each source's credibility
/// shrunk toward its prior (the outlet's rating when a ratings file gives
/// one, else the batch mean), best first.
pub fn source_rows(
    outlets: &BTreeMap<String, SourceTotals>,
    authors: &BTreeMap<String, SourceTotals>,
    all: &SourceTotals,
    rules: &RuleSet,
    options: &RunOptions,
) -> Vec<SourceRow> {
    let batch_mean = all.mean();
    let n = all.articles.max(1) as f64;
    let variance = (all.score_sq_total() / n - batch_mean * batch_mean).max(0.0);
    let spread = variance.sqrt().max(1.0);
    let weight = if options.no_priors {
        0.0
    } else {
        rules.scoring.source_prior_weight
    };
    let unrated = options
        .ratings
        .as_ref()
        .map(|r| r.unrated_prior(rules.scoring.unrated_prior_quantile));
    let mut out = Vec::new();
    for (kind, table) in [("outlet", outlets), ("author", authors)] {
        let mut rows: Vec<SourceRow> = table
            .iter()
            .map(|(name, totals)| {
                let prior = match (&options.ratings, kind) {
                    (Some(r), "outlet") => r.get(name).or(unrated).unwrap_or(batch_mean),
                    _ => batch_mean,
                };
                SourceRow::new(
                    kind,
                    name,
                    totals,
                    &source_score(totals, prior, weight, spread),
                )
            })
            .collect();
        // Best first; the name breaks ties so the order never depends on input order.
        rows.sort_by(|a, b| {
            let key = |r: &SourceRow| r.credibility.value();
            key(b).total_cmp(&key(a)).then_with(|| a.name.cmp(&b.name))
        });
        out.extend(rows);
    }
    out
}

/// One record's output line in stream mode: the article's rows, or why the
/// record could not be used. Claims carry `verification = unchecked`: what
/// other outlets say is known only once the whole batch is linked. Nothing
/// in a line depends on where the record sat in its stream, so any split of
/// the input gives the same lines.
#[derive(Debug, Serialize)]
pub struct RecordLine<'a> {
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::report::typed_option"
    )]
    pub article: Option<&'a ArticleRow>,
    #[serde(
        skip_serializing_if = "<[_]>::is_empty",
        serialize_with = "crate::report::typed_rows"
    )]
    pub findings: &'a [FindingRow],
    #[serde(
        skip_serializing_if = "<[_]>::is_empty",
        serialize_with = "crate::report::typed_rows"
    )]
    pub claims: &'a [ClaimRow],
    #[serde(
        skip_serializing_if = "<[_]>::is_empty",
        serialize_with = "crate::report::typed_rows"
    )]
    pub conflicts: &'a [ConflictRow],
    /// A record that could not be used.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::report::typed_option"
    )]
    pub error: Option<&'a ErrorRow>,
}

/// What a partial line aggregates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartialKind {
    /// Every article of the part, and its keyed figures.
    Batch,
    Outlet,
    Author,
}

/// Takes `theirs`, the priors another part was scored with, into `ours`:
/// parts scored with different priors cannot be added up. A part with no
/// articles and no figures (a reduce partition that got no batch key)
/// agrees with any.
fn join_priors(
    ours: &mut Option<String>,
    ours_empty: bool,
    theirs: Option<String>,
    theirs_empty: bool,
) -> Result<(), String> {
    if *ours == theirs || theirs_empty {
        return Ok(());
    }
    if ours_empty {
        *ours = theirs;
        return Ok(());
    }
    let name = |p: &Option<String>| p.clone().unwrap_or_else(|| "not recorded".into());
    Err(format!(
        "these partials were scored with other ratings ({}) than earlier ones ({}); \
         give every map step the same --ratings, --no-priors and --rules",
        name(&theirs),
        name(ours)
    ))
}

/// One line of `--emit partials` or `credence merge`. `(partial, name)` is
/// the key an engine shuffles on; lines with the same key add up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialLine {
    pub partial: PartialKind,
    /// The outlet or author; empty for the batch line.
    #[serde(default)]
    pub name: String,
    pub totals: SourceTotals,
    /// Batch line only: each article's keyed figures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<FigureGroup>,
    /// Batch line only: the ratings the articles were scored with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priors: Option<String>,
}

/// `--shard K/N`: keeps the records whose id falls in shard K of N.
///
/// A record's shard is the 64-bit FNV-1a hash of its id's UTF-8 bytes,
/// modulo N. The hash is fixed (no per-process seed) and never changes
/// between versions, so shards 0..N of one input partition it exactly, on
/// any machine. A record that could not be read goes by the id it gave,
/// or the empty id when it gave none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Whether this shard keeps `record`.
    pub fn keeps(&self, record: &Record) -> bool {
        let id = match record {
            Ok(article) => article.id.as_str(),
            Err(e) => e.id.as_str(),
        };
        shard_hash(id) % self.count == self.index
    }
}

/// The 64-bit FNV-1a hash of an id's UTF-8 bytes (see [`link::fnv1a`]).
pub fn shard_hash(id: &str) -> u64 {
    id.bytes().fold(link::FNV_OFFSET, link::fnv1a)
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("invalid shard `{s}`: expected K/N with 0 <= K < N, such as 0/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod tests {
    //! Merging partials: any grouping and order gives the same bytes.

    use proptest::prelude::*;

    use super::*;

    fn figure(outlet: &str, id: &str, low: f64) -> LinkClaim {
        LinkClaim {
            article: 0,
            rule: 0,
            article_id: id.into(),
            sentence: 1,
            key: "killed people".into(),
            entities: vec!["calder bay".into()],
            low,
            high: low,
            value: low.to_string(),
            outlet: outlet.into(),
            day: Some(20_000),
            copy: shard_hash(id),
            sentence_copy: shard_hash(id) ^ 1,
            tolerance: 0.0,
            update: false,
            event: None,
        }
    }

    /// One article's aggregate, from a few varied fields.
    fn part() -> impl Strategy<Value = SourceAggregate> {
        (
            0usize..4,
            0usize..3,
            0.0f64..=100.0,
            0usize..6,
            0usize..3,
            proptest::option::of(0u8..4),
        )
            .prop_map(|(outlet, author, score, claims, hedged, figure_low)| {
                let outlets = ["a.example", "b.example", "c.example", ""];
                let authors = ["Ana Ruiz", "Ben Okafor", ""];
                let article = Article {
                    id: format!("{outlet}-{author}-{score}"),
                    source: outlets[outlet].into(),
                    author: authors[author].into(),
                    ..Article::default()
                };
                let signals = ArticleSignals {
                    score,
                    claims,
                    hedged,
                    ..ArticleSignals::default()
                };
                let figures = figure_low
                    .map(|low| vec![figure(&article.source, &article.id, f64::from(low))])
                    .unwrap_or_default();
                let mut agg = SourceAggregate {
                    priors: Some("none".into()),
                    ..SourceAggregate::default()
                };
                agg.add(&article, &signals, figures, &RunOptions::default());
                agg
            })
    }

    fn bytes(agg: SourceAggregate) -> Vec<u8> {
        let mut out = Vec::new();
        for line in agg.lines() {
            out.extend(serde_json::to_vec(&line).expect("a partial line serializes"));
            out.push(b'\n');
        }
        out
    }

    /// Merges parts left to right, each through its JSON lines, like a
    /// chain of `credence merge` runs.
    fn through_lines(parts: &[SourceAggregate]) -> SourceAggregate {
        let mut total = SourceAggregate::default();
        for p in parts {
            for line in p.clone().lines() {
                let text = serde_json::to_string(&line).expect("serializes");
                let back: PartialLine = serde_json::from_str(&text).expect("reads back");
                total.add_line(back).expect("a valid line");
            }
        }
        total
    }

    #[test]
    fn parts_scored_with_other_priors_do_not_add_up() {
        let scored = |priors: Option<&str>, articles: usize| SourceAggregate {
            all: SourceTotals {
                articles,
                ..SourceTotals::default()
            },
            priors: priors.map(str::to_string),
            ..SourceAggregate::default()
        };
        let line = |agg: SourceAggregate| agg.lines().remove(0);
        // The same priors add up, in either order, an empty part with none too.
        for (a, b) in [(Some("x"), Some("x")), (Some("x"), None), (None, Some("x"))] {
            let (na, nb) = (usize::from(a.is_some()), usize::from(b.is_some()));
            let mut total = SourceAggregate::default();
            total.add_line(line(scored(a, na))).expect("adds");
            total.add_line(line(scored(b, nb))).expect("adds");
            assert_eq!(total.priors.as_deref(), Some("x"));
            let mut merged = scored(a, na);
            merged.merge(scored(b, nb)).expect("merges");
            assert_eq!(merged.priors.as_deref(), Some("x"));
        }
        // Other priors, or articles that do not say, are refused both ways.
        for (a, b) in [(Some("x"), Some("y")), (Some("x"), None), (None, Some("x"))] {
            let mut total = SourceAggregate::default();
            let first = total.add_line(line(scored(a, 1)));
            let second = total.add_line(line(scored(b, 1)));
            assert!(first.is_err() || second.is_err(), "{a:?} then {b:?}");
            let mut merged = scored(a, 1);
            assert!(
                merged.merge(scored(b, 1)).is_err(),
                "{a:?} merged with {b:?}"
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_grouping_and_order_of_merges_gives_the_same_bytes(
            parts in proptest::collection::vec(part(), 0..12),
            order in any::<proptest::sample::Index>(),
            split in any::<proptest::sample::Index>(),
        ) {
            // Left fold in input order.
            let mut straight = SourceAggregate::default();
            for p in &parts {
                straight.merge(p.clone()).expect("same priors");
            }
            // A rotated order, merged as two groups folded separately,
            // each through JSON lines.
            let mut rotated = parts.clone();
            if !rotated.is_empty() {
                let k = order.index(rotated.len());
                rotated.rotate_left(k);
                rotated.reverse();
            }
            let cut = if rotated.is_empty() { 0 } else { split.index(rotated.len() + 1) };
            let (left, right) = rotated.split_at(cut);
            let mut grouped = through_lines(right);
            grouped.merge(through_lines(left)).expect("same priors");
            prop_assert_eq!(bytes(straight.clone()), bytes(grouped));
            // Finalizing gives the same rows whatever the grouping.
            let rules = RuleSet::default_pack().expect("the built-in pack compiles");
            let options = RunOptions::default();
            let mut again = SourceAggregate::default();
            for p in parts.iter().rev() {
                again.merge(p.clone()).expect("same priors");
            }
            let dir = tempfile::tempdir().expect("a temporary folder");
            prop_assert_eq!(
                straight.finalize(&rules, &options, dir.path()).expect("linked"),
                again.finalize(&rules, &options, dir.path()).expect("linked")
            );
        }
    }

    #[test]
    fn shard_spec_is_checked_and_the_hash_is_fixed() {
        assert_eq!("2/5".parse(), Ok(Shard { index: 2, count: 5 }));
        for bad in ["5/5", "1/0", "x/2", "3", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        // FNV-1a's published test values: the hash must never change, or
        // shards written by one version would not match another's.
        assert_eq!(shard_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(shard_hash("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
