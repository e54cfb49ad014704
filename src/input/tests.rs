//! Reader tests over real temporary files, through the public [`open`].

use std::fs;
use std::path::{Path, PathBuf};

use super::*;

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, content).expect("write test file");
    path
}

fn read_with(path: &Path, options: &ReadOptions) -> Vec<Record> {
    let path = path.to_str().expect("utf-8 temp path");
    open(path, options).expect("open").collect()
}

fn read(path: &Path) -> Vec<Record> {
    read_with(path, &ReadOptions::default())
}

fn ok(record: &Record) -> &Article {
    match record {
        Ok(article) => article,
        Err(e) => panic!("expected an article, got {e:?}"),
    }
}

fn err(record: &Record) -> &RecordError {
    match record {
        Ok(article) => panic!("expected an error, got {article:?}"),
        Err(e) => e,
    }
}

/// A temporary folder with a known name, for folder-name sources.
fn named_dir(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join(name);
    fs::create_dir(&dir).expect("mkdir");
    (tmp, dir)
}

#[test]
fn records_are_send_and_static() {
    fn check<T: Iterator<Item = Record> + Send + 'static>() {}
    check::<Records>();
}

#[test]
fn input_format_parses_names() {
    assert_eq!("csv".parse(), Ok(InputFormat::Csv));
    assert_eq!(" JSON ".parse(), Ok(InputFormat::Jsonl));
    assert_eq!("ndjson".parse(), Ok(InputFormat::Jsonl));
    assert_eq!("jsonl".parse(), Ok(InputFormat::Jsonl));
    assert_eq!("txt".parse(), Ok(InputFormat::Text));
    assert_eq!("text".parse(), Ok(InputFormat::Text));
    assert_eq!("dir".parse(), Ok(InputFormat::Dir));
    let e = "xml".parse::<InputFormat>().unwrap_err();
    assert!(
        e.contains("xml") && e.contains("csv, jsonl") && e.contains("dir"),
        "{e}"
    );
}

#[test]
fn csv_with_all_columns() {
    let (_tmp, dir) = named_dir("feeds");
    let path = write(
        &dir,
        "news.csv",
        "id,source,author,url,published,title,body\n\
         a1, The Daily ,Jane Doe,https://daily.example/a1,2024-03-03,Title One,\"Body one, with comma\"\n\
         a2,Other,John Roe,https://other.example/a2,2024-03-04,Title Two,\"Line one\nLine two\"\n",
    );
    let records = read(&path);
    assert_eq!(records.len(), 2);
    assert_eq!(
        ok(&records[0]),
        &Article {
            id: "a1".into(),
            source: "The Daily".into(),
            author: "Jane Doe".into(),
            url: "https://daily.example/a1".into(),
            published: "2024-03-03".into(),
            title: "Title One".into(),
            body: "Body one, with comma".into(),
        }
    );
    let second = ok(&records[1]);
    assert_eq!(second.id, "a2");
    assert_eq!(second.body, "Line one\nLine two");
}

#[test]
fn csv_with_aliases() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "aliases.csv",
        " Headline ,TEXT,Outlet,Byline,Date,Link\nH1,The text.,Globe,Ann Lee,March 3 2024,http://x.example/1\n",
    );
    let records = read(&path);
    let a = ok(&records[0]);
    assert_eq!(a.title, "H1");
    assert_eq!(a.body, "The text.");
    assert_eq!(a.source, "Globe");
    assert_eq!(a.author, "Ann Lee");
    assert_eq!(a.published, "March 3 2024");
    assert_eq!(a.url, "http://x.example/1");
    assert_eq!(a.id, "aliases-1");
}

#[test]
fn map_overrides_names_and_aliases() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "mapped.csv",
        "id,body,text,head\n1,summary only,the full text,The Head\n",
    );
    let options = ReadOptions {
        map: vec![
            parse_map("body=text").expect("map"),
            parse_map("title=HEAD").expect("map"),
        ],
        ..ReadOptions::default()
    };
    let records = read_with(&path, &options);
    let a = ok(&records[0]);
    assert_eq!(a.body, "the full text");
    assert_eq!(a.title, "The Head");

    let bad = ReadOptions {
        map: vec![("body".into(), "missing".into())],
        ..ReadOptions::default()
    };
    let e = open(path.to_str().expect("path"), &bad)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("missing") && e.contains("columns found: id, body, text, head"),
        "{e}"
    );
}

