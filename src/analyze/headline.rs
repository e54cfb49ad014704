//! Headline checks: the findings of `headline` rules, which look at an
//! article's title rather than its body.
//!
//! A headline finding judges the whole article, so it sits on the lead
//! sentence like a `specifics` finding; an article with no body sentences
//! gets none. Nothing here reads the body.

use super::{Analysis, Finding};
use crate::rules::{Measure, RuleParams, RuleSet};

/// What the headline rules count in a title.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeadlineCounts {
    /// Runs of non-space characters with at least one letter or digit.
    pub words: usize,
    /// Words whose first letter or digit is a capital letter.
    pub capitalised: usize,
}

impl HeadlineCounts {
    /// Counts the words of `title`.
    pub fn of(title: &str) -> Self {
        let mut counts = HeadlineCounts::default();
        for word in title.split_whitespace() {
            let Some(first) = word.chars().find(|c| c.is_alphanumeric()) else {
                continue;
            };
            counts.words += 1;
            if first.is_uppercase() {
                counts.capitalised += 1;
            }
        }
        counts
    }

    fn get(self, measure: Measure) -> usize {
        match measure {
            Measure::Words => self.words,
            Measure::CapitalisedWords => self.capitalised,
        }
    }
}

/// Adds the findings of `headline` rules on `title` to the article's
/// analysis. Each costs the share of its rule's weight that the count has
/// gone from `above` toward `full-at`.
pub fn check(title: &str, analysis: &mut Analysis, rules: &RuleSet) {
    let Some(lead) = analysis.sentences.first().map(|s| s.span) else {
        return;
    };
    let counts = HeadlineCounts::of(title);
    for (ri, rule) in rules.rules.iter().enumerate() {
        let RuleParams::Headline {
            measure,
            above,
            full_at,
        } = rule.params
        else {
            continue;
        };
        let count = counts.get(measure);
        if count <= above {
            continue;
        }
        analysis.findings.push(Finding {
            rule: ri,
            sentence: 0,
            span: lead,
            detail: format!(
                "headline \"{}\": {} words, {} capitalised",
                shortened(title),
                counts.words,
                counts.capitalised
            ),
            share: ((count - above) as f64 / (full_at - above) as f64).min(1.0),
        });
    }
    analysis
        .findings
        .sort_by_key(|f| (f.sentence, f.span.start, f.rule));
}

/// The title on one line, cut after `SHOWN` characters with an ellipsis:
/// articles.csv has it in full.
fn shortened(title: &str) -> String {
    const SHOWN: usize = 80;
    let one_line = title.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}\u{2026}", one_line[..cut].trim_end()),
        None => one_line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::analyze;

    #[test]
    fn a_long_title_is_shortened_in_the_finding() {
        let long = "Word ".repeat(200);
        let shown = shortened(&long);
        assert_eq!(shown.chars().count(), 80);
        assert!(shown.ends_with('\u{2026}'));
        assert_eq!(
            shortened("  Mayor  Says\nPier Closes "),
            "Mayor Says Pier Closes"
        );
    }

    #[test]
    fn counts_words_and_capitals_not_dashes() {
        let c = HeadlineCounts::of("Mayor Says “Pier Will Close” – and 3 boats leave");
        assert_eq!(c.words, 9);
        assert_eq!(c.capitalised, 5);
    }

    #[test]
    fn a_long_capitalised_headline_costs_its_share() {
        let rules = crate::rules::RuleSet::default_pack().expect("the built-in pack compiles");
        let body = "The pier closed on Monday, the mayor said.";
        let mut a = analyze(body, &rules);
        check("Pier closes for repairs", &mut a, &rules);
        let headline = |a: &Analysis| {
            a.findings
                .iter()
                .filter(|f| rules.rules[f.rule].kind == crate::rules::RuleKind::Headline)
                .map(|f| (rules.rules[f.rule].id.clone(), f.share))
                .collect::<Vec<_>>()
        };
        assert!(headline(&a).is_empty());
        let mut a = analyze(body, &rules);
        check(
            "Mayor Ortiz Finally Admits The Pier Will Close Forever And The Money Is Gone",
            &mut a,
            &rules,
        );
        let found = headline(&a);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|(_, share)| *share > 0.0 && *share <= 1.0));
        // No body, no lead to hang the finding on: nothing, and no panic.
        let mut empty = analyze("", &rules);
        check(
            "Mayor Ortiz Finally Admits The Pier Will Close Forever",
            &mut empty,
            &rules,
        );
        assert!(empty.findings.is_empty());
    }
}
