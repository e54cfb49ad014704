//! Output formats a run can write, chosen with `--format`.

use std::str::FromStr;

/// One output format. A run writes any set of them from the same rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// `articles.csv`, `findings.csv`, ...: one CSV file per report.
    Csv,
    /// `articles.jsonl`, `findings.jsonl`, ...: one JSON object per row.
    Jsonl,
    /// `credence.xlsx`: one workbook, a sheet per report.
    Xlsx,
    /// `report.html`: one self-contained page of charts and the worst articles.
    Html,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 4] = [Format::Csv, Format::Jsonl, Format::Xlsx, Format::Html];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
            Format::Xlsx => "xlsx",
            Format::Html => "html",
        }
    }

    /// The files this format writes into the output folder.
    pub fn files(self) -> Vec<String> {
        use super::rows::Table;
        match self {
            Format::Csv | Format::Jsonl => Table::ALL
                .iter()
                .map(|t| format!("{}.{}", t.name(), self.name()))
                .collect(),
            Format::Xlsx => vec![XLSX_FILE.to_string()],
            Format::Html => vec![HTML_FILE.to_string()],
        }
    }
}

/// The workbook's file name.
pub const XLSX_FILE: &str = "credence.xlsx";
/// The HTML report's file name.
pub const HTML_FILE: &str = "report.html";

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        let s = s.trim();
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown report format {s:?}: expected csv, jsonl, xlsx or html")
            })
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
