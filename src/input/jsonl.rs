//! JSON Lines reader: one JSON object per line, one article per object.
//!
//! Keys are matched to fields like CSV columns. Strings are taken as they
//! are; numbers and booleans become their JSON text; arrays (an author list)
//! are joined with `, `. A line that is not a JSON object is a record error,
//! and the next line still reads. A whole-file JSON array or a pretty-printed
//! object is refused up front with advice, rather than reported line by line.
//! This module does not read nested keys (`meta.author`).

use std::io::BufRead;
use std::path::PathBuf;
use std::sync::Arc;

use std::borrow::Cow;

use serde_json::Value;
use serde_json::value::RawValue;

use super::fields::{Field, FieldValues};
use super::lines::{BOM, LineReader, Piece, is_blank};
use super::{Ctx, InputError, Pending, PendingKind, Record};

/// Records from a JSON Lines stream: lines are split here and parsed by
/// [`Pending::parse`], wherever that runs.
pub(super) struct JsonlRecords<R> {
    lines: LineReader<R>,
    ctx: Arc<Ctx>,
    /// Non-blank lines seen so far: the record number for fallback ids.
    number: u64,
}

/// Checks that the stream does not start like plain JSON and returns its
/// records.
pub(super) fn open<R: BufRead>(mut reader: R, ctx: Ctx) -> Result<JsonlRecords<R>, InputError> {
    let start = reader.fill_buf().map_err(|source| InputError::Io {
        path: PathBuf::from(&ctx.file),
        source,
    })?;
    if let Some(message) = plain_json_advice(start) {
        return Err(InputError::Invalid {
            path: PathBuf::from(&ctx.file),
            message: message.to_owned(),
        });
    }
    Ok(JsonlRecords {
        lines: LineReader::with_limit(reader, ctx.record_limit()),
        ctx: Arc::new(ctx),
        number: 0,
    })
}

/// Advice if the first buffered bytes look like a JSON document rather than
/// JSON Lines.
fn plain_json_advice(start: &[u8]) -> Option<&'static str> {
    let start = start.strip_prefix(BOM).unwrap_or(start);
    let first = start.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = &start[first + 1..];
    match start[first] {
        b'[' => Some(
            "this is a JSON array, not JSON Lines; put one object per line \
             (for example with `jq -c '.[]' FILE`)",
        ),
        b'{' if rest
            .iter()
            .take_while(|&&b| b != b'\n')
            .all(u8::is_ascii_whitespace)
            && rest.contains(&b'\n') =>
        {
            Some(
                "this looks like pretty-printed JSON, not JSON Lines; put each object \
                 on one line (for example with `jq -c . FILE`)",
            )
        }
        _ => None,
    }
}

impl<R: BufRead> Iterator for JsonlRecords<R> {
    type Item = Pending;

    fn next(&mut self) -> Option<Pending> {
        loop {
            match self.lines.next_piece()? {
                Piece::Line(line, _) if is_blank(&line) => continue,
                Piece::Line(line, n) => {
                    self.number += 1;
                    return Some(Pending(PendingKind::JsonLine {
                        line,
                        n,
                        number: self.number,
                        ctx: Arc::clone(&self.ctx),
                    }));
                }
                Piece::TooLong(n) => {
                    self.number += 1;
                    let reason = self.ctx.too_long("line", self.lines.limit());
                    return Some(Err(self.ctx.error(&format!("line {n}"), "", reason)).into());
                }
                Piece::Failed(e, n) => {
                    let reason = format!("read error: {e}");
                    return Some(Err(self.ctx.error(&format!("line {n}"), "", reason)).into());
                }
            }
        }
    }
}

