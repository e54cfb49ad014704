//! Linking a batch of any size in bounded memory. Figures go to a spool file
//! as they come, one compact record for each name a figure has; when the
//! batch ends, the records are split by a hash of (key, name) into
//! partitions of at most [`Limits::partition_bytes`], and each partition is
//! sorted and scanned in memory with the sliding date window. What a
//! compared pair says about each claim, and each conflict, go to files by
//! article range, read back one range at a time, in input order. So memory holds one partition or one range,
//! never the batch. Every file lives in a hidden folder of the output
//! folder and is removed when linking is dropped.
//!
//! Names and keys are compared by 64-bit hash: two different names with the
//! same hash would be taken for one, which a batch of billions of names
//! makes unlikely enough.

use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

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

/// How much linking holds in memory at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of figure records in one partition.
    pub partition_bytes: u64,
    /// Articles whose verdicts and conflicts are read back together; each
    /// range is one open file while the batch is linked.
    pub articles_per_range: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            partition_bytes: 8 << 20,
            articles_per_range: 256,
        }
    }
}

/// Partitions at most: each is an open file while figures are split.
const MAX_PARTITIONS: u64 = 4096;

/// A hidden folder for the spool files, removed with everything in it when
/// dropped.
#[derive(Debug)]
struct SpoolDir {
    path: PathBuf,
}

impl SpoolDir {
    fn create(parent: &Path) -> Result<SpoolDir, SpoolError> {
        // Two linkers of one process (tests, `finalize`) never share a folder.
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = parent.join(format!(".credence-link.{}.{n}", std::process::id()));
        std::fs::create_dir_all(&path).map_err(|e| SpoolError::io(&path, e))?;
        Ok(SpoolDir { path })
    }

    fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for SpoolDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
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

/// Spool files numbered by range, opened when first written.
#[derive(Debug)]
struct Ranges {
    name: &'static str,
    files: Vec<Option<Spool>>,
}

impl Ranges {
    fn new(name: &'static str) -> Ranges {
        Ranges {
            name,
            files: Vec::new(),
        }
    }

    fn write(&mut self, dir: &SpoolDir, range: u64, record: &[u8]) -> Result<(), SpoolError> {
        let range = range as usize;
        if self.files.len() <= range {
            self.files.resize_with(range + 1, || None);
        }
        let spool = match &mut self.files[range] {
            Some(spool) => spool,
            slot => slot.insert(Spool::create(
                dir.file(&format!("{}.{range}", self.name)),
                16 << 10,
            )?),
        };
        spool.write(record)
    }

    /// Flushes every file; the paths in range order, `None` for a range
    /// nothing was written to.
    fn finish(self) -> Result<Vec<Option<PathBuf>>, SpoolError> {
        self.files
            .into_iter()
            .map(|f| f.map(Spool::finish).transpose())
            .collect()
    }
}

/// Reads every record of a spool file, one after another.
fn read_records(
    path: &Path,
    mut each: impl FnMut(&[u8]) -> Result<(), SpoolError>,
) -> Result<(), SpoolError> {
    let file = File::open(path).map_err(|e| SpoolError::io(path, e))?;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut record = Vec::new();
    loop {
        let mut len = [0u8; 4];
        match reader.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(SpoolError::io(path, e)),
        }
        record.resize(u32::from_le_bytes(len) as usize, 0);
        reader
            .read_exact(&mut record)
            .map_err(|e| SpoolError::io(path, e))?;
        each(&record)?;
    }
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
    outlet_ids: std::collections::HashMap<String, u32>,
    verdicts: Ranges,
    /// The last claim given a verdict record, so each claim gets one.
    last_claim: Option<(usize, usize)>,
    record: Record,
}

impl Linker {
    /// A linker whose spool lives in a hidden folder of `dir`.
    pub fn create(dir: &Path) -> Result<Linker, SpoolError> {
        let spool = SpoolDir::create(dir)?;
        let figures = Spool::create(spool.file("figures"), 1 << 16)?;
        Ok(Linker {
            dir: spool,
            limits: Limits::default(),
            figures,
            count: 0,
            outlets: Vec::new(),
            outlet_ids: std::collections::HashMap::new(),
            verdicts: Ranges::new("range"),
            last_claim: None,
            record: Record::default(),
        })
    }

