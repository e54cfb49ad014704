//! Readers: turn CSV, JSON Lines, text files and folders into [`Article`]s.
//!
//! Every record becomes either an `Article` or a [`RecordError`] that names the
//! file and the line or row, so that one bad record never stops a batch or
//! loses its neighbours. Problems with the input as a whole (a missing file, a
//! CSV without a body column) are an [`InputError`] and stop the run before it
//! starts. Readers stream: nothing here holds more than one record at a time
//! beyond what the underlying parser buffers.

mod csv;
mod dir;
mod domain;
mod fields;
mod jsonl;
mod lines;
#[cfg(test)]
mod tests;
mod text;

pub use domain::{domain_of, host_of, is_shared_host};
pub use fields::parse_map;

use std::fmt;
use std::fs::File;
use std::io::{self, BufReader};
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

use fields::{FieldMap, FieldValues};

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

/// How an input path is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Comma-, tab- or semicolon-separated values with a header row.
    Csv,
    /// JSON Lines: one object per line.
    Jsonl,
    /// One article per text or Markdown file.
    Text,
    /// A folder of text, Markdown, CSV and JSON Lines files.
    Dir,
}

impl InputFormat {
    /// The format's name as accepted by [`FromStr`].
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Csv => "csv",
            InputFormat::Jsonl => "jsonl",
            InputFormat::Text => "text",
            InputFormat::Dir => "dir",
        }
    }

    /// The format a file name implies: `.csv`/`.tsv` CSV, `.jsonl`/`.ndjson`/
    /// `.json` JSON Lines, anything else text.
    pub fn from_extension(path: &Path) -> InputFormat {
        match known_extension(path) {
            Some(format) => format,
            None => InputFormat::Text,
        }
    }
}

/// The format of a file whose extension says what it is, else `None`.
fn known_extension(path: &Path) -> Option<InputFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "tsv" => Some(InputFormat::Csv),
        "jsonl" | "ndjson" | "json" => Some(InputFormat::Jsonl),
        "txt" | "text" | "md" | "markdown" => Some(InputFormat::Text),
        _ => None,
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for InputFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<InputFormat, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" | "tsv" => Ok(InputFormat::Csv),
            "jsonl" | "json" | "ndjson" => Ok(InputFormat::Jsonl),
            "text" | "txt" => Ok(InputFormat::Text),
            "dir" => Ok(InputFormat::Dir),
            _ => Err(format!(
                "unknown input format `{}`: expected one of csv, jsonl (or json, ndjson), text (or txt), dir",
                s.trim()
            )),
        }
    }
}

/// How to read an input: format, column mapping and source override.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// `None` detects: a directory is `Dir`, else by extension; stdin is `Jsonl`.
    pub format: Option<InputFormat>,
    /// `(field, column)` pairs: the field's value comes from that column or key.
    pub map: Vec<(String, String)>,
    /// Overrides every record's source.
    pub source: Option<String>,
    /// Longest article body, in bytes (`--max-article-bytes`); `None` is
    /// [`DEFAULT_MAX_ARTICLE_BYTES`], `Some(0)` no limit. A longer body is a
    /// [`RecordError`] that names the limit and the flag.
    pub max_article_bytes: Option<usize>,
}

/// Longest article body scored unless `--max-article-bytes` says otherwise:
/// 2 MiB, some fifty times a long feature.
pub const DEFAULT_MAX_ARTICLE_BYTES: usize = 2 * 1024 * 1024;

/// A streaming iterator of records from one input.
pub struct Records {
    inner: Box<dyn Iterator<Item = Pending> + Send>,
}

impl Records {
    fn new(inner: impl Iterator<Item = Record> + Send + 'static) -> Records {
        Records::lazy(inner.map(Pending::from))
    }

    fn lazy(inner: impl Iterator<Item = Pending> + Send + 'static) -> Records {
        Records {
            inner: Box::new(inner),
        }
    }

    /// The records as read, each parsed only when [`Pending::parse`] is
    /// called: the reading stays in order on one thread while the parsing
    /// can go to many.
    pub fn pending(self) -> impl Iterator<Item = Pending> + Send {
        self.inner
    }
}

impl Iterator for Records {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        self.inner.next().map(Pending::parse)
    }
}

/// One record as read from its input, perhaps not parsed yet.
#[derive(Debug)]
pub struct Pending(PendingKind);

