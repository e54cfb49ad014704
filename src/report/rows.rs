//! One flat, serializable row struct per report, and how an analyzed
//! article becomes rows.

use std::borrow::Cow;

use serde::Serialize;

use super::cells::Decimal;
use crate::analyze::{Analysis, Voice};
use crate::input::Article;
use crate::rules::RuleSet;
use crate::score::{ArticleScore, ArticleSignals};
use crate::text::CharOffsets;

/// Neutralizes a text cell that a spreadsheet would run as a formula: a
/// leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'` in front,
/// which spreadsheets show as text and do not display. Rows hold text as it
/// is; the report writers apply this to every text cell (unless
/// `--raw-cells`).
pub fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn fixed1(v: f64) -> Decimal {
    Decimal::new(v, 1)
}

fn fixed3(v: f64) -> Decimal {
    Decimal::new(v, 3)
}

/// The six reports. Each format writes every one: a CSV or JSONL file named
/// after it, a sheet in the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Articles,
    Findings,
    Claims,
    Conflicts,
    Sources,
    Errors,
}

impl Table {
    /// Every report, in the order files are listed and sheets appear.
    pub const ALL: [Table; 6] = [
        Table::Articles,
        Table::Findings,
        Table::Claims,
        Table::Conflicts,
        Table::Sources,
        Table::Errors,
    ];

    /// File stem: `articles` for `articles.csv` and `articles.jsonl`.
    pub fn name(self) -> &'static str {
        match self {
            Table::Articles => "articles",
            Table::Findings => "findings",
            Table::Claims => "claims",
            Table::Conflicts => "conflicts",
            Table::Sources => "sources",
            Table::Errors => "errors",
        }
    }

    /// Sheet name in the workbook.
    pub fn sheet(self) -> &'static str {
        match self {
            Table::Articles => "Articles",
            Table::Findings => "Findings",
            Table::Claims => "Claims",
            Table::Conflicts => "Conflicts",
            Table::Sources => "Sources",
            Table::Errors => "Errors",
        }
    }

    /// Column names, in order.
    pub fn header(self) -> &'static [&'static str] {
        match self {
            Table::Articles => ArticleRow::HEADER,
            Table::Findings => FindingRow::HEADER,
            Table::Claims => ClaimRow::HEADER,
            Table::Conflicts => ConflictRow::HEADER,
            Table::Sources => SourceRow::HEADER,
            Table::Errors => ErrorRow::HEADER,
        }
    }
}

/// A row struct of one report.
pub trait Row: Serialize {
    /// The report the row belongs to.
    const TABLE: Table;
}

impl Row for ArticleRow {
    const TABLE: Table = Table::Articles;
}
impl<S: Serialize> Row for FindingRow<S> {
    const TABLE: Table = Table::Findings;
}
impl<S: Serialize> Row for ClaimRow<S> {
    const TABLE: Table = Table::Claims;
}
impl Row for ConflictRow {
    const TABLE: Table = Table::Conflicts;
}
impl Row for SourceRow {
    const TABLE: Table = Table::Sources;
}
impl Row for ErrorRow {
    const TABLE: Table = Table::Errors;
}

/// `articles.csv`: one row per article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleRow {
    pub id: String,
    pub source: String,
    pub author: String,
    pub title: String,
    pub sentences: usize,
    pub claims: usize,
    pub sourced: usize,
    pub unsourced: usize,
    pub hedged: usize,
    pub conflicts: usize,
    pub findings: usize,
    pub score: Decimal,
    /// The score leaning on the outlet's rating
    /// ([`crate::score::article_credibility`]); the score with no ratings
    /// (`--no-priors`).
    pub credibility: Decimal,
    pub sourcing: Decimal,
    pub certainty: Decimal,
    pub consistency: Decimal,
    pub verification: Decimal,
    pub style: Decimal,
    pub top_finding: String,
}