/// The record on line `n`, the file's record `number`.
pub(super) fn record(ctx: &Ctx, line: &[u8], n: u64, number: u64) -> Record {
    let location = format!("line {n}");
    let text = match std::str::from_utf8(line) {
        Ok(text) => text,
        Err(e) => {
            let reason = format!(
                "not valid UTF-8 (bad byte at column {}); re-save the file as UTF-8",
                e.valid_up_to() + 1
            );
            return Err(ctx.error(&location, "", reason));
        }
    };
    if let Ok(Entries(entries)) = serde_json::from_str::<Entries<'_>>(text) {
        return article(ctx, entries, &location, number);
    }
    // The line is not a plain object: parsed again whole, for the message.
    let object = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(object)) => object,
        Ok(other) => {
            let reason = format!("expected a JSON object, found {}", kind(&other));
            return Err(ctx.error(&location, "", reason));
        }
        Err(e) => {
            let reason = format!("not a JSON object: {}", serde_message(&e));
            return Err(ctx.error(&location, "", reason));
        }
    };
    // An object the fast path refused (not expected): its values written
    // back as JSON, which parse to the same values.
    let raw: Vec<(String, Box<RawValue>)> = object
        .into_iter()
        .filter_map(|(k, v)| Some((k, serde_json::value::to_raw_value(&v).ok()?)))
        .collect();
    let entries = raw
        .iter()
        .map(|(k, v)| (Cow::Borrowed(k.as_str()), v.as_ref()))
        .collect();
    article(ctx, entries, &location, number)
}

/// A record from an object's entries, keys sorted and each key once, its
/// last value, as a `serde_json` map holds them.
fn article(
    ctx: &Ctx,
    mut entries: Vec<(Cow<'_, str>, &RawValue)>,
    location: &str,
    number: u64,
) -> Record {
    // Stable: of a key given twice, the last value stays last and is kept.
    entries.sort_by(|(a, _), (b, _)| a.cmp(b));
    let mut unique: Vec<(Cow<'_, str>, &RawValue)> = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        match unique.last_mut() {
            Some(last) if last.0 == key => last.1 = value,
            _ => unique.push((key, value)),
        }
    }
    let entries = unique;
    let slots = ctx.fields.resolve(entries.iter().map(|(k, _)| k.as_ref()));
    let mut values = FieldValues::default();
    for field in Field::ALL {
        if let Some(i) = slots[field.index()] {
            // The first pass only checked the value's shape: a lone
            // surrogate escape or a number out of range fails here, and
            // the record with it, as a whole-line parse would fail it.
            let (key, raw) = &entries[i];
            if let Some(text) = plain_string(raw.get()) {
                values[field.index()] = text;
                continue;
            }
            let value = serde_json::from_str::<Value>(raw.get()).map_err(|e| {
                // Its position would count from the value, not the line.
                let message = e.to_string();
                let message = message.split(" at line ").next().unwrap_or_default();
                let reason = format!("the value of {key:?} is not valid JSON: {message}");
                ctx.error(location, "", reason)
            })?;
            // A string value is moved, not copied: bodies are most of the line.
            values[field.index()] = match value {
                Value::String(text) => text,
                other => text_of(&other),
            };
        }
    }
    if slots[Field::Body.index()].is_none() {
        let id = ctx.id(&values[Field::Id.index()], Some(number));
        let reason = format!(
            "empty body: no body key (looked for {}); use --map body=KEY to name it",
            ctx.fields.looked_for(Field::Body)
        );
        return Err(ctx.error(location, &id, reason));
    }
    ctx.article(values, Some(number), location)
}

/// The text of a JSON string value with no `\u` escape, unescaped here:
/// `serde_json` would scan it again and copy it twice. `None` for any
/// other value, which `serde_json` reads (a `\u` escape may be half a
/// surrogate pair, and a value it refuses needs its message).
///
/// `raw` passed the first pass, so a backslash in it starts a valid escape
/// and every other quote is escaped.
fn plain_string(raw: &str) -> Option<String> {
    let mut rest = raw.strip_prefix('"')?.strip_suffix('"')?;
    let mut text = String::with_capacity(rest.len());
    while let Some(i) = memchr::memchr(b'\\', rest.as_bytes()) {
        text.push_str(&rest[..i]);
        text.push(match rest.as_bytes().get(i + 1)? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            _ => return None,
        });
        // The escape is two ASCII bytes: the rest starts on a char.
        rest = &rest[i + 2..];
    }
    text.push_str(rest);
    Some(text)
}

