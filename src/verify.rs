//! Reference facts: the figures a newsroom has verified (`--facts
//! facts.csv`), and the check of each article's figures against them.
//!
//! A fact names a key as claims are keyed (predicate and counted thing,
//! `killed people`), the names that say which event it is about
//! (`Calder Bay`), a value or interval as a reporter would write it (`14`,
//! `between 80 and 90`, `at least 300`), and where the value comes from. A
//! figure is checked against a fact when it has the fact's key and its
//! sentence, the article's title or its lead names every one of the fact's
//! names. With an `as_of` date, the fact applies to articles published on or
//! after it (a toll verified on Friday says nothing of Tuesday's reports);
//! of several facts that apply, the latest wins. Values are compared as
//! within-article figures are, with the tolerance of the rule that keyed the
//! figure.
//!
//! What the checks cost or credit is in the rules (`reference` rules in
//! `rules/default/verify.toml`): a figure in the author's own voice that
//! contradicts a fact is a finding; an article that gives a fact's value,
//! in its own voice or a source's, gets the credit once per fact. Figures
//! inside quotations are the speaker's and are never checked.

use std::path::Path;

use crate::analyze::{Analysis, Finding, KeyedFigure, Quantity, Unit, find_quantities};
use crate::input::Article;
use crate::rules::{RuleParams, RuleSet, Verdict};

/// Columns a facts file may have; the first three are required.
const COLUMNS: [&str; 6] = ["key", "about", "value", "as_of", "source", "note"];

/// One verified figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// Key as written, and normalized for matching.
    pub key: String,
    key_norm: String,
    /// Lowercased names, each of which must be named near the figure.
    pub about: Vec<String>,
    /// The value as written in the file.
    pub value: String,
    quantity: Quantity,
    /// Days since 1970-01-01 from which the fact applies.
    pub as_of: Option<i64>,
    pub as_of_text: String,
    pub source: String,
    pub note: String,
    /// 1-based line of the file, for messages.
    pub line: usize,
}

impl Fact {
    /// How the fact reads in a report: `89 (county coroner, as of 2026-03-06)`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.source.is_empty() {
            parts.push(self.source.clone());
        }
        if !self.as_of_text.is_empty() {
            parts.push(format!("as of {}", self.as_of_text));
        }
        if parts.is_empty() {
            self.value.clone()
        } else {
            format!("{} ({})", self.value, parts.join(", "))
        }
    }
}

/// A newsroom's reference facts. Empty unless `--facts` names a file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    facts: Vec<Fact>,
}

/// A facts file problem, naming the file and line.
#[derive(Debug, thiserror::Error)]
pub enum FactsError {
    #[error("cannot read facts {path}: {message}")]
    Read { path: String, message: String },
    #[error("{path}:{line}: {message}")]
    At {
        path: String,
        line: usize,
        message: String,
    },
}

/// The check of one keyed figure against a fact.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceCheck {
    /// Index of the figure in [`Analysis::figures`].
    pub figure: usize,
    /// Index of the fact in [`Facts::get`].
    pub fact: usize,
    pub agrees: bool,
}

impl Facts {
    /// Reads a facts CSV.
    pub fn load(path: &Path) -> Result<Facts, FactsError> {
        let shown = path.display().to_string();
        let text = std::fs::read(path).map_err(|e| FactsError::Read {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        let text = String::from_utf8(text).map_err(|e| FactsError::Read {
            path: shown.clone(),
            message: format!("not UTF-8 ({e}); save the file as UTF-8"),
        })?;
        Facts::parse(&shown, &text)
    }

    /// Parses facts CSV text; `path` names it in errors.
    pub fn parse(path: &str, text: &str) -> Result<Facts, FactsError> {
        let at = |line: usize, message: String| FactsError::At {
            path: path.to_string(),
            line,
            message,
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(text.strip_prefix('\u{feff}').unwrap_or(text).as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| at(1, format!("cannot read the header: {e}")))?
            .iter()
            .map(|h| h.trim().to_ascii_lowercase().replace('-', "_"))
            .collect();
        for (i, h) in headers.iter().enumerate() {
            if h.contains(['\t', ';']) {
                return Err(at(
                    1,
                    format!(
                        "the header {h:?} is one column; separate the columns with commas: {}",
                        COLUMNS.join(",")
                    ),
                ));
            }
            if headers[..i].contains(h) {
                return Err(at(1, format!("column {h:?} appears twice")));
            }
            if !COLUMNS.contains(&h.as_str()) {
                return Err(at(
                    1,
                    format!(
                        "unknown column {h:?}; a facts file has columns {}",
                        COLUMNS.join(",")
                    ),
                ));
            }
        }
        for required in &COLUMNS[..3] {
            if !headers.iter().any(|h| h == required) {
                return Err(at(
                    1,
                    format!(
                        "missing column {required:?}; a facts file has columns {} (as_of, source and note may be left out)",
                        COLUMNS.join(",")
                    ),
                ));
            }
        }
        let mut facts = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line() as usize);
                at(line, format!("not a valid CSV row: {e}"))
            })?;
            let line = record.position().map_or(0, |p| p.line() as usize);
            let field = |name: &str| {
                headers
                    .iter()
                    .position(|h| h == name)
                    .and_then(|i| record.get(i))
                    .unwrap_or("")
                    .trim()
                    .to_string()
            };
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let fact = fact_of(line, &field).map_err(|m| at(line, m))?;
            if let Some(earlier) = facts.iter().find(|f: &&Fact| {
                f.key_norm == fact.key_norm && f.about == fact.about && f.as_of == fact.as_of
            }) {
                return Err(at(
                    line,
                    format!(
                        "the same key, about and as_of as line {}; keep one value per event and date",
                        earlier.line
                    ),
                ));
            }
            facts.push(fact);
        }
        Ok(Facts { facts })
    }

    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    pub fn len(&self) -> usize {
        self.facts.len()
    }

    /// The fact at `index`.
    pub fn get(&self, index: usize) -> &Fact {
        &self.facts[index]
    }
}

