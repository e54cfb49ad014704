//! Linking a batch of any size in bounded memory. Figures go to a spool file
//! as they come, one compact record for each name a figure has. When the
//! batch ends, the records are split by a hash of (key, name) into
//! partitions of at most [`Limits::partition_bytes`]; a (key, name) bucket
//! too large for one partition is split by publication date into windows
//! that overlap by a week, so that each pair is still compared exactly once.
//! Each partition is sorted and scanned in memory with the sliding date
//! window, partitions in parallel. What a compared pair says about each
//! claim, and each conflict, go to sorted runs of at most
//! [`Limits::run_bytes`], merged back in input order. So memory holds a few
//! partitions and runs, never the batch, and at most [`Limits::open_files`]
//! files are open at once. Every file lives in a hidden folder of the
//! output folder and is removed when linking is dropped.
//!
//! What memory does grow with: one partition holds at least all the
//! figures of one (key, name) on one day and the week after, and the
//! undated figures of that (key, name), which are compared with all of its
//! figures.
//!
//! Names and keys are compared by 64-bit hash: two different names with the
//! same hash would be taken for one, which a batch of billions of names
//! makes unlikely enough.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::{LinkClaim, Status, WINDOW_DAYS};
use crate::analyze::dates::Day;

/// How many article ids one `agrees` or `disagrees` cell lists: the first
/// ones in sorted order, then `(+K more)`. A spreadsheet cell holds at most
/// 32,767 characters, and a list of thousands of ids helps nobody.
pub const LISTED_IDS: usize = 20;

/// A file of the link spool could not be written or read.
#[derive(Debug, thiserror::Error)]
#[error("cannot use the linking spool file {path}: {source}")]
pub struct SpoolError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

impl SpoolError {
    fn io(path: &Path, source: std::io::Error) -> SpoolError {
        SpoolError {
            path: path.to_path_buf(),
            source,
        }
    }

    fn corrupt(path: &Path) -> SpoolError {
        SpoolError::io(
            path,
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "truncated or damaged record",
            ),
        )
    }
}

/// How much linking holds in memory, and how many files it opens, at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of figure records in one partition.
    pub partition_bytes: u64,
    /// Bytes of verdict or conflict records sorted in memory before they
    /// are written as one sorted run.
    pub run_bytes: u64,
    /// Files open at once while figures are split or runs are merged (at
    /// least 2).
    pub open_files: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            partition_bytes: 2 << 20,
            run_bytes: 1 << 20,
            open_files: 64,
        }
    }
}

/// Hash splits of a partition before it is split by date instead: by then
/// a partition too large is one (key, name) or a few.
const HASH_LEVELS: u32 = 4;

/// Date splits of one partition at most: each takes a week of figures
/// along, so a partition crowded into a few days is left as it is.
const DATE_LEVELS: u32 = 8;

/// A hidden folder for the spool files, removed with everything in it when
/// dropped.
#[derive(Debug)]
struct SpoolDir {
    path: PathBuf,
    next: AtomicU64,
}

impl SpoolDir {
    fn create(parent: &Path) -> Result<SpoolDir, SpoolError> {
        // Two linkers of one process (tests, `finalize`) never share a folder.
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = parent.join(format!(".credence-link.{}.{n}", std::process::id()));
        std::fs::create_dir_all(&path).map_err(|e| SpoolError::io(&path, e))?;
        Ok(SpoolDir {
            path,
            next: AtomicU64::new(0),
        })
    }

    /// A new file name, never given before.
    fn file(&self, kind: &str) -> PathBuf {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        self.path.join(format!("{kind}.{n}"))
    }
}

impl Drop for SpoolDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

fn remove(path: &Path) -> Result<(), SpoolError> {
    std::fs::remove_file(path).map_err(|e| SpoolError::io(path, e))
}

/// A spool file being written: records framed by their length.
#[derive(Debug)]
struct Spool {
    path: PathBuf,
    writer: BufWriter<File>,
    bytes: u64,
}

impl Spool {
    fn create(path: PathBuf, buffer: usize) -> Result<Spool, SpoolError> {
        let file = File::create(&path).map_err(|e| SpoolError::io(&path, e))?;
        Ok(Spool {
            path,
            writer: BufWriter::with_capacity(buffer, file),
            bytes: 0,
        })
    }

    fn write(&mut self, record: &[u8]) -> Result<(), SpoolError> {
        let len = u32::try_from(record.len()).map_err(|_| {
            SpoolError::io(
                &self.path,
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "record over 4 GiB"),
            )
        })?;
        self.writer
            .write_all(&len.to_le_bytes())
            .and_then(|()| self.writer.write_all(record))
            .map_err(|e| SpoolError::io(&self.path, e))?;
        self.bytes += 4 + record.len() as u64;
        Ok(())
    }

    fn finish(mut self) -> Result<PathBuf, SpoolError> {
        self.writer
            .flush()
            .map_err(|e| SpoolError::io(&self.path, e))?;
        Ok(self.path)
    }
}

/// Reads the records of a spool file one after another.
struct SpoolReader {
    path: PathBuf,
    reader: BufReader<File>,
}

