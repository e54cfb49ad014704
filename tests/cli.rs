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

/// Outlet rows of a sources.csv, by name.
fn outlet_rows(dir: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    read_csv(&dir.join("sources.csv"))
        .into_iter()
        .filter(|r| r["kind"] == "outlet")
        .map(|r| (r["name"].clone(), r))
        .collect()
}

/// Writes a `domain,rating` file of `rows` (0-1) in `dir`; returns its path.
fn ratings_file(dir: &Path, rows: &[(&str, f64)]) -> String {
    let path = dir.join("ratings.csv");
    let body: String = rows.iter().map(|(d, r)| format!("{d},{r}\n")).collect();
    std::fs::write(&path, format!("domain,rating\n{body}")).expect("ratings file");
    path.to_str().expect("utf-8 temp path").to_string()
}

fn number(row: &BTreeMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column} is a number: {row:?}"))
}

#[test]
fn sources_rank_the_sample_outlets_by_their_planted_quality() {
    let (dir, output) = score("datasets/sample/articles.csv", &[]);
    ok(&output);
    let outlets = outlet_rows(dir.path());
    // datasets/README.md: wire service, local paper, tabloid, low-quality site.
    let planted = [
        "harborwire.example",
        "metroledger.example",
        "dailypulse.example",
        "truthblast.example",
    ];
    let scores: Vec<f64> = planted
        .iter()
        .map(|o| number(&outlets[*o], "credibility"))
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] > w[1]),
        "credibility should fall in planted order: {planted:?} {scores:?}"
    );

    // The same two careful articles under a new name: a score held near
    // the prior, with an interval wider than the wire's over twelve.
    let mut writer = csv::Writer::from_path(dir.path().join("two.csv")).expect("two.csv");
    let mut reader =
        csv::Reader::from_path(root().join("datasets/sample/articles.csv")).expect("sample");
    let headers = reader.headers().expect("headers").clone();
    writer.write_record(&headers).expect("header");
    let source = headers
        .iter()
        .position(|h| h == "source")
        .expect("source column");
    for record in reader.records().map(|r| r.expect("record")) {
        writer.write_record(&record).expect("row");
        if ["hw-001", "hw-002"].contains(&&record[0]) {
            let mut copy: Vec<String> = record.iter().map(str::to_string).collect();
            copy[0] = format!("{}-copy", copy[0]);
            copy[source] = "newcomer.example".into();
            writer.write_record(&copy).expect("row");
        }
    }
    writer.flush().expect("flush");
    let two = dir.path().join("two.csv");
    let (out, output) = score(two.to_str().expect("utf-8"), &[]);
    ok(&output);
    let outlets = outlet_rows(out.path());
    let newcomer = &outlets["newcomer.example"];
    let wire = &outlets["harborwire.example"];
    assert_eq!(newcomer["articles"], "2");
    let width = |r: &BTreeMap<String, String>| number(r, "high") - number(r, "low");
    assert!(
        width(newcomer) > 1.5 * width(wire),
        "two articles give a wider interval: {newcomer:?} vs {wire:?}"
    );
    let (score, mean, prior) = (
        number(newcomer, "credibility"),
        number(newcomer, "mean_score"),
        number(newcomer, "prior"),
    );
    assert!(
        (score - prior).abs() < (mean - prior).abs() && score < number(wire, "credibility"),
        "two articles are shrunk toward the prior: {newcomer:?}"
    );
}

#[test]
fn article_credibility_leans_on_the_outlet_rating_in_proportion_to_its_claims() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ratings = ratings_file(
        dir.path(),
        &[
            ("harborwire.example", 0.9),
            ("truthblast.example", 0.1),
            ("other.example", 0.5),
        ],
    );
    let (plain, output) = score("datasets/sample/articles.csv", &["--no-priors"]);
    ok(&output);
    let (rated, output) = score("datasets/sample/articles.csv", &["--ratings", &ratings]);
    ok(&output);
    let (bundled, output) = score("datasets/sample/articles.csv", &[]);
    ok(&output);
    let rows = |dir: &Path| -> BTreeMap<String, BTreeMap<String, String>> {
        read_csv(&dir.join("articles.csv"))
            .into_iter()
            .map(|r| (r["id"].clone(), r))
            .collect()
    };
    // By default the bundled ratings are the priors. They rate none of the
    // sample's made-up outlets, so all four share the unrated prior, which
    // sources.csv shows, and every article leans on it.
    let unrated: Vec<f64> = outlet_rows(bundled.path())
        .values()
        .map(|r| number(r, "prior"))
        .collect();
    assert_eq!(unrated.len(), 4, "{unrated:?}");
    assert!(
        unrated.iter().all(|p| *p == unrated[0]) && (10.0..60.0).contains(&unrated[0]),
        "the sample outlets share the bundled ratings' unrated prior: {unrated:?}"
    );
    let (plain, rated, bundled) = (rows(plain.path()), rows(rated.path()), rows(bundled.path()));
    for (id, row) in &bundled {
        let (score, claims) = (number(row, "score"), number(row, "claims"));
        let expected = (score * claims + unrated[0] * 8.0) / (claims + 8.0);
        assert!(
            (number(row, "credibility") - expected).abs() < 0.11,
            "{id}: {row:?}"
        );
    }
    // Without priors there is nothing to lean on.
    for row in plain.values() {
        assert_eq!(row["credibility"], row["score"], "{row:?}");
    }
    let mut moved = 0;
    for (id, row) in &rated {
        // The text score itself does not change with ratings.
        assert_eq!(row["score"], plain[id]["score"], "{id}");
        let (score, credibility) = (number(row, "score"), number(row, "credibility"));
        let prior = match row["source"].as_str() {
            "harborwire.example" => 90.0,
            "truthblast.example" => 10.0,
            // Unrated outlets sit at the ratings' lower quartile.
            _ => 50.0,
        };
        // Between the score and the prior, nearer the prior for fewer claims.
        let (low, high) = (score.min(prior), score.max(prior));
        assert!(
            (low - 0.05..=high + 0.05).contains(&credibility),
            "{id}: {credibility} not between {score} and {prior}"
        );
        let claims = number(row, "claims");
        let expected = (score * claims + prior * 8.0) / (claims + 8.0);
        assert!((credibility - expected).abs() < 0.11, "{id}: {row:?}");
        if (credibility - score).abs() > 1.0 {
            moved += 1;
        }
    }
    assert!(
        moved > 10,
        "most articles move toward their outlet's rating"
    );
}