/// One fact from its row's fields.
fn fact_of(line: usize, field: &dyn Fn(&str) -> String) -> Result<Fact, String> {
    let key = field("key");
    let key_norm = normalize_key(&key);
    if key_norm.split_whitespace().count() < 2 {
        return Err(format!(
            "key {key:?} needs a predicate and a counted thing, as claims are keyed: \"killed people\", \"destroyed homes\", \"cost money\""
        ));
    }
    let about: Vec<String> = field("about")
        .split(';')
        .map(|n| {
            n.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .filter(|n| !n.is_empty())
        .collect();
    if about.is_empty() {
        return Err(
            "`about` is empty: name the event's place, people or organisation (\"Calder Bay\"; several separated by ;) so the fact is not applied to every article with the key"
                .into(),
        );
    }
    let value = field("value");
    if value.starts_with('-') {
        return Err(format!(
            "value {value:?} is negative; a reference value is a count, sum or share"
        ));
    }
    let mut quantity = match find_quantities(&value).as_slice() {
        [q] => q.clone(),
        _ => {
            return Err(format!(
                "value {value:?} is not one figure credence can read; write it as a reporter would: 14, 80-90, between 80 and 90, at least 300, $2.5 million, 12%"
            ));
        }
    };
    // The key says what is measured: "cost money" is money even written
    // "2.5 million"; a value that says otherwise is a mistake.
    let unit = if key_norm.ends_with(" money") {
        Unit::Money
    } else if key_norm.ends_with(" %") {
        Unit::Percent
    } else {
        Unit::Count
    };
    if quantity.unit != Unit::Count && quantity.unit != unit {
        return Err(format!(
            "value {value:?} is {} but key {key:?} counts {}; a key ends in \"money\" for sums and \"%\" for shares",
            unit_name(quantity.unit),
            unit_name(unit)
        ));
    }
    quantity.unit = unit;
    let as_of_text = field("as_of");
    let as_of =
        if as_of_text.is_empty() {
            None
        } else {
            Some(crate::link::day_number(&as_of_text).ok_or_else(|| {
                format!("as_of {as_of_text:?} is not a date; write it as YYYY-MM-DD")
            })?)
        };
    Ok(Fact {
        key,
        key_norm,
        about,
        value,
        quantity,
        as_of,
        as_of_text,
        source: field("source"),
        note: field("note"),
        line,
    })
}

fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::Count => "a count",
        Unit::Money => "money",
        Unit::Percent => "a percentage",
    }
}