impl SpoolReader {
    fn open(path: &Path) -> Result<SpoolReader, SpoolError> {
        let file = File::open(path).map_err(|e| SpoolError::io(path, e))?;
        Ok(SpoolReader {
            path: path.to_path_buf(),
            reader: BufReader::with_capacity(1 << 16, file),
        })
    }

    /// The next record into `record`; false at the end of the file.
    fn next(&mut self, record: &mut Vec<u8>) -> Result<bool, SpoolError> {
        let mut len = [0u8; 4];
        match self.reader.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(false),
            Err(e) => return Err(SpoolError::io(&self.path, e)),
        }
        record.resize(u32::from_le_bytes(len) as usize, 0);
        self.reader
            .read_exact(record)
            .map_err(|e| SpoolError::io(&self.path, e))?;
        Ok(true)
    }
}

/// Reads every record of a spool file, one after another.
fn read_records(
    path: &Path,
    mut each: impl FnMut(&[u8]) -> Result<(), SpoolError>,
) -> Result<(), SpoolError> {
    let mut reader = SpoolReader::open(path)?;
    let mut record = Vec::new();
    while reader.next(&mut record)? {
        each(&record)?;
    }
    Ok(())
}

/// Where each record of a loaded spool file starts and ends.
type Spans = Vec<(usize, usize)>;

/// A whole spool file in memory, and where each record starts and ends.
fn load(path: &Path) -> Result<(Vec<u8>, Spans), SpoolError> {
    let bytes = std::fs::read(path).map_err(|e| SpoolError::io(path, e))?;
    let mut spans = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let len = bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
            .ok_or_else(|| SpoolError::corrupt(path))?;
        let end = at + 4 + len;
        if end > bytes.len() {
            return Err(SpoolError::corrupt(path));
        }
        spans.push((at + 4, end));
        at = end;
    }
    Ok((bytes, spans))
}

/// Records gathered in memory and written as sorted runs, each sorted by
/// its bytes with repeats dropped. Records that should sort by number
/// start with big-endian numbers.
#[derive(Debug)]
struct Runs {
    kind: &'static str,
    budget: usize,
    bytes: Vec<u8>,
    spans: Vec<(usize, usize)>,
    runs: Vec<PathBuf>,
}

impl Runs {
    fn new(kind: &'static str, budget: u64) -> Runs {
        Runs {
            kind,
            budget: budget as usize,
            // Filled up to the budget, then emptied: one allocation.
            bytes: Vec::with_capacity(budget as usize),
            spans: Vec::new(),
            runs: Vec::new(),
        }
    }

    fn push(&mut self, dir: &SpoolDir, record: &[u8]) -> Result<(), SpoolError> {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(record);
        self.spans.push((start, self.bytes.len()));
        if self.bytes.len() + self.spans.len() * 16 >= self.budget {
            self.spill(dir)?;
        }
        Ok(())
    }

    fn spill(&mut self, dir: &SpoolDir) -> Result<(), SpoolError> {
        if self.spans.is_empty() {
            return Ok(());
        }
        let bytes = &self.bytes;
        self.spans
            .sort_unstable_by(|a, b| bytes[a.0..a.1].cmp(&bytes[b.0..b.1]));
        self.spans
            .dedup_by(|a, b| bytes[a.0..a.1] == bytes[b.0..b.1]);
        let mut run = Spool::create(dir.file(self.kind), 1 << 16)?;
        for &(start, end) in &self.spans {
            run.write(&bytes[start..end])?;
        }
        self.runs.push(run.finish()?);
        self.bytes.clear();
        self.spans.clear();
        Ok(())
    }

    fn finish(mut self, dir: &SpoolDir) -> Result<Vec<PathBuf>, SpoolError> {
        self.spill(dir)?;
        Ok(self.runs)
    }
}

/// Sorted runs read together: their records in order, repeats dropped.
struct Merge {
    readers: Vec<SpoolReader>,
    heap: BinaryHeap<Reverse<(Vec<u8>, usize)>>,
    last: Vec<u8>,
    started: bool,
}

impl Merge {
    fn open(paths: &[PathBuf]) -> Result<Merge, SpoolError> {
        let mut readers = Vec::with_capacity(paths.len());
        let mut heap = BinaryHeap::with_capacity(paths.len());
        for (n, path) in paths.iter().enumerate() {
            let mut reader = SpoolReader::open(path)?;
            let mut record = Vec::new();
            if reader.next(&mut record)? {
                heap.push(Reverse((record, n)));
            }
            readers.push(reader);
        }
        Ok(Merge {
            readers,
            heap,
            last: Vec::new(),
            started: false,
        })
    }

    /// The next record, in sorted order, once each; `None` at the end.
    fn next(&mut self) -> Result<Option<&[u8]>, SpoolError> {
        while let Some(Reverse((record, n))) = self.heap.pop() {
            let repeat = self.started && record == self.last;
            let mut spare = if repeat {
                record
            } else {
                self.started = true;
                std::mem::replace(&mut self.last, record)
            };
            if self.readers[n].next(&mut spare)? {
                self.heap.push(Reverse((spare, n)));
            }
            if !repeat {
                return Ok(Some(&self.last));
            }
        }
        Ok(None)
    }
}