#[test]
fn the_bundled_ratings_rate_cited_outlets_and_fold_publisher_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("articles.jsonl");
    let lines = [
        serde_json::json!({"id": "a", "source": "The Washington Post",
            "text": "The governor secretly sold the water utility, Breitbart News reported."}),
        serde_json::json!({"id": "b", "source": "washingtonpost.com",
            "text": "The governor sold the water utility, the Associated Press reported."}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&input, text).expect("input");
    let input = input.to_str().expect("utf-8");
    let low_rated = |dir: &Path| -> Vec<String> {
        read_csv(&dir.join("findings.csv"))
            .into_iter()
            .filter(|f| f["rule"] == "sourcing.low-rated")
            .map(|f| f["article_id"].clone())
            .collect()
    };
    let (bundled, output) = score(input, &[]);
    ok(&output);
    // The claim resting on a low-rated outlet is flagged; the wire's is not.
    assert_eq!(low_rated(bundled.path()), ["a"]);
    // The publisher's name and its domain are one outlet, with its rating as prior.
    let outlets = outlet_rows(bundled.path());
    assert_eq!(outlets.keys().collect::<Vec<_>>(), ["washingtonpost.com"]);
    assert_eq!(outlets["washingtonpost.com"]["prior"], "90.0");
    // Without priors nothing is rated.
    let (plain, output) = score(input, &["--no-priors"]);
    ok(&output);
    assert!(low_rated(plain.path()).is_empty());
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
fn cross_article_links_on_the_sample_set() {
    let (dir, output) = score("datasets/sample/articles.csv", &[]);
    ok(&output);
    let conflicts = read_csv(&dir.path().join("conflicts.csv"));
    let pair = |a: &str, b: &str| {
        conflicts.iter().any(|c| {
            c["kind"] == "cross-article"
                && ((c["article_a"] == a && c["article_b"] == b)
                    || (c["article_a"] == b && c["article_b"] == a))
        })
    };
    // The ferry toll: 14 dead on the wire, 40 on the low-quality site.
    assert!(pair("hw-001", "tb-001"), "{conflicts:#?}");
    // The leak: 23 in hospital against "more than 60".
    assert!(pair("hw-002", "dp-002"));
    // Near misses never conflict: killed 8 / injured 80 in one article.
    assert!(
        !conflicts
            .iter()
            .any(|c| c["article_a"] == "hw-005" || c["article_b"] == "hw-005")
    );

    let claims = read_csv(&dir.path().join("claims.csv"));
    let claim = |id: &str, sentence: &str| {
        claims
            .iter()
            .find(|c| c["article_id"] == id && c["sentence"] == sentence)
            .unwrap_or_else(|| panic!("claim {id} {sentence}"))
    };
    let lead = claim("hw-001", "1");
    assert_eq!(lead["verification"], "contradicted");
    assert!(
        lead["agrees"].contains("dp-001"),
        "an independent outlet agrees: {lead:?}"
    );
    // ml-011 is a word-for-word copy of hw-001: not independent corroboration.
    assert!(!lead["agrees"].contains("ml-011"), "{lead:?}");
    assert_eq!(claim("dp-002", "9")["verification"], "corroborated");
    assert!(claims.iter().any(|c| c["verification"] == "single-source"));
    assert!(claims.iter().any(|c| c["verification"] == "unchecked"));
}

#[test]
fn reference_facts_flag_contradictions_and_credit_agreement() {
    let (plain, output) = score("datasets/sample/articles.csv", &[]);
    ok(&output);
    let (dir, output) = score(
        "datasets/sample/articles.csv",
        &["--facts", "datasets/sample/facts.csv"],
    );
    ok(&output);
    let findings = read_csv(&dir.path().join("findings.csv"));
    let has = |id: &str, rule: &str| {
        findings
            .iter()
            .any(|f| f["article_id"] == id && f["rule"] == rule)
    };
    // The low-quality site's 40 dead against the harbour authority's 14.
    assert!(has("tb-001", "verify.contradicts-reference"));
    // "dozens" dead in the Linwick flood against the coroner's 2.
    assert!(has("tb-003", "verify.contradicts-reference"));
    // The wire's 14 is the verified toll: credit, not a finding against it.
    assert!(has("hw-001", "verify.agrees-reference"));
    assert!(!has("hw-001", "verify.contradicts-reference"));
    // A fact dated after the article (the ninth Tarrant Springs death) is
    // not held against the first report of eight.
    assert!(
        !findings
            .iter()
            .any(|f| f["article_id"] == "hw-005" && f["rule"].starts_with("verify"))
    );
    let credit = findings
        .iter()
        .find(|f| f["article_id"] == "hw-001" && f["rule"] == "verify.agrees-reference")
        .unwrap();
    assert!(
        credit["points"].starts_with('-'),
        "a credit gives points back: {credit:?}"
    );
    // Each fact given back in full: two facts are not one habit, and the
    // repeat discount does not halve the second.
    let hw002: Vec<&String> = findings
        .iter()
        .filter(|f| f["article_id"] == "hw-002" && f["rule"] == "verify.agrees-reference")
        .map(|f| &f["points"])
        .collect();
    assert_eq!(hw002.len(), 2, "{hw002:?}");
    assert_eq!(hw002[0], hw002[1]);

    let articles = |d: &Path| -> BTreeMap<String, BTreeMap<String, String>> {
        read_csv(&d.join("articles.csv"))
            .into_iter()
            .map(|a| (a["id"].clone(), a))
            .collect()
    };
    let (before, after) = (articles(plain.path()), articles(dir.path()));
    let num = |a: &BTreeMap<String, String>, c: &str| a[c].parse::<f64>().unwrap();
    assert!(num(&after["tb-001"], "verification") < 100.0);
    // tb-001 already scores 0 without facts (scores stop at 0), so the
    // contradiction shows as points in findings.csv, not as a lower score.
    assert!(num(&after["tb-001"], "score") <= num(&before["tb-001"], "score"));
    let contradiction = findings
        .iter()
        .find(|f| f["article_id"] == "tb-001" && f["rule"] == "verify.contradicts-reference")
        .unwrap();
    assert!(contradiction["points"].parse::<f64>().unwrap() > 0.0);
    assert_eq!(num(&before["tb-001"], "verification"), 100.0);
    // Credit only ever raises a score: hw-001 was 100 and stays there.
    assert!(num(&after["hw-001"], "score") >= num(&before["hw-001"], "score"));
    assert_eq!(num(&after["hw-001"], "score"), 100.0);

    let claims = read_csv(&dir.path().join("claims.csv"));
    let lead = claims
        .iter()
        .find(|c| c["article_id"] == "tb-001" && c["sentence"] == "1")
        .unwrap();
    assert!(
        lead["reference"].starts_with("contradicts killed people 14 (Calder Bay Harbor Authority"),
        "{lead:?}"
    );
    assert_eq!(lead["figures"], "killed people 40");
}

#[test]
fn the_summary_names_facts_no_article_was_checked_against() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let output = credence(&[
        "score",
        "datasets/sample/articles.csv",
        "--facts",
        "datasets/sample/facts.csv",
        "--out",
        out,
    ]);
    ok(&output);
    let summary = String::from_utf8_lossy(&output.stdout);
    // The ninth Tarrant Springs death is dated after the only article.
    assert!(
        summary.contains("reference facts: 6 of 7 checked")
            && summary.contains("line 8: killed workers about tarrant springs"),
        "{summary}"
    );
}