/// Lowercase words, each without a plural "s": "Destroyed Homes" and
/// "destroyed home" are one key.
fn normalize_key(key: &str) -> String {
    key.split_whitespace()
        .map(|w| {
            let w = w.to_lowercase();
            match w.strip_suffix('s') {
                Some(stem) if stem.len() > 2 => stem.to_string(),
                _ => w,
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// True when `name` occurs in `text` (both lowercased) as whole words.
fn names(text: &str, name: &str) -> bool {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    text.match_indices(name).any(|(i, _)| {
        boundary(text[..i].chars().next_back()) && boundary(text[i + name.len()..].chars().next())
    })
}

/// Checks the article's figures against the facts, adding the findings of
/// the `reference` rules to `analysis` and recording every check.
pub fn check(article: &Article, analysis: &mut Analysis, rules: &RuleSet) {
    let facts = &rules.facts;
    if facts.is_empty() || analysis.figures.is_empty() {
        return;
    }
    let body = article.body.as_str();
    let published = crate::link::day_number(&article.published);
    let mut context = article.title.to_lowercase();
    if let Some(lead) = analysis.sentences.first() {
        context.push('\n');
        context.push_str(&body[lead.span.start..lead.span.end].to_lowercase());
    }
    let mut checks = Vec::new();
    for (fi, figure) in analysis.figures.iter().enumerate() {
        if figure.quoted {
            continue;
        }
        let span = analysis.sentences[figure.sentence].span;
        let sentence = body[span.start..span.end].to_lowercase();
        if let Some(fact) = applicable(facts, figure, published, &sentence, &context) {
            let tolerance = match rules.rules[figure.rule].params {
                RuleParams::QuantityConflict { tolerance, .. } => tolerance,
                _ => 0.0,
            };
            let agrees = !figure
                .quantity
                .conflicts_with(&facts.get(fact).quantity, tolerance);
            checks.push(ReferenceCheck {
                figure: fi,
                fact,
                agrees,
            });
        }
    }
    let mut credited: Vec<(usize, usize)> = Vec::new(); // (rule, fact)
    for (ri, rule) in rules.rules.iter().enumerate() {
        let RuleParams::Reference { verdict } = rule.params else {
            continue;
        };
        for c in &checks {
            let figure = &analysis.figures[c.figure];
            let fact = facts.get(c.fact);
            let fires = match verdict {
                // The article's own claim, not a source's it reports.
                Verdict::Contradicts => !c.agrees && figure.source.is_empty(),
                Verdict::Agrees => c.agrees && !credited.contains(&(ri, c.fact)),
            };
            if !fires {
                continue;
            }
            if verdict == Verdict::Agrees {
                credited.push((ri, c.fact));
            }
            let q = figure.quantity.span;
            analysis.findings.push(Finding {
                rule: ri,
                sentence: figure.sentence,
                span: q,
                detail: format!(
                    "{} here, reference {}: {}{}",
                    &body[q.start..q.end],
                    fact.key,
                    fact.describe(),
                    if fact.note.is_empty() {
                        String::new()
                    } else {
                        format!("; {}", fact.note)
                    }
                ),
                share: 1.0,
            });
        }
    }
    analysis
        .findings
        .sort_by_key(|f| (f.sentence, f.span.start, f.rule));
    analysis.references = checks;
}

/// The fact that applies to a figure: same key, every name of the fact in
/// the figure's sentence or the article's title and lead, and not dated
/// after the article. Of several, the one with the latest `as_of`; the
/// first in the file on a tie.
fn applicable(
    facts: &Facts,
    figure: &KeyedFigure,
    published: Option<i64>,
    sentence: &str,
    context: &str,
) -> Option<usize> {
    let key = normalize_key(&figure.key);
    let mut best: Option<(usize, Option<i64>)> = None;
    for (i, fact) in facts.facts.iter().enumerate() {
        if fact.key_norm != key {
            continue;
        }
        // A dated fact says nothing of an article of unknown date.
        if let Some(from) = fact.as_of
            && published.is_none_or(|day| day < from)
        {
            continue;
        }
        if !fact
            .about
            .iter()
            .all(|n| names(sentence, n) || names(context, n))
        {
            continue;
        }
        if best.is_none_or(|(_, as_of)| fact.as_of > as_of) {
            best = Some((i, fact.as_of));
        }
    }
    best.map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::analyze;

    const FACTS: &str = "key,about,value,as_of,source,note\n\
        killed people,Calder Bay,14,2026-03-02,Harbour coroner,confirmed by name\n\
        killed people,Calder Bay,15,2026-03-09,Harbour coroner,one more body found\n\
        evacuated people,Westmoor,\"1,100\",,County emergency office,\n";

    fn rules_with(facts: &str) -> RuleSet {
        let mut rules = RuleSet::default_pack().expect("the built-in pack compiles");
        rules.facts = Facts::parse("facts.csv", facts).expect("facts parse");
        rules
    }

    /// Rule ids of the article's findings, after the reference check.
    fn checked(title: &str, published: &str, body: &str) -> (Vec<String>, Analysis) {
        let rules = rules_with(FACTS);
        let article = Article {
            id: "a".into(),
            title: title.into(),
            published: published.into(),
            body: body.into(),
            ..Article::default()
        };
        let mut analysis = analyze(body, &rules);
        check(&article, &mut analysis, &rules);
        let ids = analysis
            .findings
            .iter()
            .map(|f| rules.rules[f.rule].id.clone())
            .collect();
        (ids, analysis)
    }

    #[test]
    fn a_figure_against_the_reference_is_flagged_and_a_match_is_credited() {
        let (ids, a) = checked(
            "Calder Bay ferry sinks",
            "2026-03-03",
            "The ferry sank off Calder Bay on Sunday and killed 40 people.",
        );
        assert!(
            ids.contains(&"verify.contradicts-reference".into()),
            "{ids:?}"
        );
        assert_eq!(a.references.len(), 1);
        assert!(!a.references[0].agrees);

        let (ids, a) = checked(
            "Calder Bay ferry sinks",
            "2026-03-03",
            "The sinking killed 14 people.\n\nThe sinking killed 14 people, the coroner said.",
        );
        assert_eq!(
            ids.iter()
                .filter(|i| *i == "verify.agrees-reference")
                .count(),
            1,
            "one credit per fact: {ids:?}"
        );
        assert!(a.references.iter().all(|c| c.agrees));
    }

    #[test]
    fn the_fact_in_force_on_the_day_of_publication_applies() {
        // Before the first fact's date nothing is known; after the second,
        // 15 is the toll and 14 contradicts it.
        let body = "The Calder Bay sinking killed 14 people.";
        let (ids, a) = checked("", "2026-03-01", body);
        assert!(a.references.is_empty() && ids.iter().all(|i| !i.starts_with("verify")));
        let (ids, _) = checked("", "2026-03-05", body);
        assert!(ids.contains(&"verify.agrees-reference".into()), "{ids:?}");
        let (ids, _) = checked("", "2026-03-10", body);
        assert!(
            ids.contains(&"verify.contradicts-reference".into()),
            "{ids:?}"
        );
    }

    #[test]
    fn other_events_other_keys_sources_and_quotes_are_not_held_against_the_article() {
        for body in [
            // Another place: the fact is about Calder Bay.
            "The Dunmore ferry sinking killed 40 people.",
            // Injured, not killed.
            "The Calder Bay sinking injured 40 people.",
            // A speaker's words.
            "\"It killed 40 people in Calder Bay,\" the mayor said.",
            // A source's figure: reported, not asserted.
            "The Calder Bay sinking killed 40 people, the mayor said.",
        ] {
            let (ids, _) = checked("", "2026-03-04", body);
            assert!(
                !ids.contains(&"verify.contradicts-reference".into()),
                "{body}: {ids:?}"
            );
        }
    }

    #[test]
    fn bad_facts_files_are_errors_that_name_the_line() {
        let cases = [
            (
                "key,value\nkilled people,14\n",
                "facts.csv:1: missing column \"about\"",
            ),
            (
                "key,about,value,when\n",
                "facts.csv:1: unknown column \"when\"",
            ),
            (
                "key,about,value,key\n",
                "facts.csv:1: column \"key\" appears twice",
            ),
            ("key\tabout\tvalue\n", "facts.csv:1: the header"),
            (
                "key,about,value\nkilled people,Calder Bay,12%\n",
                "facts.csv:2: value \"12%\" is a percentage",
            ),
            (
                "key,about,value\nkilled people,Calder Bay,-5\n",
                "facts.csv:2: value \"-5\" is negative",
            ),
            (
                "key,about,value\nkilled people,Calder Bay,14\nkilled people,calder bay,40\n",
                "facts.csv:3: the same key, about and as_of as line 2",
            ),
            (
                "key,about,value\nkilled,Calder Bay,14\n",
                "facts.csv:2: key \"killed\"",
            ),
            (
                "key,about,value\nkilled people,,14\n",
                "facts.csv:2: `about` is empty",
            ),
            (
                "key,about,value\nkilled people,Calder Bay,many\n",
                "facts.csv:2: value \"many\"",
            ),
            (
                "key,about,value,as_of\nkilled people,Calder Bay,14,March 3\n",
                "facts.csv:2: as_of \"March 3\"",
            ),
        ];
        for (text, want) in cases {
            let e = Facts::parse("facts.csv", text).expect_err(text).to_string();
            assert!(e.starts_with(want), "{text:?} gave {e}");
        }
    }

    #[test]
    fn values_are_read_as_reporters_write_them() {
        let facts = Facts::parse(
            "f.csv",
            "key,about,value\nkilled people,X Y,between 80 and 90\ncost money,X Y,$2.5 million\nkilled people,X Z,at least 300\n",
        )
        .unwrap();
        let q = |i: usize| &facts.get(i).quantity;
        assert_eq!((q(0).low, q(0).high), (80.0, 90.0));
        assert_eq!((q(1).low, q(1).unit), (2_500_000.0, Unit::Money));
        assert!(q(2).low == 300.0 && q(2).high.is_infinite());
    }
}