/// Merges runs, `open_files` at a time, until at most `open_files` are
/// left, to be read together.
fn reduce(
    dir: &SpoolDir,
    kind: &'static str,
    mut runs: Vec<PathBuf>,
    open_files: usize,
) -> Result<Vec<PathBuf>, SpoolError> {
    let fan_in = open_files.saturating_sub(1).max(2);
    while runs.len() > fan_in {
        // Oldest first: runs merged together are of like sizes.
        let group: Vec<PathBuf> = runs.drain(..fan_in).collect();
        let mut merge = Merge::open(&group)?;
        let mut out = Spool::create(dir.file(kind), 1 << 16)?;
        while let Some(record) = merge.next()? {
            out.write(record)?;
        }
        runs.push(out.finish()?);
        drop(merge);
        group.iter().try_for_each(|p| remove(p))?;
    }
    Ok(runs)
}

/// Appends fixed-size numbers and length-prefixed strings to a record.
#[derive(Debug, Default)]
struct Record(Vec<u8>);

impl Record {
    fn clear(&mut self) -> &mut Record {
        self.0.clear();
        self
    }
    fn u8(&mut self, v: u8) -> &mut Record {
        self.0.push(v);
        self
    }
    fn u32(&mut self, v: u32) -> &mut Record {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn u64(&mut self, v: u64) -> &mut Record {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn f64(&mut self, v: f64) -> &mut Record {
        self.u64(v.to_bits())
    }
    fn str(&mut self, s: &str) -> &mut Record {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
        self
    }
}

/// Reads back what [`Record`] wrote; `None` when the record is cut short.
struct Fields<'a> {
    bytes: &'a [u8],
}

impl<'a> Fields<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.bytes.split_at_checked(n)?;
        self.bytes = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn f64(&mut self) -> Option<f64> {
        Some(f64::from_bits(self.u64()?))
    }
    fn str(&mut self) -> Option<&'a str> {
        let len = self.u32()? as usize;
        std::str::from_utf8(self.take(len)?).ok()
    }
}

