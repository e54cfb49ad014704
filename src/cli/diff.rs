//! `credence diff OLD NEW`: what a rule change added and removed, per rule
//! and per article, from two report folders.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier report folder.
    old: PathBuf,
    /// The later report folder.
    new: PathBuf,
    /// How many articles to list.
    #[arg(long, default_value_t = 20)]
    articles: usize,
}

/// A finding as the diff sees it: the same finding has the same article,
/// rule, flagged text and sentence.
type Key = (String, String, String, String);

fn findings(dir: &Path) -> anyhow::Result<BTreeSet<Key>> {
    let path = dir.join("findings.csv");
    let mut reader = csv::Reader::from_path(&path).with_context(|| {
        format!(
            "cannot read {}: give a folder that `credence score` wrote",
            path.display()
        )
    })?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{}: no `{name}` column", path.display()))
    };
    let (a, r, t, s) = (
        col("article_id")?,
        col("rule")?,
        col("text")?,
        col("sentence_text")?,
    );
    let mut out = BTreeSet::new();
    for record in reader.records() {
        let record = record.with_context(|| format!("cannot read {}", path.display()))?;
        let get = |i: usize| record.get(i).unwrap_or_default().to_string();
        out.insert((get(a), get(r), get(t), get(s)));
    }
    Ok(out)
}

fn scores(dir: &Path) -> BTreeMap<String, String> {
    let Ok(mut reader) = csv::Reader::from_path(dir.join("articles.csv")) else {
        return BTreeMap::new();
    };
    let Ok(headers) = reader.headers().cloned() else {
        return BTreeMap::new();
    };
    let (Some(id), Some(score)) = (
        headers.iter().position(|h| h == "id"),
        headers.iter().position(|h| h == "score"),
    ) else {
        return BTreeMap::new();
    };
    reader
        .records()
        .filter_map(Result::ok)
        .map(|r| {
            (
                r.get(id).unwrap_or_default().to_string(),
                r.get(score).unwrap_or_default().to_string(),
            )
        })
        .collect()
}

pub fn run(args: DiffArgs) -> anyhow::Result<u8> {
    let old = findings(&args.old)?;
    let new = findings(&args.new)?;
    let added: Vec<&Key> = new.difference(&old).collect();
    let removed: Vec<&Key> = old.difference(&new).collect();
    let mut by_rule: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut by_article: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for k in &added {
        by_rule.entry(&k.1).or_default().0 += 1;
        by_article.entry(&k.0).or_default().0 += 1;
    }
    for k in &removed {
        by_rule.entry(&k.1).or_default().1 += 1;
        by_article.entry(&k.0).or_default().1 += 1;
    }
    let (old_scores, new_scores) = (scores(&args.old), scores(&args.new));
    let mut out = String::new();
    use std::fmt::Write as _;
    let _ = writeln!(
        out,
        "findings: {} before, {} after: {} added, {} removed",
        old.len(),
        new.len(),
        added.len(),
        removed.len()
    );
    if !by_rule.is_empty() {
        let _ = writeln!(out, "\nby rule:                    added  removed");
        for (rule, (a, r)) in &by_rule {
            let _ = writeln!(out, "  {rule:<26} {a:>5}  {r:>7}");
        }
        let mut articles: Vec<_> = by_article.iter().collect();
        articles.sort_by(|x, y| (y.1.0 + y.1.1).cmp(&(x.1.0 + x.1.1)).then(x.0.cmp(y.0)));
        let _ = writeln!(
            out,
            "\nby article (most changed first):   added  removed  score"
        );
        for (id, (a, r)) in articles.into_iter().take(args.articles) {
            let score = match (old_scores.get(*id), new_scores.get(*id)) {
                (Some(o), Some(n)) if o != n => format!("{o} -> {n}"),
                (_, Some(n)) => n.clone(),
                _ => String::new(),
            };
            let _ = writeln!(out, "  {id:<32} {a:>5}  {r:>7}  {score}");
        }
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    Ok(super::EXIT_OK)
}
