//! Baselines: the findings of an earlier run, so that a run can say which of
//! its findings are new.
//!
//! A finding is the same finding when it has the same article id, rule,
//! flagged text and sentence text: offsets and points may move when rules
//! change, what an editor reviewed does not.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::path::Path;

use super::rows::FindingRow;
use super::writer::ReportError;

/// The findings of an earlier run, as keys.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    keys: HashSet<u64>,
}

fn key(article_id: &str, rule: &str, text: &str, sentence_text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (article_id, rule, text, sentence_text).hash(&mut h);
    h.finish()
}

impl Baseline {
    /// Reads an earlier `findings.csv`.
    pub fn load(path: &Path) -> Result<Baseline, ReportError> {
        let csv_error = |source| ReportError::Csv {
            path: path.to_path_buf(),
            source,
        };
        let mut reader = csv::Reader::from_path(path).map_err(csv_error)?;
        let headers = reader.headers().map_err(csv_error)?.clone();
        let column = |name: &str| {
            headers.iter().position(|h| h == name).ok_or_else(|| {
                ReportError::io(
                    path,
                    std::io::Error::other(format!(
                        "not a findings.csv: no `{name}` column; give the findings.csv of an earlier run"
                    )),
                )
            })
        };
        let (a, r, t, s) = (
            column("article_id")?,
            column("rule")?,
            column("text")?,
            column("sentence_text")?,
        );
        let mut keys = HashSet::new();
        for record in reader.records() {
            let record = record.map_err(csv_error)?;
            let get = |i: usize| record.get(i).unwrap_or_default();
            keys.insert(key(get(a), get(r), get(t), get(s)));
        }
        Ok(Baseline { keys })
    }

    /// True when the earlier run had this finding.
    pub fn knows<S: AsRef<str>>(&self, row: &FindingRow<S>) -> bool {
        self.keys.contains(&key(
            row.article_id.as_ref(),
            row.rule.as_ref(),
            row.text.as_ref(),
            row.sentence_text.as_ref(),
        ))
    }

    /// Findings in the baseline.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when the baseline has no findings.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}
