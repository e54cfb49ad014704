//! Typed cells: what a row's fields are, for the formats that keep types
//! (XLSX numbers, JSON numbers), read from the same `Serialize` row structs
//! that the CSV writer uses.
//!
//! A row struct says a field is a number by its type: `usize` for counts,
//! [`Decimal`] for scores and rates. CSV sees a `Decimal` as its fixed-point
//! text ("86.7", "0.125"), so CSV bytes stay what they were; [`cells`] sees it
//! as a number. Adding a column is adding a field: every format follows.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde::ser::{self, Impossible, Serialize, SerializeStruct, Serializer};

/// The newtype name that marks a [`Decimal`] to the cell serializer; CSV and
/// JSON serializers look through newtypes and see only the text.
const DECIMAL: &str = "$credence::Decimal";

/// A number shown with a fixed count of decimals ("86.7", "0.125").
///
/// The text is made once, so every format shows the same digits; the value
/// is the text read back, so a spreadsheet cell equals the CSV cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Decimal {
    /// Borrowed from [`common_text`] for most cells, so a cell costs no
    /// allocation.
    text: Cow<'static, str>,
    value: f64,
}

/// The text of `n / 10^places` with `places` decimals, for `n` up to 1000
/// and up to three places (scores, rates, points and weights nearly
/// always): every such text is written once, on first use.
fn common_text(n: u64, places: usize) -> Option<&'static str> {
    const MAX: u64 = 1000;
    static TEXTS: OnceLock<[(String, Vec<usize>); 4]> = OnceLock::new();
    if n > MAX || places > 3 {
        return None;
    }
    let (text, ends) = &TEXTS.get_or_init(|| {
        std::array::from_fn(|places| {
            let mut text = String::new();
            let mut ends = vec![0];
            for n in 0..=MAX {
                push_fixed(&mut text, n, places);
                ends.push(text.len());
            }
            (text, ends)
        })
    })[places];
    let n = n as usize;
    text.get(*ends.get(n)?..*ends.get(n + 1)?)
}

/// Appends `n / 10^places` with `places` decimals: at least one digit
/// before the point.
fn push_fixed(out: &mut String, n: u64, places: usize) {
    // Digits from the last: `places` decimals, the point, then the
    // integer part. A `u64` has at most 20 digits.
    let mut digits = [0u8; 48];
    let (mut at, mut rest, mut written) = (digits.len(), n, 0);
    loop {
        if places > 0 && written == places {
            at -= 1;
            digits[at] = b'.';
        }
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        written += 1;
        if (rest == 0 && written > places) || at < 2 {
            break;
        }
    }
    // ASCII bytes as chars: no UTF-8 check to run on a few digits.
    out.extend(digits[at..].iter().map(|&b| char::from(b)));
}

impl Decimal {
    /// `value` rounded to `places` decimals.
    pub fn new(value: f64, places: usize) -> Decimal {
        if let Some(decimal) = Decimal::by_integers(value, places) {
            return decimal;
        }
        let text = format!("{value:.places$}");
        let value = text.parse().unwrap_or(value);
        Decimal {
            text: Cow::Owned(text),
            value,
        }
    }

