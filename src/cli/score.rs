//! `credence score`: read articles, write reports, print a summary.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::input::{Pending, ReadOptions, Records};
use crate::pipeline::{self, Progress, Summary};
use crate::report::{Format, Reports};

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Input files or folders: .csv, .jsonl, .txt/.md, a folder of them, or - for stdin.
    #[arg(required = true)]
    inputs: Vec<String>,
    /// Folder for the reports (created if missing).
    #[arg(long, short, default_value = "reports")]
    out: PathBuf,
    #[command(flatten)]
    rules: super::RuleArgs,
    /// Take a field from a differently named column: --map body=text (repeatable).
    #[arg(long, value_name = "FIELD=COLUMN")]
    map: Vec<String>,
    /// Set every article's source (outlet) to this name.
    #[arg(long)]
    source: Option<String>,
    /// Input format when it cannot be told from the name: csv, jsonl, text, dir.
    #[arg(long, value_name = "FORMAT")]
    input_format: Option<String>,
    /// Worker threads (default: all cores).
    #[arg(long, short)]
    jobs: Option<usize>,
    /// No progress bar and no summary.
    #[arg(long, short)]
    quiet: bool,
    /// Exit with code 1 when any record could not be used.
    #[arg(long)]
    strict: bool,
    /// Longest article body scored, in bytes; a longer one is a row in errors (0 = no limit).
    #[arg(long, value_name = "BYTES", default_value_t = crate::input::DEFAULT_MAX_ARTICLE_BYTES)]
    max_article_bytes: usize,
    /// Longest sentence analyzed in one piece, in characters; longer ones are cut (0 = no limit).
    #[arg(long, value_name = "CHARS", default_value_t = crate::text::DEFAULT_MAX_SENTENCE_CHARS)]
    max_sentence_chars: usize,
    /// Write text cells as they are, even those a spreadsheet would run as formulas.
    #[arg(long)]
    raw_cells: bool,
    /// Report formats: csv, jsonl, xlsx, html (comma-separated or repeated).
    #[arg(
        long,
        value_name = "FORMAT",
        value_delimiter = ',',
        default_value = "csv",
        value_parser = clap::builder::ValueParser::new(str::parse::<Format>)
    )]
    format: Vec<Format>,
    /// findings.csv of an earlier run: mark each finding new or known.
    #[arg(long, value_name = "FINDINGS_CSV")]
    baseline: Option<PathBuf>,
    /// With --baseline, write only the new findings.
    #[arg(long, requires = "baseline")]
    only_new: bool,
    #[command(flatten)]
    sources: super::SourceArgs,
    /// Stream mode: JSON Lines on stdout, one line per record, instead of report files.
    #[arg(long, value_name = "FORMAT", conflicts_with_all = ["out", "format", "baseline"])]
    output_format: Option<super::stream::OutputFormat>,
    /// In stream mode: record lines, per-source partial aggregates, or both.
    #[arg(long, value_delimiter = ',', requires = "output_format")]
    emit: Vec<super::stream::Emit>,
    /// Keep only the records whose id hashes to shard K of N (K/N, 0 <= K < N).
    #[arg(long, value_name = "K/N")]
    shard: Option<crate::stage::Shard>,
}

struct Bar(ProgressBar);

impl Progress for Bar {
    fn advance(&self, done: u64) {
        self.0.set_position(done);
    }
}