#[derive(Debug)]
enum PendingKind {
    Ready(Record),
    /// A JSON Lines line, its line number and its record number.
    JsonLine {
        line: Vec<u8>,
        n: u64,
        number: u64,
        ctx: std::sync::Arc<Ctx>,
    },
}

impl Pending {
    /// The record: parsed now if it was not yet. The result is the same
    /// whichever thread parses it.
    pub fn parse(self) -> Record {
        match self.0 {
            PendingKind::Ready(record) => record,
            PendingKind::JsonLine {
                line,
                n,
                number,
                ctx,
            } => jsonl::record(&ctx, &line, n, number),
        }
    }
}

impl From<Record> for Pending {
    fn from(record: Record) -> Pending {
        Pending(PendingKind::Ready(record))
    }
}

impl fmt::Debug for Records {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Records").finish_non_exhaustive()
    }
}

/// Opens `path` ("-" = stdin) and returns a streaming iterator of records.
///
/// Fails, before reading any record, on a missing or unreadable path, an
/// invalid `--map`, a format that does not fit the path, or a CSV header
/// without a body column.
pub fn open(path: &str, options: &ReadOptions) -> Result<Records, InputError> {
    let invalid = |message: String| InputError::Invalid {
        path: path.into(),
        message,
    };
    let fields = FieldMap::new(&options.map).map_err(invalid)?;
    let source = options
        .source
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let max_body = options
        .max_article_bytes
        .unwrap_or(DEFAULT_MAX_ARTICLE_BYTES);

    if path == "-" {
        let ctx = Ctx {
            file: "-".to_owned(),
            stem: "stdin".to_owned(),
            folder: String::new(),
            source,
            fields,
            max_body,
        };
        return open_stdin(options.format.unwrap_or(InputFormat::Jsonl), ctx);
    }

    let file_path = Path::new(path);
    let metadata = std::fs::metadata(file_path).map_err(|source| InputError::Io {
        path: file_path.to_path_buf(),
        source,
    })?;
    let format = match options.format {
        Some(format) => format,
        None if metadata.is_dir() => InputFormat::Dir,
        None => InputFormat::from_extension(file_path),
    };
    match (format, metadata.is_dir()) {
        (InputFormat::Dir, true) => dir::open(file_path, source, fields, max_body),
        (InputFormat::Dir, false) => Err(invalid(
            "is a file, not a folder; leave out `--format dir` to read it by its extension"
                .to_owned(),
        )),
        (_, true) => Err(invalid(format!(
            "is a folder, not a {format} file; use `--format dir` or leave out --format"
        ))),
        (format, false) => {
            let ctx = Ctx {
                file: path.to_owned(),
                stem: file_stem(file_path),
                folder: folder_name(file_path.parent().unwrap_or(Path::new(""))),
                source,
                fields,
                max_body,
            };
            open_file(file_path, format, ctx)
        }
    }
}

/// Bytes read from a file or standard input at a time: a few hundred
/// thousand, so that most records lie whole in the buffer (one copy each)
/// and a 20 MB file takes some eighty reads rather than thousands.
const READ_BUFFER: usize = 1 << 18;

/// Reads standard input in `format`.
fn open_stdin(format: InputFormat, ctx: Ctx) -> Result<Records, InputError> {
    let reader = BufReader::with_capacity(READ_BUFFER, io::stdin());
    match format {
        InputFormat::Csv => Ok(Records::new(csv::open(reader, ctx, b',')?)),
        InputFormat::Jsonl => Ok(Records::lazy(jsonl::open(reader, ctx)?)),
        InputFormat::Text => Ok(Records::new(std::iter::once_with(move || {
            text::read(reader, &ctx)
        }))),
        InputFormat::Dir => Err(InputError::Invalid {
            path: "-".into(),
            message: "standard input cannot be read as a folder".to_owned(),
        }),
    }
}