    /// Other limits than the defaults (tests use tiny ones).
    pub fn with_limits(mut self, limits: Limits) -> Linker {
        self.limits = limits;
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
            let range = c.article as u64 / self.limits.articles_per_range.max(1);
            verdict_record(&mut self.record, c.article, c.sentence, outlet, None, "");
            self.verdicts.write(&self.dir, range, &self.record.0)?;
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
                .u64(fig)
                .u64(c.article as u64)
                .u64(c.day.map_or(NO_DAY as u64, |d| d as u64))
                .u32(c.sentence as u32)
                .u32(c.rule as u32)
                .u32(outlet)
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
            mut verdicts,
            mut record,
            ..
        } = self;
        let bytes = figures.bytes;
        let figures = figures.finish()?;
        let parts = bytes
            .div_ceil(limits.partition_bytes.max(1))
            .clamp(1, MAX_PARTITIONS);
        let partitions = if parts == 1 {
            vec![figures]
        } else {
            let split = split(&dir, &figures, parts)?;
            std::fs::remove_file(&figures).map_err(|e| SpoolError::io(&figures, e))?;
            split
        };
        let mut conflict_count = 0;
        for path in partitions {
            let mut out = PairSink {
                dir: &dir,
                limits: &limits,
                ranges: &mut verdicts,
                count: &mut conflict_count,
                record: &mut record,
            };
            link_partition(&path, &mut out)?;
            std::fs::remove_file(&path).map_err(|e| SpoolError::io(&path, e))?;
        }
        Ok(Linked {
            ranges: verdicts.finish()?,
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

/// The first byte of a range record: what it holds.
const VERDICT: u8 = 0;
const CONFLICT: u8 = 1;

/// What one comparison says about one claim: the other article, and
/// whether its figure agrees (`Some(false)`) or not; `None` only marks
/// that the claim has figures.
fn verdict_record(
    r: &mut Record,
    article: usize,
    sentence: usize,
    outlet: u32,
    incompatible: Option<bool>,
    other: &str,
) {
    let kind = match incompatible {
        None => 0,
        Some(false) => 1,
        Some(true) => 2,
    };
    r.clear()
        .u8(VERDICT)
        .u64(article as u64)
        .u32(sentence as u32)
        .u32(outlet)
        .u8(kind)
        .str(other);
}

/// Splits the figure records into `parts` files by (key, name).
fn split(dir: &SpoolDir, figures: &Path, parts: u64) -> Result<Vec<PathBuf>, SpoolError> {
    let mut files = (0..parts)
        .map(|p| Spool::create(dir.file(&format!("partition.{p}")), 16 << 10))
        .collect::<Result<Vec<_>, _>>()?;
    read_records(figures, |r| {
        let mut f = Fields { bytes: r };
        let (key, name) = f
            .u64()
            .zip(f.u64())
            .ok_or_else(|| SpoolError::corrupt(figures))?;
        // Mixed so that keys and names both spread the partitions.
        let bucket = key.rotate_left(29) ^ name;
        files[(bucket.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize % parts as usize].write(r)
    })?;
    files.into_iter().map(Spool::finish).collect()
}

/// One figure record of a partition, read in place.
struct Figure<'a> {
    key: u64,
    name: u64,
    fig: u64,
    article: u64,
    day: Option<i64>,
    sentence: u32,
    rule: u32,
    outlet: u32,
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
        let (key, name, fig, article) = (f.u64()?, f.u64()?, f.u64()?, f.u64()?);
        let day = Some(f.u64()? as i64).filter(|&d| d != NO_DAY);
        let (sentence, rule, outlet) = (f.u32()?, f.u32()?, f.u32()?);
        let (outlet_folded, copy, sentence_copy) = (f.u64()?, f.u64()?, f.u64()?);
        let (low, high, tolerance) = (f.f64()?, f.f64()?, f.f64()?);
        let update = f.u8()? != 0;
        let event = get_day(&mut f)?;
        let names = f.u32()? as usize;
        let smaller = f.take(names * 8)?;
        Some(Figure {
            key,
            name,
            fig,
            article,
            day,
            sentence,
            rule,
            outlet,
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
        let tolerance = self.tolerance.max(other.tolerance);
        let gap = if self.high < other.low {
            other.low - self.high
        } else if other.high < self.low {
            self.low - other.high
        } else {
            return false;
        };
        gap > tolerance * self.low.max(other.low).abs().max(1e-9)
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

/// Where the pairs of a partition go.
struct PairSink<'s> {
    dir: &'s SpoolDir,
    limits: &'s Limits,
    ranges: &'s mut Ranges,
    count: &'s mut u64,
    record: &'s mut Record,
}

impl PairSink<'_> {
    /// A compared pair, `a` the earlier figure: an edge each way, and a
    /// conflict when the values cannot both be true.
    fn pair(&mut self, a: &Figure<'_>, b: &Figure<'_>) -> Result<(), SpoolError> {
        let bad = a.incompatible(b);
        let per_range = self.limits.articles_per_range.max(1);
        for (this, other) in [(a, b), (b, a)] {
            verdict_record(
                self.record,
                this.article as usize,
                this.sentence as usize,
                this.outlet,
                Some(bad),
                other.article_id,
            );
            self.ranges
                .write(self.dir, this.article / per_range, &self.record.0)?;
        }
        if bad {
            *self.count += 1;
            self.record
                .clear()
                .u8(CONFLICT)
                .u64(a.fig)
                .u64(b.fig)
                .u32(a.rule)
                .str(a.key_text)
                .str(a.article_id)
                .u32(a.sentence)
                .str(a.value)
                .str(b.article_id)
                .u32(b.sentence)
                .str(b.value);
            self.ranges
                .write(self.dir, a.article / per_range, &self.record.0)?;
        }
        Ok(())
    }
}

/// Compares the figures of one partition: within each (key, name) bucket,
/// sorted by date, each figure with the later ones up to a week on.
fn link_partition(path: &Path, out: &mut PairSink<'_>) -> Result<(), SpoolError> {
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
            for b in &bucket[n + 1..] {
                if let (Some(x), Some(y)) = (a.day, b.day)
                    && y - x > WINDOW_DAYS
                {
                    break; // later members are later still
                }
                // A pair sharing several names is compared once, in the
                // bucket of the first name they share.
                if share_any(a.smaller, b.smaller) || !a.independent(b) || !a.same_moment(b) {
                    continue;
                }
                let (first, second) = if a.fig < b.fig { (a, b) } else { (b, a) };
                out.pair(first, second)?;
            }
        }
    }
    Ok(())
}

/// A linked batch: verdicts and conflicts, read back in input order.
#[derive(Debug)]
pub struct Linked {
    /// The range files, in article order.
    ranges: Vec<Option<PathBuf>>,
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

    /// One verdict per claim that has figures, in input order (article,
    /// then sentence). One range of articles is in memory at a time.
    pub fn verdicts(&self) -> impl Iterator<Item = Result<ClaimVerdict, SpoolError>> + '_ {
        let mut paths = self.ranges.iter().flatten();
        let mut range: Option<RangeVerdicts> = None;
        let mut failed = false;
        std::iter::from_fn(move || {
            loop {
                if failed {
                    return None;
                }
                if let Some(v) = range.as_mut().and_then(|r| r.next(&self.outlets)) {
                    return Some(v);
                }
                let path = paths.next()?;
                match RangeVerdicts::load(path) {
                    Ok(r) => range = Some(r),
                    Err(e) => {
                        failed = true;
                        return Some(Err(e));
                    }
                }
            }
        })
    }

    /// Both sides of every conflict between outlets, in input order of the
    /// earlier figure, then of the later.
    pub fn conflicts(
        &self,
    ) -> impl Iterator<Item = Result<(FigureRef, FigureRef), SpoolError>> + '_ {
        self.ranges
            .iter()
            .flatten()
            .map(|path| range_conflicts(path))
            .flat_map(|range| match range {
                Ok(v) => v.into_iter().map(Ok).collect::<Vec<_>>(),
                Err(e) => vec![Err(e)],
            })
    }
}