#[test]
fn missing_body_column_is_an_input_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "nobody.csv", "id,title,summary\n1,T,S\n");
    let e = open(path.to_str().expect("path"), &ReadOptions::default()).unwrap_err();
    assert!(matches!(e, InputError::Invalid { .. }));
    let message = e.to_string();
    assert!(message.contains("nobody.csv"), "{message}");
    assert!(
        message.contains("columns found: id, title, summary"),
        "{message}"
    );
    assert!(message.contains("--map body=COLUMN"), "{message}");
}

#[test]
fn csv_bad_rows_fail_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "bad.csv",
        "id,title,body\n\
         1,\"Broken title,first body\n\
         2,Good,Second body\n\
         3,Also good,\"Third body\n\
         with two lines\"\n\
         4,Good,Fourth,extra\n\
         5,Fine,Fifth\n",
    );
    let records = read(&path);
    assert_eq!(records.len(), 5, "{records:#?}");
    let e = err(&records[0]);
    assert_eq!(e.location, "row 1 (line 2)");
    assert!(e.reason.contains("unbalanced quote"), "{}", e.reason);
    assert!(e.file.ends_with("bad.csv"));
    assert_eq!(ok(&records[1]).id, "2");
    assert_eq!(ok(&records[1]).body, "Second body");
    assert_eq!(ok(&records[2]).id, "3");
    assert_eq!(ok(&records[2]).body, "Third body\nwith two lines");
    let e = err(&records[3]);
    assert_eq!(e.location, "row 4 (line 6)");
    assert_eq!(e.id, "4");
    assert!(
        e.reason.contains("4 fields") && e.reason.contains("header has 3"),
        "{}",
        e.reason
    );
    assert_eq!(ok(&records[4]).body, "Fifth");
}

#[test]
fn csv_unclosed_quote_at_end_keeps_later_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "open.csv",
        "id,body\n1,\"never closed\n2,fine\n3,also fine\n",
    );
    let records = read(&path);
    assert_eq!(records.len(), 3, "{records:#?}");
    assert!(err(&records[0]).reason.contains("never closed"));
    assert_eq!(ok(&records[1]).body, "fine");
    assert_eq!(ok(&records[2]).id, "3");
}

#[test]
fn csv_invalid_utf8_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "latin1.csv",
        b"id,title,body\n1,Fine,One\n2,Caf\xe9,Two\n3,Fine,Three\n",
    );
    let records = read(&path);
    assert_eq!(records.len(), 3);
    assert_eq!(ok(&records[0]).body, "One");
    let e = err(&records[1]);
    assert_eq!(e.location, "row 2 (line 3)");
    assert_eq!(e.id, "2");
    assert!(
        e.reason.contains("title") && e.reason.contains("UTF-8"),
        "{}",
        e.reason
    );
    assert_eq!(ok(&records[2]).body, "Three");
}

#[test]
fn csv_bom_crlf_blank_lines_and_empty_body() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "bom.csv",
        "\u{feff}id,body\r\n\r\nx1,Hello\r\nx2,   \r\n\r\nx3,\"Two\r\nlines\"\r\n",
    );
    let records = read(&path);
    assert_eq!(records.len(), 3);
    assert_eq!(ok(&records[0]).id, "x1");
    assert_eq!(ok(&records[0]).body, "Hello");
    let e = err(&records[1]);
    assert_eq!(e.reason, "empty body");
    assert_eq!(e.id, "x2");
    assert_eq!(e.location, "row 2 (line 4)");
    assert_eq!(ok(&records[2]).body, "Two\r\nlines");
}

#[test]
fn tsv_and_semicolon_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tsv = write(dir.path(), "a.tsv", "title\tbody\nT\tBody, with comma\n");
    assert_eq!(ok(&read(&tsv)[0]).body, "Body, with comma");
    let semi = write(dir.path(), "b.csv", "title;body\nT;B\n");
    assert_eq!(ok(&read(&semi)[0]).title, "T");
}

#[test]
fn id_fallback_uses_stem_and_record_number() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "feed.csv", "id,body\n,one\n  ,two\nown,three\n");
    let ids: Vec<String> = read(&path).iter().map(|r| ok(r).id.clone()).collect();
    assert_eq!(ids, ["feed-1", "feed-2", "own"]);
}

#[test]
fn source_falls_back_to_url_domain_then_folder() {
    let (_tmp, dir) = named_dir("my-outlet");
    let path = write(
        &dir,
        "s.csv",
        "url,source,body\nhttps://www.example.com/x,,b1\nnot a url,,b2\nhttps://m.example.org/y, Given ,b3\n",
    );
    let sources: Vec<String> = read(&path).iter().map(|r| ok(r).source.clone()).collect();
    assert_eq!(sources, ["example.com", "my-outlet", "Given"]);
}

