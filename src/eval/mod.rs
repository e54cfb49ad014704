//! Measuring detectors against labeled data: precision, recall and F1.
//!
//! Each task reads one labeled file, runs the same analysis `score` runs,
//! and compares. Nothing here tunes anything; it only counts. The labeled
//! corpora are not part of the project (see the README for where they live
//! and for the numbers).

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::analyze::{Analysis, Voice, analyze};
use crate::rules::RuleSet;
use crate::text::{CharOffsets, Span};

/// A labeled file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {location}: {message}")]
    Record {
        path: String,
        location: String,
        message: String,
    },
}

/// Counts of a binary decision and the scores they give.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    pub tn: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// The scores as a JSON-ready object.
    pub fn scores(&self) -> Scores {
        Scores {
            precision: round3(self.precision()),
            recall: round3(self.recall()),
            f1: round3(self.f1()),
        }
    }
}

/// Precision, recall and F1, rounded to three places.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// Reads a JSON Lines file record by record, skipping blank lines; an error
/// names the file and the line.
fn jsonl<T: serde::de::DeserializeOwned>(
    path: &Path,
) -> Result<impl Iterator<Item = Result<(String, T), EvalError>>, EvalError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|source| EvalError::Io {
        path: name.clone(),
        source,
    })?;
    Ok(std::io::BufReader::new(file)
        .lines()
        .enumerate()
        .filter(|(_, line)| line.as_ref().map_or(true, |l| !l.trim().is_empty()))
        .map(move |(i, line)| {
            let location = format!("line {}", i + 1);
            let line = line.map_err(|source| EvalError::Io {
                path: name.clone(),
                source,
            })?;
            let record = serde_json::from_str(&line).map_err(|e| EvalError::Record {
                path: name.clone(),
                location: location.clone(),
                message: e.to_string(),
            })?;
            Ok((location, record))
        }))
}

/// A two-valued label: `yes` is true, `no` false, anything else an error.
fn binary_label(
    label: &str,
    (yes, no): (&str, &str),
    path: &Path,
    location: &str,
) -> Result<bool, EvalError> {
    match label {
        l if l == yes => Ok(true),
        l if l == no => Ok(false),
        other => Err(EvalError::Record {
            path: path.display().to_string(),
            location: location.to_string(),
            message: format!("label {other:?}: expected `{yes}` or `{no}`"),
        }),
    }
}

/// One misclassified example, for people to read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Miss {
    pub sentence: String,
    /// The cues that fired (empty for a false negative).
    pub cues: Vec<String>,
}

/// The result of `eval hedge`.
#[derive(Debug, Clone, PartialEq)]
pub struct HedgeEval {
    pub counts: Counts,
    /// Rule id to (sentences labeled uncertain, labeled certain) it fired on.
    pub by_rule: std::collections::BTreeMap<String, (usize, usize)>,
    pub false_positives: Vec<Miss>,
    pub false_negatives: Vec<Miss>,
}

#[derive(Deserialize)]
struct HedgeRow {
    label: String,
    sentence: String,
}

