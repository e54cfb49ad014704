//! Rows as the bytes the streaming formats write, made on the worker that
//! analyzed the article, so the thread writing the reports only copies
//! bytes in input order.
//!
//! CSV and JSON Lines rows are rendered whole. A claim's row is rendered
//! around its verification columns, which are known only once the whole
//! batch is linked: the spool keeps the text before and after them, and the
//! replay splices the verdict in. The workbook needs typed cells, so for it
//! a claim is also kept as JSON. Nothing here touches files.

use super::cells::{
    Cell, CellError, NamedCells, cells, csv_field_with, csv_fields as csv_row_fields,
};
use super::rows::{ArticleRows, ClaimRow, ConflictRow, Row, Table, cell};

/// Which bytes a run's reports need, made once and shared by the workers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Renderer {
    pub(super) csv: bool,
    pub(super) jsonl: bool,
    /// The workbook reads claims as typed rows.
    pub(super) typed_claims: bool,
    /// The workbook or the HTML report reads an article's rows as structs.
    pub(super) typed_rows: bool,
    /// Text cells as they are (`--raw-cells`).
    pub(super) raw: bool,
}

/// One article's rows, rendered: for each streaming format, the bytes of
/// its articles, findings and conflicts reports; and its claims as spool
/// records.
#[derive(Debug, Default)]
pub struct Rendered {
    pub(super) csv: TableBytes,
    pub(super) jsonl: TableBytes,
    pub(super) claims: Vec<u8>,
}

/// Bytes for the three reports an article writes at once.
#[derive(Debug, Default)]
pub(super) struct TableBytes {
    bytes: Vec<u8>,
    /// Where the findings and the conflicts start.
    at: [usize; 2],
}

impl TableBytes {
    /// The bytes of `table`: articles, findings or conflicts.
    pub(super) fn table(&self, table: Table) -> &[u8] {
        let [findings, conflicts] = self.at;
        match table {
            Table::Articles => &self.bytes[..findings],
            Table::Findings => &self.bytes[findings..conflicts],
            Table::Conflicts => &self.bytes[conflicts..],
            _ => &[],
        }
    }
}

/// Where the verification columns sit in a claim row; they are adjacent.
const VERIFICATION: usize = 11;
const VERIFICATION_COLUMNS: [&str; 3] = ["verification", "agrees", "disagrees"];

impl Renderer {
    /// True when a report reads an article's findings, claims and
    /// conflicts as row structs after [`Renderer::render`]; else they can
    /// be dropped once rendered.
    pub fn keeps_rows(&self) -> bool {
        self.typed_rows
    }

    /// Renders an article's rows; `seq` is its position in the input.
    pub fn render<S: serde::Serialize + AsRef<str>>(
        &self,
        seq: usize,
        rows: &ArticleRows<S>,
    ) -> Result<Rendered, CellError> {
        let mut out = Rendered::default();
        // Rows are mostly their text: room for about that much up front
        // spares the buffers their regrowth, a copy each time, row by row.
        let rows_guess = 256
            + rows
                .findings
                .iter()
                .map(|f| {
                    f.text.as_ref().len()
                        + f.sentence_text.as_ref().len()
                        + f.message.as_ref().len()
                        + 128
                })
                .sum::<usize>()
            + rows.conflicts.len() * 256;
        if self.csv {
            out.csv.bytes.reserve(rows_guess);
        }
        if self.jsonl {
            out.jsonl
                .bytes
                .reserve(rows_guess + rows.findings.len() * 160);
        }
        let formats =
            usize::from(self.csv) + usize::from(self.jsonl) + usize::from(self.typed_claims);
        out.claims.reserve(
            rows.claims
                .iter()
                .map(|c| 64 + formats * (c.text.as_ref().len() + 192))
                .sum(),
        );
        if self.csv {
            let raw = self.raw;
            let csv = |row: &dyn erased::Row, bytes: &mut Vec<u8>| -> Result<(), CellError> {
                row.csv(raw, 0..usize::MAX, bytes)?;
                bytes.push(b'\n');
                Ok(())
            };
            tables(rows, &mut out.csv, csv)?;
        }
        if self.jsonl {
            let jsonl = |row: &dyn erased::Row, bytes: &mut Vec<u8>| -> Result<(), CellError> {
                jsonl_row(&row.cells(self.raw)?, bytes);
                Ok(())
            };
            tables(rows, &mut out.jsonl, jsonl)?;
        }
        for claim in &rows.claims {
            self.claim(seq, claim, &mut out.claims)?;
        }
        Ok(out)
    }