/// A stable 64-bit hash: the same in every run and on every machine.
fn hash(s: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// No publication date: sorts before every date, as undated figures come
/// first in a bucket.
const NO_DAY: i64 = i64::MIN;

/// What a figure record is to the partition it is in. A pair is compared
/// in the one partition where the earlier of its dated figures, or its
/// only dated figure, is `OWNED`; two undated figures where both are.
const OWNED: u8 = 0;
/// A dated figure that belongs to a later date window: compared only with
/// the window's own figures of the week before it.
const GUEST: u8 = 1;
/// An undated figure copied into a date window other than its own:
/// compared only with the window's own dated figures.
const UNDATED_COPY: u8 = 2;

/// Where the fields the split reads sit in a figure record.
const ROLE_AT: usize = 24;

/// The first byte of a verdict record after its claim: what it holds.
const HAS_FIGURES: u8 = 0;
const AGREES: u8 = 1;
const DISAGREES: u8 = 2;

/// A verdict record: the claim in big-endian (so records sort by claim),
/// the kind, then the outlet (for [`HAS_FIGURES`]) or the other article's
/// id.
fn verdict_record(r: &mut Record, article: u64, sentence: u32, kind: u8, rest: &[u8]) {
    r.clear();
    r.0.extend_from_slice(&article.to_be_bytes());
    r.0.extend_from_slice(&sentence.to_be_bytes());
    r.0.push(kind);
    r.0.extend_from_slice(rest);
}

/// Links the keyed figures of a batch of any size. Figures are pushed
/// article by article, in input order; [`Linker::link`] then compares them.
#[derive(Debug)]
pub struct Linker {
    dir: SpoolDir,
    limits: Limits,
    figures: Spool,
    count: u64,
    /// Outlets as written, numbered: records name them by number.
    outlets: Vec<String>,
    outlet_ids: HashMap<String, u32>,
    /// One record per claim with figures, so each claim gets a verdict.
    claims: Runs,
    /// The last claim given a record, so each claim gets one.
    last_claim: Option<(usize, usize)>,
    record: Record,
}

impl Linker {
    /// A linker whose spool lives in a hidden folder of `dir`.
    pub fn create(dir: &Path) -> Result<Linker, SpoolError> {
        let spool = SpoolDir::create(dir)?;
        let figures = Spool::create(spool.file("figures"), 1 << 16)?;
        let limits = Limits::default();
        Ok(Linker {
            dir: spool,
            limits,
            figures,
            count: 0,
            outlets: Vec::new(),
            outlet_ids: HashMap::new(),
            claims: Runs::new("verdicts", limits.run_bytes),
            last_claim: None,
            record: Record::default(),
        })
    }

    /// Other limits than the defaults (tests use tiny ones).
    pub fn with_limits(mut self, limits: Limits) -> Linker {
        self.limits = limits;
        self.claims.budget = limits.run_bytes as usize;
        self
    }

    /// Number of figures pushed.
    pub fn len(&self) -> u64 {
        self.count
    }

    /// True when no figure was pushed.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Adds one figure. An article's figures come together, articles in
    /// input order.
    pub fn push(&mut self, c: &LinkClaim) -> Result<(), SpoolError> {
        let fig = self.count;
        self.count += 1;
        let outlet = match self.outlet_ids.get(&c.outlet) {
            Some(&id) => id,
            None => {
                let id = self.outlets.len() as u32;
                self.outlets.push(c.outlet.clone());
                self.outlet_ids.insert(c.outlet.clone(), id);
                id
            }
        };
        // Every claim with a figure has a verdict, single-source at least.
        if self.last_claim != Some((c.article, c.sentence)) {
            self.last_claim = Some((c.article, c.sentence));
            verdict_record(
                &mut self.record,
                c.article as u64,
                c.sentence as u32,
                HAS_FIGURES,
                &outlet.to_le_bytes(),
            );
            self.claims.push(&self.dir, &self.record.0)?;
        }
        let mut names: Vec<u64> = c.entities.iter().map(|e| hash(e)).collect();
        names.sort_unstable();
        names.dedup();
        let key = hash(&c.key);
        let folded = hash(&c.outlet.to_ascii_lowercase());
        for (n, &name) in names.iter().enumerate() {
            let r = self.record.clear();
            r.u64(key)
                .u64(name)
                .u64(c.day.map_or(NO_DAY as u64, |d| d as u64))
                .u8(OWNED)
                .u64(fig)
                .u64(c.article as u64)
                .u32(c.sentence as u32)
                .u32(c.rule as u32)
                .u64(folded)
                .u64(c.copy)
                .u64(c.sentence_copy)
                .f64(c.low)
                .f64(c.high)
                .f64(c.tolerance)
                .u8(u8::from(c.update));
            put_day(r, c.event);
            // The names before this one: a pair that shares one of them is
            // compared in that name's bucket, not again in this one.
            r.u32(n as u32);
            for &smaller in &names[..n] {
                r.u64(smaller);
            }
            r.str(&c.article_id).str(&c.key).str(&c.value);
            self.figures.write(&self.record.0)?;
        }
        Ok(())
    }

    /// Adds every figure of `claims`.
    pub fn extend<'c>(
        &mut self,
        claims: impl IntoIterator<Item = &'c LinkClaim>,
    ) -> Result<(), SpoolError> {
        claims.into_iter().try_for_each(|c| self.push(c))
    }

    /// Compares every pair of figures that share a key and a name and are
    /// near enough in time.
    pub fn link(self) -> Result<Linked, SpoolError> {
        let Linker {
            dir,
            limits,
            figures,
            outlets,
            claims,
            ..
        } = self;
        let bytes = figures.bytes;
        let figures = figures.finish()?;
        let mut partitions = Vec::new();
        plan(
            &dir,
            &limits,
            figures,
            bytes,
            Split::Hash(0),
            &mut partitions,
        )?;
        let mut verdicts = claims.finish(&dir)?;
        // Partitions are linked in parallel by one worker a thread, each
        // gathering its pairs in runs of its own; the runs are merged in
        // sorted order, so the result does not depend on the number of
        // threads.
        let next = AtomicU64::new(0);
        let workers = rayon::current_num_threads().clamp(1, partitions.len().max(1));
        let sinks = (0..workers)
            .into_par_iter()
            .map(|_| {
                let mut sink = PairSink::new(&limits);
                while let Some(path) = partitions.get(next.fetch_add(1, Ordering::Relaxed) as usize)
                {
                    link_partition(path, &dir, &mut sink)?;
                    remove(path)?;
                }
                Ok(Pairs {
                    count: sink.count,
                    verdicts: sink.verdicts.finish(&dir)?,
                    conflicts: sink.conflicts.finish(&dir)?,
                })
            })
            .collect::<Result<Vec<_>, SpoolError>>()?;
        let mut conflicts = Vec::new();
        let mut conflict_count = 0;
        for sink in sinks {
            conflict_count += sink.count;
            verdicts.extend(sink.verdicts);
            conflicts.extend(sink.conflicts);
        }
        Ok(Linked {
            verdicts: reduce(&dir, "verdicts", verdicts, limits.open_files)?,
            conflicts: reduce(&dir, "conflicts", conflicts, limits.open_files)?,
            conflict_count,
            outlets,
            _dir: dir,
        })
    }
}

fn put_day(r: &mut Record, day: Option<Day>) {
    match day {
        None => r.u8(0).u32(0).u8(0).u8(0),
        Some(Day::Date { year, month, day }) => r
            .u8(if year.is_some() { 2 } else { 1 })
            .u32(year.unwrap_or(0) as u32)
            .u8(month)
            .u8(day.unwrap_or(0)),
        Some(Day::Weekday(w)) => r.u8(3).u32(0).u8(w).u8(0),
    };
}