    /// [`Decimal::new`] without the float formatter and parser, which cost
    /// about a thousand instructions a cell; `None` for a value it cannot be
    /// sure to write with the same digits (huge, NaN, or too near a tie
    /// between two roundings without being one), left to the formatter.
    ///
    /// Why the digits are the same: `format!` rounds the exact value times
    /// `10^places` to an integer, a tie to the even one. The product in
    /// `f64` is within half an ulp of it, at most `scaled * 2^-53`; unless a
    /// half-integer lies within that distance (the guard is about nine
    /// times wider), both round to the same integer `n`. An exact tie is a
    /// value whose double by `2^(places + 1)` is an odd integer: then the
    /// product is a half-integer below 2^52, exact in `f64`, and rounds to
    /// the even neighbour as the formatter does. The value is
    /// `n / 10^places`: both are exact in `f64` below 2^53 and IEEE division
    /// rounds correctly, so it is the nearest `f64` to the text, which is
    /// what parsing the text gives. A negative value, -0.0 too, is its
    /// magnitude's text after a `-` ("-0.0"), as the formatter writes it.
    fn by_integers(value: f64, places: usize) -> Option<Decimal> {
        const SCALE: [u64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
        let scale = *SCALE.get(places)?;
        if value.is_nan() {
            return None;
        }
        let negative = value.is_sign_negative();
        let magnitude = value.abs();
        let scaled = magnitude * scale as f64;
        // Not NaN: `value` is not.
        if scaled >= 1e15 {
            return None;
        }
        // In range, not negative: the cast truncates, as `floor` (through
        // `i64`, which takes one instruction).
        let floor = scaled as i64 as u64;
        let fraction = scaled - floor as f64;
        let n = if (fraction - 0.5).abs() <= scaled * 1e-15 {
            // Exact: a power of two times a value below 1e15.
            let doubled = magnitude * (1u64 << (places + 1)) as f64;
            let odd = doubled == (doubled as u64) as f64 && (doubled as u64) % 2 == 1;
            if !odd || fraction != 0.5 {
                return None;
            }
            floor + floor % 2
        } else {
            floor + u64::from(fraction > 0.5)
        };
        let text = match common_text(n, places) {
            Some(text) if !negative => Cow::Borrowed(text),
            _ => {
                let mut text = String::with_capacity(24);
                if negative {
                    text.push('-');
                }
                push_fixed(&mut text, n, places);
                Cow::Owned(text)
            }
        };
        let magnitude = n as f64 / scale as f64;
        Some(Decimal {
            text,
            value: if negative { -magnitude } else { magnitude },
        })
    }

    /// The rounded value, equal to the text.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// The fixed-point text, as written to CSV.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Decimals after the point.
    pub fn places(&self) -> usize {
        self.as_str().split_once('.').map_or(0, |(_, f)| f.len())
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(DECIMAL, self.as_str())
    }
}

/// Reads back the text a JSON or CSV writer wrote (the claim spool does).
impl<'de> serde::Deserialize<'de> for Decimal {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let value = text
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("not a decimal: {text:?}")))?;
        Ok(Decimal {
            text: Cow::Owned(text),
            value,
        })
    }
}

/// One cell of a row, with its type.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Integer(u64),
    Decimal(Decimal),
}

impl Serialize for Cell {
    /// Text as a JSON string, numbers as JSON numbers.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Text(s) => serializer.serialize_str(s),
            Cell::Integer(n) => serializer.serialize_u64(*n),
            Cell::Decimal(d) => serializer.serialize_f64(d.value()),
        }
    }
}

/// A row as (column, cell) pairs in column order: serializes as a JSON object
/// whose keys keep that order.
pub struct NamedCells<'a>(pub &'a [(&'static str, Cell)]);

impl Serialize for NamedCells<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, cell) in self.0 {
            map.serialize_entry(name, cell)?;
        }
        map.end()
    }
}

/// Serializes a row as the JSONL report writes it: through its typed
/// cells, so decimals are JSON numbers (for `#[serde(serialize_with)]`).
pub fn typed_row<T: Serialize, S: Serializer>(row: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let cells = cells(row).map_err(ser::Error::custom)?;
    NamedCells(&cells).serialize(serializer)
}

/// [`typed_row`] for a list of rows.
pub fn typed_rows<T: Serialize, S: Serializer>(
    rows: &&[T],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use ser::SerializeSeq;
    struct One<'a, T>(&'a T);
    impl<T: Serialize> Serialize for One<'_, T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            typed_row(self.0, serializer)
        }
    }
    let mut seq = serializer.serialize_seq(Some(rows.len()))?;
    for row in rows.iter() {
        seq.serialize_element(&One(row))?;
    }
    seq.end()
}

/// [`typed_row`] for a row that may be absent.
pub fn typed_option<T: Serialize, S: Serializer>(
    row: &Option<&T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match row {
        Some(row) => typed_row(*row, serializer),
        None => serializer.serialize_none(),
    }
}

/// Reads a flat row struct as typed cells, in field order.
///
/// Fails only for a row type that is not a flat struct of text, integers
/// and decimals, which is a programming error caught by the unit tests.
pub fn cells<T: Serialize>(row: &T) -> Result<Vec<(&'static str, Cell)>, CellError> {
    let mut out = RowCells(Vec::new());
    row.serialize(&mut out)?;
    Ok(out.0)
}

/// A row type that cannot be read as cells.
#[derive(Debug, thiserror::Error)]
#[error("a report row is not a flat struct: {0}")]
pub struct CellError(String);