/// Hedge detection, sentence by sentence: a sentence is predicted
/// `uncertain` when the analysis finds a hedge in the author's voice or a
/// claim that rests on a vague source ("some say").
pub fn hedge(path: &Path, rules: &RuleSet) -> Result<HedgeEval, EvalError> {
    let name = path.display().to_string();
    let mut reader = csv::Reader::from_path(path).map_err(|e| EvalError::Io {
        path: name.clone(),
        source: std::io::Error::other(e),
    })?;
    let mut counts = Counts::default();
    let mut false_positives = Vec::new();
    let mut false_negatives = Vec::new();
    let mut by_rule: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for (i, row) in reader.deserialize::<HedgeRow>().enumerate() {
        let row = row.map_err(|e| EvalError::Record {
            path: name.clone(),
            location: format!("row {}", i + 1),
            message: e.to_string(),
        })?;
        let gold = binary_label(
            &row.label,
            ("uncertain", "certain"),
            path,
            &format!("row {}", i + 1),
        )?;
        let analysis = analyze(&row.sentence, rules);
        let cues = uncertainty_cues(&row.sentence, &analysis, rules);
        let predicted = !cues.is_empty();
        let fired: BTreeSet<&str> = analysis
            .findings
            .iter()
            .map(|f| rules.rules[f.rule].id.as_str())
            .filter(|id| id.starts_with("hedge."))
            .collect();
        for id in fired {
            let entry = by_rule.entry(id.to_string()).or_default();
            if gold {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
        }
        match (gold, predicted) {
            (true, true) => counts.tp += 1,
            (false, false) => counts.tn += 1,
            (false, true) => {
                counts.fp += 1;
                false_positives.push(Miss {
                    sentence: row.sentence,
                    cues,
                });
            }
            (true, false) => {
                counts.fn_ += 1;
                false_negatives.push(Miss {
                    sentence: row.sentence,
                    cues,
                });
            }
        }
    }
    Ok(HedgeEval {
        counts,
        by_rule,
        false_positives,
        false_negatives,
    })
}

/// The author-voice uncertainty cues of an analyzed text, as `cue (rule)`:
/// hedge findings, and vague or anonymous sources of any attribution in a
/// sentence, not only its main one ("some critics argue", "some sources
/// say"), which are weasel words whether or not the sentence is a claim.
fn uncertainty_cues(text: &str, analysis: &Analysis, rules: &RuleSet) -> Vec<String> {
    let hedges = analysis
        .findings
        .iter()
        .filter(|f| rules.rules[f.rule].category == "hedge")
        .map(|f| {
            format!(
                "{} ({})",
                &text[f.span.start..f.span.end],
                rules.rules[f.rule].id
            )
        });
    let vague = analysis
        .sentences
        .iter()
        .flat_map(|s| s.cues.iter())
        // A reporting verb whose holder the engine could not find ("the
        // ban was criticized", "..., calling it a disgrace") names no crowd:
        // only a view nobody holds by name ("is widely seen as") does.
        .filter(|a| {
            matches!(
                a.kind,
                crate::rules::SourceKind::Vague | crate::rules::SourceKind::Anonymous
            ) && (a.attitude || !a.source.is_empty())
        })
        .map(|a| format!("{} ({} source)", a.source, a.kind.as_str()));
    hedges.chain(vague).collect()
}

/// The result of `eval articles`: how well the article score ranks real
/// above fake.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticlesEval {
    #[serde(rename = "n")]
    pub articles: usize,
    pub real: usize,
    pub fake: usize,
    /// ROC-AUC of the text-only article score: articles.csv's `score`
    /// with `--no-priors`.
    #[serde(rename = "auc_text_only")]
    pub auc_text: f64,
    /// ROC-AUC of the article credibility with the outlet's rating as its
    /// prior ([`crate::score::credibility`]): articles.csv's `credibility`
    /// with those ratings; none when no rated rules were given.
    pub auc_with_priors: Option<f64>,
}

/// A text field that may be missing or `null`: both read as empty, as
/// `score` reads them.
fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

#[derive(Deserialize)]
struct LabeledArticle {
    #[serde(default, deserialize_with = "null_as_empty")]
    source: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    url: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    title: String,
    body: String,
    label: String,
}

