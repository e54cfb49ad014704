//! End-to-end tests of the `credence` binary on the team-written datasets.
//!
//! One integration test binary: it runs the real command on
//! `datasets/sample` and `datasets/plain`, checks the reports against the
//! labels file article by article, snapshots every report, and checks the
//! promises a user relies on (exit codes, error rows, determinism).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn credence(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_credence"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the credence binary runs")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Scores `input` into a fresh temporary folder and returns it.
fn score(input: &str, extra: &[&str]) -> (tempfile::TempDir, Output) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().to_str().expect("utf-8 temp path").to_string();
    let mut args = vec!["score", input, "--out", &out, "--quiet"];
    args.extend_from_slice(extra);
    let output = credence(&args);
    (dir, output)
}

fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = reader.headers().expect("header row").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("well-formed CSV row");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn ok(output: &Output) {
    assert!(
        output.status.success(),
        "credence failed: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
}

const REPORTS: [&str; 6] = [
    "articles.csv",
    "findings.csv",
    "claims.csv",
    "conflicts.csv",
    "sources.csv",
    "errors.csv",
];

/// Checks every article's findings against its row in a labels file.
fn check_labels(input: &str, labels: &str) {
    let (dir, output) = score(input, &[]);
    ok(&output);
    let articles = read_csv(&dir.path().join("articles.csv"));
    let findings = read_csv(&dir.path().join("findings.csv"));
    let labels = read_csv(&root().join(labels));
    assert_eq!(articles.len(), labels.len(), "one article per label row");

    let mut fired: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &findings {
        let what = match f["rule"].as_str() {
            "sourcing.anonymous" => "anonymous",
            "sourcing.vague" => "vague",
            rule => rule.split('.').next().unwrap_or_default(),
        };
        fired
            .entry(f["article_id"].clone())
            .or_default()
            .insert(what.to_string());
    }
    let scores: BTreeMap<String, f64> = articles
        .iter()
        .map(|a| (a["id"].clone(), a["score"].parse().expect("numeric score")))
        .collect();
    let mut wrong = Vec::new();
    for label in &labels {
        let id = &label["id"];
        let got = fired.get(id).cloned().unwrap_or_default();
        for (column, category) in [
            ("hedged", "hedge"),
            ("unsourced", "unsourced"),
            ("anonymous", "anonymous"),
            ("vague", "vague"),
            ("conflict", "conflict"),
        ] {
            let expected = label[column] == "1";
            if got.contains(category) != expected {
                wrong.push(format!(
                    "{id}: {column} expected {}, got {}",
                    label[column],
                    u8::from(!expected)
                ));
            }
        }
        let score = scores.get(id).copied().unwrap_or(f64::NAN);
        let band_ok = match label["band"].as_str() {
            "high" => score >= 80.0,
            "mid" => (50.0..80.0).contains(&score),
            "low" => score < 50.0,
            other => panic!("unknown band {other:?}"),
        };
        if !band_ok {
            wrong.push(format!("{id}: band {} but score {score}", label["band"]));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} label mismatches:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn sample_reports_match_the_labels() {
    check_labels("datasets/sample/articles.csv", "datasets/sample/labels.csv");
}

#[test]
fn plain_text_articles_match_their_labels() {
    check_labels("datasets/plain", "datasets/plain/labels.csv");
}

#[test]
fn every_report_is_written_with_its_header() {
    let (dir, output) = score("datasets/sample/articles.csv", &[]);
    ok(&output);
    for name in REPORTS {
        let text = std::fs::read_to_string(dir.path().join(name)).expect(name);
        assert!(
            text.lines().next().is_some_and(|l| l.contains(',')),
            "{name} has a header row"
        );
    }
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("out dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn reports_are_identical_for_any_thread_count() {
    let (one, a) = score("datasets/sample/articles.csv", &["--jobs", "1"]);
    let (eight, b) = score("datasets/sample/articles.csv", &["--jobs", "8"]);
    ok(&a);
    ok(&b);
    for name in REPORTS {
        let x = std::fs::read(one.path().join(name)).expect(name);
        let y = std::fs::read(eight.path().join(name)).expect(name);
        assert!(x == y, "{name} differs between --jobs 1 and --jobs 8");
    }
}

#[test]
fn snapshots_of_every_report() {
    let (dir, output) = score("datasets/sample/articles.csv", &["--jobs", "2"]);
    ok(&output);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for name in REPORTS {
            let text = std::fs::read_to_string(dir.path().join(name)).expect(name);
            insta::assert_snapshot!(format!("sample_{}", name.replace('.', "_")), text);
        }
    });
}

#[test]
fn summary_names_counts_and_lowest_articles() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().to_str().expect("utf-8");
    let output = credence(&["score", "datasets/sample/articles.csv", "--out", out]);
    ok(&output);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("scored "), "{stdout}");
    assert!(stdout.contains("findings: "), "{stdout}");
    assert!(stdout.contains("lowest scores:"), "{stdout}");
    assert!(stdout.contains("articles/s"), "{stdout}");
    // The five lowest are listed, lowest first.
    let lowest: Vec<f64> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("lowest scores:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    assert_eq!(lowest.len(), 5, "{stdout}");
    assert!(lowest.windows(2).all(|w| w[0] <= w[1]), "{lowest:?}");
    // Progress goes nowhere when stderr is not a terminal.
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_bad_record_becomes_an_error_row_and_its_neighbours_survive() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("batch.csv");
    std::fs::write(
        &input,
        "id,source,title,body\n\
         a1,example.com,First,\"The council approved the plan on Tuesday, the mayor said.\"\n\
         a2,example.com,Second,\n\
         a3,example.com,Third,\"The fire destroyed 40 homes in the valley on Tuesday.\"\n",
    )
    .expect("write input");
    let out = dir.path().join("out");
    let output = credence(&[
        "score",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    ok(&output);
    let articles = read_csv(&out.join("articles.csv"));
    let ids: Vec<&str> = articles.iter().map(|a| a["id"].as_str()).collect();
    assert_eq!(ids, ["a1", "a3"]);
    let errors = read_csv(&out.join("errors.csv"));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["id"], "a2");
    assert!(errors[0]["reason"].contains("body"), "{:?}", errors[0]);

    // --strict turns the same run into a failure, exit code 1.
    let strict = credence(&[
        "score",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--strict",
    ]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn a_missing_input_is_a_clear_error_with_exit_code_2() {
    let (_dir, output) = score("datasets/no-such-file.csv", &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no-such-file.csv"), "{stderr}");
}

#[test]
fn spreadsheet_formulas_in_input_are_neutralized() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("evil.jsonl");
    std::fs::write(
        &input,
        r#"{"id":"=cmd|' /C calc'!A0","source":"@evil.example","title":"+SUM(1,2)","body":"-Russian officials said the convoy carried 40 tonnes of aid."}"#,
    )
    .expect("write input");
    let out = dir.path().join("out");
    let output = credence(&[
        "score",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    ok(&output);
    for name in REPORTS {
        for row in read_csv(&out.join(name)) {
            for (column, value) in row {
                assert!(
                    !value.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{name} column {column} starts a formula: {value:?}"
                );
            }
        }
    }
    let articles = read_csv(&out.join("articles.csv"));
    assert_eq!(articles[0]["id"], "'=cmd|' /C calc'!A0");
}

#[test]
fn rule_examples_pass() {
    let output = credence(&["rules", "test"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}