impl ser::Error for CellError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        CellError(msg.to_string())
    }
}

fn unsupported<T>(what: &str) -> Result<T, CellError> {
    Err(CellError(format!("{what} is not a cell")))
}

struct RowCells(Vec<(&'static str, Cell)>);

impl SerializeStruct for &mut RowCells {
    type Ok = ();
    type Error = CellError;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), CellError> {
        let cell = value.serialize(CellSerializer)?;
        self.0.push((key, cell));
        Ok(())
    }

    fn end(self) -> Result<(), CellError> {
        Ok(())
    }
}

/// Everything but a struct is refused at the row level.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ret, CellError> {
            unsupported(stringify!($method))
        })*
    };
}

/// The `Serializer` of a row: a struct, whose fields go to
/// `SerializeStruct`, and nothing else.
macro_rules! struct_only_serializer {
    ($row:ty) => {
        impl Serializer for $row {
            type Ok = ();
            type Error = CellError;
            type SerializeSeq = Impossible<(), CellError>;
            type SerializeTuple = Impossible<(), CellError>;
            type SerializeTupleStruct = Impossible<(), CellError>;
            type SerializeTupleVariant = Impossible<(), CellError>;
            type SerializeMap = Impossible<(), CellError>;
            type SerializeStruct = Self;
            type SerializeStructVariant = Impossible<(), CellError>;

            fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self, CellError> {
                Ok(self)
            }

            fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), CellError> {
                unsupported("an option")
            }
            fn serialize_newtype_struct<T: ?Sized + Serialize>(
                self,
                _: &'static str,
                value: &T,
            ) -> Result<(), CellError> {
                value.serialize(self)
            }
            fn serialize_newtype_variant<T: ?Sized + Serialize>(
                self,
                _: &'static str,
                _: u32,
                _: &'static str,
                _: &T,
            ) -> Result<(), CellError> {
                unsupported("an enum")
            }

            refuse! {
                serialize_bool(bool) -> ();
                serialize_i8(i8) -> ();
                serialize_i16(i16) -> ();
                serialize_i32(i32) -> ();
                serialize_i64(i64) -> ();
                serialize_u8(u8) -> ();
                serialize_u16(u16) -> ();
                serialize_u32(u32) -> ();
                serialize_u64(u64) -> ();
                serialize_f32(f32) -> ();
                serialize_f64(f64) -> ();
                serialize_char(char) -> ();
                serialize_str(&str) -> ();
                serialize_bytes(&[u8]) -> ();
                serialize_none() -> ();
                serialize_unit() -> ();
                serialize_unit_struct(&'static str) -> ();
                serialize_unit_variant(&'static str, u32, &'static str) -> ();
                serialize_seq(Option<usize>) -> Self::SerializeSeq;
                serialize_tuple(usize) -> Self::SerializeTuple;
                serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
                serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
                serialize_map(Option<usize>) -> Self::SerializeMap;
                serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
            }
        }
    };
}

struct_only_serializer!(&mut RowCells);

/// Turns one field value into a cell.
struct CellSerializer;

impl Serializer for CellSerializer {
    type Ok = Cell;
    type Error = CellError;
    type SerializeSeq = Impossible<Cell, CellError>;
    type SerializeTuple = Impossible<Cell, CellError>;
    type SerializeTupleStruct = Impossible<Cell, CellError>;
    type SerializeTupleVariant = Impossible<Cell, CellError>;
    type SerializeMap = Impossible<Cell, CellError>;
    type SerializeStruct = Impossible<Cell, CellError>;
    type SerializeStructVariant = Impossible<Cell, CellError>;

