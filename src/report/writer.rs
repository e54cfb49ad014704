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

use super::cells::{Cell, CellError, NamedCells, csv_fields as csv_row_fields};
use super::format::Format;
use super::html::HtmlReport;
use super::render::{ClaimCheck, Rendered, RenderedConflicts, Renderer, SpooledClaim, csv_field};
use super::rows::{ArticleRows, ClaimRow, ConflictRow, ErrorRow, Row, SourceRow, Table};
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

/// One CSV report. Rows are rendered to bytes by [`super::render`], in
/// the bytes the `csv` crate writes.
struct CsvFile {
    staged: Staged,
    writer: BufWriter<File>,
    /// One row's bytes, reused.
    row: Vec<u8>,
}

impl CsvFile {
    /// The header row is written at once, so that a report with no rows
    /// still tells a spreadsheet its columns.
    fn create(dir: &Path, table: Table) -> Result<CsvFile, ReportError> {
        let staged = Staged::new(dir, &format!("{}.csv", table.name()));
        let writer = buffered(staged.create()?);
        let mut file = CsvFile {
            staged,
            writer,
            row: Vec::new(),
        };
        for (i, name) in table.header().iter().enumerate() {
            if i > 0 {
                file.row.push(b',');
            }
            csv_field(name.as_bytes(), &mut file.row);
        }
        file.row.push(b'\n');
        file.flush_row()?;
        Ok(file)
    }

    /// Writes one row struct, rendered straight from its fields.
    fn write_row<R: Row>(&mut self, row: &R, raw: bool) -> Result<(), ReportError> {
        let rendered = csv_row_fields(row, raw, 0..usize::MAX, &mut self.row);
        self.row.push(b'\n');
        if let Err(e) = rendered {
            self.row.clear();
            return Err(e.into());
        }
        self.flush_row()
    }

    fn flush_row(&mut self) -> Result<(), ReportError> {
        let written = self.writer.write_all(&self.row);
        self.row.clear();
        written.map_err(|e| ReportError::io(&self.staged.path, e))
    }