/// `findings.csv`: one row per finding.
///
/// Text is `String` in a row that is kept; a row only rendered borrows its
/// text from the article and the rules (`Cow<str>`), and serializes the same.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingRow<S = String> {
    pub article_id: S,
    pub source: S,
    pub rule: S,
    pub category: S,
    pub severity: S,
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub text: S,
    pub sentence_text: S,
    pub message: S,
    pub points: Decimal,
    /// With `--baseline`: `new`, or `known` when the earlier run had it.
    pub baseline: S,
}

/// `claims.csv`: one row per claim.
/// Deserialize too: claims wait in a spool until the batch is linked. Text
/// is `String` or, in a row only rendered, `Cow<str>`, as in [`FindingRow`].
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ClaimRow<S = String> {
    pub article_id: S,
    pub sentence: usize,
    pub text: S,
    pub voice: S,
    pub speaker: S,
    pub cue: S,
    pub attribution: S,
    pub hedges: S,
    pub quantities: S,
    /// Figures keyed for comparison: `killed people 14; missing people 3`.
    pub figures: S,
    pub checkworthiness: Decimal,
    /// What other outlets in the batch say about the claim's figures:
    /// `corroborated`, `contradicted`, `single-source`; `unchecked` when the
    /// claim has no figure to compare.
    pub verification: S,
    /// Ids of articles whose figures agree, `; `-separated.
    pub agrees: S,
    /// Ids of articles whose figures disagree, `; `-separated.
    pub disagrees: S,
    /// Against the newsroom's reference facts (`--facts`): `agrees` or
    /// `contradicts` with the fact (`contradicts killed people 14 (Harbour
    /// coroner)`); empty when no fact applies.
    pub reference: S,
}

/// `conflicts.csv`: one row per pair of figures that cannot both be true.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConflictRow {
    pub kind: String,
    pub rule: String,
    pub key: String,
    pub article_a: String,
    pub sentence_a: usize,
    pub value_a: String,
    pub article_b: String,
    pub sentence_b: usize,
    pub value_b: String,
}

/// `sources.csv`: one row per outlet or author.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceRow {
    pub kind: String,
    pub name: String,
    pub articles: usize,
    pub credibility: Decimal,
    pub low: Decimal,
    pub high: Decimal,
    pub prior: Decimal,
    pub mean_score: Decimal,
    pub claims: usize,
    pub unsourced_rate: Decimal,
    pub anonymous_rate: Decimal,
    pub hedged_rate: Decimal,
    pub conflict_rate: Decimal,
    /// Claims an independent outlet corroborates, per claim.
    pub corroborated_rate: Decimal,
    /// Claims an independent outlet contradicts, per claim.
    pub contradicted_rate: Decimal,
}

impl SourceRow {
    /// Builds a row from a source's totals and score.
    pub fn new(
        kind: &str,
        name: &str,
        totals: &crate::score::SourceTotals,
        score: &crate::score::SourceScore,
    ) -> SourceRow {
        let per_claim = |n: usize| fixed3(n as f64 / totals.claims.max(1) as f64);
        SourceRow {
            kind: kind.to_string(),
            name: name.to_string(),
            articles: totals.articles,
            credibility: fixed1(score.credibility),
            low: fixed1(score.low),
            high: fixed1(score.high),
            prior: fixed1(score.prior),
            mean_score: fixed1(totals.mean()),
            claims: totals.claims,
            unsourced_rate: per_claim(totals.unsourced),
            anonymous_rate: per_claim(totals.anonymous),
            hedged_rate: per_claim(totals.hedged),
            conflict_rate: fixed3(totals.conflicts as f64 / totals.articles.max(1) as f64),
            corroborated_rate: per_claim(totals.corroborated),
            contradicted_rate: per_claim(totals.contradicted),
        }
    }
}

/// `errors.csv`: one row per record that could not be used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorRow {
    pub file: String,
    pub location: String,
    pub id: String,
    pub reason: String,
}