    fn serialize_str(self, v: &str) -> Result<Cell, CellError> {
        Ok(Cell::Text(v.to_string()))
    }
    fn serialize_char(self, v: char) -> Result<Cell, CellError> {
        Ok(Cell::Text(v.to_string()))
    }
    fn serialize_bool(self, v: bool) -> Result<Cell, CellError> {
        Ok(Cell::Text(v.to_string()))
    }
    fn serialize_u8(self, v: u8) -> Result<Cell, CellError> {
        Ok(Cell::Integer(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Cell, CellError> {
        Ok(Cell::Integer(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Cell, CellError> {
        Ok(Cell::Integer(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Cell, CellError> {
        Ok(Cell::Integer(v))
    }
    fn serialize_none(self) -> Result<Cell, CellError> {
        Ok(Cell::Text(String::new()))
    }
    fn serialize_unit(self) -> Result<Cell, CellError> {
        Ok(Cell::Text(String::new()))
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<Cell, CellError> {
        value.serialize(self)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Cell, CellError> {
        match value.serialize(self)? {
            Cell::Text(text) if name == DECIMAL => {
                let value = text
                    .parse()
                    .map_err(|_| CellError(format!("{text:?} is not a decimal")))?;
                Ok(Cell::Decimal(Decimal {
                    text: Cow::Owned(text),
                    value,
                }))
            }
            cell => Ok(cell),
        }
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Cell, CellError> {
        unsupported("an enum")
    }

    refuse! {
        serialize_i8(i8) -> Cell;
        serialize_i16(i16) -> Cell;
        serialize_i32(i32) -> Cell;
        serialize_i64(i64) -> Cell;
        serialize_f32(f32) -> Cell;
        serialize_f64(f64) -> Cell;
        serialize_bytes(&[u8]) -> Cell;
        serialize_unit_struct(&'static str) -> Cell;
        serialize_unit_variant(&'static str, u32, &'static str) -> Cell;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
}

/// Writes the fields of a flat row struct whose positions fall in
/// `columns` as CSV, comma-separated, with no line end: what [`cells`] and
/// the CSV writer would make, without a `String` a cell. Text cells are
/// neutralized unless `raw`; decimals are written as their text.
pub fn csv_fields<T: Serialize>(
    row: &T,
    raw: bool,
    columns: std::ops::Range<usize>,
    out: &mut Vec<u8>,
) -> Result<(), CellError> {
    let mut fields = CsvFields {
        out,
        raw,
        columns,
        index: 0,
    };
    row.serialize(&mut fields)
}

struct CsvFields<'a> {
    out: &'a mut Vec<u8>,
    raw: bool,
    columns: std::ops::Range<usize>,
    index: usize,
}

impl SerializeStruct for &mut CsvFields<'_> {
    type Ok = ();
    type Error = CellError;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        _key: &'static str,
        value: &T,
    ) -> Result<(), CellError> {
        let index = self.index;
        self.index += 1;
        if !self.columns.contains(&index) {
            return Ok(());
        }
        if index > self.columns.start {
            self.out.push(b',');
        }
        value.serialize(CsvField {
            out: self.out,
            raw: self.raw,
        })
    }

    fn end(self) -> Result<(), CellError> {
        Ok(())
    }
}

struct_only_serializer!(&mut CsvFields<'_>);

/// Writes one field value as a CSV field, typed as [`CellSerializer`]
/// types it: text (neutralized unless raw), integers, decimals.
struct CsvField<'a> {
    out: &'a mut Vec<u8>,
    raw: bool,
}

impl CsvField<'_> {
    fn text(self, text: &str) -> Result<(), CellError> {
        // The bytes of the characters `cell` neutralizes, all ASCII.
        let formula = matches!(
            text.as_bytes().first(),
            Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
        );
        if !self.raw && formula {
            csv_field_with(b"'", text.as_bytes(), self.out);
        } else {
            csv_field_with(b"", text.as_bytes(), self.out);
        }
        Ok(())
    }

    fn integer(self, mut n: u64) -> Result<(), CellError> {
        // "00" to "99": two digits a division.
        const PAIRS: &[u8; 200] = b"\
            0001020304050607080910111213141516171819\
            2021222324252627282930313233343536373839\
            4041424344454647484950515253545556575859\
            6061626364656667686970717273747576777879\
            8081828384858687888990919293949596979899";
        if n < 10 {
            self.out.push(b'0' + n as u8);
            return Ok(());
        }
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        while n >= 10 {
            let pair = (n % 100) as usize * 2;
            n /= 100;
            at -= 2;
            digits[at..at + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
        }
        // One digit left, or none when the last pair, 10 to 99, took the
        // first two.
        if n > 0 {
            at -= 1;
            digits[at] = b'0' + n as u8;
        }
        self.out.extend_from_slice(&digits[at..]);
        Ok(())
    }
}

/// One CSV field, `prefix` then `field`, quoted when it must be: as the
/// `csv` crate writes it by default, when the field holds a comma, a quote
/// or a line break, its quotes doubled. The prefix holds none of those.
pub(super) fn csv_field_with(prefix: &[u8], field: &[u8], out: &mut Vec<u8>) {
    if needs_quotes(field) {
        return quoted_field(prefix, field, out);
    }
    // Most fields have no prefix: no copy of nothing.
    if !prefix.is_empty() {
        out.extend_from_slice(prefix);
    }
    out.extend_from_slice(field);
}

/// [`csv_field_with`] for a field that must be quoted: rare, and kept out
/// of the common path so that it stays short.
#[cold]
#[inline(never)]
fn quoted_field(prefix: &[u8], field: &[u8], out: &mut Vec<u8>) {
    out.reserve(field.len() + prefix.len() + 4);
    out.push(b'"');
    out.extend_from_slice(prefix);
    let mut rest = field;
    while let Some(i) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(&rest[..=i]);
        out.push(b'"');
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// True when `field` holds a comma, a quote or a line break.
fn needs_quotes(field: &[u8]) -> bool {
    // Long cells by two vector searches; the few bytes of most cells eight
    // at a time, without the cost of starting a search.
    match field.len() {
        32.. => {
            memchr::memchr3(b',', b'"', b'\n', field).is_some()
                || memchr::memchr(b'\r', field).is_some()
        }
        8.. => {
            // Whole words, then the last eight bytes, which may overlap
            // the last word: a byte looked at twice is no harm.
            let (words, _) = field.as_chunks::<8>();
            words
                .iter()
                .any(|word| special_byte(u64::from_ne_bytes(*word)))
                || field
                    .last_chunk::<8>()
                    .is_some_and(|word| special_byte(u64::from_ne_bytes(*word)))
        }
        _ => {
            // The bytes in the low lanes; the high lanes are zero, which is
            // none of the four.
            let word = field
                .iter()
                .fold(0u64, |word, &b| (word << 8) | u64::from(b));
            special_byte(word)
        }
    }
}

/// True when a byte lane of `word` holds a comma, a quote or a line break.
fn special_byte(word: u64) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // The high bit of a lane of `x - ONES & !x` is set in the lowest zero
    // lane of `x`, if any: so the or of these over the four bytes, masked,
    // is zero exactly when no lane holds one of them.
    let zeros = |x: u64| x.wrapping_sub(ONES) & !x;
    (zeros(word ^ (ONES * u64::from(b',')))
        | zeros(word ^ (ONES * u64::from(b'"')))
        | zeros(word ^ (ONES * u64::from(b'\n')))
        | zeros(word ^ (ONES * u64::from(b'\r'))))
        & HIGHS
        != 0
}

impl Serializer for CsvField<'_> {
    type Ok = ();
    type Error = CellError;
    type SerializeSeq = Impossible<(), CellError>;
    type SerializeTuple = Impossible<(), CellError>;
    type SerializeTupleStruct = Impossible<(), CellError>;
    type SerializeTupleVariant = Impossible<(), CellError>;
    type SerializeMap = Impossible<(), CellError>;
    type SerializeStruct = Impossible<(), CellError>;
    type SerializeStructVariant = Impossible<(), CellError>;

    fn serialize_str(self, v: &str) -> Result<(), CellError> {
        self.text(v)
    }
    fn serialize_char(self, v: char) -> Result<(), CellError> {
        self.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_bool(self, v: bool) -> Result<(), CellError> {
        self.text(if v { "true" } else { "false" })
    }
    fn serialize_u8(self, v: u8) -> Result<(), CellError> {
        self.integer(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), CellError> {
        self.integer(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), CellError> {
        self.integer(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), CellError> {
        self.integer(v)
    }
    fn serialize_none(self) -> Result<(), CellError> {
        Ok(())
    }
    fn serialize_unit(self) -> Result<(), CellError> {
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), CellError> {
        value.serialize(self)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), CellError> {
        // A decimal is a number cell: its text is never neutralized.
        let raw = self.raw || name == DECIMAL;
        value.serialize(CsvField { out: self.out, raw })
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), CellError> {
        unsupported("an enum")
    }

    refuse! {
        serialize_i8(i8) -> ();
        serialize_i16(i16) -> ();
        serialize_i32(i32) -> ();
        serialize_i64(i64) -> ();
        serialize_f32(f32) -> ();
        serialize_f64(f64) -> ();
        serialize_bytes(&[u8]) -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Example {
        id: String,
        count: usize,
        score: Decimal,
    }

    /// What `Decimal::new` made before it had an integer path.
    fn formatted(value: f64, places: usize) -> (String, f64) {
        let text = format!("{value:.places$}");
        let parsed = text.parse().unwrap_or(value);
        (text, parsed)
    }

    #[test]
    fn decimals_have_the_digits_of_the_formatter_at_and_near_ties() {
        let values = [
            0.0,
            -0.0,
            0.05,
            0.15,
            0.25,
            0.35,
            0.45,
            1.5,
            2.5,
            2.675,
            0.125,
            0.375,
            0.0625,
            1.25,
            12.75,
            3.5,
            -0.125,
            -2.5,
            -12.25,
            86.65,
            86.75,
            99.95,
            99.949_999_999_999_99,
            100.0,
            0.000_5,
            1e-300,
            1e14,
            1e15,
            1e300,
            -3.25,
            -0.04,
            f64::NAN,
            f64::INFINITY,
        ];
        for value in values {
            for places in 0..8 {
                let d = Decimal::new(value, places);
                let (text, parsed) = formatted(value, places);
                assert_eq!(d.as_str(), text, "{value} to {places}");
                assert!(d.value() == parsed || (d.value().is_nan() && parsed.is_nan()));
            }
        }
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        #[test]
        fn decimals_have_the_digits_of_the_formatter(
            value in proptest::prop_oneof![
                0.0f64..200.0,
                0.0f64..1.0,
                proptest::num::f64::ANY,
                // Ties and near ties: halves, quarters, eighths ... either sign.
                (-100_000i64..100_000, 0u32..10).prop_map(|(m, k)| m as f64 / f64::from(1u32 << k)),
            ],
            places in 0usize..8,
        ) {
            let d = Decimal::new(value, places);
            let (text, parsed) = formatted(value, places);
            proptest::prop_assert_eq!(d.as_str(), text);
            proptest::prop_assert!(d.value() == parsed || (d.value().is_nan() && parsed.is_nan()));
        }
    }

    proptest::proptest! {
        #[test]
        fn fields_are_quoted_when_they_hold_a_comma_a_quote_or_a_line_break(
            field in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::num::u8::ANY,
                    proptest::sample::select(vec![b',', b'"', b'\n', b'\r', b'a', b' ']),
                ],
                0..70,
            ),
        ) {
            let special = field.iter().any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
            proptest::prop_assert_eq!(needs_quotes(&field), special);
        }
    }

    proptest::proptest! {
        #[test]
        fn integers_are_their_decimal_digits(
            n in proptest::prop_oneof![0u64..1000, 0u64..10_000_000, proptest::num::u64::ANY],
        ) {
            let mut out = Vec::new();
            CsvField { out: &mut out, raw: false }.integer(n).unwrap();
            proptest::prop_assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }

    fn example() -> Example {
        Example {
            id: "a-1".into(),
            count: 3,
            score: Decimal::new(86.666, 1),
        }
    }

    #[test]
    fn decimals_are_numbers_to_cells_and_text_to_csv() {
        let got = cells(&example()).unwrap();
        assert_eq!(got[0], ("id", Cell::Text("a-1".into())));
        assert_eq!(got[1], ("count", Cell::Integer(3)));
        match &got[2] {
            ("score", Cell::Decimal(d)) => {
                assert_eq!(d.value(), 86.7);
                assert_eq!(d.places(), 1);
            }
            other => panic!("{other:?}"),
        }
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        w.serialize(example()).unwrap();
        assert_eq!(w.into_inner().unwrap(), b"a-1,3,86.7\n");
    }

    #[test]
    fn json_keeps_column_order_and_number_types() {
        let got = cells(&example()).unwrap();
        let json = serde_json::to_string(&NamedCells(&got)).unwrap();
        assert_eq!(json, r#"{"id":"a-1","count":3,"score":86.7}"#);
    }

    #[test]
    fn fixed_decimals_keep_their_trailing_zeros_as_text() {
        let d = Decimal::new(0.1, 3);
        assert_eq!(d.as_str(), "0.100");
        assert_eq!(d.value(), 0.1);
        assert_eq!(Decimal::new(100.0, 1).as_str(), "100.0");
    }
}
