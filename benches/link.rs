//! Linking figures across a batch: compact keys in, corroborations,
//! contradictions and conflicting pairs out. The generated corpus has about
//! six outlets per story, so figures do meet.
//!
//! `cargo bench --bench link -- --quick`

#[path = "corpus/mod.rs"]
mod corpus;

use credence::link::{Batch, LinkClaim};
use credence::rules::RuleSet;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn link(c: &mut Criterion) {
    let rules = RuleSet::default_pack().expect("the built-in pack compiles");
    let articles = corpus::articles(7, 2000, 5000);
    let claims: Vec<Vec<LinkClaim>> = articles
        .iter()
        .enumerate()
        .map(|(seq, a)| credence::pipeline::process(seq, a, &rules).1)
        .collect();
    let figures: usize = claims.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("link");
    group.throughput(Throughput::Elements(figures as u64));
    group.bench_function(format!("{figures} figures of 2000 articles"), |b| {
        b.iter(|| {
            let mut batch = Batch::new();
            for article in &claims {
                batch.extend(article);
            }
            let links = batch.link();
            let verdicts = batch.verdicts(&links).count();
            (verdicts, batch.conflicts(&links).count())
        })
    });
    group.finish();
}

criterion_group!(benches, link);
criterion_main!(benches);
