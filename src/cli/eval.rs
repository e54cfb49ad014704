//! `credence eval KIND FILE`: measure a detector on labeled data.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::eval::{self, Miss};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Task {
    /// label,sentence CSV with `uncertain`/`certain` labels.
    Hedge,
    /// JSON Lines articles with gold attribution spans (PolNeAR layout).
    Attribution,
    /// JSON Lines articles labeled real/fake: ROC-AUC of the article score.
    Articles,
    /// JSON Lines articles from many outlets (one or more files): Spearman
    /// correlation of text-only outlet scores with the ratings.
    Sources,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// What to measure.
    task: Task,
    /// The labeled file (`sources` takes several).
    #[arg(required = true, num_args = 1..)]
    files: Vec<PathBuf>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
    /// Rule pack to measure (default: the built-in pack).
    #[arg(long)]
    rules: Option<PathBuf>,
    /// Outlet ratings (domain,rating CSV; default: the bundled
    /// datasets/outlet-ratings.csv): for `articles`, the priors of the
    /// credibility measured beside the text score (`article-prior-claims`);
    /// for `sources`, the yardstick.
    #[arg(long, value_name = "CSV")]
    ratings: Option<PathBuf>,
    /// Outlet aliases (alias,canonical CSV), added to the bundled
    /// datasets/outlet-aliases.csv: publisher names to the domains the
    /// ratings use.
    #[arg(long, value_name = "CSV")]
    source_map: Option<PathBuf>,
    /// `sources`: outlets with fewer articles are left out.
    #[arg(long, default_value_t = 5)]
    min_articles: usize,
    /// How many false positives and false negatives to show.
    #[arg(long, default_value_t = 10)]
    examples: usize,
}

/// The ratings file the run measures with, as the output names it.
fn ratings_name(args: &EvalArgs) -> String {
    args.ratings.as_ref().map_or_else(
        || crate::score::sources::BUNDLED_RATINGS_NAME.to_string(),
        |p| p.display().to_string(),
    )
}

pub fn run(args: EvalArgs) -> anyhow::Result<u8> {
    let rules = super::load_rules(args.rules.as_deref())?;
    if !matches!(args.task, Task::Sources) && args.files.len() > 1 {
        anyhow::bail!("this task reads one file; only `sources` takes several");
    }
    let file = &args.files[0];
    match args.task {
        Task::Sources => {
            let ratings = super::load_ratings(args.ratings.as_deref())?;
            let map = super::load_source_map(args.source_map.as_deref())?;
            let r = eval::sources(&args.files, &rules, &ratings, &map, args.min_articles)?;
            if args.json {
                say!("{}", serde_json::to_string(&r)?);
            } else {
                say!(
                    "outlets with at least {} articles: {} ({} rated by {})",
                    args.min_articles,
                    r.by_outlet.len(),
                    r.outlets,
                    ratings_name(&args)
                );
                say!(
                    "  {:<28} {:>8} {:>7} {:>7}",
                    "outlet",
                    "articles",
                    "score",
                    "rating"
                );
                for o in &r.by_outlet {
                    let rating = o.rating.map_or("-".to_string(), |v| format!("{v:.1}"));
                    say!(
                        "  {:<28} {:>8} {:>7.1} {:>7}",
                        o.outlet,
                        o.articles,
                        o.score,
                        rating
                    );
                }
                match r.spearman {
                    Some(rho) => say!("Spearman (text-only score vs rating): {rho:.3}"),
                    None => say!("Spearman: fewer than 3 rated outlets"),
                }
            }
        }
        Task::Hedge => {
            let r = eval::hedge(file, &rules)?;
            let c = r.counts;
            if args.json {
                let s = c.scores();
                say!(
                    "{}",
                    serde_json::json!({
                        "precision": s.precision, "recall": s.recall, "f1": s.f1,
                        "tp": c.tp, "fp": c.fp, "fn": c.fn_, "tn": c.tn,
                    })
                );
            } else {
                say!(
                    "hedge: precision {:.3}  recall {:.3}  F1 {:.3}  (tp {} fp {} fn {} tn {})",
                    c.precision(),
                    c.recall(),
                    c.f1(),
                    c.tp,
                    c.fp,
                    c.fn_,
                    c.tn
                );
                say!("by rule (sentences it fired on: labeled uncertain / certain):");
                for (id, (u, c)) in &r.by_rule {
                    say!("  {id:<24} {u:>5} / {c:<5}");
                }
                show("false positives", &r.false_positives, args.examples);
                show("false negatives", &r.false_negatives, args.examples);
            }
        }
        Task::Articles => {
            // Text-only scores are what `score --no-priors` writes; the
            // credibility is what `score` writes with these ratings.
            let mut rated = super::load_rules(args.rules.as_deref())?;
            let options = crate::pipeline::RunOptions {
                ratings: Some(super::load_ratings(args.ratings.as_deref())?),
                source_map: super::load_source_map(args.source_map.as_deref())?,
                ..Default::default()
            };
            super::rate_cited_sources(&mut rated, &options);
            let r = eval::articles(file, &rules, Some(&rated))?;
            if args.json {
                say!("{}", serde_json::to_string(&r)?);
            } else {
                say!(
                    "articles: {} ({} real, {} fake)\n  ROC-AUC, text only:   {:.3}",
                    r.articles,
                    r.real,
                    r.fake,
                    r.auc_text
                );
                if let Some(p) = r.auc_with_priors {
                    say!(
                        "  ROC-AUC, with priors: {p:.3} (ratings: {})",
                        ratings_name(&args)
                    );
                }
            }
        }
        Task::Attribution => {
            let r = eval::attribution(file, &rules)?;
            if args.json {
                say!("{}", serde_json::to_string(&r)?);
            } else {
                say!("attribution on {} articles", r.articles);
                for (name, c) in [
                    ("cue", r.cue_counts),
                    ("source", r.source_counts),
                    ("sentence", r.sentence_counts),
                ] {
                    say!(
                        "  {name:<9} precision {:.3}  recall {:.3}  F1 {:.3}  (tp {} fp {} fn {})",
                        c.precision(),
                        c.recall(),
                        c.f1(),
                        c.tp,
                        c.fp,
                        c.fn_
                    );
                }
            }
        }
    }
    Ok(super::EXIT_OK)
}

fn show(title: &str, misses: &[Miss], n: usize) {
    if n == 0 || misses.is_empty() {
        return;
    }
    say!(
        "{title} ({} in all, first {}):",
        misses.len(),
        n.min(misses.len())
    );
    for m in misses.iter().take(n) {
        let cues = if m.cues.is_empty() {
            String::new()
        } else {
            format!("  [{}]", m.cues.join("; "))
        };
        say!("  - {}{cues}", m.sentence);
    }
}
