//! `credence stream`: credence as a map stage of another engine. JSON Lines
//! records in on stdin, one JSON line out per record on stdout, in input
//! order (see `stage` for the line's shape).

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use rayon::prelude::*;

use crate::input::{ReadOptions, Record};
use crate::pipeline::{self, RunOptions};
use crate::stage::{SourceAggregate, StageLine};

#[derive(Debug, Args)]
pub struct StreamArgs {
    /// Rule pack: a .toml file or a folder of them (default: the built-in pack).
    #[arg(long)]
    rules: Option<PathBuf>,
    /// Outlet aliases: a CSV with columns alias,canonical.
    #[arg(long, value_name = "CSV")]
    source_map: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, short)]
    jobs: Option<usize>,
}

/// Records analyzed together before their lines are written.
const CHUNK: usize = 256;

pub fn run(args: StreamArgs) -> anyhow::Result<u8> {
    let rules = super::load_rules(args.rules.as_deref())?;
    let options = RunOptions {
        source_map: super::load_source_map(args.source_map.as_deref())?,
        ..RunOptions::default()
    };
    let mut records = crate::input::open("-", &ReadOptions::default())?.peekable();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut seq = 0;
    let mut chunk: Vec<Record> = Vec::with_capacity(CHUNK);
    while records.peek().is_some() {
        chunk.clear();
        chunk.extend(records.by_ref().take(CHUNK));
        let first = seq;
        let lines: Vec<Vec<u8>> = pool.install(|| {
            chunk
                .par_iter()
                .enumerate()
                .map(|(i, record)| line(first + i, record, &rules, &options))
                .collect::<Result<_, _>>()
        })?;
        seq += chunk.len();
        for l in &lines {
            if let Err(e) = out.write_all(l) {
                // A closed pipe ends the stage quietly.
                if e.kind() == std::io::ErrorKind::BrokenPipe {
                    return Ok(super::EXIT_OK);
                }
                return Err(e).context("cannot write to stdout");
            }
        }
    }
    match out.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write to stdout")
        }
        _ => Ok(super::EXIT_OK),
    }
}

/// One output line, newline included.
fn line(
    seq: usize,
    record: &Record,
    rules: &crate::rules::RuleSet,
    options: &RunOptions,
) -> Result<Vec<u8>, serde_json::Error> {
    let mut partial = SourceAggregate::default();
    let mut buf = match record {
        Ok(article) => {
            let (rows, figures) = pipeline::process(seq, article, rules);
            partial.add(article, &rows.signals, figures, options);
            serde_json::to_vec(&StageLine {
                seq,
                article: Some(&rows.article),
                findings: &rows.findings,
                claims: &rows.claims,
                conflicts: &rows.conflicts,
                error: None,
                partial: &partial,
            })?
        }
        Err(e) => serde_json::to_vec(&StageLine {
            seq,
            article: None,
            findings: &[],
            claims: &[],
            conflicts: &[],
            error: Some(&crate::report::ErrorRow::from(e)),
            partial: &partial,
        })?,
    };
    buf.push(b'\n');
    Ok(buf)
}