#[test]
fn source_option_overrides_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "s.jsonl",
        "{\"source\": \"Mine\", \"body\": \"b\", \"url\": \"https://example.com\"}\n",
    );
    let options = ReadOptions {
        source: Some(" Wire ".into()),
        ..ReadOptions::default()
    };
    assert_eq!(ok(&read_with(&path, &options)[0]).source, "Wire");
}

#[test]
fn jsonl_good_bad_and_blank_lines() {
    let (_tmp, dir) = named_dir("wire");
    let path = write(
        &dir,
        "feed.jsonl",
        "{\"id\": 42, \"Title\": \"T\", \"body\": \"B\", \"author\": [\"A\", \"C\"]}\n\
         \n\
         not json\n\
         [1, 2]\n\
         {\"title\": \"no body\"}\n\
         {\"text\": \"Body\", \"headline\": \"H\", \"outlet\": \"Out\", \"published\": 20240303}\n\
         {\"id\": \"e\", \"body\": \"  \"}\n",
    );
    let records = read(&path);
    assert_eq!(records.len(), 6, "{records:#?}");
    let a = ok(&records[0]);
    assert_eq!(a.id, "42");
    assert_eq!(a.title, "T");
    assert_eq!(a.author, "A, C");
    assert_eq!(a.source, "wire");
    let e = err(&records[1]);
    assert_eq!(e.location, "line 3");
    assert!(
        e.reason.contains("expected") && e.reason.contains("column"),
        "{}",
        e.reason
    );
    let e = err(&records[2]);
    assert_eq!(e.location, "line 4");
    assert!(e.reason.contains("found an array"), "{}", e.reason);
    let e = err(&records[3]);
    assert_eq!(e.location, "line 5");
    assert!(e.reason.starts_with("empty body"), "{}", e.reason);
    assert_eq!(e.id, "feed-4");
    let a = ok(&records[4]);
    assert_eq!(a.id, "feed-5");
    assert_eq!(a.body, "Body");
    assert_eq!(a.title, "H");
    assert_eq!(a.source, "Out");
    assert_eq!(a.published, "20240303");
    let e = err(&records[5]);
    assert_eq!((e.reason.as_str(), e.id.as_str()), ("empty body", "e"));
}

#[test]
fn jsonl_keys_given_twice_escaped_or_in_two_cases() {
    let (_tmp, dir) = named_dir("wire");
    let path = write(
        &dir,
        "keys.jsonl",
        "{\"body\": \"first\", \"body\": \"second\", \"extra\": {\"deep\": [1, 2.5, null]}}\n\
         {\"Body\": \"upper\", \"body\": \"lower\"}\n\
         {\"b\\u006fdy\": \"escaped\", \"id\": 1.5, \"source\": true, \"title\": null}\n",
    );
    let records = read(&path);
    // A key given twice keeps its last value.
    assert_eq!(ok(&records[0]).body, "second");
    // Two keys naming the same field: the first in key order, as before.
    assert_eq!(ok(&records[1]).body, "upper");
    let a = ok(&records[2]);
    assert_eq!(
        (
            a.body.as_str(),
            a.id.as_str(),
            a.source.as_str(),
            a.title.as_str()
        ),
        ("escaped", "1.5", "true", "")
    );
}

#[test]
fn jsonl_a_read_value_that_is_not_valid_json_fails_its_record_by_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A string cut inside an emoji leaves a lone surrogate escape; a number
    // can be out of range. In a field not read, either is ignored.
    let path = write(
        dir.path(),
        "cut.jsonl",
        "{\"id\": \"t\", \"title\": \"Storm \\ud83d\", \"body\": \"B\"}\n\
         {\"id\": \"d\", \"published\": 1e400, \"body\": \"B\"}\n\
         {\"id\": \"x\", \"extra\": \"\\ud83d\", \"body\": \"fine\"}\n",
    );
    let records = read(&path);
    let title = err(&records[0]);
    assert_eq!(title.location, "line 1");
    assert!(
        title.reason.contains("\"title\"") && title.reason.contains("hex escape"),
        "{title:?}"
    );
    let date = err(&records[1]);
    assert_eq!(date.location, "line 2");
    assert!(
        date.reason.contains("\"published\"") && date.reason.contains("out of range"),
        "{date:?}"
    );
    assert_eq!(ok(&records[2]).body, "fine");
}