/// Scores labeled articles (JSON Lines with `body`, `label` = real/fake,
/// optional `source`/`url`/`title`) and measures the ranking by ROC-AUC.
/// The title is read as `score` reads it, by the headline rules. `rules`
/// should carry no ratings: their scores are the text-only ones. With
/// `rated` (the same rules with ratings and aliases in
/// [`RuleSet::cited`]), it also measures the credibility `score` writes
/// with those ratings: cited outlets rated, the article's outlet as prior.
pub fn articles(
    path: &Path,
    rules: &RuleSet,
    rated: Option<&RuleSet>,
) -> Result<ArticlesEval, EvalError> {
    // (is real, text-only score, credibility with the ratings)
    let mut scored: Vec<(bool, f64, Option<f64>)> = Vec::new();
    for record in jsonl::<LabeledArticle>(path)? {
        let (location, a) = record?;
        let real = binary_label(&a.label, ("real", "fake"), path, &location)?;
        let analysis = crate::analyze::analyze_titled(&a.title, &a.body, rules);
        let score = crate::score::score_article(&analysis, rules).score;
        let outlet = if a.source.trim().is_empty() {
            crate::input::domain_of(&a.url).unwrap_or_default()
        } else {
            a.source.clone()
        };
        let credibility = rated.map(|rated| {
            let analysis = crate::analyze::analyze_titled(&a.title, &a.body, rated);
            let score = crate::score::score_article(&analysis, rated).score;
            crate::score::credibility(score, analysis.claims(), &outlet, rated)
        });
        scored.push((real, score, credibility));
    }
    let auc_text = roc_auc(scored.iter().map(|s| (s.0, s.1)));
    let auc_with_priors = rated.map(|_| {
        roc_auc(
            scored
                .iter()
                .map(|&(real, score, credibility)| (real, credibility.unwrap_or(score))),
        )
    });
    Ok(ArticlesEval {
        articles: scored.len(),
        real: scored.iter().filter(|s| s.0).count(),
        fake: scored.iter().filter(|s| !s.0).count(),
        auc_text: round3(auc_text),
        auc_with_priors: auc_with_priors.map(round3),
    })
}

/// ROC-AUC: the chance that a random positive outscores a random negative
/// (ties count half).
pub fn roc_auc(items: impl Iterator<Item = (bool, f64)>) -> f64 {
    let mut v: Vec<(f64, bool)> = items.map(|(p, s)| (s, p)).collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut rank_sum, mut positives) = (0.0, 0usize);
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j < v.len() && v[j].0 == v[i].0 {
            j += 1;
        }
        let average_rank = (i + j + 1) as f64 / 2.0; // ranks are 1-based
        for item in &v[i..j] {
            if item.1 {
                rank_sum += average_rank;
                positives += 1;
            }
        }
        i = j;
    }
    let negatives = v.len() - positives;
    if positives == 0 || negatives == 0 {
        return 0.5;
    }
    (rank_sum - (positives * (positives + 1)) as f64 / 2.0) / (positives * negatives) as f64
}

/// One article of a file `eval sources` reads: PolNeAR's `text` and
/// FakeNewsNet's `body` are both the body; both have a `title`.
#[derive(Deserialize)]
struct SourcedArticle {
    #[serde(default, deserialize_with = "null_as_empty")]
    source: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    url: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    title: String,
    #[serde(alias = "text")]
    body: String,
}

/// One outlet of `eval sources`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutletEval {
    pub outlet: String,
    pub articles: usize,
    /// Mean text-only article score: the outlet's credibility without priors.
    pub score: f64,
    /// The outlet's rating, when the ratings file has it.
    pub rating: Option<f64>,
}

/// The result of `eval sources`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourcesEval {
    /// Spearman rank correlation of text-only outlet scores with the
    /// ratings, over the rated outlets with enough articles; null when
    /// fewer than three.
    pub spearman: Option<f64>,
    /// How many outlets it was computed over.
    pub outlets: usize,
    #[serde(skip)]
    pub by_outlet: Vec<OutletEval>,
}

/// Scores every article of `paths` from its text alone, groups them by
/// outlet (the `source` field through `map`, else the URL's domain), and
/// correlates the outlets' mean scores with their ratings, over outlets
/// with at least `min_articles` articles.
pub fn sources(
    paths: &[std::path::PathBuf],
    rules: &RuleSet,
    ratings: &crate::score::sources::Ratings,
    map: &crate::score::sources::SourceMap,
    min_articles: usize,
) -> Result<SourcesEval, EvalError> {
    let mut totals: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    for path in paths {
        for record in jsonl::<SourcedArticle>(path)? {
            let (_, a) = record?;
            let outlet = if a.source.trim().is_empty() {
                crate::input::domain_of(&a.url).map_or_else(String::new, |d| map.canonical(&d))
            } else {
                map.canonical(&a.source)
            };
            if outlet.is_empty() {
                continue;
            }
            let analysis = crate::analyze::analyze_titled(&a.title, &a.body, rules);
            let score = crate::score::score_article(&analysis, rules).score;
            let t = totals.entry(outlet).or_default();
            t.0 += 1;
            t.1 += score;
        }
    }
    let by_outlet: Vec<OutletEval> = totals
        .into_iter()
        .filter(|(_, (n, _))| *n >= min_articles)
        .map(|(outlet, (n, sum))| OutletEval {
            rating: ratings.get(&outlet),
            outlet,
            articles: n,
            score: round3(sum / n as f64),
        })
        .collect();
    let rated: Vec<(f64, f64)> = by_outlet
        .iter()
        .filter_map(|o| o.rating.map(|r| (o.score, r)))
        .collect();
    Ok(SourcesEval {
        spearman: (rated.len() >= 3).then(|| round3(spearman(&rated))),
        outlets: rated.len(),
        by_outlet,
    })
}