#[test]
fn a_bad_facts_file_stops_the_run_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let facts = dir.path().join("facts.csv");
    std::fs::write(&facts, "key,about,value\nkilled people,Calder Bay,lots\n").unwrap();
    let (_out, output) = score(
        "datasets/sample/articles.csv",
        &["--facts", facts.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("facts.csv:2: value \"lots\""), "{stderr}");
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
    let all = ["--format", "csv,jsonl,xlsx,html"];
    let (one, a) = score(
        "datasets/sample/articles.csv",
        &[&["--jobs", "1"][..], &all].concat(),
    );
    let (eight, b) = score(
        "datasets/sample/articles.csv",
        &[&["--jobs", "8"][..], &all].concat(),
    );
    ok(&a);
    ok(&b);
    let names = files_in(one.path());
    assert_eq!(names, files_in(eight.path()));
    assert_eq!(names.len(), 14, "{names:?}");
    for name in &names {
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

/// The names of the files in `dir`, sorted.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("out dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

const SHEETS: [(&str, &str); 6] = [
    ("Articles", "articles.csv"),
    ("Findings", "findings.csv"),
    ("Claims", "claims.csv"),
    ("Conflicts", "conflicts.csv"),
    ("Sources", "sources.csv"),
    ("Errors", "errors.csv"),
];

fn csv_table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("CSV row").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// A workbook cell equals a CSV cell: the same text, or the same number.
fn same_cell(cell: &calamine::Data, csv: &str) -> bool {
    use calamine::Data;
    match cell {
        Data::String(s) => s == csv,
        Data::Float(f) => csv.parse::<f64>().is_ok_and(|v| v == *f),
        Data::Int(i) => csv.parse::<i64>().is_ok_and(|v| v == *i),
        Data::Empty => csv.is_empty(),
        _ => false,
    }
}

#[test]
fn default_format_is_csv_only_and_unknown_formats_are_refused() {
    let (dir, output) = score("datasets/sample/articles.csv", &[]);
    ok(&output);
    let mut want: Vec<String> = REPORTS.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(files_in(dir.path()), want);

    let (_dir, output) = score("datasets/sample/articles.csv", &["--format", "csv,pdf"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("pdf") && stderr.contains("xlsx"),
        "{stderr}"
    );
}

#[test]
fn formats_can_be_repeated_or_comma_separated_and_leave_no_temporary_files() {
    let (dir, output) = score(
        "datasets/sample/articles.csv",
        &[
            "--format",
            "xlsx,html",
            "--format",
            "jsonl",
            "--format",
            "xlsx",
        ],
    );
    ok(&output);
    let names = files_in(dir.path());
    let mut want = vec!["credence.xlsx".to_string(), "report.html".to_string()];
    want.extend(REPORTS.iter().map(|r| r.replace(".csv", ".jsonl")));
    want.sort();
    assert_eq!(names, want, "only the reports, no temporary or spill files");
}

#[test]
fn xlsx_workbook_has_a_typed_sheet_per_report_equal_to_the_csv() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let (dir, output) = score("datasets/sample/articles.csv", &["--format", "csv,xlsx"]);
    ok(&output);
    let path = dir.path().join("credence.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).expect("the workbook opens");
    let names: Vec<&str> = SHEETS.iter().map(|(s, _)| *s).collect();
    assert_eq!(book.sheet_names(), names);
    for (sheet, csv_name) in SHEETS {
        let range = book.worksheet_range(sheet).expect(sheet);
        let (header, rows) = csv_table(&dir.path().join(csv_name));
        let got_header: Vec<String> = (0..header.len())
            .map(|c| range.get((0, c)).map(|d| d.to_string()).unwrap_or_default())
            .collect();
        assert_eq!(got_header, header, "{sheet} header");
        assert_eq!(range.height(), rows.len() + 1, "{sheet} rows");
        // Every cell of the small sheets, every 7th row of the large ones.
        let step = if rows.len() > 100 { 7 } else { 1 };
        for (r, row) in rows.iter().enumerate().step_by(step) {
            for (c, value) in row.iter().enumerate() {
                let cell = range.get((r + 1, c)).cloned().unwrap_or(Data::Empty);
                assert!(
                    same_cell(&cell, value),
                    "{sheet} row {} column {}: {cell:?} but CSV has {value:?}",
                    r + 1,
                    header[c]
                );
            }
        }
    }
    // Types: a score is a number, an id is text, a count is a number.
    let articles = book.worksheet_range("Articles").expect("Articles");
    assert!(
        matches!(articles.get((1, 0)), Some(Data::String(_))),
        "id is text"
    );
    assert!(
        matches!(articles.get((1, 4)), Some(Data::Float(_))),
        "sentences is a number"
    );
    assert!(
        matches!(articles.get((1, 11)), Some(Data::Float(_))),
        "score is a number"
    );
    let sources = book.worksheet_range("Sources").expect("Sources");
    assert!(
        matches!(sources.get((1, 3)), Some(Data::Float(_))),
        "credibility is a number"
    );
}

/// The XML of one part of an xlsx file.
fn xlsx_part(path: &Path, part: &str) -> String {
    use std::io::Read;
    let file = std::fs::File::open(path).expect("xlsx");
    let mut zip = zip::ZipArchive::new(file).expect("an xlsx is a zip");
    let mut text = String::new();
    zip.by_name(part)
        .unwrap_or_else(|e| panic!("{part}: {e}"))
        .read_to_string(&mut text)
        .expect("utf-8 xml");
    text
}

#[test]
fn xlsx_sheets_are_frozen_filtered_linked_and_coloured() {
    let (dir, output) = score("datasets/sample/articles.csv", &["--format", "xlsx,csv"]);
    ok(&output);
    let path = dir.path().join("credence.xlsx");
    for n in 1..=6 {
        let xml = xlsx_part(&path, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(
            xml.contains(r#"state="frozen""#),
            "sheet {n} header is frozen"
        );
        assert!(
            xml.contains("<autoFilter ref=\"A1:"),
            "sheet {n} has a filter"
        );
        assert!(
            xml.contains("customWidth=\"1\""),
            "sheet {n} sets column widths"
        );
        assert!(!xml.contains("<f>"), "sheet {n} has no formula");
    }
    // The first finding links to its article's row on the Articles sheet.
    let findings = read_csv(&dir.path().join("findings.csv"));
    let articles = read_csv(&dir.path().join("articles.csv"));
    let first = &findings[0]["article_id"];
    let row = articles
        .iter()
        .position(|a| &a["id"] == first)
        .expect("the finding's article")
        + 2;
    let xml = xlsx_part(&path, "xl/worksheets/sheet2.xml");
    assert!(
        xml.contains(&format!(
            r#"<hyperlink ref="A2" location="'Articles'!A{row}" display="{first}"/>"#
        )),
        "finding A2 links to Articles!A{row}"
    );
    // Score bands are filled green, amber and red.
    let styles = xlsx_part(&path, "xl/styles.xml");
    for fill in ["FFC6EFCE", "FFFFEB9C", "FFFFC7CE"] {
        assert!(styles.contains(fill), "styles have the {fill} band fill");
    }
}

#[test]
fn xlsx_never_turns_input_into_a_formula() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
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
        "--format",
        "xlsx",
    ]);
    ok(&output);
    let path = out.join("credence.xlsx");
    for n in 1..=6 {
        let xml = xlsx_part(&path, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(!xml.contains("<f>"), "sheet {n} has a formula");
    }
    let mut book: Xlsx<_> = open_workbook(&path).expect("workbook");
    let articles = book.worksheet_range("Articles").expect("Articles");
    assert_eq!(
        articles.get((1, 0)),
        Some(&Data::String("'=cmd|' /C calc'!A0".into()))
    );
}

#[test]
fn jsonl_rows_carry_the_same_data_as_csv_rows() {
    let (dir, output) = score("datasets/sample/articles.csv", &["--format", "csv,jsonl"]);
    ok(&output);
    for name in REPORTS {
        let (header, rows) = csv_table(&dir.path().join(name));
        let jsonl_name = name.replace(".csv", ".jsonl");
        let text = std::fs::read_to_string(dir.path().join(&jsonl_name)).expect(&jsonl_name);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines.len(),
            rows.len(),
            "{jsonl_name} has one line per CSV row"
        );
        for (line, row) in lines.iter().zip(&rows) {
            let object: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(line).expect("a JSON object per line");
            assert_eq!(object.len(), header.len(), "{line}");
            // Keys come in column order.
            let at: Vec<usize> = header
                .iter()
                .map(|h| line.find(&format!("\"{h}\":")).expect(h))
                .collect();
            assert!(
                at.windows(2).all(|w| w[0] < w[1]),
                "{jsonl_name} key order: {line}"
            );
            for (h, value) in header.iter().zip(row) {
                let same = match &object[h] {
                    serde_json::Value::String(s) => s == value,
                    serde_json::Value::Number(n) => n.as_f64() == value.parse::<f64>().ok(),
                    other => panic!("{jsonl_name} {h}: unexpected {other}"),
                };
                assert!(
                    same,
                    "{jsonl_name} {h}: {} but CSV has {value:?}",
                    object[h]
                );
            }
        }
    }
    // Scores and counts are JSON numbers, ids are strings.
    let first = std::fs::read_to_string(dir.path().join("articles.jsonl")).expect("articles");
    let first: serde_json::Value =
        serde_json::from_str(first.lines().next().expect("a row")).expect("json");
    assert!(first["score"].is_f64(), "{first}");
    assert!(first["claims"].is_u64(), "{first}");
    assert!(first["id"].is_string(), "{first}");
}

fn html_report(input: &str) -> String {
    let (dir, output) = score(input, &["--format", "html"]);
    ok(&output);
    std::fs::read_to_string(dir.path().join("report.html")).expect("report.html")
}

#[test]
fn html_report_is_one_self_contained_page_with_svg_charts() {
    let page = html_report("datasets/sample/articles.csv");
    for heading in [
        "<h2>Summary</h2>",
        "<h2>Article scores</h2>",
        "<h2>Outlets by credibility</h2>",
        "<h3>By category</h3>",
        "<h3>By rule</h3>",
        "<h2>The 20 lowest-scoring articles</h2>",
    ] {
        assert!(page.contains(heading), "missing {heading}");
    }
    assert!(
        page.matches("<svg").count() >= 4,
        "histogram, outlets, categories, rules"
    );
    // Nothing to fetch: no script, no external link, stylesheet, font or image.
    for banned in [
        "<script", "src=", "href=", "@import", "url(", "http://", "https://",
    ] {
        assert!(!page.contains(banned), "the page has {banned:?}");
    }
    // The twenty lowest are listed, lowest first, with their outlets ranked.
    let lowest = page
        .split("<h2>The 20 lowest")
        .nth(1)
        .expect("lowest section");
    assert_eq!(lowest.matches("<tr><td class=\"num\">").count(), 20);
    assert!(lowest.contains("tb-005"), "the lowest article is listed");
    for outlet in ["harborwire.example", "truthblast.example"] {
        assert!(page.contains(outlet), "{outlet} is ranked");
    }
    // Each outlet's row marks its own prior: here the bundled ratings'
    // unrated prior, which sources.csv gives too.
    assert_eq!(
        page.matches("<line class=\"prior\"").count(),
        4,
        "one prior mark per outlet"
    );
    assert_eq!(page.matches("<title>prior 40.0</title>").count(), 4);
    // A rated outlet's mark sits at its own rating, the others' at the
    // file's unrated prior.
    let dir = tempfile::tempdir().expect("temp dir");
    let ratings = ratings_file(
        dir.path(),
        &[
            ("harborwire.example", 0.9),
            ("a.example", 0.2),
            ("b.example", 0.3),
            ("c.example", 0.5),
        ],
    );
    let (out, output) = score(
        "datasets/sample/articles.csv",
        &["--format", "html", "--ratings", &ratings],
    );
    ok(&output);
    let page = std::fs::read_to_string(out.path().join("report.html")).expect("report.html");
    assert_eq!(page.matches("<title>prior 90.0</title>").count(), 1);
    assert_eq!(page.matches("<title>prior 30.0</title>").count(), 3);
}

#[test]
fn html_report_escapes_every_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("evil.jsonl");
    std::fs::write(
        &input,
        r#"{"id":"<b>x</b>","source":"<img src=x onerror=alert(1)>","author":"By \"Q\" & co","title":"<script>alert('t')</script>","body":"<script>alert(1)</script> The fire destroyed 40 homes in the valley, which was reportedly a record."}"#,
    )
    .expect("write input");
    let page = html_report(input.to_str().expect("utf-8"));
    assert!(!page.contains("<script"), "a script tag got through");
    assert!(!page.contains("<img"), "an img tag got through");
    assert!(!page.contains("<b>x"), "a b tag got through");
    assert!(page.contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;"));
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

/// A Chromium to render with, when this machine has one.
fn chromium() -> Option<String> {
    let candidates = [
        std::env::var("CHROMIUM").unwrap_or_default(),
        "chromium".into(),
        "chromium-browser".into(),
        "google-chrome".into(),
    ];
    candidates.into_iter().filter(|c| !c.is_empty()).find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

#[test]
fn html_report_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        eprintln!(
            "skipped: chromium is not installed (apt-get install -y chromium), report.html not rendered"
        );
        return;
    };
    let (dir, output) = score("datasets/sample/articles.csv", &["--format", "html"]);
    ok(&output);
    let profile = tempfile::tempdir().expect("profile dir");
    let rendered = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1200,2400",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!(
            "file://{}",
            dir.path().join("report.html").display()
        ))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&rendered.stdout);
    assert!(
        rendered.status.success(),
        "{}",
        String::from_utf8_lossy(&rendered.stderr)
    );
    for want in [
        "<h1>credence report</h1>",
        "<h2>Article scores</h2>",
        "<h2>Outlets by credibility</h2>",
        "<h2>The 20 lowest-scoring articles</h2>",
        "<svg",
        "<rect",
        "<circle",
    ] {
        assert!(dom.contains(want), "the rendered page has no {want}");
    }
}

