//! The run: records in, reports out, articles analyzed in parallel.
//!
//! Records are read in chunks; each chunk is parsed, analyzed, scored and
//! rendered into report bytes on the rayon pool while the chunk before it
//! is written in input order and the chunk after it is read, so memory
//! stays bounded by three chunks whatever the input size, and the calling
//! thread only splits lines and copies bytes. Source totals are kept per source name only, never per
//! article. The result does not depend on the number of threads.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::analyze::Analysis;
use crate::input::{Article, Pending, Record};
use crate::link::{self, LinkClaim, Status};
use crate::report::{
    ArticleRows, CellError, ClaimCheck, ConflictRow, ErrorRow, Rendered, RenderedConflicts,
    Renderer, ReportError, Reports, article_rows,
};
use crate::rules::{RuleParams, RuleSet};
use crate::score::{SourceTotals, score_article};

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
    /// With `--facts`: how many facts the file has, and the ones no
    /// article's figure was checked against (a typo in a key or a name
    /// looks just like that), in file order.
    pub facts: usize,
    pub unmatched_facts: Vec<usize>,
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
    let (rows, links) = process_borrowed(seq, article, rules);
    (rows.into_owned(), links)
}

/// [`process`] with the rows' text borrowed from the article and the rules.
fn process_borrowed<'a>(
    seq: usize,
    article: &'a Article,
    rules: &'a RuleSet,
) -> (ArticleRows<Cow<'a, str>>, Vec<LinkClaim>) {
    let analysis = crate::analyze::analyze_article(article, rules);
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
    if let Some(lead) = analysis.names.first() {
        event.extend(lead.iter().cloned());
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
                    let mut e = analysis.names[f.sentence].clone();
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
                update: f.update,
                event: f.day,
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
    /// Outlet aliases (the CLI gives the bundled ones and `--source-map`'s).
    pub source_map: crate::score::sources::SourceMap,
    /// Outlet ratings used as priors (the CLI gives the bundled ratings or
    /// `--ratings`; none with `--no-priors`); without them an outlet's prior
    /// is the batch mean.
    pub ratings: Option<crate::score::sources::Ratings>,
    /// `--no-priors`: a source's credibility is its own mean, unshrunk.
    pub no_priors: bool,
}

impl RunOptions {
    /// Names the priors these options and `rules`' scoring settings give
    /// sources, for the partials of a map step to carry to the finalize
    /// step: `none`; the batch mean and its weight; or a hash of the
    /// ratings table, the unrated prior and the weight.
    pub fn priors_fingerprint(&self, rules: &crate::rules::RuleSet) -> String {
        let weight = rules.scoring.source_prior_weight;
        match (&self.ratings, self.no_priors) {
            (_, true) => "none".to_string(),
            (None, false) => format!("batch mean, weight {weight}"),
            (Some(r), false) => format!(
                "ratings {:016x}, unrated prior {}, weight {weight}",
                r.fingerprint(),
                r.unrated_prior(rules.scoring.unrated_prior_quantile)
            ),
        }
    }
}

/// Runs the whole batch: every record becomes rows in `reports` (each
/// format's sinks get the same rows, made once) or an error row; source
/// scores are written last.
///
/// While the pool analyzes one chunk, the calling thread writes the rows of
/// the chunk before it and reads the chunk after it, so reading and writing
/// overlap analysis. With one worker thread the three take turns on it.
/// Rows are written in input order whatever the thread count.
pub fn run(
    records: impl Iterator<Item = Pending>,
    rules: &RuleSet,
    options: &RunOptions,
    reports: &mut Reports,
    progress: &dyn Progress,
) -> Result<Summary, ReportError> {
    let started = Instant::now();
    let mut tally = Tally::new(options, reports, progress)?;
    let mut records = records.peekable();
    let mut next: Vec<Pending> = records.by_ref().take(CHUNK).collect();
    let mut analyzed: Option<Vec<(Record, Processed)>> = None;
    let mut seq = 0;
    let renderer = tally.reports.renderer();
    while !next.is_empty() || analyzed.is_some() {
        let chunk = std::mem::take(&mut next);
        let first = seq;
        seq += chunk.len();
        let more = !chunk.is_empty();
        let mut results: Vec<(Record, Processed)> = Vec::new();
        let mut written = Ok(());
        rayon::in_place_scope(|scope| {
            if more {
                scope.spawn(|_| {
                    results = process_chunk(first, chunk, rules, options, &renderer);
                });
            }
            if let Some(done) = analyzed.take() {
                written = tally.chunk(done);
            }
            if written.is_ok() && records.peek().is_some() {
                next = records.by_ref().take(CHUNK).collect();
            }
        });
        written?;
        analyzed = more.then_some(results);
    }
    let Tally {
        mut summary,
        mut outlets,
        authors,
        all,
        figures,
        reports,
        facts_seen,
        ..
    } = tally;
    summary.has_baseline = options.baseline.is_some();
    summary.facts = rules.facts.len();
    summary.unmatched_facts = (0..rules.facts.len())
        .filter(|f| !facts_seen.contains(f))
        .collect();

    let verified = link_batch(figures, rules, reports, &mut summary)?;
    for (outlet, (corroborated, contradicted)) in verified {
        if let Some(t) = outlets.get_mut(&options.source_map.canonical(&outlet)) {
            t.corroborated += corroborated;
            t.contradicted += contradicted;
        }
    }

    for row in crate::stage::source_rows(&outlets, &authors, &all, rules, options) {
        reports.source(&row)?;
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// What the run keeps of one analyzed record; `None` for a record that
/// could not be read (its error is in the record).
type Processed = Option<Analyzed>;

/// One article's rows (findings, claims and conflicts only when a report
/// reads them as structs), the rows rendered for the reports, its figures,
/// and how many of its findings a baseline does not know.
struct Analyzed {
    rows: ArticleRows,
    rendered: Result<Rendered, CellError>,
    links: Vec<LinkClaim>,
    new_findings: usize,
}

/// Parses a chunk's records, analyzes them and renders their rows on the
/// pool; `first` is the position of its first record. Each record is a
/// task of its own, so the workers finish a chunk together even when one
/// article is long.
fn process_chunk(
    first: usize,
    chunk: Vec<Pending>,
    rules: &RuleSet,
    options: &RunOptions,
    renderer: &Renderer,
) -> Vec<(Record, Processed)> {
    chunk
        .into_par_iter()
        .with_max_len(1)
        .enumerate()
        .map(|(i, pending)| {
            let record = pending.parse();
            let processed = process_record(first + i, &record, rules, options, renderer);
            (record, processed)
        })
        .collect()
}

/// [`process`] for the run: findings marked against the baseline, rows
/// rendered for the reports.
fn process_record(
    seq: usize,
    record: &Record,
    rules: &RuleSet,
    options: &RunOptions,
    renderer: &Renderer,
) -> Processed {
    let article = record.as_ref().ok()?;
    let (mut rows, links) = process_borrowed(seq, article, rules);
    if let Some(baseline) = &options.baseline {
        for f in &mut rows.findings {
            f.baseline = Cow::Borrowed(if baseline.knows(f) { "known" } else { "new" });
        }
        if options.only_new {
            rows.findings.retain(|f| f.baseline == "new");
        }
    }
    let rendered = renderer.render(seq, &rows);
    let new_findings = rows.findings.iter().filter(|f| f.baseline == "new").count();
    // Freed here, on the pool, rather than on the thread writing reports.
    let rows = if renderer.keeps_rows() {
        rows.into_owned()
    } else {
        rows.into_totals()
    };
    Some(Analyzed {
        rows,
        rendered,
        links,
        new_findings,
    })
}

/// What the run keeps between chunks: the reports being written, the
/// summary, per-source totals and the batch's figures for linking (on
/// disk, beside the reports).
struct Tally<'a> {
    options: &'a RunOptions,
    reports: &'a mut Reports,
    progress: &'a dyn Progress,
    summary: Summary,
    outlets: BTreeMap<String, SourceTotals>,
    authors: BTreeMap<String, SourceTotals>,
    all: SourceTotals,
    figures: link::Linker,
    /// Ids seen so far, as 64-bit hashes: 8 bytes an article, not its id.
    seen_ids: HashSet<u64>,
    /// Reference facts some article's figure was checked against.
    facts_seen: BTreeSet<usize>,
}

impl<'a> Tally<'a> {
    fn new(
        options: &'a RunOptions,
        reports: &'a mut Reports,
        progress: &'a dyn Progress,
    ) -> Result<Tally<'a>, ReportError> {
        let figures = link::Linker::create(reports.dir())?;
        Ok(Tally {
            options,
            reports,
            progress,
            summary: Summary::default(),
            outlets: BTreeMap::new(),
            authors: BTreeMap::new(),
            all: SourceTotals::default(),
            figures,
            seen_ids: HashSet::new(),
            facts_seen: BTreeSet::new(),
        })
    }

    /// Writes an analyzed chunk's rows, in input order, and adds it up.
    fn chunk(&mut self, chunk: Vec<(Record, Processed)>) -> Result<(), ReportError> {
        let options = self.options;
        let summary = &mut self.summary;
        for (record, result) in chunk {
            summary.records += 1;
            match record {
                Ok(article) => {
                    // Every readable record was analyzed.
                    let Some(Analyzed {
                        rows,
                        rendered,
                        links,
                        new_findings,
                    }) = result
                    else {
                        continue;
                    };
                    summary.articles += 1;
                    if !self.seen_ids.insert(id_hash(&article.id)) {
                        summary.duplicate_ids += 1;
                        if summary.first_duplicate.is_empty() {
                            summary.first_duplicate = article.id.clone();
                        }
                    }
                    // Findings were marked against the baseline on the pool.
                    summary.new_findings += new_findings;
                    self.reports.article(&rows, &rendered?)?;
                    self.figures.extend(&links)?;
                    for (category, n) in &rows.categories {
                        *summary.by_category.entry(category.clone()).or_default() += n;
                        summary.findings += n;
                    }
                    note_lowest(&mut summary.lowest, &rows);
                    self.facts_seen.extend(rows.facts.iter().copied());
                    self.all.add(&rows.signals);
                    let outlet = options.source_map.canonical(&article.source);
                    if !outlet.is_empty() {
                        self.outlets.entry(outlet).or_default().add(&rows.signals);
                    }
                    for author in crate::score::sources::authors(&article.author) {
                        self.authors.entry(author).or_default().add(&rows.signals);
                    }
                }
                Err(e) => {
                    summary.errors += 1;
                    self.reports.error(&ErrorRow::from(&e))?;
                }
            }
        }
        self.progress.advance(summary.records as u64);
        Ok(())
    }
}

/// Links the batch's figures, then writes the claims with their
/// verification and the conflicts between outlets.
/// Returns, per outlet as written, the claims corroborated and contradicted.
fn link_batch(
    figures: link::Linker,
    rules: &RuleSet,
    reports: &mut Reports,
    summary: &mut Summary,
) -> Result<BTreeMap<String, (usize, usize)>, ReportError> {
    let linked = figures.link()?;
    // Verdicts and spooled claims both come in input order: walk them
    // together. A verdict that cannot be read stays in `verdicts` and is
    // returned after the claims.
    let mut verdicts = linked.verdicts().peekable();
    let mut per_outlet: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut tally = |v: &link::ClaimVerdict| {
        let entry = per_outlet.entry(v.outlet.clone()).or_default();
        match v.status {
            Status::Corroborated => entry.0 += 1,
            Status::Contradicted => entry.1 += 1,
            Status::SingleSource => {}
        }
    };
    let (mut corroborated, mut contradicted) = (0, 0);
    let before = |v: &Result<link::ClaimVerdict, link::SpoolError>, claim: (usize, usize)| {
        v.as_ref().is_ok_and(|v| (v.article, v.sentence) < claim)
    };
    let mut verify = |seq: usize, sentence: usize| {
        let claim = (seq, sentence);
        while let Some(Ok(v)) = verdicts.next_if(|v| before(v, claim)) {
            tally(&v);
        }
        let this = |v: &Result<link::ClaimVerdict, _>| {
            v.as_ref().is_ok_and(|v| (v.article, v.sentence) == claim)
        };
        let Some(Ok(v)) = verdicts.next_if(this) else {
            return None;
        };
        tally(&v);
        match v.status {
            Status::Corroborated => corroborated += 1,
            Status::Contradicted => contradicted += 1,
            Status::SingleSource => {}
        }
        Some(ClaimCheck {
            verification: v.status.as_str().to_string(),
            agrees: v.agrees.cell(),
            disagrees: v.disagrees.cell(),
        })
    };
    // Claims and conflicts go to different reports: while the calling
    // thread writes a round of claims and the conflicts rendered in the
    // round before, the pool reads and renders the next conflicts. Each
    // round holds at most ROUND conflicts in memory.
    const ROUND: usize = 4096;
    let renderer = reports.renderer();
    let mut replay = reports.claim_replay()?;
    let mut pairs = linked.conflicts();
    let (mut claims_left, mut conflicts_left) = (true, true);
    let mut rendered: Option<RenderedConflicts> = None;
    while claims_left || conflicts_left || rendered.is_some() {
        let mut fresh: Result<Option<RenderedConflicts>, ReportError> = Ok(None);
        let mut written = Ok(());
        rayon::in_place_scope(|scope| {
            if conflicts_left {
                scope.spawn(|_| fresh = next_conflicts(&mut pairs, ROUND, rules, &renderer));
            }
            if let Some(done) = rendered.take() {
                written = reports.conflicts(&done);
            }
            if written.is_ok() && claims_left {
                written = reports
                    .replay_claims(&mut replay, ROUND, &mut verify)
                    .map(|more| claims_left = more);
            }
        });
        written?;
        if conflicts_left {
            rendered = fresh?;
            conflicts_left = rendered.is_some();
        }
    }
    for v in verdicts {
        tally(&v?);
    }
    summary.corroborated = corroborated;
    summary.contradicted = contradicted;
    summary.cross_conflicts = linked.conflict_count() as usize;
    Ok(per_outlet)
}

/// Reads up to `limit` more conflicts between articles and renders their
/// rows; `None` when there are no more.
fn next_conflicts(
    pairs: &mut impl Iterator<Item = Result<(link::FigureRef, link::FigureRef), link::SpoolError>>,
    limit: usize,
    rules: &RuleSet,
    renderer: &Renderer,
) -> Result<Option<RenderedConflicts>, ReportError> {
    let mut rows = Vec::new();
    for pair in pairs.take(limit) {
        let (a, b) = pair?;
        rows.push(ConflictRow {
            kind: "cross-article".into(),
            rule: rules.rules[a.rule].id.clone(),
            key: a.key,
            article_a: a.article_id,
            sentence_a: a.sentence,
            value_a: a.value,
            article_b: b.article_id,
            sentence_b: b.sentence,
            value_b: b.value,
        });
    }
    if rows.is_empty() {
        return Ok(None);
    }
    Ok(Some(renderer.conflicts(rows)?))
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

#[cfg(test)]
mod tests {
    //! Property tests: any text and any record go through analysis, scoring
    //! and report rows without a panic, and what comes out stays in bounds.

    use proptest::prelude::*;

    use super::*;

    fn rules(max_sentence_chars: usize) -> RuleSet {
        let mut rules = RuleSet::default_pack().expect("the built-in pack compiles");
        rules.max_sentence_chars = max_sentence_chars;
        rules
    }

    /// Text mixing news words, quotes of every kind, figures, punctuation,
    /// line breaks, right-to-left and astral characters, NUL and junk.
    fn body() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("The mayor said ".to_string()),
            Just("officials reportedly ".to_string()),
            Just("may have ".to_string()),
            Just("killed 14 people".to_string()),
            Just("at least 80 ".to_string()),
            Just("\"".to_string()),
            Just("“".to_string()),
            Just("”".to_string()),
            Just("'".to_string()),
            Just(". ".to_string()),
            Just("U.S. ".to_string()),
            Just("\n\n".to_string()),
            Just("\r\n".to_string()),
            Just("שלום עולם ".to_string()),
            Just("😀👍🏽 ".to_string()),
            Just("\u{0}".to_string()),
            Just("=cmd|' /C calc'!A0".to_string()),
            "\\PC{0,12}",
            "[a-z ]{0,30}",
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_text_analyzes_within_bounds(body in body(), max in prop_oneof![Just(0usize), 1usize..40]) {
            let rules = rules(max);
            let analysis = crate::analyze::analyze(&body, &rules);
            let mut previous_end = 0;
            for s in &analysis.sentences {
                prop_assert!(s.span.start <= s.span.end && s.span.end <= body.len());
                prop_assert!(body.is_char_boundary(s.span.start) && body.is_char_boundary(s.span.end));
                prop_assert!(s.span.start >= previous_end, "sentences overlap");
                // Between sentences there is only whitespace: together they
                // cover every visible character of the body.
                prop_assert!(body[previous_end..s.span.start].trim().is_empty() || previous_end == 0);
                // A piece runs past the limit only to end a term or figure.
                if max > 0 {
                    prop_assert!(body[s.span.start..s.span.end].chars().count() <= max + 100);
                }
                previous_end = s.span.end;
            }
            for f in &analysis.findings {
                prop_assert!(f.span.start <= f.span.end && f.span.end <= body.len());
                prop_assert!(body.is_char_boundary(f.span.start) && body.is_char_boundary(f.span.end));
                prop_assert!(f.sentence < analysis.sentences.len());
            }
            let score = score_article(&analysis, &rules);
            prop_assert!((0.0..=100.0).contains(&score.score));
            for v in score.components.values() {
                prop_assert!((0.0..=100.0).contains(v));
            }
        }

        #[test]
        fn any_record_becomes_rows(
            id in "\\PC{0,8}", source in "\\PC{0,8}", author in "\\PC{0,8}",
            title in "\\PC{0,12}", body in body()
        ) {
            let article = Article { id, source, author, title, body, ..Article::default() };
            let (rows, _) = process(0, &article, &rules(60));
            prop_assert_eq!(&rows.article.id, &article.id);
            prop_assert_eq!(rows.article.findings, rows.findings.len());
            let chars = article.body.chars().count();
            for f in &rows.findings {
                prop_assert!(f.start <= f.end && f.end <= chars);
            }
            prop_assert!((0.0..=100.0).contains(&rows.signals.score));
        }
    }
}
