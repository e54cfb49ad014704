//! The command line: clap definitions and one function per command.
//!
//! This is the edge of the program: the only module that prints, reads the
//! clock for people, and maps errors to exit codes. Exit codes: 0 the run
//! finished (records that could not be used are in errors.csv); 1 the run
//! finished but some record could not be used and `--strict` was given or
//! the output was a stream (`--output-format jsonl`), or `rules test` found
//! a failing example; 2 the run could not start or finish (bad arguments,
//! unreadable input, invalid rules, unwritable output).
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
    /// Score articles and write reports; with --output-format jsonl, stream one JSON line per record.
    Score(score::ScoreArgs),
    /// List, explain and test rules.
    Rules(rules_cmd::RulesArgs),
    /// Measure a detector on labeled data: precision, recall, F1.
    Eval(eval::EvalArgs),
    /// Show one article with each finding highlighted and its effect on the score.
    Explain(explain::ExplainArgs),
    /// Compare two report folders: findings added and removed, per rule and article.
    Diff(diff::DiffArgs),
    /// Short for `score - --input-format jsonl --output-format jsonl`: a stage of another engine.
    Stream(stream::StreamAlias),
    /// Add up partial aggregates (`score --emit partials`) that share a source; any order.
    Merge(merge::MergeArgs),
    /// Link the figures of merged partial aggregates and write sources.csv.
    Finalize(merge::FinalizeArgs),
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
    match run(cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("credence: error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Runs one command.
fn run(command: Command) -> anyhow::Result<u8> {
    match command {
        Command::Score(args) => score::run(args),
        Command::Rules(args) => rules_cmd::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Stream(alias) => {
            let cli = Cli::try_parse_from(stream::expand_alias(alias)).unwrap_or_else(|e| e.exit());
            run(cli.command)
        }
        Command::Merge(args) => merge::run(args),
        Command::Finalize(args) => merge::finalize(args),
    }
}

/// Which rules run: a pack and the command line's selection. Shared by
/// `score` and `explain`.
#[derive(Debug, clap::Args)]
pub(crate) struct RuleArgs {
    /// Rule pack: a .toml file or a folder of them (default: the built-in pack).
    #[arg(long)]
    rules: Option<std::path::PathBuf>,
    /// Keep only rules matching these ids or prefixes (hedge.*), after the rule files.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    select: Vec<String>,
    /// Drop rules matching these ids or prefixes, after the rule files and --select.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    ignore: Vec<String>,
    /// The newsroom's verified figures: a CSV with columns key,about,value[,as_of,source,note].
    #[arg(long, value_name = "CSV")]
    facts: Option<std::path::PathBuf>,
}

impl RuleArgs {
    /// Loads and compiles the rules once.
    pub(crate) fn load(&self) -> anyhow::Result<crate::rules::RuleSet> {
        let mut rules = load_rules_with(
            self.rules.as_deref(),
            &crate::rules::Selection {
                select: self.select.clone(),
                ignore: self.ignore.clone(),
            },
        )?;
        if let Some(path) = &self.facts {
            rules.facts = crate::verify::Facts::load(path)?;
        }
        Ok(rules)
    }
}

/// Who a source is and what it starts from: `score`'s flags.
#[derive(Debug, clap::Args)]
pub(crate) struct SourceArgs {
    /// Outlet aliases: a CSV with columns alias,canonical (politi.co,politico.com),
    /// added to the bundled datasets/outlet-aliases.csv.
    #[arg(long, value_name = "CSV")]
    source_map: Option<std::path::PathBuf>,
    #[command(flatten)]
    priors: PriorArgs,
}

impl SourceArgs {
    /// Loads the files the flags name into `options`.
    pub(crate) fn apply(&self, options: &mut crate::pipeline::RunOptions) -> anyhow::Result<()> {
        options.source_map = load_source_map(self.source_map.as_deref())?;
        self.priors.apply(options)
    }
}

/// What a source's credibility is shrunk toward: shared by `score` and
/// `finalize`.
#[derive(Debug, clap::Args)]
pub(crate) struct PriorArgs {
    /// Outlet ratings used as priors and to rate cited outlets: a CSV with
    /// columns domain,rating (0-1 or 0-100). Replaces the bundled
    /// datasets/outlet-ratings.csv.
    #[arg(long, value_name = "CSV", conflicts_with = "no_priors")]
    ratings: Option<std::path::PathBuf>,
    /// No ratings: an outlet's credibility is the mean of its own articles,
    /// an article's is its text score, and cited outlets are not rated.
    #[arg(long)]
    no_priors: bool,
}

impl PriorArgs {
    /// Puts the ratings the flags ask for into `options`: the file
    /// `--ratings` names, none with `--no-priors`, else the bundled ones.
    pub(crate) fn apply(&self, options: &mut crate::pipeline::RunOptions) -> anyhow::Result<()> {
        options.ratings = if self.no_priors {
            None
        } else {
            Some(load_ratings(self.ratings.as_deref())?)
        };
        options.no_priors = self.no_priors;
        Ok(())
    }
}

/// Gives `rules` the ratings and aliases `options` carries, to rate the
/// outlets claims cite and the articles' own outlets.
pub(crate) fn rate_cited_sources(
    rules: &mut crate::rules::RuleSet,
    options: &crate::pipeline::RunOptions,
) {
    if let Some(ratings) = &options.ratings {
        rules.cited = crate::score::sources::CitedRatings::new(
            options.source_map.clone(),
            ratings.clone(),
            rules.scoring.unrated_prior_quantile,
        );
    }
}

/// The ratings file at `path`, or the bundled ratings.
pub(crate) fn load_ratings(
    path: Option<&std::path::Path>,
) -> anyhow::Result<crate::score::sources::Ratings> {
    Ok(match path {
        Some(p) => crate::score::sources::Ratings::load(p)?,
        None => crate::score::sources::Ratings::bundled(),
    })
}

/// The bundled outlet aliases, with those of the file at `path` added.
pub(crate) fn load_source_map(
    path: Option<&std::path::Path>,
) -> anyhow::Result<crate::score::sources::SourceMap> {
    let bundled = crate::score::sources::SourceMap::bundled();
    Ok(match path {
        Some(p) => bundled.extended(crate::score::sources::SourceMap::load(p)?),
        None => bundled,
    })
}

/// Reader options from `--input-format` and `--map`, shared by `score` and
/// `explain`.
pub(crate) fn read_options(
    input_format: Option<&str>,
    map: &[String],
) -> anyhow::Result<crate::input::ReadOptions> {
    let mut options = crate::input::ReadOptions::default();
    if let Some(f) = input_format {
        options.format = Some(f.parse().map_err(anyhow::Error::msg)?);
    }
    for spec in map {
        options
            .map
            .push(crate::input::parse_map(spec).map_err(anyhow::Error::msg)?);
    }
    Ok(options)
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