/// Spearman's rank correlation: Pearson's correlation of the ranks, ties
/// given their average rank. 0 when either side is constant.
pub fn spearman(pairs: &[(f64, f64)]) -> f64 {
    fn ranks(values: &[f64]) -> Vec<f64> {
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        let mut out = vec![0.0; values.len()];
        let mut i = 0;
        while i < order.len() {
            let mut j = i;
            while j < order.len() && values[order[j]] == values[order[i]] {
                j += 1;
            }
            let rank = (i + j + 1) as f64 / 2.0;
            for &k in &order[i..j] {
                out[k] = rank;
            }
            i = j;
        }
        out
    }
    let x = ranks(&pairs.iter().map(|p| p.0).collect::<Vec<_>>());
    let y = ranks(&pairs.iter().map(|p| p.1).collect::<Vec<_>>());
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let cov: f64 = x.iter().zip(&y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let vx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let vy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    if vx == 0.0 || vy == 0.0 {
        0.0
    } else {
        cov / (vx * vy).sqrt()
    }
}

/// The result of `eval attribution`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributionEval {
    pub cue: Scores,
    pub source: Scores,
    pub sentence: Scores,
    #[serde(skip)]
    pub cue_counts: Counts,
    #[serde(skip)]
    pub source_counts: Counts,
    #[serde(skip)]
    pub sentence_counts: Counts,
    #[serde(skip)]
    pub articles: usize,
}

#[derive(Deserialize)]
struct GoldArticle {
    text: String,
    #[serde(default)]
    attributions: Vec<GoldAttribution>,
}

#[derive(Deserialize)]
struct GoldAttribution {
    kind: String,
    source: Option<[usize; 2]>,
    cue: Option<[usize; 2]>,
    content: Option<[usize; 2]>,
}

