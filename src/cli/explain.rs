//! `credence explain FILE`: one article in the terminal, each finding's span
//! highlighted with its rule, message and effect on the score.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};

use clap::Args;

use crate::score::{COMPONENTS, score_article};

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A file (or folder) of articles, as for `score`.
    input: String,
    /// The article to explain (default: the first one).
    #[arg(long)]
    id: Option<String>,
    #[command(flatten)]
    rules: super::RuleArgs,
    #[command(flatten)]
    sources: super::SourceArgs,
    #[arg(long, value_name = "FIELD=COLUMN")]
    map: Vec<String>,
    /// Set the article's source (outlet) to this name, as `score --source` does.
    #[arg(long)]
    source: Option<String>,
    #[arg(long, value_name = "FORMAT")]
    input_format: Option<String>,
    /// Colour: auto (a terminal without NO_COLOR), always, never.
    #[arg(long, default_value = "auto")]
    color: String,
}

pub fn run(args: ExplainArgs) -> anyhow::Result<u8> {
    let mut rules = args.rules.load()?;
    let mut sources = crate::pipeline::RunOptions::default();
    args.sources.apply(&mut sources)?;
    super::rate_cited_sources(&mut rules, &sources);
    let options = crate::input::ReadOptions {
        source: args.source.clone(),
        ..super::read_options(args.input_format.as_deref(), &args.map)?
    };
    let mut article = None;
    for record in crate::input::open(&args.input, &options)? {
        let Ok(a) = record else { continue };
        if args.id.as_ref().is_none_or(|id| *id == a.id) {
            article = Some(a);
            break;
        }
    }
    let Some(article) = article else {
        anyhow::bail!(
            "{}: no article{} (ids are in the id column, or the file name for text files)",
            args.input,
            args.id
                .as_ref()
                .map(|i| format!(" with id {i:?}"))
                .unwrap_or_default()
        );
    };
    let color = match args.color.as_str() {
        "always" => true,
        "never" => false,
        _ => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let analysis = crate::analyze::analyze_article(&article, &rules);
    let score = score_article(&analysis, &rules);

    let (mark, reset, dim) = if color {
        ("\x1b[1;31m", "\x1b[0m", "\x1b[2m")
    } else {
        ("", "", "")
    };
    let mut out = String::new();
    use std::fmt::Write as _;
    let _ = writeln!(out, "{}  {}  {}", article.id, article.source, article.title);
    let components = COMPONENTS
        .iter()
        .map(|c| format!("{c} {:.1}", score.component(c)))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(out, "score {:.1}  ({components})", score.score);
    let credibility =
        crate::score::credibility(score.score, analysis.claims(), &article.source, &rules);
    match rules.cited.outlet_prior(&article.source) {
        Some(prior) => {
            let _ = writeln!(
                out,
                "credibility {credibility:.1}  (the score leaning on the outlet's prior {prior:.1})\n"
            );
        }
        None => {
            let _ = writeln!(out, "credibility {credibility:.1}  (no priors)\n");
        }
    }
    let mut by_sentence: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, f) in analysis.findings.iter().enumerate() {
        by_sentence.entry(f.sentence).or_default().push(i);
    }
    for (si, s) in analysis.sentences.iter().enumerate() {
        let text = &article.body[s.span.start..s.span.end];
        let Some(found) = by_sentence.get(&si) else {
            let _ = writeln!(out, "{dim}{:>4}  {}{reset}", si + 1, one_line(text));
            continue;
        };
        // Highlight each flagged span (outermost first; overlaps merge).
        let mut spans: Vec<(usize, usize)> = found
            .iter()
            .map(|&i| analysis.findings[i].span)
            .map(|sp| (sp.start.max(s.span.start), sp.end.min(s.span.end)))
            .filter(|(a, b)| a < b)
            .collect();
        spans.sort_unstable();
        let mut shown = String::new();
        let mut at = s.span.start;
        for (a, b) in spans {
            if a < at {
                continue;
            }
            shown.push_str(&article.body[at..a]);
            if color {
                let _ = write!(shown, "{mark}{}{reset}", &article.body[a..b]);
            } else {
                let _ = write!(shown, "[[{}]]", &article.body[a..b]);
            }
            at = b;
        }
        shown.push_str(&article.body[at..s.span.end]);
        let _ = writeln!(out, "{:>4}  {}", si + 1, one_line(&shown));
        for &i in found {
            let f = &analysis.findings[i];
            let rule = &rules.rules[f.rule];
            let detail = if f.detail.is_empty() {
                String::new()
            } else {
                format!(" ({})", f.detail)
            };
            let _ = writeln!(
                out,
                "      {:+.1} {} [{}, {}]: {}{detail}",
                -score.points[i],
                rule.id,
                rule.severity.as_str(),
                rules.component_of(rule),
                rule.message
            );
        }
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    Ok(super::EXIT_OK)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
