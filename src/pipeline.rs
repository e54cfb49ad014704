//! The run: records in, reports out, articles analyzed in parallel.
//!
//! Records are read in chunks; each chunk is analyzed, scored and turned
//! into report rows on the rayon pool, then written in input order before the
//! next chunk is read, so memory stays bounded by the chunk size whatever
//! the input size. Source totals are kept per source name only, never per
//! article. The result does not depend on the number of threads.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::analyze::{Analysis, analyze};
use crate::input::{Article, Record, RecordError};
use crate::link::{self, LinkClaim, Status};
use crate::report::{
    ArticleRows, ConflictRow, ErrorRow, ReportError, Reports, SourceRow, article_rows,
};
use crate::rules::{RuleParams, RuleSet};
use crate::score::{SourceTotals, score_article, source_score};

/// Records analyzed together before their rows are written.
const CHUNK: usize = 512;

/// How many of the lowest-scoring articles the summary lists.
const LOWEST: usize = 5;

/// Anything that wants to hear how far the run is (a progress bar).
pub trait Progress: Sync {
    /// `done` records handled so far.
    fn advance(&self, done: u64);
}

/// No progress shown.
pub struct NoProgress;

impl Progress for NoProgress {
    fn advance(&self, _done: u64) {}
}

/// What a finished run reports to the person who started it.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub records: usize,
    pub articles: usize,
    pub errors: usize,
    /// Articles whose id an earlier article of the run already had (both
    /// are scored), and the first such id.
    pub duplicate_ids: usize,
    pub first_duplicate: String,
    pub findings: usize,
    /// Findings by category, sorted by category.
    pub by_category: BTreeMap<String, usize>,
    /// (score, id, title) of the lowest-scoring articles, lowest first.
    pub lowest: Vec<(f64, String, String)>,
    /// Claims another outlet corroborates, and claims another contradicts.
    pub corroborated: usize,
    pub contradicted: usize,
    /// Pairs of figures from different outlets that cannot both be true.
    pub cross_conflicts: usize,
    /// With a baseline: findings the earlier run did not have.
    pub new_findings: usize,
    pub has_baseline: bool,
    pub elapsed: Duration,
}

impl Summary {
    /// Articles per second over the whole run.
    pub fn rate(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.articles as f64 / secs
        } else {
            0.0
        }
    }
}

/// Analyzes, scores and renders one article; also returns its keyed figures
/// for linking. `seq` is the article's position in the input.
pub fn process(seq: usize, article: &Article, rules: &RuleSet) -> (ArticleRows, Vec<LinkClaim>) {
    let analysis = analyze(&article.body, rules);
    let score = score_article(&analysis, rules);
    let links = link_claims(seq, article, &analysis, rules);
    (article_rows(article, &analysis, &score, rules), links)
}

/// What linking needs of an article's figures: compact keys, no article text
/// beyond the figure itself.
fn link_claims(
    seq: usize,
    article: &Article,
    analysis: &Analysis,
    rules: &RuleSet,
) -> Vec<LinkClaim> {
    if analysis.figures.is_empty() {
        return Vec::new();
    }
    let body = article.body.as_str();
    let copy = link::fingerprint(body);
    let day = link::day_number(&article.published);
    // The event's names are in the title and the lead as much as in the
    // sentence with the figure: "three remained missing" is about the ferry.
    let mut event = link::entities(&article.title);
    if let Some(lead) = analysis.sentences.first() {
        event.extend(link::entities(&body[lead.span.start..lead.span.end]));
    }
    // A sentence's names and fingerprint are worked out once, however many
    // figures it holds.
    let mut per_sentence: HashMap<usize, (Vec<String>, u64)> = HashMap::new();
    analysis
        .figures
        .iter()
        .map(|f| {
            let sentence = analysis.sentences[f.sentence].span;
            let text = &body[sentence.start..sentence.end];
            let (entities, sentence_copy) = per_sentence
                .entry(f.sentence)
                .or_insert_with(|| {
                    let mut e = link::entities(text);
                    e.extend(event.iter().cloned());
                    e.sort_unstable();
                    e.dedup();
                    (e, link::fingerprint(text))
                })
                .clone();
            let tolerance = match rules.rules[f.rule].params {
                RuleParams::QuantityConflict { tolerance, .. } => tolerance,
                _ => 0.0,
            };
            LinkClaim {
                article: seq,
                rule: f.rule,
                article_id: article.id.clone(),
                sentence: f.sentence + 1,
                key: f.key.clone(),
                entities,
                low: f.quantity.low,
                high: f.quantity.high,
                value: body[f.quantity.span.start..f.quantity.span.end].to_string(),
                outlet: article.source.trim().to_string(),
                day,
                copy,
                sentence_copy,
                tolerance,
            }
        })
        .collect()
}