/// Opens one file (not a folder) in `format`.
fn open_file(path: &Path, format: InputFormat, ctx: Ctx) -> Result<Records, InputError> {
    let file = File::open(path).map_err(|source| InputError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let reader = BufReader::with_capacity(READ_BUFFER, file);
    match format {
        InputFormat::Csv => {
            let is_tsv = path
                .extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("tsv"));
            let delimiter = if is_tsv { b'\t' } else { b',' };
            Ok(Records::new(csv::open(reader, ctx, delimiter)?))
        }
        InputFormat::Jsonl => Ok(Records::lazy(jsonl::open(reader, ctx)?)),
        // Text is read when the record is asked for, so a folder holds at
        // most one text file in memory at a time.
        InputFormat::Text => Ok(Records::new(std::iter::once_with(move || {
            text::read(reader, &ctx)
        }))),
        InputFormat::Dir => Err(InputError::Invalid {
            path: path.to_path_buf(),
            message: "is a file, not a folder".to_owned(),
        }),
    }
}

/// The file name without its extension, for fallback ids.
fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The name of folder `dir`; `""`, `.` and `..` are resolved on disk so that
/// a file in the current directory still gets a name.
fn folder_name(dir: &Path) -> String {
    if let Some(Component::Normal(name)) = dir.components().next_back() {
        return name.to_string_lossy().into_owned();
    }
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    std::fs::canonicalize(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

/// What every record of one file shares: where it came from and how to
/// fill fields the record lacks.
#[derive(Debug, Clone)]
struct Ctx {
    /// The file as given, for [`RecordError::file`].
    file: String,
    /// File stem for fallback ids.
    stem: String,
    /// Name of the folder holding the file: the source of last resort.
    folder: String,
    /// `--source`, which overrides everything.
    source: Option<String>,
    fields: FieldMap,
    /// Longest body, in bytes; 0 is no limit.
    max_body: usize,
}

impl Ctx {
    /// Longest raw record (line, CSV row, text file) read, in bytes: room
    /// for a body at the limit, its other fields and JSON escapes, and never
    /// less than the default line limit.
    fn record_limit(&self) -> usize {
        match self.max_body {
            0 => usize::MAX,
            max => max
                .saturating_mul(2)
                .saturating_add(1 << 20)
                .max(lines::MAX_LINE_BYTES),
        }
    }

    /// The reason for a record skipped unread because it is over `limit`.
    fn too_long(&self, what: &str, limit: usize) -> String {
        format!(
            "{what} is longer than {limit} bytes, the most read for one record \
             (--max-article-bytes {}); skipped; raise --max-article-bytes to read it",
            self.max_body
        )
    }

    /// A [`RecordError`] in this file.
    fn error(&self, location: &str, id: &str, reason: impl Into<String>) -> RecordError {
        RecordError {
            file: self.file.clone(),
            location: location.to_owned(),
            id: id.to_owned(),
            reason: reason.into(),
        }
    }

    /// The record's own id, else `STEM-N` for record `number`, else the stem.
    fn id(&self, raw: &str, number: Option<u64>) -> String {
        let raw = raw.trim();
        match number {
            _ if !raw.is_empty() => raw.to_owned(),
            Some(n) => format!("{}-{n}", self.stem),
            None => self.stem.clone(),
        }
    }

    /// Builds the article from raw field values, filling id and source.
    fn article(&self, values: FieldValues, number: Option<u64>, location: &str) -> Record {
        let [id, source, author, url, published, title, body] = values;
        let id = self.id(&id, number);
        if body.trim().is_empty() {
            return Err(self.error(location, &id, "empty body"));
        }
        if self.max_body > 0 && body.len() > self.max_body {
            let reason = format!(
                "body is {} bytes, over the limit of {} bytes; not scored; \
                 raise the limit with --max-article-bytes (0 = no limit)",
                body.len(),
                self.max_body
            );
            return Err(self.error(location, &id, reason));
        }
        let url = trimmed(url);
        let source = trimmed(source);
        let source = match &self.source {
            Some(given) => given.clone(),
            None if !source.is_empty() => source,
            None => domain_of(&url).unwrap_or_else(|| self.folder.clone()),
        };
        Ok(Article {
            id,
            source,
            author: trimmed(author),
            url,
            published: trimmed(published),
            title: trimmed(title),
            body,
        })
    }
}

/// `s` without surrounding whitespace, reusing the allocation when possible.
fn trimmed(s: String) -> String {
    if s.trim().len() == s.len() {
        s
    } else {
        s.trim().to_owned()
    }
}

/// The message of an input error without the path, for a [`RecordError`]
/// that already names the file.
fn reason_of(error: &InputError) -> String {
    match error {
        InputError::Io { source, .. } => format!("cannot read: {source}"),
        InputError::Invalid { message, .. } => message.clone(),
    }
}