impl From<&crate::input::RecordError> for ErrorRow {
    fn from(e: &crate::input::RecordError) -> Self {
        ErrorRow {
            file: e.file.clone(),
            location: e.location.clone(),
            id: e.id.clone(),
            reason: e.reason.clone(),
        }
    }
}

impl ArticleRow {
    /// Column names, in order.
    pub const HEADER: &'static [&'static str] = &[
        "id",
        "source",
        "author",
        "title",
        "sentences",
        "claims",
        "sourced",
        "unsourced",
        "hedged",
        "conflicts",
        "findings",
        "score",
        "credibility",
        "sourcing",
        "certainty",
        "consistency",
        "verification",
        "style",
        "top_finding",
    ];
}

impl FindingRow {
    /// Column names, in order.
    pub const HEADER: &'static [&'static str] = &[
        "article_id",
        "source",
        "rule",
        "category",
        "severity",
        "sentence",
        "start",
        "end",
        "text",
        "sentence_text",
        "message",
        "points",
        "baseline",
    ];
}

impl ClaimRow {
    /// Column names, in order.
    pub const HEADER: &'static [&'static str] = &[
        "article_id",
        "sentence",
        "text",
        "voice",
        "speaker",
        "cue",
        "attribution",
        "hedges",
        "quantities",
        "figures",
        "checkworthiness",
        "verification",
        "agrees",
        "disagrees",
        "reference",
    ];
}

impl ConflictRow {
    /// Column names, in order.
    pub const HEADER: &'static [&'static str] = &[
        "kind",
        "rule",
        "key",
        "article_a",
        "sentence_a",
        "value_a",
        "article_b",
        "sentence_b",
        "value_b",
    ];
}

impl SourceRow {
    /// Column names, in order.
    pub const HEADER: &'static [&'static str] = &[
        "kind",
        "name",
        "articles",
        "credibility",
        "low",
        "high",
        "prior",
        "mean_score",
        "claims",
        "unsourced_rate",
        "anonymous_rate",
        "hedged_rate",
        "conflict_rate",
        "corroborated_rate",
        "contradicted_rate",
    ];
}

impl ErrorRow {
    /// Column names, in order.
    pub const HEADER: &'static [&'static str] = &["file", "location", "id", "reason"];
}

/// Everything one article contributes to the reports: with its findings
/// and claims owned (`String`), or borrowed from the article and the rules
/// (`Cow<str>`) until they are rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRows<S = String> {
    pub article: ArticleRow,
    pub findings: Vec<FindingRow<S>>,
    pub claims: Vec<ClaimRow<S>>,
    pub conflicts: Vec<ConflictRow>,
    /// Counts for source aggregation.
    pub signals: ArticleSignals,
    /// Finding counts by category, for the run summary.
    pub categories: Vec<(String, usize)>,
    /// Reference facts (indices into the rule set's facts) the article's
    /// figures were checked against, once each.
    pub facts: Vec<usize>,
}

impl ArticleRows<Cow<'_, str>> {
    /// The rows with their text owned.
    pub fn into_owned(self) -> ArticleRows {
        let ArticleRows {
            article,
            findings,
            claims,
            conflicts,
            signals,
            categories,
            facts,
        } = self;
        ArticleRows {
            article,
            findings: findings.into_iter().map(FindingRow::into_owned).collect(),
            claims: claims.into_iter().map(ClaimRow::into_owned).collect(),
            conflicts,
            signals,
            categories,
            facts,
        }
    }

    /// The article's row and totals, without its findings, claims and
    /// conflicts.
    pub fn into_totals(self) -> ArticleRows {
        ArticleRows {
            article: self.article,
            findings: Vec::new(),
            claims: Vec::new(),
            conflicts: Vec::new(),
            signals: self.signals,
            categories: self.categories,
            facts: self.facts,
        }
    }
}