fn get_day(f: &mut Fields<'_>) -> Option<Option<Day>> {
    let (tag, year, month, day) = (f.u8()?, f.u32()? as i32, f.u8()?, f.u8()?);
    Some(match tag {
        0 => None,
        1 | 2 => Some(Day::Date {
            year: (tag == 2).then_some(year),
            month,
            day: (day != 0).then_some(day),
        }),
        _ => Some(Day::Weekday(month)),
    })
}

/// How a partition too large is split next.
#[derive(Debug, Clone, Copy)]
enum Split {
    /// By a hash of (key, name), seeded by the level.
    Hash(u32),
    /// By date windows, at the level given.
    Date(u32),
}

/// A file a split wrote.
struct Part {
    path: PathBuf,
    bytes: u64,
    /// Holds more than one (key, name).
    mixed: bool,
}

/// The key, name, day and role a figure record starts with.
fn head(record: &[u8]) -> Option<(u64, u64, i64, u8)> {
    let mut f = Fields { bytes: record };
    Some((f.u64()?, f.u64()?, f.u64()? as i64, f.u8()?))
}

/// Splits the figure file at `path` until every part fits in a
/// partition, or can be split no further; the parts go to `out`.
fn plan(
    dir: &SpoolDir,
    limits: &Limits,
    path: PathBuf,
    bytes: u64,
    split: Split,
    out: &mut Vec<PathBuf>,
) -> Result<(), SpoolError> {
    if bytes <= limits.partition_bytes {
        out.push(path);
        return Ok(());
    }
    let parts = match split {
        Split::Hash(level) if level < HASH_LEVELS => {
            split_by_hash(dir, limits, &path, bytes, level)?
        }
        Split::Hash(_) => split_by_date(dir, limits, &path)?,
        Split::Date(level) if level < DATE_LEVELS => split_by_date(dir, limits, &path)?,
        Split::Date(_) => Vec::new(),
    };
    if parts.is_empty() {
        out.push(path);
        return Ok(());
    }
    remove(&path)?;
    for part in parts {
        let next = match split {
            Split::Hash(level) if part.mixed && level + 1 < HASH_LEVELS => Split::Hash(level + 1),
            Split::Hash(_) => Split::Date(0),
            Split::Date(level) => Split::Date(level + 1),
        };
        // A date window as large as what it came from is a crowd of a few
        // days that no window makes smaller.
        if matches!(split, Split::Date(_)) && part.bytes >= bytes {
            out.push(part.path);
            continue;
        }
        plan(dir, limits, part.path, part.bytes, next, out)?;
    }
    Ok(())
}

