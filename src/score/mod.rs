//! Scores: an article score from its findings, and source credibility from
//! the scores of a source's articles.
//!
//! Article score: every article starts at 100; each finding deducts its
//! rule's weight, in points, from the score and from the component its
//! category feeds (sourcing, certainty, consistency, verification, style);
//! a credit (a figure that agrees with a reference fact) gives its points
//! back, never above 100. In an article with
//! more claims than `reference-claims`, each deduction is scaled by
//! `reference-claims / claims`, and each further finding of one rule costs
//! `repeat-discount` times the one before; an article-level finding
//! (`specifics`, `headline`) is neither scaled nor discounted. Scores stop at 0. So an article's score is
//! 100 minus the points of its findings, which findings.csv lists. Source
//! credibility shrinks a source's mean article score toward a prior (the
//! batch mean) by `source-prior-weight` pseudo-articles, so that a source
//! with two articles stays near the prior with a wide interval.

pub mod sources;

use std::collections::BTreeMap;

use crate::analyze::Analysis;
use crate::rules::RuleSet;

/// Components reported as their own columns, in report order.
pub const COMPONENTS: [&str; 5] = [
    "sourcing",
    "certainty",
    "consistency",
    "verification",
    "style",
];

/// An article's score and how it came about.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleScore {
    /// Overall score, 0..=100.
    pub score: f64,
    /// Component name to its score, 0..=100.
    pub components: BTreeMap<String, f64>,
    /// Points each finding deducted from its component, in finding order.
    pub points: Vec<f64>,
}

impl ArticleScore {
    /// A component's score; 100 when the rules define no such component.
    pub fn component(&self, name: &str) -> f64 {
        self.components.get(name).copied().unwrap_or(100.0)
    }
}

/// Scores one analyzed article.
pub fn score_article(analysis: &Analysis, rules: &RuleSet) -> ArticleScore {
    let claims = analysis.claims().max(1) as f64;
    let scale = (rules.scoring.reference_claims / claims).min(1.0);
    let mut deductions: BTreeMap<String, f64> = rules
        .scoring
        .categories
        .values()
        .map(|k| (k.clone(), 0.0))
        .collect();
    let discount = rules.scoring.repeat_discount.clamp(0.0, 1.0);
    let mut seen: BTreeMap<usize, i32> = BTreeMap::new();
    let mut points = Vec::with_capacity(analysis.findings.len());
    for finding in &analysis.findings {
        let rule = &rules.rules[finding.rule];
        let earlier = seen.entry(finding.rule).or_insert(0);
        // Credits are separate facts checked, not a habit: never discounted.
        let repeat = if rule.is_credit() {
            1.0
        } else {
            discount.powi(*earlier)
        };
        *earlier += 1;
        // A specifics or headline finding is about the whole article: its
        // length does not dilute it.
        let scale = if rule.kind.is_article_level() {
            1.0
        } else {
            scale
        };
        let p = rule.weight * finding.share * scale * repeat;
        // A credit gives its points back: negative points.
        let p = if rule.is_credit() { -p } else { p };
        points.push(p);
        if let Some(d) = deductions.get_mut(rules.component_of(rule)) {
            *d += p;
        }
    }
    let total: f64 = points.iter().sum();
    ArticleScore {
        score: (100.0 - total).clamp(0.0, 100.0),
        components: deductions
            .into_iter()
            .map(|(k, d)| (k, (100.0 - d).clamp(0.0, 100.0)))
            .collect(),
        points,
    }
}

/// An article's credibility as `articles.csv` gives it: its score leaning
/// on its outlet's prior ([`article_credibility`]) when the rules carry
/// ratings, else its score.
pub fn credibility(score: f64, claims: usize, outlet: &str, rules: &RuleSet) -> f64 {
    match rules.cited.outlet_prior(outlet) {
        Some(prior) => {
            article_credibility(score, claims, prior, rules.scoring.article_prior_claims())
        }
        None => score,
    }
}