#[test]
fn rules_list_explain_check_and_test() {
    let list = credence(&["rules", "list", "hedge."]);
    ok(&list);
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(text.lines().all(|l| l.starts_with("hedge.")), "{text}");
    assert!(text.contains("hedge.hearsay"), "{text}");

    let explain = credence(&["rules", "explain", "hedge.hearsay"]);
    ok(&explain);
    let text = String::from_utf8_lossy(&explain.stdout);
    assert!(
        text.contains("rules/default/hedges.toml") && text.contains("why:"),
        "{text}"
    );
    assert!(
        text.contains("flags ") && text.contains("passes "),
        "examples are shown: {text}"
    );

    for profile in [
        "rules/newsrooms/wire-desk.toml",
        "rules/newsrooms/investigations.toml",
    ] {
        ok(&credence(&["rules", "check", "--rules", profile]));
        let test = credence(&["rules", "test", "--rules", profile]);
        ok(&test);
        assert!(String::from_utf8_lossy(&test.stdout).contains(" passed, 0 failed"));
    }
}

#[test]
fn a_broken_profile_is_reported_with_file_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let profile = dir.path().join("desk.toml");
    std::fs::write(
        &profile,
        "extends = \"default\"\nignore = [\"hedge.hersay\"]\n",
    )
    .expect("write");
    let check = credence(&["rules", "check", "--rules", profile.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(
        stderr.contains("desk.toml:2:11") && stderr.contains("hedge.hersay"),
        "{stderr}"
    );

    // A failing example makes `rules test` exit 1 and name the rule.
    std::fs::write(
        &profile,
        "extends = \"default\"\n[[override]]\nid = \"hedge.hearsay\"\nadd-examples = [{ text = \"The sky is blue.\", expect = \"match\" }]\n",
    )
    .expect("write");
    let test = credence(&["rules", "test", "--rules", profile.to_str().unwrap()]);
    assert_eq!(test.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&test.stdout).contains("FAIL hedge.hearsay"));
}

