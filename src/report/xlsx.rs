//! `credence.xlsx`: one workbook, a sheet per report, from the same row
//! structs as the CSV files.
//!
//! Cells keep their types: counts and scores are numbers, everything else
//! is written with `write_string`, so no cell is ever a formula whatever the
//! input says. Text keeps the CSV's neutralizing `'` so the workbook, saved
//! back as CSV by a spreadsheet, is as safe as the CSV. Sheets are written
//! in constant-memory mode (one row per sheet in memory, the rest in a
//! temporary file in the output folder), so a large run does not grow the
//! process. The header row is frozen and filtered, sentence cells wrap,
//! scores are coloured by band, and each finding links to its article's
//! row.

use std::path::Path;

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format as CellFormat, FormatAlign, FormatBorder,
    FormatUnderline, Url, Workbook, Worksheet, XlsxError,
};

use super::cells::{Cell, Decimal};
use super::format::XLSX_FILE;
use super::rows::Table;
use super::writer::{ReportError, Staged};

/// Excel's last row (0-based). Rows past it are left out of the workbook;
/// the CSV and JSONL reports have them.
const LAST_ROW: u32 = 1_048_575;
/// Excel opens at most this many hyperlinks per sheet. The writer keeps
/// every link in memory until it saves (about 750 bytes each), so this is
/// also what bounds the workbook's memory: only findings are linked.
const MAX_LINKS: usize = 65_530;
/// Widest column, in characters; wrapped columns wrap at this width.
const MAX_WIDTH: usize = 60;
/// Columns whose text is a sentence or more: wrapped, top-aligned.
const WRAPPED: &[&str] = &[
    "title",
    "text",
    "sentence_text",
    "message",
    "hedges",
    "reason",
];
/// Columns coloured by score band.
const BANDED: &[&str] = &["score", "credibility"];

/// The score bands: >= 80 high, 50-80 mid, < 50 low.
pub fn band(score: f64) -> usize {
    if score >= 80.0 {
        0
    } else if score >= 50.0 {
        1
    } else {
        2
    }
}

/// Cell formats, made once.
struct Formats {
    header: CellFormat,
    text: CellFormat,
    wrap: CellFormat,
    link: CellFormat,
    integer: CellFormat,
    /// By decimal places: 0.0, 0.00, 0.000.
    decimal: [CellFormat; 3],
    /// By band: green, amber, red.
    band: [CellFormat; 3],
}

impl Formats {
    fn new() -> Formats {
        let top = CellFormat::new().set_align(FormatAlign::Top);
        let decimal = |places: usize| {
            top.clone()
                .set_num_format(format!("0.{}", "0".repeat(places)))
        };
        let band = |fill: u32, font: u32| {
            decimal(1)
                .set_background_color(Color::RGB(fill))
                .set_font_color(Color::RGB(font))
        };
        Formats {
            header: CellFormat::new()
                .set_bold()
                .set_background_color(Color::RGB(0xE7E6E6))
                .set_border_bottom(FormatBorder::Thin),
            text: top.clone(),
            wrap: top.clone().set_text_wrap(),
            link: top
                .clone()
                .set_font_color(Color::RGB(0x0563C1))
                .set_underline(FormatUnderline::Single),
            integer: top.clone(),
            decimal: [decimal(1), decimal(2), decimal(3)],
            band: [
                band(0xC6EFCE, 0x006100),
                band(0xFFEB9C, 0x9C5700),
                band(0xFFC7CE, 0x9C0006),
            ],
        }
    }

    fn decimal(&self, d: &Decimal) -> &CellFormat {
        &self.decimal[d.places().clamp(1, 3) - 1]
    }
}

/// What is known of one sheet while it is written.
struct Sheet {
    table: Table,
    /// The next row to write (0 is the header).
    next: u32,
    /// Longest cell per column, in characters.
    widths: Vec<usize>,
    wrapped: Vec<bool>,
    banded: Vec<bool>,
    links: usize,
}

/// The workbook being written.
pub struct XlsxReport {
    staged: Staged,
    workbook: Workbook,
    sheets: Vec<Sheet>,
    formats: Formats,
    /// The id and row of the last article written, for links to it.
    article: Option<(String, u32)>,
}

impl XlsxReport {
    /// Adds one sheet per report with its header row, frozen.
    pub fn create(dir: &Path) -> Result<XlsxReport, ReportError> {
        let staged = Staged::new(dir, XLSX_FILE);
        let err = |source| ReportError::Xlsx {
            path: staged.path.clone(),
            source,
        };
        let mut workbook = Workbook::new();
        // Keep constant-memory spill files on the output's disk, not in a
        // /tmp that may be memory.
        workbook.set_tempdir(dir).map_err(err)?;
        // A fixed creation time keeps the workbook byte-identical run to run.
        let epoch = ExcelDateTime::from_ymd(1980, 1, 1).map_err(err)?;
        workbook.set_properties(
            &DocProperties::new()
                .set_title("credence reports")
                .set_creation_datetime(&epoch),
        );
        let formats = Formats::new();
        let mut sheets = Vec::new();
        for table in Table::ALL {
            let header = table.header();
            let sheet = workbook.add_worksheet_with_constant_memory().map_err(err)?;
            sheet.set_name(table.sheet()).map_err(err)?;
            for (col, name) in header.iter().enumerate() {
                sheet
                    .write_string_with_format(0, col as u16, *name, &formats.header)
                    .map_err(err)?;
            }
            sheet.set_freeze_panes(1, 0).map_err(err)?;
            sheets.push(Sheet {
                table,
                next: 1,
                widths: header.iter().map(|h| h.len()).collect(),
                wrapped: header.iter().map(|h| WRAPPED.contains(h)).collect(),
                banded: header.iter().map(|h| BANDED.contains(h)).collect(),
                links: 0,
            });
        }
        Ok(XlsxReport {
            staged,
            workbook,
            sheets,
            formats,
            article: None,
        })
    }

