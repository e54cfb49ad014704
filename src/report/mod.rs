//! Reports: flat row structs, one per report, and the writers that put them
//! on disk in each `--format`.
//!
//! Rows are built per article (in parallel, from the analysis and the
//! body) and handed, in input order, to one sink per format: CSV and JSONL
//! files, an XLSX workbook, an HTML summary. Every format reads the same row
//! structs, so a column is added in one place. Every text cell is
//! neutralized against spreadsheet formula injection; every file is written
//! to a temporary name and renamed into place only when the run has
//! finished, so a report is whole or absent, never half-written. Column
//! order is an interface: see the README before changing it.

mod baseline;
mod cells;
mod format;
mod html;
mod render;
mod rows;
mod writer;
mod xlsx;

pub use baseline::Baseline;
pub use cells::{Cell, CellError, Decimal, NamedCells, cells, typed_option, typed_row, typed_rows};
pub use format::{Format, HTML_FILE, XLSX_FILE};
pub use render::{ClaimCheck, Rendered, RenderedConflicts, Renderer};
pub use rows::{
    ArticleRow, ArticleRows, ClaimRow, ConflictRow, ErrorRow, FindingRow, Row, SourceRow, Table,
    article_rows, cell,
};
pub use writer::{ClaimReplay, ReportError, Reports, write_sources_csv};