#[test]
fn select_and_ignore_change_what_is_flagged() {
    let (dir, output) = score(
        "datasets/sample/articles.csv",
        &["--select", "hedge.*", "--ignore", "hedge.modal"],
    );
    ok(&output);
    let findings = read_csv(&dir.path().join("findings.csv"));
    assert!(!findings.is_empty());
    assert!(
        findings
            .iter()
            .all(|f| f["rule"].starts_with("hedge.") && f["rule"] != "hedge.modal")
    );
    let (_dir, bad) = score(
        "datasets/sample/articles.csv",
        &["--ignore", "hedge.nothing"],
    );
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn explain_highlights_each_finding_with_its_points() {
    let output = credence(&[
        "explain",
        "datasets/plain/kessra-market-attack.txt",
        "--color",
        "never",
    ]);
    ok(&output);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("[[dozens]]"), "{text}");
    assert!(text.contains("-22.0 conflict.quantity"), "{text}");
    assert!(
        text.lines().nth(1).is_some_and(|l| l.starts_with("score ")),
        "{text}"
    );
    let missing = credence(&[
        "explain",
        "datasets/sample/articles.csv",
        "--id",
        "no-such-id",
    ]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn explain_gives_the_score_that_score_gives() {
    // Every sample article, headline rules included: explain's first lines
    // must show the score articles.csv has.
    let (dir, output) = score("datasets/sample/articles.csv", &[]);
    ok(&output);
    let articles = read_csv(&dir.path().join("articles.csv"));
    assert!(articles.iter().any(|a| a["findings"] != "0"));
    for a in &articles {
        let id = &a["id"];
        let explained = credence(&[
            "explain",
            "datasets/sample/articles.csv",
            "--id",
            id,
            "--color",
            "never",
        ]);
        ok(&explained);
        let text = String::from_utf8_lossy(&explained.stdout);
        let line = text.lines().nth(1).unwrap_or_default();
        assert!(
            line.starts_with(&format!("score {} ", a["score"])),
            "{id}: articles.csv says {}, explain says {line:?}",
            a["score"]
        );
        let line = text.lines().nth(2).unwrap_or_default();
        assert!(
            line.starts_with(&format!("credibility {} ", a["credibility"])),
            "{id}: articles.csv says {}, explain says {line:?}",
            a["credibility"]
        );
    }
}

#[test]
fn explain_rates_cited_outlets_as_score_does() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("a.jsonl");
    std::fs::write(
        &input,
        serde_json::json!({"id": "a", "source": "nytimes.com",
            "text": "The governor secretly sold the water utility, Breitbart News reported."})
        .to_string(),
    )
    .expect("input");
    let input = input.to_str().expect("utf-8");
    let explain = |extra: &[&str]| {
        let mut args = vec!["explain", input, "--color", "never"];
        args.extend_from_slice(extra);
        let output = credence(&args);
        ok(&output);
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let text = explain(&[]);
    assert!(text.contains("sourcing.low-rated"), "{text}");
    assert!(text.contains("outlet's prior 90.0"), "{text}");
    let text = explain(&["--no-priors"]);
    assert!(!text.contains("sourcing.low-rated"), "{text}");
    assert!(text.contains("(no priors)"), "{text}");
}

#[test]
fn baseline_marks_new_findings_and_diff_summarises_a_rule_change() {
    let (old, a) = score("datasets/sample/articles.csv", &[]);
    ok(&a);
    let baseline = old.path().join("findings.csv");
    let (new, b) = score(
        "datasets/sample/articles.csv",
        &[
            "--rules",
            "rules/newsrooms/investigations.toml",
            "--baseline",
            baseline.to_str().unwrap(),
        ],
    );
    ok(&b);
    let findings = read_csv(&new.path().join("findings.csv"));
    assert!(
        findings
            .iter()
            .all(|f| f["baseline"] == "new" || f["baseline"] == "known")
    );
    assert!(findings.iter().any(|f| f["baseline"] == "known"));
    assert!(
        findings
            .iter()
            .any(|f| f["rule"] == "house.close-to" && f["baseline"] == "new")
    );

    let (only, c) = score(
        "datasets/sample/articles.csv",
        &[
            "--rules",
            "rules/newsrooms/investigations.toml",
            "--baseline",
            baseline.to_str().unwrap(),
            "--only-new",
        ],
    );
    ok(&c);
    let only_new = read_csv(&only.path().join("findings.csv"));
    assert!(!only_new.is_empty() && only_new.iter().all(|f| f["baseline"] == "new"));

    let diff = credence(&[
        "diff",
        old.path().to_str().unwrap(),
        new.path().to_str().unwrap(),
    ]);
    ok(&diff);
    let text = String::from_utf8_lossy(&diff.stdout);
    assert!(text.contains("house.close-to"), "{text}");
    assert!(
        text.contains("added") && text.contains("by article"),
        "{text}"
    );
}

// ---- Hostile input, limits, spreadsheet safety, atomic output (issue 9) ----

/// Runs `credence score` on `inputs` into `out` and returns the output.
fn score_into(inputs: &[&Path], out: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<String> = vec!["score".into()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend(["--out".into(), out.display().to_string(), "--quiet".into()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    credence(&args)
}

#[test]
fn hostile_input_catalogue_keeps_every_record_accounted_for() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let long_sentence = "word ".repeat(20_000); // 100,000 chars, no punctuation
    let mut csv = b"\xEF\xBB\xBFid,title,body\r\n".to_vec(); // BOM, CRLF
    csv.extend_from_slice(b"c1,Fine,The mayor said 14 people were hurt.\r\n");
    csv.extend_from_slice(b"c2,\"Unbalanced,The quote never closes.\r\n");
    csv.extend_from_slice(b"c3,Too,many,fields,here\r\n");
    csv.extend_from_slice(b"c4,Bad UTF-8,Caf\xE9 au lait.\r\n");
    csv.extend_from_slice(b"c5,Empty,\r\n");
    csv.extend_from_slice(b"c6,Blank,\"   \t  \"\r\n");
    csv.extend_from_slice(b"c7,NUL,A body with a \x00 NUL byte and \x01\x02 junk.\r\n");
    csv.extend_from_slice(b"c8,Last,The council approved the budget.\r\n");
    std::fs::write(d.join("a.csv"), csv).unwrap();
    let jsonl = [
        r#"{"id":"j1","body":"He said \"she told me 'they \"really\" left'\" and \u201cthen \u201cmore\u201d."}"#.to_string(),
        r#"{"id":"j2","body":"\u05d4\u05e8\u05d0\u05e9 \u05d0\u05de\u05e8 \u05e9-14 \u05e0\u05e4\u05d2\u05e2\u05d5. \ud83d\ude00\ud83d\udc4d\ud83c\udffd Emoji \ud83d\udd25 everywhere."}"#.to_string(),
        r#"{"id":"j3","body":"Der B\u00fcrgermeister sagte, 14 Menschen seien verletzt worden. \u5e02\u957f\u8bf4\u3002"}"#.to_string(),
        format!(r#"{{"id":"j4","body":"{long_sentence}"}}"#),
        "\u{1}\u{2}binary junk {{{ not json".to_string(),
        r#"{"id":"c1","body":"A duplicate id: both are kept and scored."}"#.to_string(),
    ];
    std::fs::write(d.join("b.jsonl"), jsonl.join("\n")).unwrap();
    // UTF-16 (with its byte-order mark), as Windows editors save text.
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "Title\r\n\r\nThe minister reportedly resigned.".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    std::fs::write(d.join("c.txt"), utf16).unwrap();
    std::fs::write(d.join("d.txt"), [0u8, 159, 146, 150, 0xFF, 0, 0]).unwrap();

    let out = d.join("out");
    let files = [
        d.join("a.csv"),
        d.join("b.jsonl"),
        d.join("c.txt"),
        d.join("d.txt"),
    ];
    let inputs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let output = score_into(&inputs, &out, &[]);
    ok(&output);
    let articles = read_csv(&out.join("articles.csv"));
    let errors = read_csv(&out.join("errors.csv"));
    let ids: BTreeSet<&str> = articles.iter().map(|a| a["id"].as_str()).collect();
    for id in ["c1", "c7", "c8", "j1", "j2", "j3", "j4", "c"] {
        assert!(ids.contains(id), "{id} is scored: {ids:?}");
    }
    assert_eq!(
        articles.iter().filter(|a| a["id"] == "c1").count(),
        2,
        "duplicate ids: both kept"
    );
    // c2 (unbalanced), c3 (fields), c4 (UTF-8), c5, c6 (empty), junk line, d.txt
    assert_eq!(errors.len(), 7, "{errors:#?}");
    for e in &errors {
        assert!(!e["file"].is_empty() && !e["reason"].is_empty(), "{e:?}");
        if !e["file"].ends_with(".txt") {
            assert!(e["location"].contains("line"), "{e:?}");
        }
    }
    let reasons: Vec<&str> = errors.iter().map(|e| e["reason"].as_str()).collect();
    for needle in [
        "unbalanced quote",
        "fields but the header",
        "UTF-8",
        "empty body",
        "JSON",
    ] {
        assert!(
            reasons.iter().any(|r| r.contains(needle)),
            "{needle}: {reasons:#?}"
        );
    }
    // The summary's counts: articles + errors = records read.
    let summary = score_into(&inputs, &d.join("out2"), &[]);
    let _ = summary;
    let loud = credence(&[
        "score",
        files[0].to_str().unwrap(),
        files[1].to_str().unwrap(),
        files[2].to_str().unwrap(),
        files[3].to_str().unwrap(),
        "--out",
        d.join("out3").to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&loud.stdout);
    let records = articles.len() + errors.len();
    assert!(
        text.contains(&format!(
            "scored {} articles from {records} records ({} could not be used)",
            articles.len(),
            errors.len()
        )),
        "{text}"
    );
    assert!(text.contains("duplicate ids: 1"), "{text}");
    // --strict turns any unusable record into exit code 1, reports still written.
    let strict = score_into(&inputs, &d.join("out4"), &["--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(d.join("out4/errors.csv").exists());
}

#[test]
fn a_csv_without_a_body_column_stops_the_run_with_advice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nobody.csv");
    std::fs::write(&path, "id,title\n1,Hello\n").unwrap();
    let output = score_into(&[&path], &dir.path().join("out"), &[]);
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("no body column") && err.contains("--map body="),
        "{err}"
    );
}

#[test]
fn an_article_over_the_size_limit_is_an_error_row_naming_the_flag() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A 50 MB body, generated here, never committed.
    let body = "The council said 12 people were hurt. ".repeat(50_000_000 / 38);
    let big = dir.path().join("big.txt");
    std::fs::write(&big, format!("Title\n\n{body}")).unwrap();
    let small = dir.path().join("small.jsonl");
    std::fs::write(
        &small,
        "{\"id\":\"s1\",\"body\":\"The mayor said the bridge will reopen on Monday.\"}\n\
         {\"id\":\"s2\",\"body\":\"Officials said 40 homes were damaged in the storm.\"}\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    ok(&score_into(&[&big, &small], &out, &[]));
    assert_eq!(read_csv(&out.join("articles.csv")).len(), 2);
    let errors = read_csv(&out.join("errors.csv"));
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]["reason"].contains("--max-article-bytes"),
        "{errors:?}"
    );
    // A lower limit turns an ordinary article into an error row that names it.
    let out = dir.path().join("low");
    ok(&score_into(&[&small], &out, &["--max-article-bytes", "49"]));
    let errors = read_csv(&out.join("errors.csv"));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["id"], "s2");
    assert!(
        errors[0]["reason"].contains("over the limit of 49 bytes"),
        "{errors:?}"
    );
}

#[test]
fn an_overlong_sentence_is_analyzed_in_bounded_pieces() {
    let dir = tempfile::tempdir().expect("temp dir");
    let body = "officials reportedly said the flood may have killed dozens ".repeat(1_700);
    let path = dir.path().join("long.jsonl");
    std::fs::write(&path, format!("{{\"id\":\"long\",\"body\":\"{body}\"}}\n")).unwrap();
    let out = dir.path().join("out");
    ok(&score_into(
        &[&path],
        &out,
        &["--max-sentence-chars", "500"],
    ));
    let articles = read_csv(&out.join("articles.csv"));
    let sentences: usize = articles[0]["sentences"].parse().unwrap();
    assert!(
        sentences >= 200,
        "a 100k-char sentence in pieces of 500: {sentences}"
    );
    for f in read_csv(&out.join("findings.csv")) {
        assert!(f["sentence_text"].chars().count() <= 500, "{f:?}");
    }
}

fn tiny_records(n: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("tiny.jsonl");
    let mut text = String::with_capacity(n * 40);
    for i in 0..n {
        text.push_str(&format!(
            "{{\"id\":\"r{i}\",\"body\":\"Prices rose {}%.\"}}\n",
            i % 97
        ));
    }
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn check_tiny_records(n: usize) {
    let (dir, path) = tiny_records(n);
    let out = dir.path().join("out");
    ok(&score_into(&[&path], &out, &[]));
    let lines = std::fs::read_to_string(out.join("articles.csv")).unwrap();
    assert_eq!(lines.lines().count(), n + 1);
}

#[test]
fn a_hundred_thousand_tiny_records_are_all_scored() {
    check_tiny_records(100_000);
}

/// Slow in a debug build: `cargo test --release -- --ignored`.
#[test]
#[ignore]
fn a_million_tiny_records_are_all_scored() {
    check_tiny_records(1_000_000);
}

#[test]
fn formula_payloads_are_neutralized_in_csv_jsonl_and_xlsx_unless_raw_cells() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let payloads = [
        "=cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "=HYPERLINK(\"http://evil.example\",\"click\")",
        "+1+1",
        "-2+3",
        "\t=1+1",
        "\r=1+1",
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    let mut wtr = csv::Writer::from_path(dir.path().join("evil.csv")).unwrap();
    wtr.write_record(["id", "source", "author", "title", "body"])
        .unwrap();
    for (i, p) in payloads.iter().enumerate() {
        let body = format!("{p} The mayor reportedly said 14 people were killed.");
        wtr.write_record([
            p.to_string(),
            p.to_string(),
            p.to_string(),
            format!("{p}{i}"),
            body,
        ])
        .unwrap();
    }
    wtr.flush().unwrap();
    let input = dir.path().join("evil.csv");
    let dangerous = |s: &str| s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    for (name, raw) in [("safe", false), ("raw", true)] {
        let out = dir.path().join(name);
        let extra: &[&str] = if raw {
            &["--format", "csv,jsonl,xlsx", "--raw-cells"]
        } else {
            &["--format", "csv,jsonl,xlsx"]
        };
        ok(&score_into(&[&input], &out, extra));
        let mut texts: Vec<String> = Vec::new();
        for report in REPORTS {
            let mut r = csv::Reader::from_path(out.join(report)).unwrap();
            for row in r.records() {
                texts.extend(row.unwrap().iter().map(str::to_string));
            }
            let jsonl =
                std::fs::read_to_string(out.join(report.replace(".csv", ".jsonl"))).unwrap();
            for line in jsonl.lines() {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                for cell in v.as_object().unwrap().values() {
                    if let Some(s) = cell.as_str() {
                        texts.push(s.to_string());
                    }
                }
            }
        }
        let mut book: Xlsx<_> = open_workbook(out.join("credence.xlsx")).unwrap();
        for sheet in book.sheet_names() {
            let range = book.worksheet_range(&sheet).unwrap();
            for cell in range.used_cells() {
                if let Data::String(s) = cell.2 {
                    texts.push(s.clone());
                }
            }
        }
        for p in payloads {
            // Fields are trimmed on input, so a tab- or CR-led id arrives as `=...`.
            let p = p.trim_start();
            let seen = texts.iter().any(|t| t == p);
            let neutral = texts.iter().any(|t| *t == format!("'{p}"));
            if raw {
                assert!(seen, "--raw-cells writes {p:?} as it is");
            } else {
                assert!(!seen && neutral, "{p:?} is neutralized");
            }
        }
        if !raw {
            assert!(
                !texts.iter().any(|t| dangerous(t)),
                "no text cell starts a formula"
            );
        }
    }
}

#[test]
fn a_killed_run_leaves_earlier_reports_whole_and_no_half_written_report() {
    let (dir, path) = tiny_records(400_000);
    let out = dir.path().join("out");
    let small = dir.path().join("small.jsonl");
    std::fs::write(
        &small,
        "{\"id\":\"a\",\"body\":\"The mayor said 14 people were hurt.\"}\n",
    )
    .unwrap();
    ok(&score_into(&[&small], &out, &[]));
    let before: Vec<(String, Vec<u8>)> = REPORTS
        .iter()
        .map(|r| (r.to_string(), std::fs::read(out.join(r)).unwrap()))
        .collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_credence"))
        .args([
            "score",
            path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .spawn()
        .expect("the credence binary starts");
    // Kill once the run is writing: its temporary files have appeared.
    let started = std::time::Instant::now();
    while files_in(&out).iter().all(|f| !f.ends_with(".tmp")) {
        assert!(
            started.elapsed().as_secs() < 60,
            "the run never started writing"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    child.kill().expect("SIGKILL");
    let status = child.wait().unwrap();
    assert!(!status.success(), "the run was killed before it finished");
    for (name, bytes) in before {
        assert_eq!(
            std::fs::read(out.join(&name)).unwrap(),
            bytes,
            "{name} is intact"
        );
    }
}

#[test]
fn reports_are_byte_identical_across_two_runs() {
    let (a, out_a) = score(
        "datasets/sample/articles.csv",
        &["--format", "csv,jsonl,xlsx,html"],
    );
    ok(&out_a);
    let (b, out_b) = score(
        "datasets/sample/articles.csv",
        &["--format", "csv,jsonl,xlsx,html"],
    );
    ok(&out_b);
    let names = files_in(a.path());
    assert_eq!(names, files_in(b.path()));
    for name in names {
        let x = std::fs::read(a.path().join(&name)).unwrap();
        let y = std::fs::read(b.path().join(&name)).unwrap();
        assert!(x == y, "{name} differs between two runs");
    }
}

#[test]
fn hostile_rule_files_fail_clearly_and_regexes_run_in_linear_time() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    // (a+)+$ backtracks catastrophically elsewhere; here it is linear time.
    let rule = "extends = \"default\"\n[[rule]]\nid = \"hedge.house\"\nkind = \"lexicon\"\n\
                severity = \"info\"\nweight = 1.0\nmessage = \"m\"\nterms = [\"may\"]\n\
                exceptions = [\"(a+)+$\", \"(x|x)*y\"]\n";
    std::fs::write(d.join("evil.toml"), rule).unwrap();
    let body = format!("It may rain {}b", "a".repeat(100_000));
    std::fs::write(
        d.join("a.jsonl"),
        format!("{{\"id\":\"a\",\"body\":\"{body}\"}}\n"),
    )
    .unwrap();
    let rules = d.join("evil.toml");
    ok(&score_into(
        &[&d.join("a.jsonl")],
        &d.join("out"),
        &["--rules", rules.to_str().unwrap()],
    ));
    // Thousands of terms in one rule are fine; more than the limit is an error.
    let terms = |n: usize| {
        (0..n)
            .map(|i| format!("\"term{i}\""))
            .collect::<Vec<_>>()
            .join(",")
    };
    let many = |n: usize| {
        format!(
            "extends = \"default\"\n[[rule]]\nid = \"hedge.many\"\nkind = \"lexicon\"\n\
             severity = \"info\"\nweight = 1.0\nmessage = \"m\"\nterms = [{}]\n",
            terms(n)
        )
    };
    std::fs::write(d.join("ok.toml"), many(5_000)).unwrap();
    std::fs::write(d.join("huge.toml"), many(25_000)).unwrap();
    for (file, good) in [("ok.toml", true), ("huge.toml", false)] {
        let path = d.join(file);
        let output = score_into(
            &[&d.join("a.jsonl")],
            &d.join("o2"),
            &["--rules", path.to_str().unwrap()],
        );
        assert_eq!(output.status.success(), good, "{file}");
        if !good {
            let err = String::from_utf8_lossy(&output.stderr);
            assert!(err.contains("20000") && err.contains("hedge.many"), "{err}");
        }
    }
    // A huge regex is refused by its compiled-size limit, naming the rule.
    let big = "extends = \"default\"\n[[rule]]\nid = \"hedge.big\"\nkind = \"lexicon\"\n\
         severity = \"info\"\nweight = 1.0\nmessage = \"m\"\nterms = [\"may\"]\n\
         exceptions = [\"\\\\w{1000}\\\\w{1000}\\\\w{1000}\"]\n";
    std::fs::write(d.join("big.toml"), big).unwrap();
    let path = d.join("big.toml");
    let output = score_into(
        &[&d.join("a.jsonl")],
        &d.join("o3"),
        &["--rules", path.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("hedge.big"));
}

#[test]
fn a_closed_pipe_ends_the_program_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    // Far more output than a pipe holds: every sentence is listed as a miss.
    let dir = tempfile::tempdir().expect("temp dir");
    let labeled = dir.path().join("labeled.csv");
    let mut text = String::from("label,sentence\n");
    for i in 0..3000 {
        text.push_str(&format!(
            "uncertain,The council approved budget number {i} on Tuesday evening.\n"
        ));
    }
    std::fs::write(&labeled, text).expect("write");
    let mut child = Command::new(env!("CARGO_BIN_EXE_credence"))
        .args([
            "eval",
            "hedge",
            labeled.to_str().unwrap(),
            "--examples",
            "100000",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Read a little, then close the pipe, like `credence eval ... | head -1`.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut some = [0u8; 16];
    stdout.read_exact(&mut some).expect("some output");
    drop(stdout);
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

#[test]
fn eval_articles_rates_a_section_of_a_site_as_the_site() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The same text twice: only the outlets can tell the articles apart. The
    // real one comes from a section of a well-rated site that the ratings
    // list by its registered domain alone; as an unrated outlet it would
    // get the file's lower quartile and rank below the fake one.
    let body = "The council approved the budget on Tuesday, Mayor Ana Ruiz said.";
    let lines = [
        serde_json::json!({"url": "https://money.good.example/a", "body": body, "label": "real"}),
        serde_json::json!({"source": "poor.example", "body": body, "label": "fake"}),
    ]
    .map(|v| v.to_string())
    .join("\n");
    let articles = dir.path().join("labeled.jsonl");
    std::fs::write(&articles, lines).unwrap();
    let ratings = ratings_file(
        dir.path(),
        &[
            ("good.example", 0.9),
            ("poor.example", 0.6),
            ("a.example", 0.1),
            ("b.example", 0.1),
            ("c.example", 0.1),
        ],
    );
    let output = credence(&[
        "eval",
        "articles",
        articles.to_str().unwrap(),
        "--ratings",
        &ratings,
        "--json",
    ]);
    ok(&output);
    let v: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    assert_eq!(v["auc_text_only"], 0.5, "{v}");
    assert_eq!(v["auc_with_priors"], 1.0, "{v}");
}

#[test]
fn eval_sources_ranks_outlets_against_ratings() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Three outlets, five articles each, written to score far apart: one
    // sources everything, one hedges, one asserts unsourced figures.
    let careful = "The council approved the budget on Tuesday, Mayor Ana Ruiz said. \"We balanced it,\" Ruiz said.";
    let hedged =
        "The council reportedly approved the budget, and it may have raised taxes, some say.";
    let reckless = "The council stole $40 million and fired 300 workers. It lied about 90 percent of the cuts.";
    let mut lines = String::new();
    for i in 0..5 {
        for (outlet, body) in [
            ("careful.example", careful),
            ("hedged.example", hedged),
            ("reckless.example", reckless),
        ] {
            lines.push_str(
                &serde_json::json!({"source": outlet, "text": format!("{body} Item {i}.")})
                    .to_string(),
            );
            lines.push('\n');
        }
    }
    // A fourth outlet with too few articles is left out.
    lines.push_str(
        &serde_json::json!({"url": "https://www.tiny.example/a", "body": careful}).to_string(),
    );
    lines.push('\n');
    let articles = dir.path().join("articles.jsonl");
    std::fs::write(&articles, lines).unwrap();
    let ratings = ratings_file(
        dir.path(),
        &[
            ("careful.example", 0.9),
            ("hedged.example", 0.5),
            ("reckless.example", 0.1),
            ("tiny.example", 0.2),
        ],
    );
    let output = credence(&[
        "eval",
        "sources",
        articles.to_str().unwrap(),
        "--ratings",
        &ratings,
        "--json",
    ]);
    ok(&output);
    let v: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    assert_eq!(v["outlets"], 3, "{v}");
    assert_eq!(v["spearman"], 1.0, "{v}");

    // Without --ratings the bundled ratings are the yardstick; they rate
    // none of these made-up outlets, so there is nothing to correlate.
    let output = credence(&["eval", "sources", articles.to_str().unwrap()]);
    ok(&output);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("0 rated by datasets/outlet-ratings.csv (bundled)")
            && stdout.contains("fewer than 3 rated outlets"),
        "{stdout}"
    );
}

// ---- credence as a stage of another engine -------------------------------

/// The sample set as JSON Lines, one record per line.
fn sample_jsonl() -> Vec<String> {
    read_csv(&root().join("datasets/sample/articles.csv"))
        .iter()
        .map(|row| serde_json::to_string(row).expect("a row serializes"))
        .collect()
}

/// Runs credence in `cwd` with `stdin` as its standard input.
fn credence_in(cwd: &Path, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_credence"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the credence binary runs");
    let mut input = child.stdin.take().expect("stdin");
    let text = stdin.to_string();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(text.as_bytes());
    });
    let output = child.wait_with_output().expect("wait");
    writer.join().expect("stdin writer");
    output
}

const STREAM: [&str; 6] = [
    "score",
    "-",
    "--input-format",
    "jsonl",
    "--output-format",
    "jsonl",
];

fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(output.stdout.clone())
        .expect("utf-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// A cell of a stream line as CSV would write it.
fn as_cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn stream_mode_writes_one_line_per_record_and_fails_at_the_end_on_a_malformed_one() {
    let mut records = sample_jsonl();
    // A record cut off mid-way, between two good ones.
    records.insert(
        5,
        r#"{"id": "cut-off", "body": "The mayor said"#.to_string(),
    );
    let input = records.join("\n") + "\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let output = credence_in(dir.path(), &STREAM, &input);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("line 6"),
        "stderr names the record: {stderr}"
    );
    let lines = json_lines(&output);
    assert_eq!(lines.len(), records.len(), "one line per record");
    assert_eq!(lines[5]["error"]["location"], "line 6", "{}", lines[5]);
    assert!(lines[5].get("article").is_none());

    // Every other line is the article's row of a batch run, cell for cell.
    let (batch, out) = score("datasets/sample/articles.csv", &["--raw-cells"]);
    ok(&out);
    let rows = read_csv(&batch.path().join("articles.csv"));
    let streamed: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l.get("error").is_none()).collect();
    assert_eq!(streamed.len(), rows.len());
    for (line, row) in streamed.iter().zip(&rows) {
        let article = line["article"].as_object().expect("an article object");
        assert_eq!(article.len(), row.len(), "{}", row["id"]);
        // Typed as the JSONL report types them: scores and counts are numbers.
        assert!(article["score"].is_number() && article["claims"].is_number());
        for (k, v) in article {
            assert_eq!(&as_cell(v), &row[k], "{}: {k}", row["id"]);
        }
        let findings = line.get("findings").and_then(|f| f.as_array());
        assert_eq!(
            findings.map_or(0, Vec::len).to_string(),
            row["findings"],
            "{}",
            row["id"]
        );
    }
}

#[test]
fn stream_mode_writes_nothing_beside_stdout_and_stream_is_its_alias() {
    let input = sample_jsonl().join("\n") + "\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let long = credence_in(
        dir.path(),
        &[&STREAM[..], &["--emit", "records,partials"]].concat(),
        &input,
    );
    ok(&long);
    let short = credence_in(
        dir.path(),
        &["stream", "--emit", "records,partials"],
        &input,
    );
    ok(&short);
    assert_eq!(long.stdout, short.stdout);
    assert!(
        long.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&long.stderr)
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert!(left.is_empty(), "stream mode wrote {left:?}");
    // Record lines, then the partial lines.
    let lines = json_lines(&long);
    let records = lines
        .iter()
        .take_while(|l| l.get("partial").is_none())
        .count();
    assert_eq!(records, input.lines().count());
    assert_eq!(lines[records]["partial"], "batch");
    assert!(lines[records..].iter().all(|l| l.get("partial").is_some()));
}

#[test]
fn stream_lines_are_flushed_as_records_arrive() {
    use std::io::{BufRead, Write};
    use std::process::Stdio;
    let records = sample_jsonl();
    let mut child = Command::new(env!("CARGO_BIN_EXE_credence"))
        .args(["stream"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (lines, got) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            if lines.send(line.expect("a line")).is_err() {
                break;
            }
        }
    });
    // Two records, with the input left open: their lines come at once.
    for record in &records[..2] {
        writeln!(stdin, "{record}").expect("write a record");
    }
    stdin.flush().expect("flush");
    for want in ["hw-001", "hw-002"] {
        let line = got
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("a line while the input is still open");
        assert!(line.contains(want), "{line}");
    }
    drop(stdin);
    assert!(child.wait().expect("wait").success());
}

#[test]
fn shards_partition_the_input_exactly() {
    let mut records = sample_jsonl();
    records.push("not json at all".to_string());
    let input = records.join("\n") + "\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let n = 3;
    let mut ids = Vec::new();
    let mut lines = 0;
    for k in 0..n {
        let shard = format!("{k}/{n}");
        let output = credence_in(dir.path(), &["stream", "--shard", &shard], &input);
        let part = json_lines(&output);
        lines += part.len();
        let part_ids: Vec<String> = part
            .iter()
            .filter_map(|l| l["article"]["id"].as_str().map(String::from))
            .collect();
        assert!(!part_ids.is_empty(), "shard {shard} is empty");
        // A batch run keeps the same records.
        let (batch, out) = score("datasets/sample/articles.csv", &["--shard", &shard]);
        ok(&out);
        let batch_ids: Vec<String> = read_csv(&batch.path().join("articles.csv"))
            .into_iter()
            .map(|r| r["id"].clone())
            .collect();
        assert_eq!(part_ids, batch_ids, "shard {shard}");
        ids.extend(part_ids);
    }
    assert_eq!(lines, records.len(), "every record is in exactly one shard");
    let expected: Vec<String> = read_csv(&root().join("datasets/sample/articles.csv"))
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    ids.sort();
    let mut sorted = expected.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    let bad = credence(&["stream", "--shard", "3/3"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("0 <= K < N"));
}

/// The partial lines of shard `k` of `n` of `input`.
fn shard_partials(dir: &Path, input: &str, k: usize, n: usize, extra: &[&str]) -> Vec<u8> {
    let shard = format!("{k}/{n}");
    let args = [
        &["stream", "--emit", "partials", "--shard", &shard][..],
        extra,
    ]
    .concat();
    let output = credence_in(dir, &args, input);
    ok(&output);
    output.stdout
}

#[test]
fn merging_partials_in_any_grouping_and_order_gives_identical_bytes() {
    let input = sample_jsonl().join("\n") + "\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let parts: Vec<PathBuf> = (0..4)
        .map(|k| {
            let path = dir.path().join(format!("p{k}.jsonl"));
            std::fs::write(&path, shard_partials(dir.path(), &input, k, 4, &[])).expect("write");
            path
        })
        .collect();
    let p = |k: usize| parts[k].to_str().expect("utf-8 path").to_string();
    let merge = |inputs: &[String]| -> Vec<u8> {
        let args: Vec<&str> = ["merge"]
            .into_iter()
            .chain(inputs.iter().map(String::as_str))
            .collect();
        let output = credence(&args);
        ok(&output);
        output.stdout
    };
    let save = |name: &str, bytes: &[u8]| -> String {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        path.to_str().expect("utf-8 path").to_string()
    };
    let flat = merge(&[p(0), p(1), p(2), p(3)]);
    // ((3 + 1) + (2 + 0)), and (0 + (2 + (1 + 3))), and all reversed on stdin.
    let a = save("a", &merge(&[p(3), p(1)]));
    let b = save("b", &merge(&[p(2), p(0)]));
    assert_eq!(merge(&[a.clone(), b.clone()]), flat);
    assert_eq!(merge(&[b, a]), flat);
    let c = save("c", &merge(&[p(1), p(3)]));
    let d = save("d", &merge(&[p(2), c]));
    assert_eq!(merge(&[p(0), d]), flat);
    let mut reversed: Vec<u8> = Vec::new();
    for k in (0..4).rev() {
        reversed.extend(std::fs::read(&parts[k]).expect("read"));
    }
    let on_stdin = credence_in(
        dir.path(),
        &["merge"],
        &String::from_utf8(reversed).expect("utf-8"),
    );
    ok(&on_stdin);
    assert_eq!(on_stdin.stdout, flat);
    // Merging what is merged changes nothing.
    let flat_file = save("flat", &flat);
    assert_eq!(merge(&[flat_file]), flat);

    // A record line is not a partial: a clear error, exit code 2.
    let records = save(
        "records",
        &credence_in(dir.path(), &["stream"], &input).stdout,
    );
    let refused = credence(&["merge", &records]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("line 1") && stderr.contains("--emit partials"),
        "{stderr}"
    );
}

#[test]
fn finalize_writes_the_sources_csv_that_score_writes() {
    let records = sample_jsonl();
    let dir = tempfile::tempdir().expect("temp dir");
    // Shards of the input in reverse order, merged, then finalized.
    let reversed: Vec<String> = records.iter().rev().cloned().collect();
    let input = reversed.join("\n") + "\n";
    for extra in [&[][..], &["--no-priors"][..]] {
        let (single, out) = score("datasets/sample/articles.csv", extra);
        ok(&out);
        let mut partials = Vec::new();
        for k in 0..3 {
            partials.extend(shard_partials(dir.path(), &input, k, 3, extra));
        }
        let merged = credence_in(
            dir.path(),
            &["merge"],
            &String::from_utf8(partials).expect("utf-8"),
        );
        ok(&merged);
        let fin = dir.path().join("final");
        let fin_arg = fin.to_str().expect("utf-8 path");
        let args: Vec<&str> = [&["finalize", "--out", fin_arg][..], extra].concat();
        let finalized = credence_in(
            dir.path(),
            &args,
            &String::from_utf8(merged.stdout).expect("utf-8"),
        );
        ok(&finalized);
        let want = std::fs::read(single.path().join("sources.csv")).expect("score's sources.csv");
        let got = std::fs::read(fin.join("sources.csv")).expect("finalize's sources.csv");
        assert!(
            want == got,
            "{extra:?}: finalize's sources.csv differs:\n{}\n---\n{}",
            String::from_utf8_lossy(&want),
            String::from_utf8_lossy(&got)
        );
        // Some outlet has a claim another outlet corroborates or
        // contradicts, so linking across shards is part of what matched.
        let rows = read_csv(&fin.join("sources.csv"));
        assert!(
            rows.iter()
                .any(|r| r["corroborated_rate"] != "0.000" || r["contradicted_rate"] != "0.000"),
            "no cross-outlet verdicts"
        );
        assert_eq!(files_in(&fin), vec!["sources.csv".to_string()]);
    }
}

#[test]
fn finalize_refuses_partials_scored_with_other_ratings() {
    let input = sample_jsonl().join("\n") + "\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("final");
    let out = out.to_str().expect("utf-8 path");
    let bundled = String::from_utf8(shard_partials(dir.path(), &input, 0, 1, &[])).expect("utf-8");
    // Made with the bundled ratings, finalized with none: sources.csv
    // would shrink nothing toward priors the articles were scored with.
    let refused = credence_in(
        dir.path(),
        &["finalize", "--out", out, "--no-priors"],
        &bundled,
    );
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("other ratings") && stderr.contains("--no-priors"),
        "{stderr}"
    );
    assert!(!dir.path().join("final/sources.csv").exists());
    // Partials of the two kinds do not merge either.
    let plain = String::from_utf8(shard_partials(dir.path(), &input, 0, 1, &["--no-priors"]))
        .expect("utf-8");
    let mixed = credence_in(dir.path(), &["merge"], &(bundled.clone() + &plain));
    assert_eq!(mixed.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&mixed.stderr).contains("other ratings"),
        "{}",
        String::from_utf8_lossy(&mixed.stderr)
    );
    // The same flags on both sides are fine.
    ok(&credence_in(
        dir.path(),
        &["finalize", "--out", out],
        &bundled,
    ));
    ok(&credence_in(
        dir.path(),
        &["finalize", "--out", out, "--no-priors"],
        &plain,
    ));
}

#[test]
fn finalize_refuses_an_empty_input_but_merge_accepts_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("final");
    let fin = credence_in(
        dir.path(),
        &["finalize", "--out", out.to_str().unwrap()],
        "",
    );
    assert_eq!(fin.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&fin.stderr).contains("no partial lines"),
        "{}",
        String::from_utf8_lossy(&fin.stderr)
    );
    assert!(!out.join("sources.csv").exists());
    // A reduce partition that got no key merges nothing, and says so by
    // writing only an empty batch line.
    ok(&credence_in(dir.path(), &["merge"], ""));
}
