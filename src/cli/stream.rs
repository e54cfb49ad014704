//! Stream mode of `credence score` (`--output-format jsonl`): credence as a
//! map stage of another engine. Records in, one JSON line out per record on
//! stdout, in input order, flushed as soon as the records read so far are
//! done; with `--emit partials`, the stream's per-source partial aggregates
//! follow (see `stage` for the lines' shapes). Nothing is written but
//! stdout; diagnostics go to stderr.
//!
//! A record that cannot be used becomes an `error` line (and a line on
//! stderr), the stream goes on, and the run exits with code 1 at the end:
//! an engine that checks exit codes fails the task instead of losing the
//! record unnoticed.
//!
//! `credence stream ARGS` is short for `credence score - --input-format
//! jsonl --output-format jsonl ARGS`; [`expand_alias`] rewrites it.

use std::ffi::OsString;
use std::io::{BufWriter, Write};
use std::sync::mpsc;

use anyhow::Context;
use rayon::prelude::*;

use crate::input::Record;
use crate::pipeline::{self, RunOptions};
use crate::rules::RuleSet;
use crate::score::ArticleSignals;
use crate::stage::{RecordLine, SourceAggregate};

/// `--output-format`: where results go instead of report files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// JSON Lines on stdout, one line per input record.
    Jsonl,
}

/// `--emit`: what stream mode writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Emit {
    /// One line per record: the article's rows, or its error.
    Records,
    /// At the end, the stream's per-source partial aggregates.
    Partials,
}

/// `credence stream`: everything after the word is passed on to `score`.
#[derive(Debug, clap::Args)]
#[command(disable_help_flag = true)]
pub struct StreamAlias {
    /// Flags of `credence score` (see `credence stream --help`).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<OsString>,
}

/// The `score` command line that `credence stream ARGS` stands for.
pub fn expand_alias(alias: StreamAlias) -> Vec<OsString> {
    let mut argv: Vec<OsString> = [
        "credence",
        "score",
        "-",
        "--input-format",
        "jsonl",
        "--output-format",
        "jsonl",
    ]
    .into_iter()
    .map(OsString::from)
    .collect();
    argv.extend(alias.args);
    argv
}

/// Records analyzed together at most before their lines are written.
const CHUNK: usize = 256;

/// One record's share of the output.
struct Outcome {
    /// The record line, newline included (empty unless records are emitted).
    line: Vec<u8>,
    /// For the partial aggregate: the article's signals and keyed figures.
    partial: Option<(ArticleSignals, Vec<crate::link::LinkClaim>)>,
}

/// Runs stream mode over `records` and returns the exit code.
pub fn run(
    records: impl Iterator<Item = Record> + Send + 'static,
    rules: &RuleSet,
    options: &RunOptions,
    emit: &[Emit],
    jobs: Option<usize>,
) -> anyhow::Result<u8> {
    let emit_records = emit.is_empty() || emit.contains(&Emit::Records);
    let emit_partials = emit.contains(&Emit::Partials);
    // The number of cores, not rayon's environment variable: a stage is
    // configured by its flags alone.
    let threads = jobs.filter(|&j| j > 0).unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")?;
    // A reader thread keeps records coming while a chunk is analyzed; the
    // loop below takes whatever has arrived, so a slow producer still sees
    // each line soon after its record, and a fast one gets full chunks.
    let (sender, receiver) = mpsc::sync_channel::<Record>(CHUNK);
    std::thread::spawn(move || {
        for record in records {
            if sender.send(record).is_err() {
                break;
            }
        }
    });
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut aggregate = SourceAggregate {
        priors: Some(options.priors_fingerprint(rules)),
        ..SourceAggregate::default()
    };
    let (mut seen, mut errors) = (0usize, 0usize);
    let mut chunk: Vec<Record> = Vec::with_capacity(CHUNK);
    while let Ok(first) = receiver.recv() {
        chunk.clear();
        chunk.push(first);
        while chunk.len() < CHUNK {
            match receiver.try_recv() {
                Ok(record) => chunk.push(record),
                Err(_) => break,
            }
        }
        let outcomes: Vec<Outcome> = pool.install(|| {
            chunk
                .par_iter()
                .map(|record| outcome(record, rules, emit_records))
                .collect::<Result<_, _>>()
        })?;
        for (record, outcome) in chunk.iter().zip(outcomes) {
            seen += 1;
            match (record, outcome.partial) {
                (Ok(article), Some((signals, figures))) => {
                    if emit_partials {
                        aggregate.add(article, &signals, figures, options);
                    }
                }
                (Err(e), _) => {
                    errors += 1;
                    let at = if e.location.is_empty() {
                        e.file.clone()
                    } else {
                        format!("{}, {}", e.file, e.location)
                    };
                    eprintln!("credence: {at}: record could not be used: {}", e.reason);
                }
                (Ok(_), None) => {}
            }
            if !write(&mut out, &outcome.line)? {
                return Ok(super::EXIT_OK);
            }
        }
        if !flush(&mut out)? {
            return Ok(super::EXIT_OK);
        }
    }
    if emit_partials {
        for line in aggregate.lines() {
            let mut text = serde_json::to_vec(&line).context("cannot write a partial line")?;
            text.push(b'\n');
            if !write(&mut out, &text)? {
                return Ok(super::EXIT_OK);
            }
        }
        if !flush(&mut out)? {
            return Ok(super::EXIT_OK);
        }
    }
    if errors > 0 {
        eprintln!("credence: {errors} of {seen} records could not be used");
        return Ok(super::EXIT_FAILED_CHECK);
    }
    Ok(super::EXIT_OK)
}

/// Analyzes one record and renders its line.
fn outcome(
    record: &Record,
    rules: &RuleSet,
    emit_records: bool,
) -> Result<Outcome, serde_json::Error> {
    let empty = RecordLine {
        article: None,
        findings: &[],
        claims: &[],
        conflicts: &[],
        error: None,
    };
    let render = |line: &RecordLine<'_>| -> Result<Vec<u8>, serde_json::Error> {
        if !emit_records {
            return Ok(Vec::new());
        }
        let mut buf = serde_json::to_vec(line)?;
        buf.push(b'\n');
        Ok(buf)
    };
    Ok(match record {
        Ok(article) => {
            let (rows, figures) = pipeline::process(0, article, rules);
            Outcome {
                line: render(&RecordLine {
                    article: Some(&rows.article),
                    findings: &rows.findings,
                    claims: &rows.claims,
                    conflicts: &rows.conflicts,
                    ..empty
                })?,
                partial: Some((rows.signals, figures)),
            }
        }
        Err(e) => Outcome {
            line: render(&RecordLine {
                error: Some(&crate::report::ErrorRow::from(e)),
                ..empty
            })?,
            partial: None,
        },
    })
}

/// Writes `bytes`; `false` when the reader has gone (a closed pipe ends the
/// stage quietly).
fn write(out: &mut impl Write, bytes: &[u8]) -> anyhow::Result<bool> {
    match out.write_all(bytes) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(e).context("cannot write to stdout"),
    }
}

/// Flushes; `false` when the reader has gone.
fn flush(out: &mut impl Write) -> anyhow::Result<bool> {
    match out.flush() {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(e).context("cannot write to stdout"),
    }
}
