//! Readers: turn CSV, JSON Lines, text files and folders into [`Article`]s.
//!
//! Every record becomes either an `Article` or a [`RecordError`] that names the
//! file and the line or row, so that one bad record never stops a batch or
//! loses its neighbours. Problems with the input as a whole (a missing file, a
//! CSV without a body column) are an [`InputError`] and stop the run before it
//! starts. Readers stream: nothing here holds more than one record at a time
//! beyond what the underlying parser buffers.

use std::path::PathBuf;

/// One news article as read from the input, all fields owned text.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Article {
    /// Stable identifier; from the record, else derived from file and row.
    pub id: String,
    /// Outlet name or domain.
    pub source: String,
    /// Byline as given (may name several people).
    pub author: String,
    pub url: String,
    pub published: String,
    pub title: String,
    pub body: String,
}

/// A record that could not be used, with where it came from and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// The file the record came from (`-` for stdin).
    pub file: String,
    /// Where in the file: `line 12`, `row 5`, or empty for a whole file in a folder.
    pub location: String,
    /// The record's id when it could be read, else empty.
    pub id: String,
    /// What is wrong and, where possible, what to do.
    pub reason: String,
}

/// One item of an input stream.
pub type Record = Result<Article, RecordError>;

/// A problem with the input as a whole: the run cannot start.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}