/// An article's credibility given its outlet's prior (a rating, 0..=100):
/// the text score and the prior averaged with weights `claims` and
/// `prior_claims`, as if the prior were that many claims of evidence. A
/// brief with two claims says little by itself and leans on its outlet's
/// record; a report with forty is judged mostly on its own text. An article
/// with no claims is its prior alone (with no prior weight, its score).
pub fn article_credibility(score: f64, claims: usize, prior: f64, prior_claims: f64) -> f64 {
    let own = claims as f64;
    let prior_claims = prior_claims.max(0.0);
    if own + prior_claims == 0.0 {
        return score;
    }
    ((score * own + prior * prior_claims) / (own + prior_claims)).clamp(0.0, 100.0)
}

/// What one article contributes to its sources' scores.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ArticleSignals {
    pub score: f64,
    pub claims: usize,
    pub unsourced: usize,
    pub anonymous: usize,
    pub hedged: usize,
    pub conflicts: usize,
}

/// Article scores are summed in millionths of a point.
pub const SCORE_UNITS_PER_POINT: f64 = 1_000_000.0;

/// Running totals for one source. Every field is an integer: scores are
/// summed in fixed point ([`SCORE_UNITS_PER_POINT`]), so totals add
/// exactly and partial aggregates from several workers combine in any
/// grouping and order to the same bits.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceTotals {
    pub articles: usize,
    /// Sum of article scores, in millionths of a point.
    pub score_sum: u64,
    /// Sum of squared article scores, in (millionths of a point) squared.
    pub score_sq_sum: u128,
    pub claims: usize,
    pub unsourced: usize,
    pub anonymous: usize,
    pub hedged: usize,
    pub conflicts: usize,
    /// Claims another outlet corroborates / contradicts (known after linking).
    pub corroborated: usize,
    pub contradicted: usize,
}

impl SourceTotals {
    /// Adds one article.
    pub fn add(&mut self, s: &ArticleSignals) {
        // Scores are within 0..=100, so a score is at most 10^8 units.
        let units = (s.score.clamp(0.0, 100.0) * SCORE_UNITS_PER_POINT).round() as u64;
        self.articles += 1;
        self.score_sum += units;
        self.score_sq_sum += u128::from(units) * u128::from(units);
        self.claims += s.claims;
        self.unsourced += s.unsourced;
        self.anonymous += s.anonymous;
        self.hedged += s.hedged;
        self.conflicts += s.conflicts;
    }

    /// Adds another source's totals.
    pub fn merge(&mut self, o: &SourceTotals) {
        // Saturating: totals read from a crafted partial line must not
        // overflow (a real batch is many orders of magnitude short of it).
        self.articles = self.articles.saturating_add(o.articles);
        self.score_sum = self.score_sum.saturating_add(o.score_sum);
        self.score_sq_sum = self.score_sq_sum.saturating_add(o.score_sq_sum);
        self.claims = self.claims.saturating_add(o.claims);
        self.unsourced = self.unsourced.saturating_add(o.unsourced);
        self.anonymous = self.anonymous.saturating_add(o.anonymous);
        self.hedged = self.hedged.saturating_add(o.hedged);
        self.conflicts = self.conflicts.saturating_add(o.conflicts);
        self.corroborated = self.corroborated.saturating_add(o.corroborated);
        self.contradicted = self.contradicted.saturating_add(o.contradicted);
    }

    /// Sum of article scores, in points.
    pub fn score_total(&self) -> f64 {
        self.score_sum as f64 / SCORE_UNITS_PER_POINT
    }

    /// Sum of squared article scores, in points squared.
    pub fn score_sq_total(&self) -> f64 {
        self.score_sq_sum as f64 / (SCORE_UNITS_PER_POINT * SCORE_UNITS_PER_POINT)
    }

    /// Mean article score.
    pub fn mean(&self) -> f64 {
        if self.articles == 0 {
            0.0
        } else {
            self.score_total() / self.articles as f64
        }
    }
}