/// Choices of the person running the batch that change what is written.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Findings of an earlier run: each finding is marked `new` or `known`.
    pub baseline: Option<crate::report::Baseline>,
    /// With a baseline, write only the new findings.
    pub only_new: bool,
}

/// Runs the whole batch: every record becomes rows in `reports` (each
/// format's sinks get the same rows, made once) or an error row; source
/// scores are written last.
pub fn run(
    records: impl Iterator<Item = Record>,
    rules: &RuleSet,
    options: &RunOptions,
    reports: &mut Reports,
    progress: &dyn Progress,
) -> Result<Summary, ReportError> {
    let started = Instant::now();
    let mut summary = Summary::default();
    let mut outlets: BTreeMap<String, SourceTotals> = BTreeMap::new();
    let mut authors: BTreeMap<String, SourceTotals> = BTreeMap::new();
    let mut all = SourceTotals::default();
    summary.has_baseline = options.baseline.is_some();
    let mut figures = link::Batch::new();
    // Ids seen so far, as 64-bit hashes: 8 bytes an article, not its id.
    let mut seen_ids: HashSet<u64> = HashSet::new();
    let mut records = records.peekable();
    let mut chunk: Vec<Record> = Vec::with_capacity(CHUNK);
    while records.peek().is_some() {
        chunk.clear();
        chunk.extend(records.by_ref().take(CHUNK));
        let first = summary.records;
        let results: Vec<Result<(ArticleRows, Vec<LinkClaim>), &RecordError>> = chunk
            .par_iter()
            .enumerate()
            .map(|(i, record)| match record {
                Ok(article) => Ok(process(first + i, article, rules)),
                Err(e) => Err(e),
            })
            .collect();
        for (record, result) in chunk.iter().zip(results) {
            let seq = summary.records;
            summary.records += 1;
            match result {
                Ok((mut rows, links)) => {
                    summary.articles += 1;
                    if let Ok(article) = record
                        && !seen_ids.insert(id_hash(&article.id))
                    {
                        summary.duplicate_ids += 1;
                        if summary.first_duplicate.is_empty() {
                            summary.first_duplicate = article.id.clone();
                        }
                    }
                    if let Some(baseline) = &options.baseline {
                        for f in &mut rows.findings {
                            f.baseline = if baseline.knows(f) { "known" } else { "new" }.into();
                        }
                        summary.new_findings +=
                            rows.findings.iter().filter(|f| f.baseline == "new").count();
                        if options.only_new {
                            rows.findings.retain(|f| f.baseline == "new");
                        }
                    }
                    reports.article(seq, &rows)?;
                    figures.extend(&links);
                    for (category, n) in &rows.categories {
                        *summary.by_category.entry(category.clone()).or_default() += n;
                        summary.findings += n;
                    }
                    note_lowest(&mut summary.lowest, &rows);
                    all.add(&rows.signals);
                    if let Ok(article) = record {
                        let outlet = article.source.trim();
                        if !outlet.is_empty() {
                            outlets
                                .entry(outlet.to_string())
                                .or_default()
                                .add(&rows.signals);
                        }
                        let author = byline_name(&article.author);
                        if !author.is_empty() {
                            authors.entry(author).or_default().add(&rows.signals);
                        }
                    }
                }
                Err(e) => {
                    summary.errors += 1;
                    reports.error(&ErrorRow::from(e))?;
                }
            }
        }
        progress.advance(summary.records as u64);
    }

    link_batch(&figures, rules, reports, &mut summary)?;

    // The prior is the batch mean; the spread is the batch's deviation.
    let prior = all.mean();
    let n = all.articles.max(1) as f64;
    let variance = (all.score_sq_sum / n - prior * prior).max(0.0);
    let spread = variance.sqrt().max(1.0);
    let weight = rules.scoring.source_prior_weight;
    for (kind, table) in [("outlet", &outlets), ("author", &authors)] {
        let mut rows: Vec<SourceRow> = table
            .iter()
            .map(|(name, totals)| {
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
        for row in &rows {
            reports.source(row)?;
        }
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Links the batch's figures, then writes the claims with their
/// verification and the conflicts between outlets.
fn link_batch(
    figures: &link::Batch,
    rules: &RuleSet,
    reports: &mut Reports,
    summary: &mut Summary,
) -> Result<(), ReportError> {
    let links = figures.link();
    // Verdicts and spooled claims both come in input order: walk them together.
    let mut verdicts = figures.verdicts(&links).peekable();
    let (mut corroborated, mut contradicted) = (0, 0);
    reports.claims(|seq, row| {
        while verdicts
            .next_if(|v| (v.article, v.sentence) < (seq, row.sentence))
            .is_some()
        {}
        if let Some(v) = verdicts.next_if(|v| (v.article, v.sentence) == (seq, row.sentence)) {
            row.verification = v.status.as_str().to_string();
            row.agrees = v.agrees.join("; ");
            row.disagrees = v.disagrees.join("; ");
            match v.status {
                Status::Corroborated => corroborated += 1,
                Status::Contradicted => contradicted += 1,
                Status::SingleSource => {}
            }
        }
    })?;
    summary.corroborated = corroborated;
    summary.contradicted = contradicted;
    summary.cross_conflicts = links.conflicts.len();
    for (a, b) in figures.conflicts(&links) {
        reports.conflict(&ConflictRow {
            kind: "cross-article".into(),
            rule: rules.rules[a.rule].id.clone(),
            key: a.key.to_string(),
            article_a: a.article_id.to_string(),
            sentence_a: a.sentence,
            value_a: a.value.to_string(),
            article_b: b.article_id.to_string(),
            sentence_b: b.sentence,
            value_b: b.value.to_string(),
        })?;
    }
    Ok(())
}

/// A stable hash of an article id, for spotting duplicates.
fn id_hash(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

/// Keeps the `LOWEST` lowest scores; the earlier article wins a tie, so the
/// list is the same for any thread count.
fn note_lowest(lowest: &mut Vec<(f64, String, String)>, rows: &ArticleRows) {
    let score = rows.signals.score;
    if lowest.len() == LOWEST && lowest.last().is_some_and(|(s, _, _)| *s <= score) {
        return;
    }
    let at = lowest.partition_point(|(s, _, _)| *s <= score);
    lowest.insert(
        at,
        (score, rows.article.id.clone(), rows.article.title.clone()),
    );
    lowest.truncate(LOWEST);
}

/// The author name a byline gives: "By Jane Doe" is "Jane Doe".
fn byline_name(byline: &str) -> String {
    let b = byline.trim();
    let b = b
        .strip_prefix("By ")
        .or_else(|| b.strip_prefix("by "))
        .or_else(|| b.strip_prefix("BY "))
        .unwrap_or(b);
    b.trim().to_string()
}
