//! Analysis of article bodies with the built-in rules: the lexicon scan,
//! quantities, attribution, hedges, claims and in-article conflicts.
//!
//! `cargo bench --bench analyze -- --quick`

#[path = "corpus/mod.rs"]
mod corpus;

use credence::rules::RuleSet;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn analyze(c: &mut Criterion) {
    let rules = RuleSet::default_pack().expect("the built-in pack compiles");
    let articles = corpus::articles(7, 200, 5000);
    let mut group = c.benchmark_group("analyze");
    group.throughput(Throughput::Bytes(corpus::body_bytes(&articles)));
    group.bench_function("200 articles", |b| {
        b.iter(|| {
            articles
                .iter()
                .map(|a| credence::analyze::analyze(&a.body, &rules).findings.len())
                .sum::<usize>()
        })
    });
    group.bench_function("lexicon scan", |b| {
        b.iter(|| {
            articles
                .iter()
                .map(|a| rules.lexicon.scan(&a.body).len())
                .sum::<usize>()
        })
    });
    group.bench_function("quantities", |b| {
        b.iter(|| {
            articles
                .iter()
                .map(|a| credence::analyze::find_quantities(&a.body).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, analyze);
criterion_main!(benches);
