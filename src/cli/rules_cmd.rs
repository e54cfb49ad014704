//! `credence rules`: list the rules and run their examples.

use std::path::PathBuf;

use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    command: RulesCommand,
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// List rules: id, category, severity, weight, message.
    List {
        /// Only rules whose id starts with this.
        prefix: Option<String>,
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Run every rule's examples and report the ones that fail.
    Test {
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Load and compile a pack; report its errors with file, line and column.
    Check {
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// What a rule flags, why it matters, its examples and where it is defined.
    Explain {
        /// The rule id, e.g. hedge.hearsay.
        id: String,
        #[arg(long)]
        rules: Option<PathBuf>,
    },
}

pub fn run(args: RulesArgs) -> anyhow::Result<u8> {
    match args.command {
        RulesCommand::List { prefix, rules } => {
            let rules = super::load_rules(rules.as_deref())?;
            let prefix = prefix.unwrap_or_default();
            let prefix = prefix.trim_end_matches('*');
            for r in rules.rules.iter().filter(|r| r.id.starts_with(prefix)) {
                say!(
                    "{:<24} {:<10} {:<8} {:>5.1}  {}",
                    r.id,
                    r.category,
                    r.severity.as_str(),
                    r.weight,
                    r.message
                );
            }
            Ok(super::EXIT_OK)
        }
        RulesCommand::Test { rules } => {
            let rules = super::load_rules(rules.as_deref())?;
            let results = crate::analyze::run_examples(&rules);
            let failures: Vec<_> = results.iter().filter(|r| !r.passed).collect();
            for f in &failures {
                say!(
                    "FAIL {} ({}): expected {} on {:?}",
                    f.rule,
                    f.file,
                    f.expected,
                    f.text
                );
            }
            say!(
                "{} passed, {} failed",
                results.len() - failures.len(),
                failures.len()
            );
            Ok(if failures.is_empty() {
                super::EXIT_OK
            } else {
                super::EXIT_FAILED_CHECK
            })
        }
        RulesCommand::Check { rules } => {
            let set = super::load_rules(rules.as_deref())?;
            let examples: usize = set.rules.iter().map(|r| r.examples.len()).sum();
            say!("ok: {} rules, {} examples", set.rules.len(), examples);
            Ok(super::EXIT_OK)
        }
        RulesCommand::Explain { id, rules } => {
            let set = super::load_rules(rules.as_deref())?;
            let Some(r) = set.rules.iter().find(|r| r.id == id) else {
                anyhow::bail!("no rule {id:?}; `credence rules list` shows the ids");
            };
            say!(
                "{}  ({}, {}, weight {})",
                r.id,
                r.category,
                r.severity.as_str(),
                r.weight
            );
            say!("defined in {}", r.file);
            say!("lowers the {} score", set.component_of(r));
            say!();
            say!("flags: {}", r.message);
            if !r.why.is_empty() {
                say!("why:   {}", r.why);
            }
            if !r.terms.is_empty() {
                say!("terms: {}", r.terms.join(", "));
            }
            if !r.examples.is_empty() {
                say!("examples:");
                for e in &r.examples {
                    let expect = match e.expect {
                        crate::rules::Expect::Match => "flags   ",
                        crate::rules::Expect::NoMatch => "passes  ",
                    };
                    say!("  {expect}{}", e.text.replace('\n', " / "));
                }
            }
            Ok(super::EXIT_OK)
        }
    }
}
