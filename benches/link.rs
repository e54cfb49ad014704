//! Linking figures across a batch: compact keys in, corroborations,
//! contradictions and conflicting pairs out. The generated corpus has about
//! six outlets per story, so figures do meet. Figures go through the
//! on-disk spool, as in a run.
//!
//! `cargo bench --bench link -- --quick`

#[path = "corpus/mod.rs"]
mod corpus;

use credence::link::{LinkClaim, Linker};
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
    // Linking spools its figures to disk, as a run does beside its reports.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut group = c.benchmark_group("link");
    group.throughput(Throughput::Elements(figures as u64));
    group.bench_function(format!("{figures} figures of 2000 articles"), |b| {
        b.iter(|| {
            let mut linker = Linker::create(dir.path()).expect("spool created");
            for article in &claims {
                linker.extend(article).expect("figures spooled");
            }
            let linked = linker.link().expect("batch linked");
            let verdicts = linked.verdicts().count();
            (verdicts, linked.conflicts().count())
        })
    });
    group.finish();
}

criterion_group!(benches, link);
criterion_main!(benches);
