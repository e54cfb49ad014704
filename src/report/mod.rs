//! Reports: flat row structs, one per report, and the writers that put them
//! on disk.
//!
//! Rows are built per article (in parallel, from the analysis and the
//! body) and written in input order. Every text cell is neutralized against
//! spreadsheet formula injection; every file is written to a temporary name
//! and renamed into place only when the run has finished, so a report is
//! whole or absent, never half-written. Column order is an interface: see the
//! README before changing it.

mod rows;
mod writer;

pub use rows::{
    ArticleRow, ArticleRows, ClaimRow, ConflictRow, ErrorRow, FindingRow, SourceRow, article_rows,
    cell,
};
pub use writer::{ReportError, Reports};
