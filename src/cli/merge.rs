//! `credence merge`: the reduce and finalize steps of credence as a stage
//! of another engine. Reads lines of `credence stream` (or aggregates of an
//! earlier `merge --partial`), adds up their per-source partial aggregates,
//! and writes `sources.csv`, the same file `credence score` writes for the
//! same records; or, with `--partial`, one merged aggregate line for a
//! further merge.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::pipeline::RunOptions;
use crate::report::{Format, Reports};
use crate::stage::{PartialLine, SourceAggregate};

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Files of stream lines or partial aggregates; - (or none) for stdin.
    inputs: Vec<String>,
    /// Folder for sources.csv (created if missing).
    #[arg(long, short, default_value = "reports")]
    out: PathBuf,
    /// Write one merged partial aggregate line to stdout instead of sources.csv.
    #[arg(long)]
    partial: bool,
    /// Rule pack, for the scoring settings (default: the built-in pack).
    #[arg(long)]
    rules: Option<PathBuf>,
    #[command(flatten)]
    sources: super::SourceArgs,
}

pub fn run(args: MergeArgs) -> anyhow::Result<u8> {
    let mut total = SourceAggregate::default();
    let inputs = if args.inputs.is_empty() {
        vec!["-".to_string()]
    } else {
        args.inputs.clone()
    };
    for input in &inputs {
        let reader: Box<dyn BufRead> = if input == "-" {
            Box::new(BufReader::new(std::io::stdin().lock()))
        } else {
            let file =
                std::fs::File::open(input).with_context(|| format!("cannot open {input}"))?;
            Box::new(BufReader::new(file))
        };
        for (n, line) in reader.lines().enumerate() {
            let line = line.with_context(|| format!("cannot read {input}"))?;
            if line.trim().is_empty() {
                continue;
            }
            let part: PartialLine = serde_json::from_str(&line).with_context(|| {
                format!(
                    "{input}, line {}: not a credence stream or partial line",
                    n + 1
                )
            })?;
            total.merge(part.partial);
        }
    }
    if args.partial {
        let mut text = serde_json::to_string(&PartialLine { partial: total })?;
        text.push('\n');
        std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .context("cannot write to stdout")?;
        return Ok(super::EXIT_OK);
    }
    let rules = super::load_rules(args.rules.as_deref())?;
    let mut options = RunOptions::default();
    args.sources.apply(&mut options)?;
    let rows = total.finalize(&rules, &options);
    // The same writer as `credence score`, so sources.csv is byte for byte
    // the same; the other reports stay empty (their rows are the stream's).
    let mut reports = Reports::create(&args.out, &[Format::Csv])?;
    for row in &rows {
        reports.source(row)?;
    }
    reports.finish()?;
    Ok(super::EXIT_OK)
}
