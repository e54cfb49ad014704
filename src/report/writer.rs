//! Report files: one set of sinks per run, one per `--format`, each fed the
//! same rows. Every file is written under a temporary name and renamed into
//! place when the run finishes.
//!
//! A sink is picked by [`Format`] and dispatched by `match`, not through a
//! trait object: CSV and JSONL stream every row to disk, the workbook keeps
//! one row per sheet in memory (constant-memory mode), and the HTML report
//! keeps only aggregates and the twenty lowest articles.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::cells::{Cell, CellError, NamedCells, cells};
use super::format::Format;
use super::html::HtmlReport;
use super::rows::{ArticleRows, ClaimRow, ConflictRow, ErrorRow, Row, SourceRow, Table, cell};
use super::xlsx::XlsxReport;

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
    #[error("cannot write {path}: {source}")]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("cannot write {path}: {source}")]
    Xlsx {
        path: PathBuf,
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
    #[error(transparent)]
    Cell(#[from] CellError),
    #[error(transparent)]
    Link(#[from] crate::link::SpoolError),
}

impl ReportError {
    pub(super) fn io(path: &Path, source: std::io::Error) -> ReportError {
        ReportError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// A file being written under a temporary name in its final folder. It is
/// renamed into place by [`Staged::commit`]; dropped uncommitted, the
/// temporary file is removed, so a report is whole or absent.
pub(super) struct Staged {
    pub(super) path: PathBuf,
    pub(super) temp: PathBuf,
    committed: bool,
}

impl Staged {
    pub(super) fn new(dir: &Path, name: &str) -> Staged {
        Staged {
            path: dir.join(name),
            temp: dir.join(format!(".{name}.{}.tmp", std::process::id())),
            committed: false,
        }
    }

    /// Creates the temporary file.
    pub(super) fn create(&self) -> Result<File, ReportError> {
        File::create(&self.temp).map_err(|e| ReportError::io(&self.temp, e))
    }

    /// Syncs the temporary file (when the caller still holds it) and renames
    /// it into place.
    pub(super) fn commit(mut self, file: Option<File>) -> Result<(), ReportError> {
        if let Some(file) = file {
            file.sync_all()
                .map_err(|e| ReportError::io(&self.temp, e))?;
        }
        std::fs::rename(&self.temp, &self.path).map_err(|e| ReportError::io(&self.path, e))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

fn buffered(file: File) -> BufWriter<File> {
    BufWriter::with_capacity(1 << 16, file)
}

/// One CSV report.
struct CsvFile {
    staged: Staged,
    writer: csv::Writer<BufWriter<File>>,
}

impl CsvFile {
    /// The header row is written at once, so that a report with no rows
    /// still tells a spreadsheet its columns.
    fn create(dir: &Path, table: Table) -> Result<CsvFile, ReportError> {
        let staged = Staged::new(dir, &format!("{}.csv", table.name()));
        let mut writer = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(buffered(staged.create()?));
        writer
            .write_record(table.header())
            .map_err(|source| ReportError::Csv {
                path: staged.path.clone(),
                source,
            })?;
        Ok(CsvFile { staged, writer })
    }

    /// Writes one row's cells; numbers as their text, so the bytes are what
    /// serializing the row struct would write.
    fn write(&mut self, cells: &[(&'static str, Cell)]) -> Result<(), ReportError> {
        // Fields are borrowed from the cells, never copied; an integer is
        // formatted on the stack.
        let mut written = Ok(());
        for (_, c) in cells {
            let mut digits = [0u8; 20];
            let field: &[u8] = match c {
                Cell::Text(text) => text.as_bytes(),
                Cell::Integer(n) => {
                    let mut w = &mut digits[..];
                    let _ = write!(w, "{n}");
                    let len = 20 - w.len();
                    &digits[..len]
                }
                Cell::Decimal(d) => d.as_str().as_bytes(),
            };
            written = self.writer.write_field(field);
            if written.is_err() {
                break;
            }
        }
        written
            .and_then(|()| self.writer.write_record(None::<&[u8]>))
            .map_err(|source| ReportError::Csv {
                path: self.staged.path.clone(),
                source,
            })
    }

    fn finish(self) -> Result<(), ReportError> {
        let path = self.staged.path.clone();
        let file = self
            .writer
            .into_inner()
            .map_err(|e| ReportError::io(&path, e.into_error()))?
            .into_inner()
            .map_err(|e| ReportError::io(&path, e.into_error()))?;
        self.staged.commit(Some(file))
    }
}

/// One JSON Lines report: one object per row, keys in column order, numbers
/// as JSON numbers.
struct JsonlFile {
    staged: Staged,
    writer: BufWriter<File>,
}

impl JsonlFile {
    fn create(dir: &Path, table: Table) -> Result<JsonlFile, ReportError> {
        let staged = Staged::new(dir, &format!("{}.jsonl", table.name()));
        let writer = buffered(staged.create()?);
        Ok(JsonlFile { staged, writer })
    }

    fn write(&mut self, cells: &[(&'static str, Cell)]) -> Result<(), ReportError> {
        serde_json::to_writer(&mut self.writer, &NamedCells(cells)).map_err(|source| {
            ReportError::Json {
                path: self.staged.path.clone(),
                source,
            }
        })?;
        self.writer
            .write_all(b"\n")
            .map_err(|e| ReportError::io(&self.staged.path, e))
    }

    fn finish(self) -> Result<(), ReportError> {
        let path = self.staged.path.clone();
        let file = self
            .writer
            .into_inner()
            .map_err(|e| ReportError::io(&path, e.into_error()))?;
        self.staged.commit(Some(file))
    }
}

/// One output format's writers.
enum Sink {
    /// One file per report, indexed like [`Table::ALL`].
    Csv(Vec<CsvFile>),
    Jsonl(Vec<JsonlFile>),
    Xlsx(Box<XlsxReport>),
    Html(Box<HtmlReport>),
}

fn index(table: Table) -> usize {
    Table::ALL
        .iter()
        .position(|t| *t == table)
        .expect("Table::ALL lists every table")
}

impl Sink {
    fn create(dir: &Path, format: Format) -> Result<Sink, ReportError> {
        Ok(match format {
            Format::Csv => Sink::Csv(
                Table::ALL
                    .iter()
                    .map(|t| CsvFile::create(dir, *t))
                    .collect::<Result<_, _>>()?,
            ),
            Format::Jsonl => Sink::Jsonl(
                Table::ALL
                    .iter()
                    .map(|t| JsonlFile::create(dir, *t))
                    .collect::<Result<_, _>>()?,
            ),
            Format::Xlsx => Sink::Xlsx(Box::new(XlsxReport::create(dir)?)),
            Format::Html => Sink::Html(Box::new(HtmlReport::create(dir))),
        })
    }

    /// One row of a table, for the formats that write every row.
    fn row<R: Row>(&mut self, row: &R, raw: bool) -> Result<(), ReportError> {
        if let Sink::Html(_) = self {
            return Ok(());
        }
        let mut cells = cells(row)?;
        if !raw {
            neutralize(&mut cells);
        }
        match self {
            Sink::Csv(files) => files[index(R::TABLE)].write(&cells),
            Sink::Jsonl(files) => files[index(R::TABLE)].write(&cells),
            Sink::Xlsx(book) => book.row(R::TABLE, &cells),
            Sink::Html(_) => Ok(()),
        }
    }

    fn article(&mut self, rows: &ArticleRows, raw: bool) -> Result<(), ReportError> {
        if let Sink::Html(html) = self {
            html.article(rows);
            return Ok(());
        }
        self.row(&rows.article, raw)?;
        for f in &rows.findings {
            self.row(f, raw)?;
        }
        // Claims wait in the spool until the batch is linked.
        for c in &rows.conflicts {
            self.row(c, raw)?;
        }
        Ok(())
    }

    fn source(&mut self, row: &SourceRow, raw: bool) -> Result<(), ReportError> {
        match self {
            Sink::Html(html) => {
                html.source(row);
                Ok(())
            }
            _ => self.row(row, raw),
        }
    }

    fn error(&mut self, row: &ErrorRow, raw: bool) -> Result<(), ReportError> {
        match self {
            Sink::Html(html) => {
                html.error(row);
                Ok(())
            }
            _ => self.row(row, raw),
        }
    }

    fn finish(self) -> Result<(), ReportError> {
        match self {
            Sink::Csv(files) => files.into_iter().try_for_each(CsvFile::finish),
            Sink::Jsonl(files) => files.into_iter().try_for_each(JsonlFile::finish),
            Sink::Xlsx(book) => book.finish(),
            Sink::Html(html) => html.finish(),
        }
    }
}

/// Puts a `'` before every text cell a spreadsheet would run as a formula.
fn neutralize(cells: &mut [(&'static str, Cell)]) {
    for (_, c) in cells {
        if let Cell::Text(text) = c
            && text.starts_with(['=', '+', '-', '@', '\t', '\r'])
        {
            *text = cell(text);
        }
    }
}

/// Claims wait here, one JSON line each, until the whole batch is linked
/// and their verification is known; memory stays flat whatever the batch.
/// The file lives beside the reports and is removed when the run ends.
struct ClaimSpool {
    staged: Staged,
    writer: Option<BufWriter<File>>,
}

impl ClaimSpool {
    fn create(dir: &Path) -> Result<ClaimSpool, ReportError> {
        let staged = Staged::new(dir, "claims.spool");
        let writer = Some(buffered(staged.create()?));
        Ok(ClaimSpool { staged, writer })
    }

    fn write(&mut self, seq: usize, c: &ClaimRow) -> Result<(), ReportError> {
        let Some(w) = self.writer.as_mut() else {
            return Ok(());
        };
        serde_json::to_writer(&mut *w, &(seq, c)).map_err(|source| ReportError::Json {
            path: self.staged.temp.clone(),
            source,
        })?;
        w.write_all(b"\n")
            .map_err(|e| ReportError::io(&self.staged.temp, e))
    }

    /// Reads the claims back in the order they were written. Lines are
    /// decoded a batch at a time on the rayon pool while the calling thread
    /// hands the batch before to `each`, so decoding overlaps writing.
    fn replay(
        &mut self,
        mut each: impl FnMut(usize, ClaimRow) -> Result<(), ReportError>,
    ) -> Result<(), ReportError> {
        use std::io::BufRead;
        const BATCH: usize = 2048;
        let Some(w) = self.writer.take() else {
            return Ok(());
        };
        let temp = self.staged.temp.clone();
        w.into_inner()
            .map_err(|e| ReportError::io(&temp, e.into_error()))?;
        let file = File::open(&temp).map_err(|e| ReportError::io(&temp, e))?;
        let mut lines = std::io::BufReader::new(file).lines();
        let mut read_batch = || -> Result<Vec<String>, ReportError> {
            lines
                .by_ref()
                .take(BATCH)
                .map(|line| line.map_err(|e| ReportError::io(&temp, e)))
                .collect()
        };
        let decode = |batch: &[String]| -> Vec<Result<(usize, ClaimRow), serde_json::Error>> {
            batch
                .iter()
                .map(|line| serde_json::from_str(line))
                .collect()
        };
        let mut next = read_batch()?;
        let mut decoded = Vec::new();
        while !next.is_empty() || !decoded.is_empty() {
            let batch = std::mem::take(&mut next);
            let mut fresh = Vec::new();
            let mut handled = Ok(());
            rayon::in_place_scope(|scope| {
                scope.spawn(|_| fresh = decode(&batch));
                handled = std::mem::take(&mut decoded)
                    .into_iter()
                    .try_for_each(|row| match row {
                        Ok((seq, row)) => each(seq, row),
                        Err(source) => Err(ReportError::Json {
                            path: self.staged.temp.clone(),
                            source,
                        }),
                    })
                    .and_then(|()| {
                        next = read_batch()?;
                        Ok(())
                    });
            });
            handled?;
            decoded = fresh;
        }
        Ok(())
    }
}

/// Writes `sources.csv` alone into `dir` (created if missing), byte for
/// byte as [`Reports`] writes it, text cells neutralized: what `credence
/// finalize` writes.
pub fn write_sources_csv(dir: &Path, rows: &[SourceRow]) -> Result<(), ReportError> {
    std::fs::create_dir_all(dir).map_err(|e| ReportError::io(dir, e))?;
    let mut file = CsvFile::create(dir, Table::Sources)?;
    for row in rows {
        let mut cells = cells(row)?;
        neutralize(&mut cells);
        file.write(&cells)?;
    }
    file.finish()
}

/// All reports of one run, in every format asked for.
pub struct Reports {
    dir: PathBuf,
    sinks: Vec<Sink>,
    spool: ClaimSpool,
    /// Write text cells as they are (`--raw-cells`), not neutralized.
    raw: bool,
}

impl Reports {
    /// Creates the output folder and the reports' temporary files. Each
    /// format is written once, whatever the number of times it is named.
    pub fn create(dir: &Path, formats: &[Format]) -> Result<Reports, ReportError> {
        std::fs::create_dir_all(dir).map_err(|e| ReportError::io(dir, e))?;
        let mut formats = formats.to_vec();
        formats.sort();
        formats.dedup();
        let sinks = formats
            .into_iter()
            .map(|f| Sink::create(dir, f))
            .collect::<Result<_, _>>()?;
        Ok(Reports {
            dir: dir.to_path_buf(),
            sinks,
            spool: ClaimSpool::create(dir)?,
            raw: false,
        })
    }

    /// With `raw`, text cells are written as they are, even when a
    /// spreadsheet would run them as formulas (`--raw-cells`). By default
    /// every text cell of every format is neutralized.
    pub fn raw_cells(mut self, raw: bool) -> Reports {
        self.raw = raw;
        self
    }

    /// The folder the reports are written to; spools live there too.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Everything one article contributes: its row, findings and conflicts
    /// now; its claims once the batch is linked (see [`Reports::claims`]).
    /// `seq` is the article's position in the input.
    pub fn article(&mut self, seq: usize, rows: &ArticleRows) -> Result<(), ReportError> {
        for c in &rows.claims {
            self.spool.write(seq, c)?;
        }
        let raw = self.raw;
        self.sinks.iter_mut().try_for_each(|s| s.article(rows, raw))
    }

    /// Writes every spooled claim, in input order, after `verify` has filled
    /// in what the batch says about it.
    pub fn claims(
        &mut self,
        mut verify: impl FnMut(usize, &mut ClaimRow),
    ) -> Result<(), ReportError> {
        let sinks = &mut self.sinks;
        let raw = self.raw;
        self.spool.replay(|seq, mut row| {
            verify(seq, &mut row);
            sinks.iter_mut().try_for_each(|s| s.row(&row, raw))
        })
    }

    /// A conflict found by linking the batch.
    pub fn conflict(&mut self, row: &ConflictRow) -> Result<(), ReportError> {
        let raw = self.raw;
        self.sinks.iter_mut().try_for_each(|s| s.row(row, raw))
    }

    /// One outlet or author, best first.
    pub fn source(&mut self, row: &SourceRow) -> Result<(), ReportError> {
        let raw = self.raw;
        self.sinks.iter_mut().try_for_each(|s| s.source(row, raw))
    }

    /// One record that could not be used.
    pub fn error(&mut self, row: &ErrorRow) -> Result<(), ReportError> {
        let raw = self.raw;
        self.sinks.iter_mut().try_for_each(|s| s.error(row, raw))
    }

    /// Finishes every report and renames it into place.
    pub fn finish(self) -> Result<(), ReportError> {
        self.sinks.into_iter().try_for_each(Sink::finish)
    }
}