/// Attribution detection against gold spans (character offsets): cues and
/// sources match when they overlap; a sentence is attributed when at least
/// half of its characters lie in the content of a gold attribution, and
/// predicted attributed when at least half is quotation or lies outside the
/// frame of its attribution.
pub fn attribution(path: &Path, rules: &RuleSet) -> Result<AttributionEval, EvalError> {
    let mut cue = Counts::default();
    let mut source = Counts::default();
    let mut sentence = Counts::default();
    let mut articles = 0;
    for record in jsonl::<GoldArticle>(path)? {
        let (_, gold) = record?;
        articles += 1;
        let analysis = analyze(&gold.text, rules);
        let mut offsets = CharOffsets::new(&gold.text);
        let mut chars = |s: Span| (offsets.get(s.start), offsets.get(s.end));

        // Every predicted cue and source, once each (a quotation's sentences
        // share one).
        let mut predicted_cues = BTreeSet::new();
        let mut predicted_sources = BTreeSet::new();
        for s in &analysis.sentences {
            for a in &s.cues {
                predicted_cues.insert(chars(a.cue_span));
                if !a.source_span.is_empty() {
                    predicted_sources.insert(chars(a.source_span));
                }
            }
        }
        let gold_cues: Vec<(usize, usize)> = gold
            .attributions
            .iter()
            .filter_map(|a| a.cue.map(|[s, e]| (s, e)))
            .collect();
        let gold_sources: Vec<(usize, usize)> = gold
            .attributions
            .iter()
            .filter_map(|a| a.source.map(|[s, e]| (s, e)))
            .collect();
        match_spans(&predicted_cues, &gold_cues, &mut cue);
        match_spans(&predicted_sources, &gold_sources, &mut source);

        let contents: Vec<(usize, usize)> = gold
            .attributions
            .iter()
            .filter(|a| a.kind == "attribution")
            .filter_map(|a| a.content.map(|[s, e]| (s, e)))
            .collect();
        for s in &analysis.sentences {
            let (start, end) = chars(s.span);
            let len = end.saturating_sub(start).max(1);
            let covered: usize = covered_chars(start, end, &contents);
            let gold_attributed = covered * 2 >= len;
            // The prediction is held to the same rule: a sentence that is
            // mostly quotation speaks in its speaker's voice; one with an
            // attribution is attributed when at least half of it lies
            // outside the frame (source and cue), that is, in the content
            // ("Ana Ruiz, who ran the port for a decade and rebuilt the
            // pier, said it is safe" is mostly frame).
            let predicted = s.voice == Voice::Speaker
                || s.attribution.as_ref().is_some_and(|a| {
                    let frame = a.frame();
                    let from = frame.start.clamp(s.span.start, s.span.end);
                    let to = frame.end.clamp(from, s.span.end);
                    let framed = chars(Span::new(from, to));
                    // A frame interrupted by another cue's content ("Lee
                    // acknowledged that ... but noted that ...") frames
                    // only its two ends.
                    let gap = if a.gap.is_empty() || !Span::new(from, to).covers(a.gap) {
                        0
                    } else {
                        let g = chars(a.gap);
                        g.1 - g.0
                    };
                    len.saturating_sub(framed.1 - framed.0 - gap) * 2 >= len
                });
            match (gold_attributed, predicted) {
                (true, true) => sentence.tp += 1,
                (false, false) => sentence.tn += 1,
                (false, true) => sentence.fp += 1,
                (true, false) => sentence.fn_ += 1,
            }
        }
    }
    Ok(AttributionEval {
        cue: cue.scores(),
        source: source.scores(),
        sentence: sentence.scores(),
        cue_counts: cue,
        source_counts: source,
        sentence_counts: sentence,
        articles,
    })
}

/// Counts a predicted span as a true positive when it overlaps a gold one,
/// and a gold span as found when some predicted span overlaps it.
fn match_spans(predicted: &BTreeSet<(usize, usize)>, gold: &[(usize, usize)], counts: &mut Counts) {
    let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
    for p in predicted {
        if gold.iter().any(|g| overlaps(*p, *g)) {
            counts.tp += 1;
        } else {
            counts.fp += 1;
        }
    }
    for g in gold {
        if !predicted.iter().any(|p| overlaps(*p, *g)) {
            counts.fn_ += 1;
        }
    }
}

