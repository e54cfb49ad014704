//! credence as a stage of another engine (Spark, Dask, Ray): one JSON line
//! out per record in, partial aggregates that merge in any order, and a
//! finalize step that turns the merged aggregate into `sources.csv`.
//!
//! `credence stream` maps: every input line becomes a [`StageLine`] with
//! the article's rows, its keyed figures and its [`SourceAggregate`]. The
//! engine may run as many streams as it likes over any split of the input.
//! `credence merge` reduces: it adds up aggregates (addition of totals and
//! concatenation of figures, so any grouping and order gives the same
//! result), links the figures across the whole batch, and writes the same
//! `sources.csv` a single `credence score` run over the same records would.
//! This module holds the data and the arithmetic; reading and writing
//! streams is `cli`'s.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::input::Article;
use crate::link::{self, LinkClaim, Status};
use crate::pipeline::RunOptions;
use crate::report::{ArticleRow, ClaimRow, ConflictRow, ErrorRow, FindingRow, SourceRow};
use crate::rules::RuleSet;
use crate::score::{ArticleSignals, SourceTotals, source_score};

/// Per-source running totals of a batch or of any part of one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceAggregate {
    /// Every article, for the batch mean and spread.
    pub all: SourceTotals,
    pub outlets: BTreeMap<String, SourceTotals>,
    pub authors: BTreeMap<String, SourceTotals>,
    /// Keyed figures, linked across the batch when the aggregate is finalized.
    pub figures: Vec<Vec<LinkClaim>>,
}

impl SourceAggregate {
    /// Adds one article: its outlet (after aliases) and each of its authors.
    pub fn add(
        &mut self,
        article: &Article,
        signals: &ArticleSignals,
        figures: Vec<LinkClaim>,
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
        if !figures.is_empty() {
            self.figures.push(figures);
        }
    }

    /// Adds another aggregate; associative and, up to float rounding in
    /// the score sums, commutative.
    pub fn merge(&mut self, other: SourceAggregate) {
        self.all.merge(&other.all);
        for (table, theirs) in [
            (&mut self.outlets, other.outlets),
            (&mut self.authors, other.authors),
        ] {
            for (name, totals) in theirs {
                table.entry(name).or_default().merge(&totals);
            }
        }
        self.figures.extend(other.figures);
    }

    /// Links the figures and returns the source rows, best first: what
    /// `credence score` writes to `sources.csv`.
    pub fn finalize(mut self, rules: &RuleSet, options: &RunOptions) -> Vec<SourceRow> {
        let mut batch = link::Batch::new();
        // Each article's figures get a number of their own, whatever
        // numbering the streams that made them used.
        for (n, figures) in self.figures.iter_mut().enumerate() {
            for f in figures.iter_mut() {
                f.article = n;
            }
            batch.extend(figures.iter());
        }
        self.figures = Vec::new();
        let links = batch.link();
        for (outlet, (corroborated, contradicted)) in outlet_verdicts(&batch, &links) {
            if let Some(t) = self.outlets.get_mut(&options.source_map.canonical(&outlet)) {
                t.corroborated += corroborated;
                t.contradicted += contradicted;
            }
        }
        source_rows(&self.outlets, &self.authors, &self.all, rules, options)
    }
}

/// Per outlet as written, the claims another outlet corroborates and
/// contradicts.
pub fn outlet_verdicts(
    batch: &link::Batch,
    links: &link::Links,
) -> BTreeMap<String, (usize, usize)> {
    let mut per_outlet: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for v in batch.verdicts(links) {
        let entry = per_outlet.entry(v.outlet.to_string()).or_default();
        match v.status {
            Status::Corroborated => entry.0 += 1,
            Status::Contradicted => entry.1 += 1,
            Status::SingleSource => {}
        }
    }
    per_outlet
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
    let variance = (all.score_sq_sum / n - batch_mean * batch_mean).max(0.0);
    let spread = variance.sqrt().max(1.0);
    let weight = if options.no_priors {
        0.0
    } else {
        rules.scoring.source_prior_weight
    };
    let mut out = Vec::new();
    for (kind, table) in [("outlet", outlets), ("author", authors)] {
        let mut rows: Vec<SourceRow> = table
            .iter()
            .map(|(name, totals)| {
                let prior = match (&options.ratings, kind) {
                    (Some(r), "outlet") => r.get(name).unwrap_or_else(|| r.mean()),
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

/// One output line of `credence stream`: everything one record gives.
/// Claims carry `verification = unchecked`: what other outlets say is known
/// only once the whole batch is merged.
#[derive(Debug, Serialize)]
pub struct StageLine<'a> {
    /// Position of the record in this stream's input (0-based).
    pub seq: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<&'a ArticleRow>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub findings: &'a [FindingRow],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub claims: &'a [ClaimRow],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub conflicts: &'a [ConflictRow],
    /// A record that could not be used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'a ErrorRow>,
    /// This record's share of the per-source totals, and its figures.
    pub partial: &'a SourceAggregate,
}

/// What `credence merge` reads of a line: the partial aggregate, whether
/// the line is a whole [`StageLine`] or an aggregate written by
/// `credence merge --partial`.
#[derive(Debug, Serialize, Deserialize)]
pub struct PartialLine {
    pub partial: SourceAggregate,
}