#[test]
fn jsonl_map_and_invalid_utf8() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "m.ndjson",
        b"{\"story\": \"S\", \"body\": \"not this\"}\n{\"story\": \"caf\xe9\"}\n",
    );
    let options = ReadOptions {
        map: vec![("body".into(), "Story".into())],
        ..ReadOptions::default()
    };
    let records = read_with(&path, &options);
    assert_eq!(ok(&records[0]).body, "S");
    let e = err(&records[1]);
    assert_eq!(e.location, "line 2");
    assert!(e.reason.contains("UTF-8"), "{}", e.reason);
}

#[test]
fn json_array_file_is_refused_with_advice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "all.json", "[{\"body\": \"x\"}]\n");
    let e = open(path.to_str().expect("path"), &ReadOptions::default()).unwrap_err();
    assert!(e.to_string().contains("JSON array"), "{e}");
}

#[test]
fn text_with_header() {
    let (_tmp, dir) = named_dir("saved");
    let body = "The body starts here.\n\nSecond paragraph.\n";
    let path = write(
        &dir,
        "story.txt",
        format!("Big News Today\nBy Jane Doe and John Roe, Reuters\nMarch 3, 2024\n\n{body}"),
    );
    let records = read(&path);
    assert_eq!(records.len(), 1);
    assert_eq!(
        ok(&records[0]),
        &Article {
            id: "story".into(),
            source: "saved".into(),
            author: "Jane Doe and John Roe, Reuters".into(),
            url: String::new(),
            published: "March 3, 2024".into(),
            title: "Big News Today".into(),
            body: body.into(),
        }
    );
}

#[test]
fn text_url_line_gives_url_and_source() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "u.txt",
        "Title\nSource: https://www.example.com/news/1\n\nBody.",
    );
    let a = ok(&read(&path)[0]).clone();
    assert_eq!(a.url, "https://www.example.com/news/1");
    assert_eq!(a.source, "example.com");
}

#[test]
fn text_without_header_is_all_body() {
    let dir = tempfile::tempdir().expect("tempdir");
    let long = "word ".repeat(70);
    let text = format!("{long}\n\nSecond paragraph.\n");
    let path = write(dir.path(), "long.txt", &text);
    let a = ok(&read(&path)[0]).clone();
    assert_eq!(a.title, "");
    assert_eq!(a.body, text);

    let text = "One paragraph\nwith no blank line at all.\n";
    let path = write(dir.path(), "one.txt", text);
    let a = ok(&read(&path)[0]).clone();
    assert_eq!((a.title.as_str(), a.body.as_str()), ("", text));
}

#[test]
fn text_with_crlf() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "crlf.txt",
        "\u{feff}Title\r\nBy Jane Doe\r\nPublished 3 March 2024 10:00 GMT\r\n\r\nBody line one.\r\nBody line two.\r\n",
    );
    let a = ok(&read(&path)[0]).clone();
    assert_eq!(a.title, "Title");
    assert_eq!(a.author, "Jane Doe");
    assert_eq!(a.published, "3 March 2024 10:00 GMT");
    assert_eq!(a.body, "Body line one.\r\nBody line two.\r\n");
}

#[test]
fn markdown_titles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "a.md",
        "# The Title\n*By Ann Lee*\n2024-03-03\n\nBody **bold**.\n",
    );
    let a = ok(&read(&path)[0]).clone();
    assert_eq!(a.title, "The Title");
    assert_eq!(a.author, "Ann Lee");
    assert_eq!(a.published, "2024-03-03");
    assert_eq!(a.body, "Body **bold**.\n");

    let path = write(dir.path(), "b.md", "Setext Title\n============\n\nBody.\n");
    let a = ok(&read(&path)[0]).clone();
    assert_eq!(
        (a.title.as_str(), a.body.as_str()),
        ("Setext Title", "Body.\n")
    );
}

#[test]
fn text_invalid_utf8_and_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "bad.txt", b"Title\n\nCaf\xe9\n");
    let records = read(&path);
    let e = err(&records[0]);
    assert!(e.file.ends_with("bad.txt"));
    assert_eq!(e.location, "");
    assert_eq!(e.id, "bad");
    assert!(
        e.reason.contains("re-save the file as UTF-8"),
        "{}",
        e.reason
    );

    let path = write(dir.path(), "empty.txt", "  \n\n");
    assert_eq!(err(&read(&path)[0]).reason, "empty body");
}