/// A source's credibility with its interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SourceScore {
    pub credibility: f64,
    pub low: f64,
    pub high: f64,
    pub prior: f64,
}

/// Shrinks a source's mean toward `prior` by `prior_weight` pseudo-articles.
/// The interval is a 95% normal interval whose spread is the batch's
/// article-score deviation over the root of (articles + prior weight).
pub fn source_score(
    totals: &SourceTotals,
    prior: f64,
    prior_weight: f64,
    spread: f64,
) -> SourceScore {
    let n = totals.articles as f64;
    let credibility = (totals.score_total() + prior_weight * prior) / (n + prior_weight).max(1e-9);
    let half = 1.96 * spread / (n + prior_weight).max(1.0).sqrt();
    SourceScore {
        credibility,
        low: (credibility - half).max(0.0),
        high: (credibility + half).min(100.0),
        prior,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_finding_costs_less_each_time() {
        let rules = RuleSet::default_pack().expect("the built-in pack compiles");
        // Three unsourced figures in a three-claim article: no scaling.
        let text = "Mayor Lena Ortiz said on Monday that the pier was safe. The fire destroyed 40 homes on Tuesday. The storm flooded 300 cellars. The council spent $2 million on pumps.";
        let analysis = crate::analyze::analyze(text, &rules);
        let stat = rules.index_of("unsourced.statistic").expect("rule");
        let points: Vec<f64> = analysis
            .findings
            .iter()
            .zip(&score_article(&analysis, &rules).points)
            .filter(|(f, _)| f.rule == stat)
            .map(|(_, p)| *p)
            .collect();
        let w = rules.rules[stat].weight;
        assert_eq!(points, [w, w / 2.0, w / 4.0]);
    }

    #[test]
    fn a_short_article_leans_on_its_outlet_and_a_long_one_on_its_text() {
        // Same text score, same low-rated outlet: the brief sinks toward the
        // rating, the long report stays near its own score.
        let brief = article_credibility(80.0, 2, 20.0, 8.0);
        let report = article_credibility(80.0, 40, 20.0, 8.0);
        assert!((brief - 32.0).abs() < 1e-9, "{brief}");
        assert!((report - 70.0).abs() < 1e-9, "{report}");
        assert_eq!(article_credibility(80.0, 0, 20.0, 8.0), 20.0);
        assert_eq!(article_credibility(80.0, 0, 20.0, 0.0), 80.0);
        assert_eq!(article_credibility(80.0, 5, 20.0, 0.0), 80.0);
    }

    #[test]
    fn few_articles_stay_near_the_prior_with_a_wide_interval() {
        let mut few = SourceTotals::default();
        let mut many = SourceTotals::default();
        for _ in 0..2 {
            few.add(&ArticleSignals {
                score: 20.0,
                ..Default::default()
            });
        }
        for _ in 0..200 {
            many.add(&ArticleSignals {
                score: 20.0,
                ..Default::default()
            });
        }
        let f = source_score(&few, 70.0, 5.0, 15.0);
        let m = source_score(&many, 70.0, 5.0, 15.0);
        assert!(
            f.credibility > 50.0,
            "two articles barely move a source: {f:?}"
        );
        assert!(m.credibility < 22.0, "two hundred articles do: {m:?}");
        assert!(f.high - f.low > 3.0 * (m.high - m.low));
    }

    #[test]
    fn totals_merge_like_adding_articles() {
        let a = ArticleSignals {
            score: 80.0,
            claims: 4,
            unsourced: 1,
            ..Default::default()
        };
        let b = ArticleSignals {
            score: 40.0,
            claims: 2,
            hedged: 3,
            ..Default::default()
        };
        let mut one = SourceTotals::default();
        one.add(&a);
        one.add(&b);
        let mut left = SourceTotals::default();
        left.add(&a);
        let mut right = SourceTotals::default();
        right.add(&b);
        left.merge(&right);
        assert_eq!(one, left);
    }
}
