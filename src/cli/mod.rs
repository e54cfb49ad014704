//! The command line: clap definitions and one function per command.
//!
//! This is the edge of the program: the only module that prints, reads the
//! clock for people, and maps errors to exit codes. Exit codes: 0 the run
//! finished (records that could not be used are in errors.csv); 1 the run
//! finished but `--strict` was given and some record could not be used, or
//! `rules test` found a failing example; 2 the run could not start or
//! finish (bad arguments, unreadable input, invalid rules, unwritable
//! output).
#![allow(clippy::print_stdout, clippy::print_stderr)]

/// Prints a line on stdout; a closed pipe (`credence ... | head`) ends the
/// program quietly with exit code 0 instead of a panic.
macro_rules! say {
    () => {
        $crate::cli::emit("")
    };
    ($($arg:tt)*) => {
        $crate::cli::emit(&format!($($arg)*))
    };
}

mod diff;
mod eval;
mod explain;
mod merge;
mod rules_cmd;
mod score;
mod stream;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Audit news articles in batch: claims, sourcing, hedges, conflicts, scores.
#[derive(Debug, Parser)]
#[command(name = "credence", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score articles and write CSV reports.
    Score(score::ScoreArgs),
    /// List, explain and test rules.
    Rules(rules_cmd::RulesArgs),
    /// Measure a detector on labeled data: precision, recall, F1.
    Eval(eval::EvalArgs),
    /// Show one article with each finding highlighted and its effect on the score.
    Explain(explain::ExplainArgs),
    /// Compare two report folders: findings added and removed, per rule and article.
    Diff(diff::DiffArgs),
    /// Be a stage of another engine: JSON Lines records on stdin, one JSON line per record out.
    Stream(stream::StreamArgs),
    /// Add up the partial aggregates of stream lines and write sources.csv.
    Merge(merge::MergeArgs),
}

/// Writes one line to stdout, or exits quietly if the reader has gone.
pub(crate) fn emit(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{line}").and_then(|()| out.flush())
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}

/// Exit code: the run finished.
pub const EXIT_OK: u8 = 0;
/// Exit code: finished, but something the user asked to fail on happened.
pub const EXIT_FAILED_CHECK: u8 = 1;
/// Exit code: the run could not start or finish.
pub const EXIT_ERROR: u8 = 2;

/// Parses the command line and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Score(args) => score::run(args),
        Command::Rules(args) => rules_cmd::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Stream(args) => stream::run(args),
        Command::Merge(args) => merge::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("credence: error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Loads the built-in rules or the pack at `path`.
fn load_rules(path: Option<&std::path::Path>) -> anyhow::Result<crate::rules::RuleSet> {
    load_rules_with(path, &crate::rules::Selection::default())
}

/// Loads the rules, then applies the command line's selection.
fn load_rules_with(
    path: Option<&std::path::Path>,
    selection: &crate::rules::Selection,
) -> anyhow::Result<crate::rules::RuleSet> {
    Ok(crate::rules::RuleSet::build(path, selection)?)
}