    /// Writes one row on its table's sheet.
    pub fn row(&mut self, table: Table, cells: &[(&'static str, Cell)]) -> Result<(), ReportError> {
        let index = sheet_index(table);
        let path = self.staged.path.clone();
        let err = |source| ReportError::Xlsx {
            path: path.clone(),
            source,
        };
        let sheet = &mut self.sheets[index];
        if sheet.next > LAST_ROW {
            return Ok(());
        }
        let r = sheet.next;
        sheet.next += 1;
        // A finding links to the article written just before it.
        let link_to = match (table, &self.article, cells.first()) {
            (Table::Findings, Some((id, row)), Some((_, Cell::Text(t))))
                if t == id && sheet.links < MAX_LINKS =>
            {
                sheet.links += 1;
                Some(*row)
            }
            _ => None,
        };
        if table == Table::Articles
            && let Some((_, Cell::Text(id))) = cells.first()
        {
            self.article = Some((id.clone(), r));
        }
        let ws = self.workbook.worksheet_from_index(index).map_err(&err)?;
        for (col, (_, cell)) in cells.iter().enumerate() {
            let c = col as u16;
            let width = match cell {
                Cell::Text(text) => {
                    let fitted = fit_cell(text);
                    let text: &str = &fitted;
                    match link_to {
                        Some(target) if col == 0 => {
                            let url = Url::new(format!(
                                "internal:'{}'!A{}",
                                Table::Articles.sheet(),
                                target + 1
                            ))
                            .set_text(text);
                            ws.write_url_with_format(r, c, url, &self.formats.link)
                        }
                        _ if sheet.wrapped[col] => {
                            ws.write_string_with_format(r, c, text, &self.formats.wrap)
                        }
                        _ => ws.write_string_with_format(r, c, text, &self.formats.text),
                    }
                    .map_err(&err)?;
                    text.chars().count()
                }
                Cell::Integer(n) => {
                    ws.write_number_with_format(r, c, *n as f64, &self.formats.integer)
                        .map_err(&err)?;
                    digits(*n)
                }
                Cell::Decimal(d) => {
                    let format = if sheet.banded[col] {
                        &self.formats.band[band(d.value())]
                    } else {
                        self.formats.decimal(d)
                    };
                    ws.write_number_with_format(r, c, d.value(), format)
                        .map_err(&err)?;
                    d.as_str().len()
                }
            };
            if let Some(w) = sheet.widths.get_mut(col) {
                *w = (*w).max(width);
            }
        }
        Ok(())
    }

    /// Sets column widths and filters, saves and renames the workbook.
    pub fn finish(mut self) -> Result<(), ReportError> {
        let path = self.staged.path.clone();
        let err = |source: XlsxError| ReportError::Xlsx {
            path: path.clone(),
            source,
        };
        for (index, sheet) in self.sheets.iter().enumerate() {
            let ws = self.workbook.worksheet_from_index(index).map_err(err)?;
            finish_sheet(ws, sheet).map_err(err)?;
        }
        self.workbook.save(&self.staged.temp).map_err(err)?;
        self.staged.commit(None)
    }
}

fn finish_sheet(ws: &mut Worksheet, sheet: &Sheet) -> Result<(), XlsxError> {
    let header = sheet.table.header();
    for (col, width) in sheet.widths.iter().enumerate() {
        // Room for the filter button beside the header name.
        let header_width = header[col].len() + 3;
        let width = (*width + 1).max(header_width).clamp(6, MAX_WIDTH);
        ws.set_column_width(col as u16, width as f64)?;
    }
    let last_row = sheet.next.saturating_sub(1);
    ws.autofilter(0, 0, last_row, header.len().saturating_sub(1) as u16)?;
    Ok(())
}

fn sheet_index(table: Table) -> usize {
    Table::ALL
        .iter()
        .position(|t| *t == table)
        .expect("Table::ALL lists every table")
}

fn digits(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// Characters an Excel cell holds at most.
const CELL_CHARS: usize = 32_767;

/// A text as a cell can hold it: a longer one (a pasted-in document as a
/// title) is cut with a note, rather than failing the workbook. The CSV and
/// JSON Lines reports keep it whole.
fn fit_cell(text: &str) -> std::borrow::Cow<'_, str> {
    const NOTE: &str = "\u{2026} [cut: longer than a spreadsheet cell holds]";
    match text.char_indices().nth(CELL_CHARS) {
        None => text.into(),
        Some(_) => {
            let keep = CELL_CHARS - NOTE.chars().count();
            let cut = text.char_indices().nth(keep).map_or(text.len(), |(i, _)| i);
            format!("{}{NOTE}", &text[..cut]).into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_long_text_is_cut_to_fit_a_cell() {
        let long = "é".repeat(40_000);
        let fitted = fit_cell(&long);
        assert_eq!(fitted.chars().count(), CELL_CHARS);
        assert!(fitted.ends_with("spreadsheet cell holds]"));
        let exact = "a".repeat(CELL_CHARS);
        assert_eq!(fit_cell(&exact), exact.as_str());
    }
}
