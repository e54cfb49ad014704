//! Report files: CSV writers configured in one place, written to temporary
//! files and renamed into place when the run finishes.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::rows::{ArticleRow, ClaimRow, ConflictRow, ErrorRow, FindingRow, SourceRow};

/// A report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Csv {
        path: PathBuf,
        #[source]
        source: csv::Error,
    },
}

/// One CSV report being written under a temporary name.
struct Report {
    path: PathBuf,
    temp: PathBuf,
    writer: Option<csv::Writer<BufWriter<File>>>,
}

impl Report {
    /// The header row is written at once, so that a report with no rows
    /// still tells a spreadsheet its columns.
    fn create(dir: &Path, name: &str, header: &[&str]) -> Result<Report, ReportError> {
        let path = dir.join(name);
        let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let file = File::create(&temp).map_err(|source| ReportError::Io {
            path: temp.clone(),
            source,
        })?;
        let mut writer = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(BufWriter::with_capacity(1 << 16, file));
        writer
            .write_record(header)
            .map_err(|source| ReportError::Csv {
                path: path.clone(),
                source,
            })?;
        Ok(Report {
            path,
            temp,
            writer: Some(writer),
        })
    }

    fn write<T: Serialize>(&mut self, row: &T) -> Result<(), ReportError> {
        if let Some(w) = self.writer.as_mut() {
            w.serialize(row).map_err(|source| ReportError::Csv {
                path: self.path.clone(),
                source,
            })?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), ReportError> {
        let Some(w) = self.writer.take() else {
            return Ok(());
        };
        let io = |path: &Path, source| ReportError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = w
            .into_inner()
            .map_err(|e| io(&self.path, e.into_error()))?
            .into_inner()
            .map_err(|e| io(&self.path, e.into_error()))?;
        file.sync_all().map_err(|e| io(&self.temp, e))?;
        std::fs::rename(&self.temp, &self.path).map_err(|e| io(&self.path, e))
    }
}

impl Drop for Report {
    fn drop(&mut self) {
        // A report that was not finished is removed, never left half-written.
        if self.writer.is_some() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// All CSV reports of one run.
pub struct Reports {
    articles: Report,
    findings: Report,
    claims: Report,
    conflicts: Report,
    sources: Report,
    errors: Report,
}

impl Reports {
    /// Creates the output folder and the reports' temporary files.
    pub fn create(dir: &Path) -> Result<Reports, ReportError> {
        std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        Ok(Reports {
            articles: Report::create(dir, "articles.csv", ArticleRow::HEADER)?,
            findings: Report::create(dir, "findings.csv", FindingRow::HEADER)?,
            claims: Report::create(dir, "claims.csv", ClaimRow::HEADER)?,
            conflicts: Report::create(dir, "conflicts.csv", ConflictRow::HEADER)?,
            sources: Report::create(dir, "sources.csv", SourceRow::HEADER)?,
            errors: Report::create(dir, "errors.csv", ErrorRow::HEADER)?,
        })
    }

    pub fn article(&mut self, row: &ArticleRow) -> Result<(), ReportError> {
        self.articles.write(row)
    }
    pub fn finding(&mut self, row: &FindingRow) -> Result<(), ReportError> {
        self.findings.write(row)
    }
    pub fn claim(&mut self, row: &ClaimRow) -> Result<(), ReportError> {
        self.claims.write(row)
    }
    pub fn conflict(&mut self, row: &ConflictRow) -> Result<(), ReportError> {
        self.conflicts.write(row)
    }
    pub fn source(&mut self, row: &SourceRow) -> Result<(), ReportError> {
        self.sources.write(row)
    }
    pub fn error(&mut self, row: &ErrorRow) -> Result<(), ReportError> {
        self.errors.write(row)
    }

    /// Flushes every report and renames it into place.
    pub fn finish(mut self) -> Result<(), ReportError> {
        for report in [
            &mut self.articles,
            &mut self.findings,
            &mut self.claims,
            &mut self.conflicts,
            &mut self.sources,
            &mut self.errors,
        ] {
            report.finish()?;
        }
        Ok(())
    }
}