/// Mixes a (key, name) for the split of `level`: each level spreads the
/// buckets differently.
fn spread(key: u64, name: u64, level: u32) -> u64 {
    let mut z =
        key.rotate_left(29) ^ name ^ u64::from(level + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Splits figure records by (key, name) into parts of about a partition.
fn split_by_hash(
    dir: &SpoolDir,
    limits: &Limits,
    path: &Path,
    bytes: u64,
    level: u32,
) -> Result<Vec<Part>, SpoolError> {
    let fan = limits.open_files.saturating_sub(1).max(2) as u64;
    let parts = bytes.div_ceil(limits.partition_bytes.max(1)).clamp(2, fan) as usize;
    let mut files = (0..parts)
        .map(|_| Spool::create(dir.file("partition"), 16 << 10))
        .collect::<Result<Vec<_>, _>>()?;
    let mut buckets: Vec<(Option<(u64, u64)>, bool)> = vec![(None, false); parts];
    read_records(path, |r| {
        let (key, name, _, _) = head(r).ok_or_else(|| SpoolError::corrupt(path))?;
        let n = (spread(key, name, level) % parts as u64) as usize;
        let (first, mixed) = &mut buckets[n];
        *mixed |= *first.get_or_insert((key, name)) != (key, name);
        files[n].write(r)
    })?;
    files
        .into_iter()
        .zip(buckets)
        .map(|(f, (_, mixed))| {
            let bytes = f.bytes;
            Ok(Part {
                path: f.finish()?,
                bytes,
                mixed,
            })
        })
        .collect()
}

/// Splits figure records into windows of consecutive days, each of about
/// half a partition, with the week after it as guests (see [`GUEST`]) and
/// every undated figure (see [`UNDATED_COPY`]). No parts when the dated
/// figures fit in one window.
fn split_by_date(dir: &SpoolDir, limits: &Limits, path: &Path) -> Result<Vec<Part>, SpoolError> {
    let mut per_day: HashMap<i64, u64> = HashMap::new();
    read_records(path, |r| {
        let (_, _, day, _) = head(r).ok_or_else(|| SpoolError::corrupt(path))?;
        if day != NO_DAY {
            *per_day.entry(day).or_default() += 4 + r.len() as u64;
        }
        Ok(())
    })?;
    let mut days: Vec<(i64, u64)> = per_day.into_iter().collect();
    days.sort_unstable();
    let dated: u64 = days.iter().map(|d| d.1).sum();
    let windows_at_most = (limits.open_files.saturating_sub(2) / 2).max(1) as u64;
    let target = (limits.partition_bytes / 2).max(dated.div_ceil(windows_at_most));
    // First and last day of each window.
    let mut windows: Vec<(i64, i64)> = Vec::new();
    let mut filled = 0;
    for &(day, bytes) in &days {
        match windows.last_mut() {
            Some(w) if filled + bytes <= target => {
                w.1 = day;
                filled += bytes;
            }
            _ => {
                windows.push((day, day));
                filled = bytes;
            }
        }
    }
    if windows.len() < 2 {
        return Ok(Vec::new());
    }
    let mut files = windows
        .iter()
        .map(|_| Spool::create(dir.file("partition"), 16 << 10))
        .collect::<Result<Vec<_>, _>>()?;
    let mut copy = Vec::new();
    read_records(path, |r| {
        let (_, _, day, role) = head(r).ok_or_else(|| SpoolError::corrupt(path))?;
        let mut write = |file: &mut Spool, role: u8| {
            copy.clear();
            copy.extend_from_slice(r);
            copy[ROLE_AT] = role;
            file.write(&copy)
        };
        if day == NO_DAY {
            for (n, file) in files.iter_mut().enumerate() {
                let own = n == 0 && role == OWNED;
                write(file, if own { OWNED } else { UNDATED_COPY })?;
            }
            return Ok(());
        }
        let w = windows
            .partition_point(|&(start, _)| start <= day)
            .saturating_sub(1);
        write(&mut files[w], role)?;
        // The windows of the week before: there it is a guest.
        for v in (0..w).rev() {
            if windows[v].1 < day - WINDOW_DAYS {
                break;
            }
            write(&mut files[v], GUEST)?;
        }
        Ok(())
    })?;
    files
        .into_iter()
        .map(|f| {
            let bytes = f.bytes;
            Ok(Part {
                path: f.finish()?,
                bytes,
                mixed: true,
            })
        })
        .collect()
}

/// One figure record of a partition, read in place.
struct Figure<'a> {
    key: u64,
    name: u64,
    day: Option<i64>,
    role: u8,
    fig: u64,
    article: u64,
    sentence: u32,
    rule: u32,
    outlet_folded: u64,
    copy: u64,
    sentence_copy: u64,
    low: f64,
    high: f64,
    tolerance: f64,
    update: bool,
    event: Option<Day>,
    /// The figure's names that sort before `name`, as 8-byte hashes.
    smaller: &'a [u8],
    article_id: &'a str,
    key_text: &'a str,
    value: &'a str,
}

impl<'a> Figure<'a> {
    fn read(bytes: &'a [u8]) -> Option<Figure<'a>> {
        let mut f = Fields { bytes };
        let (key, name) = (f.u64()?, f.u64()?);
        let day = Some(f.u64()? as i64).filter(|&d| d != NO_DAY);
        let role = f.u8()?;
        let (fig, article) = (f.u64()?, f.u64()?);
        let (sentence, rule) = (f.u32()?, f.u32()?);
        let (outlet_folded, copy, sentence_copy) = (f.u64()?, f.u64()?, f.u64()?);
        let (low, high, tolerance) = (f.f64()?, f.f64()?, f.f64()?);
        let update = f.u8()? != 0;
        let event = get_day(&mut f)?;
        let names = f.u32()? as usize;
        let smaller = f.take(names.checked_mul(8)?)?;
        Some(Figure {
            key,
            name,
            day,
            role,
            fig,
            article,
            sentence,
            rule,
            outlet_folded,
            copy,
            sentence_copy,
            low,
            high,
            tolerance,
            update,
            event,
            smaller,
            article_id: f.str()?,
            key_text: f.str()?,
            value: f.str()?,
        })
    }

    /// Whether this partition compares the pair, `self` sorted first (the
    /// earlier, or undated): see [`OWNED`].
    fn compared_here(&self, later: &Figure<'_>) -> bool {
        match (self.day, later.day) {
            (Some(_), _) => self.role == OWNED,
            (None, Some(_)) => later.role == OWNED,
            (None, None) => self.role == OWNED && later.role == OWNED,
        }
    }

    /// Different articles and outlets, and neither a copy of the other's
    /// story nor of its sentence.
    fn independent(&self, other: &Figure<'_>) -> bool {
        self.article != other.article
            && self.outlet_folded != other.outlet_folded
            && self.copy != other.copy
            && self.sentence_copy != other.sentence_copy
    }

    /// Neither updates an earlier count and they name no different days.
    fn same_moment(&self, other: &Figure<'_>) -> bool {
        crate::analyze::dates::same_moment((self.update, self.event), (other.update, other.event))
    }

    /// Apart by more than the larger tolerance of the larger value.
    fn incompatible(&self, other: &Figure<'_>) -> bool {
        crate::analyze::quantity::intervals_conflict(
            (self.low, self.high),
            (other.low, other.high),
            self.tolerance.max(other.tolerance),
        )
    }
}

/// True when two sorted lists of 8-byte hashes share one.
fn share_any(a: &[u8], b: &[u8]) -> bool {
    let word = |s: &[u8], i: usize| {
        u64::from_le_bytes(s[i * 8..i * 8 + 8].try_into().expect("8-byte slice"))
    };
    let (n, m) = (a.len() / 8, b.len() / 8);
    let (mut x, mut y) = (0, 0);
    while x < n && y < m {
        match word(a, x).cmp(&word(b, y)) {
            std::cmp::Ordering::Less => x += 1,
            std::cmp::Ordering::Greater => y += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// The runs one worker wrote.
struct Pairs {
    count: u64,
    verdicts: Vec<PathBuf>,
    conflicts: Vec<PathBuf>,
}

/// Where the pairs of partitions go: sorted runs of verdict and conflict
/// records.
struct PairSink {
    verdicts: Runs,
    conflicts: Runs,
    count: u64,
    record: Record,
}

impl PairSink {
    fn new(limits: &Limits) -> PairSink {
        PairSink {
            verdicts: Runs::new("verdicts", limits.run_bytes),
            conflicts: Runs::new("conflicts", limits.run_bytes),
            count: 0,
            record: Record::default(),
        }
    }

    /// A compared pair, `a` the earlier figure: an edge each way, and a
    /// conflict when the values cannot both be true.
    fn pair(&mut self, dir: &SpoolDir, a: &Figure<'_>, b: &Figure<'_>) -> Result<(), SpoolError> {
        let bad = a.incompatible(b);
        let kind = if bad { DISAGREES } else { AGREES };
        for (this, other) in [(a, b), (b, a)] {
            verdict_record(
                &mut self.record,
                this.article,
                this.sentence,
                kind,
                other.article_id.as_bytes(),
            );
            self.verdicts.push(dir, &self.record.0)?;
        }
        if bad {
            self.count += 1;
            let r = self.record.clear();
            // Big-endian figure positions first: conflicts sort by them.
            r.0.extend_from_slice(&a.fig.to_be_bytes());
            r.0.extend_from_slice(&b.fig.to_be_bytes());
            r.u32(a.rule)
                .str(a.key_text)
                .str(a.article_id)
                .u32(a.sentence)
                .str(a.value)
                .str(b.article_id)
                .u32(b.sentence)
                .str(b.value);
            self.conflicts.push(dir, &self.record.0)?;
        }
        Ok(())
    }
}

/// Compares the figures of one partition: within each (key, name) bucket,
/// sorted by date, each figure with the later ones up to a week on.
fn link_partition(path: &Path, dir: &SpoolDir, out: &mut PairSink) -> Result<(), SpoolError> {
    let (bytes, spans) = load(path)?;
    let mut figures = spans
        .iter()
        .map(|&(start, end)| Figure::read(&bytes[start..end]))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| SpoolError::corrupt(path))?;
    // Undated figures first in a bucket: they are compared with every other.
    figures.sort_unstable_by_key(|f| (f.key, f.name, f.day, f.fig));
    for bucket in figures.chunk_by(|a, b| a.key == b.key && a.name == b.name) {
        for (n, a) in bucket.iter().enumerate() {
            if a.day.is_some() && a.role != OWNED {
                continue; // a guest's pairs are compared where it is owned
            }
            for b in &bucket[n + 1..] {
                if let (Some(x), Some(y)) = (a.day, b.day)
                    && y - x > WINDOW_DAYS
                {
                    break; // later members are later still
                }
                // A pair sharing several names is compared once, in the
                // bucket of the first name they share.
                if !a.compared_here(b)
                    || share_any(a.smaller, b.smaller)
                    || !a.independent(b)
                    || !a.same_moment(b)
                {
                    continue;
                }
                let (first, second) = if a.fig < b.fig { (a, b) } else { (b, a) };
                out.pair(dir, first, second)?;
            }
        }
    }
    Ok(())
}

/// A linked batch: verdicts and conflicts, read back in input order.
#[derive(Debug)]
pub struct Linked {
    /// Sorted runs of verdict records, read together.
    verdicts: Vec<PathBuf>,
    /// Sorted runs of conflict records, read together.
    conflicts: Vec<PathBuf>,
    conflict_count: u64,
    outlets: Vec<String>,
    /// Keeps the spool until the results have been read.
    _dir: SpoolDir,
}

/// Some article ids in sorted order: the first [`LISTED_IDS`], and how
/// many more there are.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdList {
    pub ids: Vec<String>,
    pub more: usize,
}

impl IdList {
    /// Every article, listed or not.
    pub fn len(&self) -> usize {
        self.ids.len() + self.more
    }

    /// True when no article is named.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The ids joined by `; `, then `(+K more)` when some are left out.
    pub fn cell(&self) -> String {
        let mut cell = self.ids.join("; ");
        if self.more > 0 {
            cell.push_str(&format!(" (+{} more)", self.more));
        }
        cell
    }

    fn add(&mut self, id: &str) {
        if self.ids.len() < LISTED_IDS {
            self.ids.push(id.to_string());
        } else {
            self.more += 1;
        }
    }
}

/// The verdict on one claim (one sentence of one article): the strongest of
/// its figures' verdicts, with the articles behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimVerdict {
    /// Position of the article in the input.
    pub article: usize,
    /// 1-based sentence number.
    pub sentence: usize,
    /// The article's outlet as written.
    pub outlet: String,
    pub status: Status,
    /// Articles that report a compatible value, sorted, once each.
    pub agrees: IdList,
    /// Articles that report an incompatible value, sorted, once each.
    pub disagrees: IdList,
}

/// One side of a conflict between outlets.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureRef {
    /// Position of the figure among those pushed.
    pub figure: u64,
    pub rule: usize,
    pub key: String,
    pub article_id: String,
    /// 1-based sentence number.
    pub sentence: usize,
    pub value: String,
}

impl Linked {
    /// Pairs of figures from different outlets that cannot both be true.
    pub fn conflict_count(&self) -> u64 {
        self.conflict_count
    }

    fn corrupt(&self) -> SpoolError {
        SpoolError::corrupt(&self._dir.path)
    }

    /// One verdict per claim that has figures, in input order (article,
    /// then sentence). One claim's records are in memory at a time.
    pub fn verdicts(&self) -> impl Iterator<Item = Result<ClaimVerdict, SpoolError>> + '_ {
        let mut merge = Some(Merge::open(&self.verdicts));
        let mut ahead: Option<Vec<u8>> = None;
        std::iter::from_fn(move || {
            let m = match merge.as_mut()? {
                Ok(m) => m,
                Err(_) => return merge.take().and_then(Result::err).map(Err),
            };
            let verdict = self.next_verdict(m, &mut ahead).transpose();
            if matches!(verdict, Some(Err(_)) | None) {
                merge = None;
            }
            verdict
        })
    }

    fn next_verdict(
        &self,
        merge: &mut Merge,
        ahead: &mut Option<Vec<u8>>,
    ) -> Result<Option<ClaimVerdict>, SpoolError> {
        let first = match ahead.take() {
            Some(r) => r,
            None => match merge.next()? {
                Some(r) => r.to_vec(),
                None => return Ok(None),
            },
        };
        let claim = |r: &[u8]| -> Option<(u64, u32, u8)> {
            Some((
                u64::from_be_bytes(r.get(..8)?.try_into().ok()?),
                u32::from_be_bytes(r.get(8..12)?.try_into().ok()?),
                *r.get(12)?,
            ))
        };
        let (article, sentence, kind) = claim(&first).ok_or_else(|| self.corrupt())?;
        let outlet = first
            .get(13..17)
            .and_then(|b| {
                self.outlets
                    .get(u32::from_le_bytes(b.try_into().ok()?) as usize)
            })
            .filter(|_| kind == HAS_FIGURES)
            .ok_or_else(|| self.corrupt())?;
        let mut v = ClaimVerdict {
            article: article as usize,
            sentence: sentence as usize,
            outlet: outlet.clone(),
            status: Status::SingleSource,
            agrees: IdList::default(),
            disagrees: IdList::default(),
        };
        while let Some(r) = merge.next()? {
            if r.get(..12) != first.get(..12) {
                *ahead = Some(r.to_vec());
                break;
            }
            // Ids were valid UTF-8 when written; a damaged file gives an
            // empty id rather than a panic.
            let id = std::str::from_utf8(&r[13..]).unwrap_or_default();
            match r[12] {
                AGREES => v.agrees.add(id),
                DISAGREES => v.disagrees.add(id),
                _ => {}
            }
        }
        v.status = if !v.disagrees.is_empty() {
            Status::Contradicted
        } else if !v.agrees.is_empty() {
            Status::Corroborated
        } else {
            Status::SingleSource
        };
        Ok(Some(v))
    }

    /// Both sides of every conflict between outlets, in input order of the
    /// earlier figure, then of the later.
    pub fn conflicts(
        &self,
    ) -> impl Iterator<Item = Result<(FigureRef, FigureRef), SpoolError>> + '_ {
        let mut merge = Some(Merge::open(&self.conflicts));
        std::iter::from_fn(move || {
            let m = match merge.as_mut()? {
                Ok(m) => m,
                Err(_) => return merge.take().and_then(Result::err).map(Err),
            };
            let pair = match m.next() {
                Ok(Some(r)) => conflict(r).ok_or_else(|| self.corrupt()).map(Some),
                Ok(None) => Ok(None),
                Err(e) => Err(e),
            }
            .transpose();
            if matches!(pair, Some(Err(_)) | None) {
                merge = None;
            }
            pair
        })
    }
}

/// Reads back a conflict record.
fn conflict(r: &[u8]) -> Option<(FigureRef, FigureRef)> {
    let a = u64::from_be_bytes(r.get(..8)?.try_into().ok()?);
    let b = u64::from_be_bytes(r.get(8..16)?.try_into().ok()?);
    let mut f = Fields { bytes: &r[16..] };
    let (rule, key) = (f.u32()? as usize, f.str()?);
    let side = |f: &mut Fields<'_>, figure| {
        Some(FigureRef {
            figure,
            rule,
            key: key.to_string(),
            article_id: f.str()?.to_string(),
            sentence: f.u32()? as usize,
            value: f.str()?.to_string(),
        })
    };
    Some((side(&mut f, a)?, side(&mut f, b)?))
}
