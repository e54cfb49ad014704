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

mod eval;
mod rules_cmd;
mod score;

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
    Ok(match path {
        Some(p) => crate::rules::RuleSet::load(p)?,
        None => crate::rules::RuleSet::default_pack()?,
    })
}