/// The conflicts of one range file, in order of their figures.
fn range_conflicts(path: &Path) -> Result<Vec<(FigureRef, FigureRef)>, SpoolError> {
    let (bytes, spans) = load(path)?;
    let mut pairs = spans
        .iter()
        .filter(|&&(start, _)| bytes.get(start) == Some(&CONFLICT))
        .map(|&(start, end)| {
            let mut f = Fields {
                bytes: &bytes[start + 1..end],
            };
            let (a, b, rule, key) = (f.u64()?, f.u64()?, f.u32()? as usize, f.str()?);
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
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| SpoolError::corrupt(path))?;
    pairs.sort_unstable_by_key(|(a, b)| (a.figure, b.figure));
    Ok(pairs)
}

/// The verdict records of one range file, sorted by claim, handed out one
/// claim at a time.
struct RangeVerdicts {
    path: PathBuf,
    bytes: Vec<u8>,
    edges: Vec<Edge>,
    at: usize,
}

/// One verdict record, its other article's id left in the file's bytes.
#[derive(Clone, Copy)]
struct Edge {
    article: u64,
    sentence: u32,
    kind: u8,
    outlet: u32,
    id: (u32, u32),
}

impl RangeVerdicts {
    fn load(path: &Path) -> Result<RangeVerdicts, SpoolError> {
        let (bytes, spans) = load(path)?;
        let mut edges = spans
            .iter()
            .filter(|&&(start, _)| bytes.get(start) == Some(&VERDICT))
            .map(|&(start, end)| {
                let mut f = Fields {
                    bytes: &bytes[start + 1..end],
                };
                let (article, sentence, outlet) = (f.u64()?, f.u32()?, f.u32()?);
                let (kind, len) = (f.u8()?, f.u32()?);
                let id_start = end - f.bytes.len();
                (id_start + len as usize == end).then_some(Edge {
                    article,
                    sentence,
                    kind,
                    outlet,
                    id: (id_start as u32, len),
                })
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| SpoolError::corrupt(path))?;
        let id = |e: &Edge| &bytes[e.id.0 as usize..(e.id.0 + e.id.1) as usize];
        // By claim, then the mark that it has figures, agreeing ids in
        // order, disagreeing ids in order; once each.
        edges.sort_unstable_by(|a, b| {
            (a.article, a.sentence, a.kind)
                .cmp(&(b.article, b.sentence, b.kind))
                .then_with(|| id(a).cmp(id(b)))
        });
        edges.dedup_by(|a, b| {
            (a.article, a.sentence, a.kind) == (b.article, b.sentence, b.kind) && id(a) == id(b)
        });
        Ok(RangeVerdicts {
            path: path.to_path_buf(),
            bytes,
            edges,
            at: 0,
        })
    }

    /// The next claim's verdict.
    fn next(&mut self, outlets: &[String]) -> Option<Result<ClaimVerdict, SpoolError>> {
        let first = *self.edges.get(self.at)?;
        let Some(outlet) = outlets.get(first.outlet as usize) else {
            self.at = self.edges.len();
            return Some(Err(SpoolError::corrupt(&self.path)));
        };
        let mut v = ClaimVerdict {
            article: first.article as usize,
            sentence: first.sentence as usize,
            outlet: outlet.clone(),
            status: Status::SingleSource,
            agrees: IdList::default(),
            disagrees: IdList::default(),
        };
        while let Some(e) = self.edges.get(self.at)
            && (e.article, e.sentence) == (first.article, first.sentence)
        {
            // Ids were valid UTF-8 when written; a damaged file gives an
            // empty id rather than a panic.
            let id = std::str::from_utf8(&self.bytes[e.id.0 as usize..(e.id.0 + e.id.1) as usize])
                .unwrap_or_default();
            match e.kind {
                1 => v.agrees.add(id),
                2 => v.disagrees.add(id),
                _ => {}
            }
            self.at += 1;
        }
        v.status = if !v.disagrees.is_empty() {
            Status::Contradicted
        } else if !v.agrees.is_empty() {
            Status::Corroborated
        } else {
            Status::SingleSource
        };
        Some(Ok(v))
    }
}