    /// Writes rows already rendered.
    fn write_bytes(&mut self, bytes: &[u8]) -> Result<(), ReportError> {
        self.writer
            .write_all(bytes)
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

    /// Writes rows already rendered.
    fn write_bytes(&mut self, bytes: &[u8]) -> Result<(), ReportError> {
        self.writer
            .write_all(bytes)
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
    fn row<R: Row>(&mut self, row: &R, renderer: &Renderer) -> Result<(), ReportError> {
        match self {
            Sink::Html(_) => return Ok(()),
            Sink::Csv(files) => return files[index(R::TABLE)].write_row(row, renderer.raw),
            _ => {}
        }
        let cells = renderer.cells(row)?;
        match self {
            Sink::Jsonl(files) => files[index(R::TABLE)].write(&cells),
            Sink::Xlsx(book) => book.row(R::TABLE, &cells),
            Sink::Csv(_) | Sink::Html(_) => Ok(()),
        }
    }

    /// An article's rows; the streaming formats copy their rendered bytes.
    /// Claims wait in the spool until the batch is linked.
    fn article(
        &mut self,
        rows: &ArticleRows,
        rendered: &Rendered,
        renderer: &Renderer,
    ) -> Result<(), ReportError> {
        const TABLES: [Table; 3] = [Table::Articles, Table::Findings, Table::Conflicts];
        match self {
            Sink::Csv(files) => TABLES
                .iter()
                .try_for_each(|&t| files[index(t)].write_bytes(rendered.csv.table(t))),
            Sink::Jsonl(files) => TABLES
                .iter()
                .try_for_each(|&t| files[index(t)].write_bytes(rendered.jsonl.table(t))),
            Sink::Xlsx(_) => {
                self.row(&rows.article, renderer)?;
                for f in &rows.findings {
                    self.row(f, renderer)?;
                }
                for c in &rows.conflicts {
                    self.row(c, renderer)?;
                }
                Ok(())
            }
            Sink::Html(html) => {
                html.article(rows);
                Ok(())
            }
        }
    }

    /// A spooled claim with its verification: the batch's `check`, and the
    /// cells the streaming formats splice in.
    fn claim(
        &mut self,
        claim: &SpooledClaim<'_>,
        check: Option<&ClaimCheck>,
        middle: &[(&'static str, Cell)],
        renderer: &Renderer,
        row: &mut Vec<u8>,
    ) -> Result<(), ReportError> {
        let claims = index(Table::Claims);
        match self {
            Sink::Csv(files) => {
                claim.csv_row(middle, row);
                let written = files[claims].write_bytes(row);
                row.clear();
                written
            }
            Sink::Jsonl(files) => {
                claim.jsonl_row(middle, row);
                let written = files[claims].write_bytes(row);
                row.clear();
                written
            }
            Sink::Xlsx(_) => {
                let mut typed: ClaimRow =
                    serde_json::from_slice(claim.typed).map_err(|source| ReportError::Json {
                        path: PathBuf::from(SPOOL),
                        source,
                    })?;
                if let Some(check) = check {
                    typed.verification.clone_from(&check.verification);
                    typed.agrees.clone_from(&check.agrees);
                    typed.disagrees.clone_from(&check.disagrees);
                }
                self.row(&typed, renderer)
            }
            Sink::Html(_) => Ok(()),
        }
    }

    fn source(&mut self, row: &SourceRow, renderer: &Renderer) -> Result<(), ReportError> {
        match self {
            Sink::Html(html) => {
                html.source(row);
                Ok(())
            }
            _ => self.row(row, renderer),
        }
    }

    fn error(&mut self, row: &ErrorRow, renderer: &Renderer) -> Result<(), ReportError> {
        match self {
            Sink::Html(html) => {
                html.error(row);
                Ok(())
            }
            _ => self.row(row, renderer),
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

/// The claim spool's file name, beside the reports.
const SPOOL: &str = "claims.spool";

/// Claims wait here until the whole batch is linked and their verification
/// is known; memory stays flat whatever the batch. Each claim is a record
/// rendered on a worker (see [`Renderer`]): its rows with a gap where the
/// verification goes. The file lives beside the reports and is removed
/// when the run ends.
struct ClaimSpool {
    staged: Staged,
    writer: Option<BufWriter<File>>,
}

impl ClaimSpool {
    fn create(dir: &Path) -> Result<ClaimSpool, ReportError> {
        let staged = Staged::new(dir, SPOOL);
        let writer = Some(buffered(staged.create()?));
        Ok(ClaimSpool { staged, writer })
    }

    /// Appends rendered claim records.
    fn write(&mut self, records: &[u8]) -> Result<(), ReportError> {
        let Some(w) = self.writer.as_mut() else {
            return Ok(());
        };
        w.write_all(records)
            .map_err(|e| ReportError::io(&self.staged.temp, e))
    }

    /// Starts reading the claims back, in the order they were written.
    fn replay(&mut self) -> Result<ClaimReplay, ReportError> {
        let temp = self.staged.temp.clone();
        let Some(w) = self.writer.take() else {
            return Ok(ClaimReplay {
                reader: None,
                temp,
                record: Vec::new(),
                row: Vec::new(),
            });
        };
        w.into_inner()
            .map_err(|e| ReportError::io(&temp, e.into_error()))?;
        let file = File::open(&temp).map_err(|e| ReportError::io(&temp, e))?;
        Ok(ClaimReplay {
            reader: Some(std::io::BufReader::with_capacity(1 << 16, file)),
            temp,
            record: Vec::new(),
            row: Vec::new(),
        })
    }
}

/// Spooled claims being read back (see [`Reports::claim_replay`]).
pub struct ClaimReplay {
    /// `None` once every claim was read.
    reader: Option<std::io::BufReader<File>>,
    temp: PathBuf,
    /// The record being read, and a row being written: reused.
    record: Vec<u8>,
    row: Vec<u8>,
}

impl ClaimReplay {
    /// Reads the next claim record into `record`; false after the last.
    fn next_record(&mut self) -> Result<bool, ReportError> {
        use std::io::Read;
        let Some(reader) = self.reader.as_mut() else {
            return Ok(false);
        };
        let mut len = [0u8; 8];
        match reader.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                self.reader = None;
                return Ok(false);
            }
            Err(e) => return Err(ReportError::io(&self.temp, e)),
        }
        let len = usize::try_from(u64::from_le_bytes(len)).map_err(|_| damaged(&self.temp))?;
        self.record.resize(len, 0);
        reader
            .read_exact(&mut self.record)
            .map_err(|e| ReportError::io(&self.temp, e))?;
        Ok(true)
    }
}

fn damaged(spool: &Path) -> ReportError {
    ReportError::io(
        spool,
        std::io::Error::new(std::io::ErrorKind::InvalidData, "damaged claim record"),
    )
}

/// Writes `sources.csv` alone into `dir` (created if missing), byte for
/// byte as [`Reports`] writes it, text cells neutralized: what `credence
/// finalize` writes.
pub fn write_sources_csv(dir: &Path, rows: &[SourceRow]) -> Result<(), ReportError> {
    std::fs::create_dir_all(dir).map_err(|e| ReportError::io(dir, e))?;
    let mut file = CsvFile::create(dir, Table::Sources)?;
    for row in rows {
        file.write_row(row, false)?;
    }
    file.finish()
}

/// All reports of one run, in every format asked for.
pub struct Reports {
    dir: PathBuf,
    sinks: Vec<Sink>,
    spool: ClaimSpool,
    /// How rows become bytes, `--raw-cells` included.
    renderer: Renderer,
}

impl Reports {
    /// Creates the output folder and the reports' temporary files. Each
    /// format is written once, whatever the number of times it is named.
    pub fn create(dir: &Path, formats: &[Format]) -> Result<Reports, ReportError> {
        std::fs::create_dir_all(dir).map_err(|e| ReportError::io(dir, e))?;
        let mut formats = formats.to_vec();
        formats.sort();
        formats.dedup();
        let renderer = Renderer {
            csv: formats.contains(&Format::Csv),
            jsonl: formats.contains(&Format::Jsonl),
            typed_claims: formats.contains(&Format::Xlsx),
            typed_rows: formats.contains(&Format::Xlsx) || formats.contains(&Format::Html),
            raw: false,
        };
        let sinks = formats
            .into_iter()
            .map(|f| Sink::create(dir, f))
            .collect::<Result<_, _>>()?;
        Ok(Reports {
            dir: dir.to_path_buf(),
            sinks,
            spool: ClaimSpool::create(dir)?,
            renderer,
        })
    }

    /// With `raw`, text cells are written as they are, even when a
    /// spreadsheet would run them as formulas (`--raw-cells`). By default
    /// every text cell of every format is neutralized.
    pub fn raw_cells(mut self, raw: bool) -> Reports {
        self.renderer.raw = raw;
        self
    }

    /// What renders an article's rows for these reports, on any thread
    /// (see [`Reports::article`]).
    pub fn renderer(&self) -> Renderer {
        self.renderer
    }

    /// The folder the reports are written to; spools live there too.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Everything one article contributes: its row, findings and conflicts
    /// now; its claims once the batch is linked (see [`Reports::claims`]).
    /// `rendered` is what [`Reports::renderer`] made of `rows`.
    pub fn article(&mut self, rows: &ArticleRows, rendered: &Rendered) -> Result<(), ReportError> {
        self.spool.write(&rendered.claims)?;
        let renderer = &self.renderer;
        self.sinks
            .iter_mut()
            .try_for_each(|s| s.article(rows, rendered, renderer))
    }

    /// Writes every spooled claim, in input order, with what `verify` says
    /// the batch found about it: called with the claim's article position
    /// and sentence number, `None` keeps the claim's verification as built.
    pub fn claims(
        &mut self,
        mut verify: impl FnMut(usize, usize) -> Option<ClaimCheck>,
    ) -> Result<(), ReportError> {
        let mut replay = self.claim_replay()?;
        while self.replay_claims(&mut replay, usize::MAX, &mut verify)? {}
        Ok(())
    }

    /// Starts writing the spooled claims; [`Reports::replay_claims`] writes
    /// them a number at a time, so other work can go on between.
    pub fn claim_replay(&mut self) -> Result<ClaimReplay, ReportError> {
        self.spool.replay()
    }

    /// Writes up to `limit` more spooled claims as [`Reports::claims`] does;
    /// false once every claim is written.
    pub fn replay_claims(
        &mut self,
        replay: &mut ClaimReplay,
        limit: usize,
        mut verify: impl FnMut(usize, usize) -> Option<ClaimCheck>,
    ) -> Result<bool, ReportError> {
        let renderer = &self.renderer;
        for _ in 0..limit {
            if !replay.next_record()? {
                return Ok(false);
            }
            let Some(claim) = SpooledClaim::read(renderer, &replay.record) else {
                return Err(damaged(&replay.temp));
            };
            let check = verify(claim.seq, claim.sentence);
            let middle = claim.cells(check.as_ref(), renderer.raw);
            let row = &mut replay.row;
            for sink in &mut self.sinks {
                sink.claim(&claim, check.as_ref(), &middle, renderer, row)?;
            }
        }
        Ok(true)
    }

    /// Conflicts found by linking the batch, rendered by
    /// [`Renderer::conflicts`].
    pub fn conflicts(&mut self, rendered: &RenderedConflicts) -> Result<(), ReportError> {
        let renderer = &self.renderer;
        let conflicts = index(Table::Conflicts);
        for sink in &mut self.sinks {
            match sink {
                Sink::Csv(files) => files[conflicts].write_bytes(&rendered.csv)?,
                Sink::Jsonl(files) => files[conflicts].write_bytes(&rendered.jsonl)?,
                Sink::Xlsx(_) => {
                    for row in &rendered.rows {
                        sink.row(row, renderer)?;
                    }
                }
                Sink::Html(_) => {}
            }
        }
        Ok(())
    }

    /// A conflict found by linking the batch.
    pub fn conflict(&mut self, row: &ConflictRow) -> Result<(), ReportError> {
        let renderer = &self.renderer;
        self.sinks.iter_mut().try_for_each(|s| s.row(row, renderer))
    }

    /// One outlet or author, best first.
    pub fn source(&mut self, row: &SourceRow) -> Result<(), ReportError> {
        let renderer = &self.renderer;
        self.sinks
            .iter_mut()
            .try_for_each(|s| s.source(row, renderer))
    }

    /// One record that could not be used.
    pub fn error(&mut self, row: &ErrorRow) -> Result<(), ReportError> {
        let renderer = &self.renderer;
        self.sinks
            .iter_mut()
            .try_for_each(|s| s.error(row, renderer))
    }

    /// Finishes every report and renames it into place.
    pub fn finish(self) -> Result<(), ReportError> {
        self.sinks.into_iter().try_for_each(Sink::finish)
    }
}
