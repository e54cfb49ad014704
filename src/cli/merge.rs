//! `credence merge` and `credence finalize`: the reduce and finalize steps
//! of credence as a stage of another engine.
//!
//! `merge` reads partial lines (written by `credence score --emit
//! partials` or by an earlier `merge`), adds up those that share a key and
//! writes one line per key to stdout: the batch line first, then outlets
//! and authors by name. Any grouping and order of inputs gives the same
//! bytes. `finalize` reads partial lines the same way, links the figures
//! across the whole batch and writes `sources.csv`, the same file `credence
//! score` writes for the same records.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::pipeline::RunOptions;
use crate::stage::{PartialLine, SourceAggregate};

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Files of partial lines; - (or none) for stdin.
    inputs: Vec<String>,
}

#[derive(Debug, Args)]
pub struct FinalizeArgs {
    /// Files of partial lines; - (or none) for stdin.
    inputs: Vec<String>,
    /// Folder for sources.csv (created if missing).
    #[arg(long, short, default_value = "reports")]
    out: PathBuf,
    /// Rule pack, for its scoring settings; the same as the map step's
    /// (default: the built-in pack).
    #[arg(long)]
    rules: Option<PathBuf>,
    #[command(flatten)]
    priors: super::PriorArgs,
}

pub fn run(args: MergeArgs) -> anyhow::Result<u8> {
    let (total, _) = read_partials(&args.inputs)?;
    let mut text = Vec::new();
    for line in total.lines() {
        serde_json::to_writer(&mut text, &line).context("cannot write a partial line")?;
        text.push(b'\n');
    }
    match std::io::stdout().lock().write_all(&text) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write to stdout")
        }
        _ => Ok(super::EXIT_OK),
    }
}

pub fn finalize(args: FinalizeArgs) -> anyhow::Result<u8> {
    // Everything that can fail on the command line fails before reading.
    let rules = super::load_rules(args.rules.as_deref())?;
    let mut options = RunOptions::default();
    args.priors.apply(&mut options)?;
    let (total, lines) = read_partials(&args.inputs)?;
    // Merging nothing is fine (a reduce partition may get no key), but a
    // finalize that read nothing means the job lost its partials.
    if lines == 0 {
        anyhow::bail!(
            "no partial lines to finalize in {}; write them with `credence score --emit partials`",
            if args.inputs.is_empty() {
                "stdin".to_string()
            } else {
                args.inputs.join(", ")
            }
        );
    }
    let ours = options.priors_fingerprint(&rules);
    if let Some(theirs) = &total.priors
        && *theirs != ours
    {
        anyhow::bail!(
            "the partials were scored with other ratings ({theirs}) than this finalize would use ({ours}); \
             give finalize the --ratings, --no-priors and --rules the map step had"
        );
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let rows = total.finalize(&rules, &options, &args.out)?;
    crate::report::write_sources_csv(&args.out, &rows)?;
    Ok(super::EXIT_OK)
}

/// Adds up every partial line of `inputs` (stdin when empty or `-`);
/// also returns how many lines there were.
fn read_partials(inputs: &[String]) -> anyhow::Result<(SourceAggregate, usize)> {
    let stdin = ["-".to_string()];
    let inputs = if inputs.is_empty() {
        &stdin[..]
    } else {
        inputs
    };
    let mut total = SourceAggregate::default();
    let mut count = 0;
    for input in inputs {
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
            let at = || format!("{input}, line {}", n + 1);
            let part: PartialLine = serde_json::from_str(&line).map_err(|e| {
                if is_record_line(&line) {
                    anyhow::anyhow!(
                        "{}: a record line, not a partial aggregate; \
                         write partials with `credence score --emit partials`",
                        at()
                    )
                } else {
                    anyhow::anyhow!("{}: not a credence partial line: {e}", at())
                }
            })?;
            total
                .add_line(part)
                .map_err(|e| anyhow::anyhow!("{}: {e}", at()))?;
            count += 1;
        }
    }
    Ok((total, count))
}

/// Whether `line` is a record line of stream mode.
fn is_record_line(line: &str) -> bool {
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(line)
        .is_ok_and(|m| m.contains_key("article") || m.contains_key("error"))
}