/// Characters of `start..end` inside any of `spans` (spans may overlap).
fn covered_chars(start: usize, end: usize, spans: &[(usize, usize)]) -> usize {
    let mut inside: Vec<(usize, usize)> = spans
        .iter()
        .filter_map(|&(s, e)| {
            let (s, e) = (s.max(start), e.min(end));
            (s < e).then_some((s, e))
        })
        .collect();
    inside.sort_unstable();
    let mut total = 0;
    let mut reach = start;
    for (s, e) in inside {
        let s = s.max(reach);
        if e > s {
            total += e - s;
            reach = e;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_give_precision_recall_f1() {
        let c = Counts {
            tp: 8,
            fp: 2,
            fn_: 8,
            tn: 5,
        };
        assert!((c.precision() - 0.8).abs() < 1e-9);
        assert!((c.recall() - 0.5).abs() < 1e-9);
        assert!((c.f1() - 0.615_384_6).abs() < 1e-6);
    }

    #[test]
    fn overlapping_spans_match_once_each_way() {
        let predicted: BTreeSet<_> = [(0, 4), (10, 14), (30, 35)].into_iter().collect();
        let gold = [(2, 6), (12, 13), (50, 60)];
        let mut c = Counts::default();
        match_spans(&predicted, &gold, &mut c);
        assert_eq!((c.tp, c.fp, c.fn_), (2, 1, 1));
    }

    #[test]
    fn labeled_articles_may_have_null_or_missing_text_fields() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("labeled.jsonl");
        std::fs::write(
            &path,
            concat!(
                r#"{"body":"The pier closed on Monday, Mayor Lena Ortiz said.","label":"real","title":null,"source":null,"url":null}"#,
                "\n",
                r#"{"body":"Everyone knows the pier is gone.","label":"fake"}"#,
                "\n",
            ),
        )
        .expect("write");
        let rules = RuleSet::default_pack().expect("the built-in pack compiles");
        let got = articles(&path, &rules, None).expect("null fields read as empty");
        assert_eq!((got.articles, got.real, got.fake), (2, 1, 1));
    }

    #[test]
    fn roc_auc_counts_pairs_and_ties() {
        let perfect = [(true, 3.0), (true, 2.0), (false, 1.0)];
        assert!((roc_auc(perfect.into_iter()) - 1.0).abs() < 1e-9);
        let ties = [(true, 1.0), (false, 1.0)];
        assert!((roc_auc(ties.into_iter()) - 0.5).abs() < 1e-9);
        let mixed = [(true, 2.0), (false, 3.0), (true, 4.0), (false, 1.0)];
        assert!((roc_auc(mixed.into_iter()) - 0.75).abs() < 1e-9);
    }

    #[test]
    fn spearman_ranks_with_ties() {
        let same = [(1.0, 10.0), (2.0, 20.0), (3.0, 25.0), (4.0, 90.0)];
        assert!((spearman(&same) - 1.0).abs() < 1e-9);
        let reversed = [(1.0, 4.0), (2.0, 3.0), (3.0, 2.0), (4.0, 1.0)];
        assert!((spearman(&reversed) + 1.0).abs() < 1e-9);
        // Ranks 1, 2.5, 2.5, 4 against 1, 2, 3, 4: r = 4.5 / sqrt(4.5 * 5).
        let ties = [(1.0, 1.0), (2.0, 2.0), (2.0, 3.0), (3.0, 4.0)];
        assert!((spearman(&ties) - 4.5 / (4.5f64 * 5.0).sqrt()).abs() < 1e-9);
        assert_eq!(spearman(&[(1.0, 1.0), (1.0, 2.0)]), 0.0);
    }

    #[test]
    fn covered_chars_merges_overlaps() {
        assert_eq!(covered_chars(0, 10, &[(2, 5), (4, 8), (20, 30)]), 6);
    }

    /// The shared evaluation corpora, when this checkout has them beside it.
    #[allow(clippy::print_stderr)] // the skip message is for the person running the tests
    fn shared_eval(file: &str) -> Option<std::path::PathBuf> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/eval")
            .join(file);
        if path.exists() {
            Some(path)
        } else {
            eprintln!(
                "skipped: {} is absent (see README, Detector quality)",
                path.display()
            );
            None
        }
    }

    /// Guards the number the README reports against regressions.
    #[test]
    fn hedge_f1_on_the_wikipedia_sample_holds() {
        let Some(path) = shared_eval("hedge/conll2010_wiki_dev.csv") else {
            return;
        };
        let rules = RuleSet::default_pack().expect("rules");
        let result = hedge(&path, &rules).expect("eval");
        assert!(
            result.counts.f1() >= 0.80,
            "F1 fell to {:.3}",
            result.counts.f1()
        );
    }

    #[test]
    fn attribution_on_the_polnear_dev_split_holds() {
        let Some(path) = shared_eval("attribution/polnear_dev.jsonl") else {
            return;
        };
        let rules = RuleSet::default_pack().expect("rules");
        let result = attribution(&path, &rules).expect("eval");
        let (cue, sentence) = (result.cue_counts.f1(), result.sentence_counts.f1());
        assert!(cue >= 0.75, "cue F1 fell to {cue:.4}");
        assert!(sentence >= 0.85, "sentence F1 fell to {sentence:.4}");
    }

    #[test]
    fn article_and_outlet_scores_against_fact_checkers_and_raters_hold() {
        let (Some(articles), Some(lin)) = (
            shared_eval("articles/fakenewsnet_politifact.jsonl"),
            shared_eval("sources/lin2023_domain_pc1.csv"),
        ) else {
            return;
        };
        use crate::score::sources::{Ratings, SourceMap};
        let rules = RuleSet::default_pack().expect("rules");
        let lin = Ratings::load(&lin).expect("ratings");
        let rated_by = |ratings: &Ratings| {
            let mut rated = RuleSet::default_pack().expect("rules");
            rated.cited = crate::score::sources::CitedRatings::new(
                SourceMap::bundled(),
                ratings.clone(),
                rated.scoring.unrated_prior_quantile,
            );
            rated
        };
        let with_lin = super::articles(&articles, &rules, Some(&rated_by(&lin))).expect("eval");
        assert!(with_lin.auc_text >= 0.75, "{with_lin:?}");
        assert!(with_lin.auc_with_priors >= Some(0.84), "{with_lin:?}");
        let bundled =
            super::articles(&articles, &rules, Some(&rated_by(&Ratings::bundled()))).expect("eval");
        assert!(bundled.auc_with_priors >= Some(0.82), "{bundled:?}");
        let Some(polnear) = shared_eval("attribution/polnear_dev.jsonl") else {
            return;
        };
        let train = polnear.with_file_name("polnear_train.jsonl");
        let outlets = super::sources(
            &[train, polnear, articles],
            &rules,
            &lin,
            &SourceMap::bundled(),
            5,
        )
        .expect("eval");
        assert_eq!(outlets.outlets, 13);
        assert!(outlets.spearman >= Some(0.6), "{:?}", outlets.spearman);
    }

    #[test]
    fn hedge_eval_on_a_small_labeled_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("h.csv");
        std::fs::write(
            &path,
            "label,sentence\n\
             uncertain,The bridge may have been built by the Romans.\n\
             certain,The bridge was built in 1820 by the town council.\n\
             uncertain,It is widely believed that the bridge is haunted.\n\
             certain,\"\"\"It may collapse,\"\" the engineer said.\"\n",
        )
        .expect("write");
        let rules = RuleSet::default_pack().expect("rules");
        let result = hedge(&path, &rules).expect("eval");
        assert_eq!(
            (
                result.counts.tp,
                result.counts.fp,
                result.counts.fn_,
                result.counts.tn
            ),
            (2, 0, 0, 2)
        );
    }

    #[test]
    fn attribution_eval_holds_sentences_to_the_half_rule() {
        // A sentence is attributed when at least half of it is content: the
        // reported claim and the quotation are; the long appositive source
        // and the scene-setting are not, on either side.
        let text = "The mayor said the budget would be balanced by next spring. \
                    Ana Ruiz, who ran the port for a decade and rebuilt the pier, said it is safe. \
                    \"We will open the new pier before the storm season.\" \
                    The council met on Monday.";
        let at = |part: &str| {
            let start = text.find(part).expect("part of the text");
            [start, start + part.len()]
        };
        let gold = |source: &str, cue: &str, content: &str| {
            serde_json::json!({"kind": "attribution", "source": at(source),
                               "cue": at(cue), "content": at(content)})
        };
        let record = serde_json::json!({"text": text, "attributions": [
            gold("The mayor", "said", "the budget would be balanced by next spring"),
            gold("Ana Ruiz", " said it", "it is safe"),
            gold("Ana Ruiz", " said it", "We will open the new pier before the storm season."),
        ]});
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.jsonl");
        std::fs::write(&path, format!("{record}\n")).expect("write");
        let rules = RuleSet::default_pack().expect("rules");
        let result = attribution(&path, &rules).expect("eval");
        let counts = |c: &Counts| (c.tp, c.fp, c.fn_, c.tn);
        assert_eq!(counts(&result.sentence_counts), (2, 0, 0, 2));
        assert_eq!(counts(&result.cue_counts), (2, 0, 0, 0));
    }
}