impl FindingRow<Cow<'_, str>> {
    /// The row with its text owned.
    pub fn into_owned(self) -> FindingRow {
        FindingRow {
            article_id: self.article_id.into_owned(),
            source: self.source.into_owned(),
            rule: self.rule.into_owned(),
            category: self.category.into_owned(),
            severity: self.severity.into_owned(),
            sentence: self.sentence,
            start: self.start,
            end: self.end,
            text: self.text.into_owned(),
            sentence_text: self.sentence_text.into_owned(),
            message: self.message.into_owned(),
            points: self.points,
            baseline: self.baseline.into_owned(),
        }
    }
}

impl ClaimRow<Cow<'_, str>> {
    /// The row with its text owned.
    pub fn into_owned(self) -> ClaimRow {
        ClaimRow {
            article_id: self.article_id.into_owned(),
            sentence: self.sentence,
            text: self.text.into_owned(),
            voice: self.voice.into_owned(),
            speaker: self.speaker.into_owned(),
            cue: self.cue.into_owned(),
            attribution: self.attribution.into_owned(),
            hedges: self.hedges.into_owned(),
            quantities: self.quantities.into_owned(),
            figures: self.figures.into_owned(),
            checkworthiness: self.checkworthiness,
            verification: self.verification.into_owned(),
            agrees: self.agrees.into_owned(),
            disagrees: self.disagrees.into_owned(),
            reference: self.reference.into_owned(),
        }
    }
}

