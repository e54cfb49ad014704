//! Writing reports: rendering article, finding, conflict and claim rows,
//! writing them and the claims spool, and its replay, to CSV and JSON Lines files in a temporary folder. Each
//! iteration finishes the reports, which syncs them to disk: on a busy disk
//! that sync can weigh more than the writing.
//!
//! `cargo bench --bench write -- --quick`

#[path = "corpus/mod.rs"]
mod corpus;

use credence::report::{Format, Reports};
use credence::rules::RuleSet;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn write(c: &mut Criterion) {
    let rules = RuleSet::default_pack().expect("the built-in pack compiles");
    let articles = corpus::articles(7, 200, 5000);
    let rows: Vec<_> = articles
        .iter()
        .enumerate()
        .map(|(seq, a)| credence::pipeline::process(seq, a, &rules).0)
        .collect();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut group = c.benchmark_group("write");
    group.throughput(Throughput::Bytes(corpus::body_bytes(&articles)));
    for format in [Format::Csv, Format::Jsonl] {
        group.bench_function(format!("200 articles, {format}"), |b| {
            b.iter(|| {
                let mut reports = Reports::create(dir.path(), &[format]).expect("reports");
                let renderer = reports.renderer();
                for (seq, r) in rows.iter().enumerate() {
                    let rendered = renderer.render(seq, r).expect("rows render");
                    reports.article(r, &rendered).expect("rows are written");
                }
                reports.claims(|_, _| None).expect("claims are written");
                reports.finish().expect("reports are finished");
            })
        });
    }
    group.finish();
}

criterion_group!(benches, write);
criterion_main!(benches);