    /// A row's cells, text neutralized unless raw.
    pub(super) fn cells<R: Row>(&self, row: &R) -> Result<Vec<(&'static str, Cell)>, CellError> {
        let mut cells = cells(row)?;
        if !self.raw {
            neutralize(&mut cells);
        }
        Ok(cells)
    }

    /// One claim's spool record: its length, its position, its verification cells as
    /// built, then per format the bytes before and after them.
    fn claim<S: serde::Serialize + AsRef<str>>(
        &self,
        seq: usize,
        claim: &ClaimRow<S>,
        out: &mut Vec<u8>,
    ) -> Result<(), CellError> {
        let start = out.len();
        put_u64(out, 0);
        debug_assert!(
            VERIFICATION_COLUMNS
                .iter()
                .zip(&ClaimRow::HEADER[VERIFICATION..])
                .all(|(a, b)| a == b)
        );
        put_u64(out, seq as u64);
        put_u64(out, claim.sentence as u64);
        put_bytes(out, claim.verification.as_ref().as_bytes());
        put_bytes(out, claim.agrees.as_ref().as_bytes());
        put_bytes(out, claim.disagrees.as_ref().as_bytes());
        if self.csv {
            put_with(out, |out| {
                csv_row_fields(claim, self.raw, 0..VERIFICATION, out)
            })?;
            put_with(out, |out| {
                csv_row_fields(claim, self.raw, VERIFICATION + 3..usize::MAX, out)?;
                out.push(b'\n');
                Ok(())
            })?;
        }
        if self.jsonl {
            let cells = self.cells(claim)?;
            let (before, after) = (&cells[..VERIFICATION], &cells[VERIFICATION + 3..]);
            // A JSON object is `{`, entries joined by `,`, `}`: the row
            // without its verification is the object of the columns
            // before it without `}`, and of the columns after it without `{`.
            put_with(out, |out| {
                json_object(before, out);
                out.pop();
                Ok(())
            })?;
            put_with(out, |out| {
                let at = out.len();
                json_object(after, out);
                out.remove(at);
                out.push(b'\n');
                Ok(())
            })?;
        }
        if self.typed_claims {
            let json = serde_json::to_vec(claim).map_err(serde::ser::Error::custom)?;
            put_bytes(out, &json);
        }
        // The record's length, after the length itself, goes first.
        let len = (out.len() - start - 8) as u64;
        out[start..start + 8].copy_from_slice(&len.to_le_bytes());
        Ok(())
    }
}

/// Conflicts between articles, rendered: the bytes of the streaming
/// formats, and the rows when the workbook needs them.
#[derive(Debug, Default)]
pub struct RenderedConflicts {
    pub(super) csv: Vec<u8>,
    pub(super) jsonl: Vec<u8>,
    pub(super) rows: Vec<ConflictRow>,
}

impl Renderer {
    /// Renders conflict rows, on any thread.
    pub fn conflicts(&self, rows: Vec<ConflictRow>) -> Result<RenderedConflicts, CellError> {
        let mut out = RenderedConflicts::default();
        for row in &rows {
            if self.csv {
                csv_row_fields(row, self.raw, 0..usize::MAX, &mut out.csv)?;
                out.csv.push(b'\n');
            }
            if self.jsonl {
                jsonl_row(&self.cells(row)?, &mut out.jsonl);
            }
        }
        if self.typed_claims {
            out.rows = rows;
        }
        Ok(out)
    }
}