/// An object's entries in the order given, values unparsed: only the
/// fields used are parsed, so large keys a reader ignores cost a scan.
struct Entries<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for Entries<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Entries<'de>, A::Error> {
                let mut entries = Vec::new();
                while let Some((Key(key), value)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
                    entries.push((key, value));
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

/// A key, borrowed from the line unless it has escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(Visit)
    }
}

/// A JSON value as field text.
fn text_of(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(_) | Value::Number(_) => value.to_string(),
        Value::Array(items) => items
            .iter()
            .map(text_of)
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        // `{"name": "Jane Doe", "url": ...}` is a common shape for authors.
        Value::Object(object) => match object.get("name") {
            Some(Value::String(name)) => name.clone(),
            _ => value.to_string(),
        },
    }
}

/// "an array", "a string" ...: what a non-object line holds.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde's message with its position; "line 1" is dropped because the
/// record's location already names the line.
fn serde_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    match full.strip_suffix(&position) {
        Some(message) if e.line() == 1 => format!("{message} at column {}", e.column()),
        _ => full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advises_on_plain_json() {
        assert!(plain_json_advice(b"  [{\"body\": \"x\"}]").is_some());
        assert!(plain_json_advice(b"\xEF\xBB\xBF{\n  \"body\": \"x\"\n}\n").is_some());
        assert!(plain_json_advice(b"{\"body\": \"x\"}\n{\"body\": \"y\"}\n").is_none());
        assert!(plain_json_advice(b"").is_none());
        assert!(plain_json_advice(b"{").is_none());
    }

    /// A JSON string value unescaped here is what `serde_json` reads.
    fn reads_as_serde_does(raw: &str) {
        let ours = plain_string(raw);
        let theirs = serde_json::from_str::<String>(raw).ok();
        match ours {
            Some(text) => assert_eq!(Some(text), theirs, "{raw}"),
            // Left to serde_json: a `\u` escape, or not a string.
            None => assert!(raw.contains("\\u") || !raw.starts_with('"'), "{raw}"),
        }
    }

    #[test]
    fn unescapes_strings_as_serde_does() {
        for raw in [
            r#""""#,
            r#""plain text, “quoted” é""#,
            r#""two\n\nparagraphs \"said\" a\\b\/c\td\re\bf\fg""#,
            r#""\\""#,
            r#""\\n""#,
            r#""a\u00e9b""#,
            r#""\ud83d\ude42""#,
            "42",
            "null",
            r#"["a"]"#,
        ] {
            reads_as_serde_does(raw);
        }
    }

    proptest::proptest! {
        #[test]
        fn unescapes_any_string_as_serde_does(text in "\\PC{0,40}|[a-z\"\\\\/\n\r\t\u{8}\u{c}\u{1}-\u{1f}]{0,20}") {
            let raw = serde_json::to_string(&text).expect("a string serializes");
            reads_as_serde_does(&raw);
            proptest::prop_assert_eq!(plain_string(&raw).unwrap_or(text.clone()), text);
        }
    }

    #[test]
    fn converts_values_to_text() {
        let v: Value = serde_json::json!({
            "n": 42, "f": 1.5, "b": true, "null": null,
            "list": ["A", "", "B"], "who": {"name": "C"}, "obj": {"k": 1}
        });
        assert_eq!(text_of(&v["n"]), "42");
        assert_eq!(text_of(&v["f"]), "1.5");
        assert_eq!(text_of(&v["b"]), "true");
        assert_eq!(text_of(&v["null"]), "");
        assert_eq!(text_of(&v["list"]), "A, B");
        assert_eq!(text_of(&v["who"]), "C");
        assert_eq!(text_of(&v["obj"]), "{\"k\":1}");
    }
}