/// Builds the report rows of one analyzed and scored article; their text
/// borrows from the article and the rules.
pub fn article_rows<'a>(
    article: &'a Article,
    analysis: &Analysis,
    score: &ArticleScore,
    rules: &'a RuleSet,
) -> ArticleRows<Cow<'a, str>> {
    let body = article.body.as_str();
    let mut offsets = CharOffsets::new(body);
    let text = |s: crate::text::Span| &body[s.start..s.end];

    let mut findings = Vec::with_capacity(analysis.findings.len());
    let mut categories: Vec<(String, usize)> = Vec::new();
    let mut count = |category: &str| match categories.iter_mut().find(|(c, _)| c == category) {
        Some((_, n)) => *n += 1,
        None => categories.push((category.to_string(), 1)),
    };
    let (mut unsourced, mut hedged, mut conflicts, mut anonymous) = (0, 0, 0, 0);
    for (finding, points) in analysis.findings.iter().zip(&score.points) {
        let rule = &rules.rules[finding.rule];
        count(&rule.category);
        match rule.category.as_str() {
            "unsourced" => unsourced += 1,
            "hedge" => hedged += 1,
            "conflict" => conflicts += 1,
            "sourcing" => anonymous += 1,
            _ => {}
        }
        let sentence = analysis.sentences[finding.sentence].span;
        let message = if finding.detail.is_empty() {
            Cow::Borrowed(rule.message.as_str())
        } else {
            Cow::Owned([rule.message.as_str(), ": ", finding.detail.as_str()].concat())
        };
        findings.push(FindingRow {
            article_id: Cow::Borrowed(article.id.as_str()),
            source: Cow::Borrowed(article.source.as_str()),
            rule: Cow::Borrowed(rule.id.as_str()),
            category: Cow::Borrowed(rule.category.as_str()),
            severity: Cow::Borrowed(rule.severity.as_str()),
            sentence: finding.sentence + 1,
            start: offsets.get(finding.span.start),
            end: offsets.get(finding.span.end),
            text: Cow::Borrowed(text(finding.span)),
            sentence_text: Cow::Borrowed(text(sentence)),
            message,
            points: fixed1(*points),
            baseline: Cow::Borrowed(""),
        });
    }

    let mut claims = Vec::new();
    let mut sourced = 0;
    // Figures and reference checks by sentence, each in its own order, so
    // that a claim looks at its own and not at every figure of the body.
    let mut figures_by_sentence: Vec<usize> = (0..analysis.figures.len()).collect();
    figures_by_sentence.sort_by_key(|&i| analysis.figures[i].sentence);
    let mut references_by_sentence: Vec<usize> = (0..analysis.references.len()).collect();
    references_by_sentence
        .sort_by_key(|&i| analysis.figures[analysis.references[i].figure].sentence);
    let (mut next_figure, mut next_reference) = (0, 0);
    for (si, s) in analysis.sentences.iter().enumerate() {
        if !s.is_claim {
            continue;
        }
        if s.attribution.is_some() {
            sourced += 1;
        }
        // An attitude cue ("the mayor wants ...") names whose view the author
        // reports; the sentence is still the author's claim.
        let attitude = s.cues.iter().find(|a| a.attitude);
        let (speaker, cue, kind) = match (&s.attribution, attitude) {
            (Some(a), _) => (a.source.as_str(), a.cue.as_str(), a.kind.as_str()),
            (None, Some(a)) if s.voice == Voice::Author => {
                (a.source.as_str(), a.cue.as_str(), "attitude")
            }
            (None, _) if s.voice == Voice::Author => ("", "", "none"),
            (None, _) => ("", "", "unknown"),
        };
        // "cue (rule, voice); cue (rule, voice)", built in one string.
        let mut hedges = String::new();
        for h in &s.hedges {
            if !hedges.is_empty() {
                hedges.push_str("; ");
            }
            for part in [
                text(h.span),
                " (",
                rules.rules[h.rule].id.as_str(),
                ", ",
                h.voice.as_str(),
                ")",
            ] {
                hedges.push_str(part);
            }
        }
        let mut quantities = String::new();
        for q in &s.quantities {
            if !quantities.is_empty() {
                quantities.push_str("; ");
            }
            quantities.push_str(&q.render());
        }
        // Figures and checks of earlier sentences were passed by earlier claims.
        let sentence_of_figure = |i: usize| analysis.figures[i].sentence;
        let sentence_of_reference =
            |i: usize| analysis.figures[analysis.references[i].figure].sentence;
        while next_figure < figures_by_sentence.len()
            && sentence_of_figure(figures_by_sentence[next_figure]) < si
        {
            next_figure += 1;
        }
        let mut figures = String::new();
        for &i in figures_by_sentence[next_figure..]
            .iter()
            .take_while(|&&i| sentence_of_figure(i) == si)
        {
            let f = &analysis.figures[i];
            if !figures.is_empty() {
                figures.push_str("; ");
            }
            figures.push_str(&f.key);
            figures.push(' ');
            figures.push_str(&f.quantity.render());
        }
        while next_reference < references_by_sentence.len()
            && sentence_of_reference(references_by_sentence[next_reference]) < si
        {
            next_reference += 1;
        }
        let reference = references_by_sentence[next_reference..]
            .iter()
            .take_while(|&&i| sentence_of_reference(i) == si)
            .map(|&i| &analysis.references[i])
            .map(|c| {
                let fact = rules.facts.get(c.fact);
                let verdict = if c.agrees { "agrees" } else { "contradicts" };
                format!("{verdict} {} {}", fact.key, fact.describe())
            })
            .collect::<Vec<_>>()
            .join("; ");
        claims.push(ClaimRow {
            article_id: Cow::Borrowed(article.id.as_str()),
            sentence: si + 1,
            text: Cow::Borrowed(text(s.span)),
            voice: Cow::Borrowed(s.voice.as_str()),
            // The analysis is the caller's, and lives no longer than this.
            speaker: Cow::Owned(speaker.to_string()),
            cue: Cow::Owned(cue.to_string()),
            attribution: Cow::Borrowed(kind),
            hedges: Cow::Owned(hedges),
            quantities: Cow::Owned(quantities),
            figures: Cow::Owned(figures),
            checkworthiness: Decimal::new(s.checkworthiness, 2),
            // Filled in after the whole batch is linked.
            verification: Cow::Borrowed("unchecked"),
            agrees: Cow::Borrowed(""),
            disagrees: Cow::Borrowed(""),
            reference: Cow::Owned(reference),
        });
    }

    let conflict_rows = analysis
        .conflicts
        .iter()
        .map(|c| ConflictRow {
            kind: if c.disputed {
                "disputed"
            } else {
                "within-article"
            }
            .into(),
            rule: rules.rules[c.rule].id.clone(),
            key: c.key.clone(),
            article_a: article.id.clone(),
            sentence_a: c.first.0 + 1,
            value_a: c.first.2.clone(),
            article_b: article.id.clone(),
            sentence_b: c.second.0 + 1,
            value_b: c.second.2.clone(),
        })
        .collect();

    // The finding that cost the most points, first in the text on a tie;
    // credits cost nothing.
    let top_finding = analysis
        .findings
        .iter()
        .zip(&score.points)
        .filter(|(_, p)| **p > 0.0)
        .fold(None::<(usize, f64)>, |best, (f, p)| match best {
            Some((_, bp)) if bp >= *p => best,
            _ => Some((f.rule, *p)),
        })
        .map(|(rule, _)| rules.rules[rule].id.clone())
        .unwrap_or_default();

    let claim_count = analysis.claims();
    ArticleRows {
        article: ArticleRow {
            id: article.id.clone(),
            source: article.source.clone(),
            author: article.author.clone(),
            title: article.title.clone(),
            sentences: analysis.sentences.len(),
            claims: claim_count,
            sourced,
            unsourced,
            hedged,
            conflicts,
            findings: analysis.findings.len(),
            score: fixed1(score.score),
            credibility: fixed1(crate::score::credibility(
                score.score,
                claim_count,
                &article.source,
                rules,
            )),
            sourcing: fixed1(score.component("sourcing")),
            certainty: fixed1(score.component("certainty")),
            consistency: fixed1(score.component("consistency")),
            verification: fixed1(score.component("verification")),
            style: fixed1(score.component("style")),
            top_finding,
        },
        findings,
        claims,
        conflicts: conflict_rows,
        signals: ArticleSignals {
            score: score.score,
            claims: claim_count,
            unsourced,
            anonymous,
            hedged,
            conflicts,
        },
        categories,
        facts: {
            let mut facts: Vec<usize> = analysis.references.iter().map(|c| c.fact).collect();
            facts.sort_unstable();
            facts.dedup();
            facts
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header written up front must be what serde would write.
    fn header_of<T: Serialize>(row: &T) -> Vec<String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.serialize(row).unwrap();
        let bytes = w.into_inner().unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let first = text.lines().next().unwrap().to_string();
        first.split(',').map(str::to_string).collect()
    }

    #[test]
    fn headers_match_row_fields() {
        let e = ErrorRow {
            file: "f".into(),
            location: "l".into(),
            id: "i".into(),
            reason: "r".into(),
        };
        assert_eq!(header_of(&e), ErrorRow::HEADER);
        let c = ConflictRow {
            kind: "k".into(),
            rule: "r".into(),
            key: "k".into(),
            article_a: "a".into(),
            sentence_a: 1,
            value_a: "1".into(),
            article_b: "b".into(),
            sentence_b: 2,
            value_b: "2".into(),
        };
        assert_eq!(header_of(&c), ConflictRow::HEADER);
    }

    #[test]
    fn formula_cells_are_neutralized() {
        for payload in [
            "=1+1",
            "+SUM(A1)",
            "-2+3",
            "@cmd",
            "\tx",
            "\rx",
            "=HYPERLINK(\"http://x\")",
        ] {
            assert!(cell(payload).starts_with('\''), "{payload:?}");
        }
        assert_eq!(cell("Plain text"), "Plain text");
        assert_eq!(cell("3 - 2"), "3 - 2");
    }
}