#[test]
fn folder_reads_files_in_name_order() {
    let (_tmp, dir) = named_dir("the-outlet");
    write(&dir, "b.md", "# Bee\n\nBody b.\n");
    write(&dir, "c.txt", "Sea\n\nBody c.\n");
    write(&dir, "a.txt", "Ay\n\nBody a.\n");
    write(&dir, "notes.pdf", "not an article");
    write(&dir, ".hidden.txt", "Hidden\n\nBody.\n");
    fs::create_dir(dir.join("sub.txt")).expect("mkdir");
    let records = read(&dir);
    assert_eq!(records.len(), 3, "{records:#?}");
    let got: Vec<(String, String, String)> = records
        .iter()
        .map(|r| {
            let a = ok(r);
            (a.id.clone(), a.title.clone(), a.source.clone())
        })
        .collect();
    assert_eq!(
        got,
        [
            ("a".into(), "Ay".into(), "the-outlet".into()),
            ("b".into(), "Bee".into(), "the-outlet".into()),
            ("c".into(), "Sea".into(), "the-outlet".into()),
        ]
    );
    assert_eq!(ok(&records[0]).body, "Body a.\n");
}

#[test]
fn folder_with_tables_and_bad_files_keeps_going() {
    let (_tmp, dir) = named_dir("mixed");
    write(&dir, "1.csv", "title,body\nT,B1\n");
    write(&dir, "2.jsonl", "{\"body\": \"B2\"}\nnope\n");
    write(&dir, "3.csv", "title,summary\nT,S\n");
    write(&dir, "4.txt", b"\xff\xfe\x00\xd8");
    write(&dir, "5.md", "Last\n\nB5\n");
    let records = read(&dir);
    assert_eq!(records.len(), 6, "{records:#?}");
    assert_eq!(ok(&records[0]).id, "1-1");
    assert_eq!(ok(&records[0]).source, "mixed");
    assert_eq!(ok(&records[1]).id, "2-1");
    let e = err(&records[2]);
    assert_eq!(e.location, "line 2");
    assert_eq!(Path::new(&e.file), dir.join("2.jsonl"));
    let e = err(&records[3]);
    assert_eq!(Path::new(&e.file), dir.join("3.csv"));
    assert!(e.reason.contains("no body column"), "{}", e.reason);
    assert_eq!(Path::new(&err(&records[4]).file), dir.join("4.txt"));
    assert_eq!(ok(&records[5]).body, "B5\n");
}

#[test]
fn open_reports_missing_paths_and_format_mismatches() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing.csv");
    let e = open(missing.to_str().expect("path"), &ReadOptions::default()).unwrap_err();
    assert!(matches!(e, InputError::Io { .. }), "{e}");
    let as_csv = ReadOptions {
        format: Some(InputFormat::Csv),
        ..ReadOptions::default()
    };
    let e = open(dir.path().to_str().expect("path"), &as_csv).unwrap_err();
    assert!(e.to_string().contains("folder"), "{e}");
    let e = open(dir.path().to_str().expect("path"), &ReadOptions::default()).unwrap_err();
    assert!(e.to_string().contains("no .txt"), "{e}");
    let bad_map = ReadOptions {
        map: vec![("nope".into(), "x".into())],
        ..ReadOptions::default()
    };
    assert!(open("-", &bad_map).is_err());
}

#[test]
fn explicit_format_beats_extension() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "data.txt", "{\"body\": \"from json\"}\n");
    let options = ReadOptions {
        format: Some(InputFormat::Jsonl),
        ..ReadOptions::default()
    };
    assert_eq!(ok(&read_with(&path, &options)[0]).body, "from json");
}

#[test]
fn folder_name_of_current_directory_is_resolved() {
    let expected = std::env::current_dir()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    assert_eq!(folder_name(Path::new("")), expected);
    assert_eq!(folder_name(Path::new(".")), expected);
    assert_eq!(folder_name(Path::new("some/where/")), "where");
}

/// Readers must never panic, whatever the bytes.
#[test]
fn arbitrary_bytes_never_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let alphabet: &[u8] =
        b"ab,;\t\"\r\n #{}[]:\\\xff\xc3\xa9\xef\xbb\xbfBy 2024-03-03 https://x.y/";
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for round in 0..300 {
        let mut bytes = Vec::new();
        let len = (round * 7) % 200;
        for _ in 0..len {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            bytes.push(alphabet[(state % alphabet.len() as u64) as usize]);
        }
        for (name, prefix) in [
            ("f.csv", &b"id,body\n"[..]),
            ("f.jsonl", b""),
            ("f.txt", b""),
        ] {
            let mut content = prefix.to_vec();
            content.extend_from_slice(&bytes);
            let path = write(dir.path(), name, &content);
            if let Ok(records) = open(path.to_str().expect("path"), &ReadOptions::default()) {
                records.for_each(drop);
            }
        }
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = domain_of(text);
            let _ = text::split_layout(text);
        }
    }
}