pub fn run(args: ScoreArgs) -> anyhow::Result<u8> {
    let started = std::time::Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    // Rules compile on the run's workers: with --jobs 1, on one thread.
    let rules = pool.install(|| args.rules.load())?;
    let mut run_options = pipeline::RunOptions {
        baseline: args
            .baseline
            .as_deref()
            .map(crate::report::Baseline::load)
            .transpose()?,
        only_new: args.only_new,
        ..pipeline::RunOptions::default()
    };
    args.sources.apply(&mut run_options)?;
    let mut rules = rules;
    rules.max_sentence_chars = args.max_sentence_chars;
    super::rate_cited_sources(&mut rules, &run_options);
    let options = ReadOptions {
        source: args.source.clone(),
        max_article_bytes: Some(args.max_article_bytes),
        ..super::read_options(args.input_format.as_deref(), &args.map)?
    };
    // Open every input before writing anything: a wrong path fails fast.
    let mut opened = Vec::new();
    for input in &args.inputs {
        opened.push(crate::input::open(input, &options)?);
    }
    let shard = args.shard;
    if args.output_format.is_some() {
        let records = opened
            .into_iter()
            .flatten()
            .filter(move |r| shard.is_none_or(|s| s.keeps(r)));
        // Stream mode sizes its own pool.
        drop(pool);
        return super::stream::run(records, &rules, &run_options, &args.emit, args.jobs);
    }
    // Records are parsed on the workers, except when a shard must see
    // their ids first.
    let records: Box<dyn Iterator<Item = Pending> + Send> = match shard {
        None => Box::new(opened.into_iter().flat_map(Records::pending)),
        Some(shard) => Box::new(
            opened
                .into_iter()
                .flatten()
                .filter(move |r| shard.keeps(r))
                .map(Pending::from),
        ),
    };

    let bar = if args.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())
    } else {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos} records  {per_sec}  {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    };
    let progress = Bar(bar);
    let mut formats = args.format.clone();
    formats.sort();
    formats.dedup();
    let mut reports = Reports::create(&args.out, &formats)?.raw_cells(args.raw_cells);
    let summary =
        pool.install(|| pipeline::run(records, &rules, &run_options, &mut reports, &progress))?;
    reports.finish()?;
    progress.0.finish_and_clear();
    let mut summary = summary;
    summary.elapsed = started.elapsed();
    if !args.quiet {
        print_summary(&summary, &rules.facts, &args.out, &formats);
    }
    Ok(if args.strict && summary.errors > 0 {
        super::EXIT_FAILED_CHECK
    } else {
        super::EXIT_OK
    })
}

/// The run summary on stdout. A closed pipe (`| head`) ends it quietly.
fn print_summary(
    s: &Summary,
    facts: &crate::verify::Facts,
    out: &std::path::Path,
    formats: &[Format],
) {
    let mut text = String::new();
    use std::fmt::Write as _;
    let _ = writeln!(
        text,
        "scored {} articles from {} records ({} could not be used) in {:.2} s, {:.0} articles/s",
        s.articles,
        s.records,
        s.errors,
        s.elapsed.as_secs_f64(),
        s.rate()
    );
    if s.duplicate_ids > 0 {
        let _ = writeln!(
            text,
            "duplicate ids: {} articles share an id with an earlier one (first: {}); all are scored",
            s.duplicate_ids, s.first_duplicate
        );
    }
    let categories = s
        .by_category
        .iter()
        .map(|(c, n)| format!("{c} {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(text, "findings: {} ({categories})", s.findings);
    if s.has_baseline {
        let _ = writeln!(text, "new since the baseline: {}", s.new_findings);
    }
    let _ = writeln!(
        text,
        "across the batch: {} claims corroborated, {} contradicted, {} conflicting pairs between outlets",
        s.corroborated, s.contradicted, s.cross_conflicts
    );
    if s.facts > 0 {
        let _ = writeln!(
            text,
            "reference facts: {} of {} checked against some figure",
            s.facts - s.unmatched_facts.len(),
            s.facts
        );
        if !s.unmatched_facts.is_empty() {
            let _ = writeln!(
                text,
                "  never checked (key or names spelled unlike the articles' figures in claims.csv, or as_of after every article):"
            );
            for &f in s.unmatched_facts.iter().take(10) {
                let fact = facts.get(f);
                let _ = writeln!(
                    text,
                    "    line {}: {} about {}",
                    fact.line,
                    fact.key,
                    fact.about.join("; ")
                );
            }
            if s.unmatched_facts.len() > 10 {
                let _ = writeln!(text, "    and {} more", s.unmatched_facts.len() - 10);
            }
        }
    }
    if !s.lowest.is_empty() {
        let _ = writeln!(text, "lowest scores:");
        for (score, id, title) in &s.lowest {
            let _ = writeln!(text, "  {score:5.1}  {id}  {title}");
        }
    }
    let files: Vec<String> = formats
        .iter()
        .map(|f| match f {
            Format::Csv | Format::Jsonl => format!(
                "{}/{{articles,findings,claims,conflicts,sources,errors}}.{f}",
                out.display()
            ),
            _ => out.join(f.files().join(" ")).display().to_string(),
        })
        .collect();
    let _ = writeln!(text, "reports: {}", files.join(" "));
    if s.errors > 0 {
        let errors = match formats.first() {
            Some(Format::Csv | Format::Jsonl) | None => {
                let f = formats.first().copied().unwrap_or(Format::Csv);
                format!("{}/errors.{f}", out.display())
            }
            Some(Format::Xlsx) => format!(
                "the Errors sheet of {}",
                out.join(crate::report::XLSX_FILE).display()
            ),
            Some(Format::Html) => out.join(crate::report::HTML_FILE).display().to_string(),
        };
        let _ = writeln!(text, "see {errors} for the records that could not be used");
    }
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