/// A claim's verification cells as the batch decided them.
pub struct ClaimCheck {
    pub verification: String,
    pub agrees: String,
    pub disagrees: String,
}

/// One spooled claim, read back: borrowed from the spool's buffer.
pub(super) struct SpooledClaim<'a> {
    pub(super) seq: usize,
    pub(super) sentence: usize,
    pub(super) check: [&'a [u8]; 3],
    pub(super) csv: [&'a [u8]; 2],
    pub(super) jsonl: [&'a [u8]; 2],
    pub(super) typed: &'a [u8],
}

impl<'a> SpooledClaim<'a> {
    /// Reads one record written by [`Renderer::render`] with the same
    /// renderer, after its length; `None` when the bytes are not such a
    /// record.
    pub(super) fn read(renderer: &Renderer, mut bytes: &'a [u8]) -> Option<SpooledClaim<'a>> {
        let seq = usize::try_from(take_u64(&mut bytes)?).ok()?;
        let sentence = usize::try_from(take_u64(&mut bytes)?).ok()?;
        let check = [
            take_bytes(&mut bytes)?,
            take_bytes(&mut bytes)?,
            take_bytes(&mut bytes)?,
        ];
        let mut claim = SpooledClaim {
            seq,
            sentence,
            check,
            csv: [&[], &[]],
            jsonl: [&[], &[]],
            typed: &[],
        };
        if renderer.csv {
            claim.csv = [take_bytes(&mut bytes)?, take_bytes(&mut bytes)?];
        }
        if renderer.jsonl {
            claim.jsonl = [take_bytes(&mut bytes)?, take_bytes(&mut bytes)?];
        }
        if renderer.typed_claims {
            claim.typed = take_bytes(&mut bytes)?;
        }
        bytes.is_empty().then_some(claim)
    }

    /// The verification cells: the batch's verdict, else as spooled.
    pub(super) fn cells(&self, check: Option<&ClaimCheck>, raw: bool) -> [(&'static str, Cell); 3] {
        let text = |i: usize| -> String {
            let spooled = String::from_utf8_lossy(self.check[i]);
            let value = match (check, i) {
                (Some(c), 0) => c.verification.as_str(),
                (Some(c), 1) => c.agrees.as_str(),
                (Some(c), 2) => c.disagrees.as_str(),
                _ => &spooled,
            };
            if raw { value.to_string() } else { cell(value) }
        };
        [0, 1, 2].map(|i| (VERIFICATION_COLUMNS[i], Cell::Text(text(i))))
    }

    /// The claim's CSV row with `middle` (its verification cells) spliced in.
    pub(super) fn csv_row(&self, middle: &[(&'static str, Cell)], out: &mut Vec<u8>) {
        out.extend_from_slice(self.csv[0]);
        out.push(b',');
        csv_fields(middle, out);
        out.push(b',');
        out.extend_from_slice(self.csv[1]);
    }

    /// The claim's JSON line with `middle` spliced in.
    pub(super) fn jsonl_row(&self, middle: &[(&'static str, Cell)], out: &mut Vec<u8>) {
        out.extend_from_slice(self.jsonl[0]);
        out.push(b',');
        let start = out.len();
        json_object(middle, out);
        out.pop();
        out.remove(start);
        out.push(b',');
        out.extend_from_slice(self.jsonl[1]);
    }
}

/// Puts a `'` before every text cell a spreadsheet would run as a formula.
pub(super) fn neutralize(cells: &mut [(&'static str, Cell)]) {
    for (_, c) in cells {
        if let Cell::Text(text) = c
            && text.starts_with(['=', '+', '-', '@', '\t', '\r'])
        {
            *text = cell(text);
        }
    }
}

/// One CSV row from its cells: fields, then a newline. The reports render
/// rows straight from their structs; the tests hold them to this.
#[cfg(test)]
fn csv_row(cells: &[(&'static str, Cell)], out: &mut Vec<u8>) {
    csv_fields(cells, out);
    out.push(b'\n');
}

/// Fields separated by commas, as the `csv` crate writes them by default:
/// a field holding a comma, a quote or a line break is quoted, its quotes
/// doubled; integers in decimal; decimals as their fixed-point text.
fn csv_fields(cells: &[(&'static str, Cell)], out: &mut Vec<u8>) {
    for (i, (_, c)) in cells.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match c {
            Cell::Text(text) => csv_field(text.as_bytes(), out),
            Cell::Integer(n) => {
                use std::io::Write;
                let _ = write!(out, "{n}");
            }
            Cell::Decimal(d) => csv_field(d.as_str().as_bytes(), out),
        }
    }
}

/// One CSV field, quoted when it must be.
pub(super) fn csv_field(field: &[u8], out: &mut Vec<u8>) {
    csv_field_with(b"", field, out);
}

/// The article's rows into `out`'s three parts, each row by `write`.
fn tables<S: serde::Serialize>(
    rows: &ArticleRows<S>,
    out: &mut TableBytes,
    write: impl Fn(&dyn erased::Row, &mut Vec<u8>) -> Result<(), CellError>,
) -> Result<(), CellError> {
    let bytes = &mut out.bytes;
    write(&rows.article, bytes)?;
    out.at[0] = bytes.len();
    for f in &rows.findings {
        write(f, bytes)?;
    }
    out.at[1] = bytes.len();
    for c in &rows.conflicts {
        write(c, bytes)?;
    }
    Ok(())
}

/// Row structs of different reports behind one reference.
mod erased {
    use super::{Cell, CellError};

    pub(super) trait Row {
        fn csv(
            &self,
            raw: bool,
            columns: std::ops::Range<usize>,
            out: &mut Vec<u8>,
        ) -> Result<(), CellError>;
        fn cells(&self, raw: bool) -> Result<Vec<(&'static str, Cell)>, CellError>;
    }

    impl<R: super::Row> Row for R {
        fn csv(
            &self,
            raw: bool,
            columns: std::ops::Range<usize>,
            out: &mut Vec<u8>,
        ) -> Result<(), CellError> {
            super::csv_row_fields(self, raw, columns, out)
        }

        fn cells(&self, raw: bool) -> Result<Vec<(&'static str, Cell)>, CellError> {
            let renderer = super::Renderer {
                raw,
                ..super::Renderer::default()
            };
            renderer.cells(self)
        }
    }
}

/// One JSON line: the row as an object, keys in column order.
pub(super) fn jsonl_row(cells: &[(&'static str, Cell)], out: &mut Vec<u8>) {
    json_object(cells, out);
    out.push(b'\n');
}

fn json_object(cells: &[(&'static str, Cell)], out: &mut Vec<u8>) {
    // Writing JSON into a Vec cannot fail: cells are strings and numbers,
    // and a decimal's value is always finite.
    let _ = serde_json::to_writer(&mut *out, &NamedCells(cells));
}

fn put_u64(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(&n.to_le_bytes());
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_u64(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// [`put_bytes`] for bytes that `write` appends to `out`: written in
/// place, their length filled in after.
fn put_with(
    out: &mut Vec<u8>,
    write: impl FnOnce(&mut Vec<u8>) -> Result<(), CellError>,
) -> Result<(), CellError> {
    let at = out.len();
    put_u64(out, 0);
    write(out)?;
    let len = (out.len() - at - 8) as u64;
    out[at..at + 8].copy_from_slice(&len.to_le_bytes());
    Ok(())
}

fn take_u64(bytes: &mut &[u8]) -> Option<u64> {
    let (n, rest) = bytes.split_first_chunk::<8>()?;
    *bytes = rest;
    Some(u64::from_le_bytes(*n))
}

fn take_bytes<'a>(bytes: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = usize::try_from(take_u64(bytes)?).ok()?;
    if bytes.len() < len {
        return None;
    }
    let (field, rest) = bytes.split_at(len);
    *bytes = rest;
    Some(field)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// What the `csv` crate writes for one record of `fields`.
    fn csv_crate(fields: &[String]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        w.write_record(fields).expect("writing to memory");
        w.into_inner().expect("writing to memory")
    }

    proptest! {
        #[test]
        fn csv_rows_are_what_the_csv_crate_writes(
            fields in proptest::collection::vec("[a-z,\"\r\n =\t'-]{0,12}|\\PC{0,8}", 2..6)
        ) {
            let cells: Vec<_> = fields.iter().map(|f| ("c", Cell::Text(f.clone()))).collect();
            let mut ours = Vec::new();
            csv_row(&cells, &mut ours);
            prop_assert_eq!(ours, csv_crate(&fields));
        }
    }

    fn claim(verification: &str, agrees: &str) -> ClaimRow {
        ClaimRow {
            article_id: "=a,1".into(),
            sentence: 3,
            text: "Officials said \"14\" died,\nreportedly.".into(),
            voice: "reported".into(),
            speaker: "officials".into(),
            cue: "said".into(),
            attribution: "named".into(),
            hedges: String::new(),
            quantities: "14".into(),
            figures: "died people 14".into(),
            checkworthiness: super::super::cells::Decimal::new(0.5, 2),
            verification: verification.into(),
            agrees: agrees.into(),
            disagrees: String::new(),
            reference: "-agrees x".into(),
        }
    }

    /// A spooled claim with a verdict spliced in is the row rendered whole
    /// with that verdict, in every format and with or without `--raw-cells`.
    #[test]
    fn spliced_claims_are_rows_rendered_whole() {
        for raw in [false, true] {
            let renderer = Renderer {
                csv: true,
                jsonl: true,
                typed_claims: true,
                typed_rows: true,
                raw,
            };
            let spooled = claim("unchecked", "");
            let mut record = Vec::new();
            renderer.claim(7, &spooled, &mut record).unwrap();
            let read = SpooledClaim::read(&renderer, &record[8..]).unwrap();
            assert_eq!((read.seq, read.sentence), (7, 3));
            let decided = claim("corroborated", "-b; c");
            let check = ClaimCheck {
                verification: decided.verification.clone(),
                agrees: decided.agrees.clone(),
                disagrees: decided.disagrees.clone(),
            };
            for (check, row) in [(None, &spooled), (Some(&check), &decided)] {
                let middle = read.cells(check, raw);
                let whole = renderer.cells(row).unwrap();
                let (mut csv, mut want_csv) = (Vec::new(), Vec::new());
                read.csv_row(&middle, &mut csv);
                csv_row(&whole, &mut want_csv);
                assert_eq!(String::from_utf8(csv), String::from_utf8(want_csv));
                let (mut json, mut want_json) = (Vec::new(), Vec::new());
                read.jsonl_row(&middle, &mut json);
                jsonl_row(&whole, &mut want_json);
                assert_eq!(String::from_utf8(json), String::from_utf8(want_json));
            }
            let typed: ClaimRow = serde_json::from_slice(read.typed).unwrap();
            assert_eq!(typed, spooled);
        }
    }

    #[test]
    fn a_cut_record_is_not_read() {
        let renderer = Renderer {
            csv: true,
            ..Renderer::default()
        };
        let mut record = Vec::new();
        renderer
            .claim(1, &claim("unchecked", ""), &mut record)
            .unwrap();
        assert!(SpooledClaim::read(&renderer, &record[8..record.len() - 1]).is_none());
    }
}
