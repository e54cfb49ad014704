//! Scoring analyzed articles and turning them into report rows.
//!
//! `cargo bench --bench score -- --quick`

#[path = "corpus/mod.rs"]
mod corpus;

use credence::rules::RuleSet;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn score(c: &mut Criterion) {
    let rules = RuleSet::default_pack().expect("the built-in pack compiles");
    let articles = corpus::articles(7, 200, 5000);
    let analyses: Vec<_> = articles
        .iter()
        .map(|a| credence::analyze::analyze(&a.body, &rules))
        .collect();
    let mut group = c.benchmark_group("score");
    group.throughput(Throughput::Bytes(corpus::body_bytes(&articles)));
    group.bench_function("200 articles", |b| {
        b.iter(|| {
            analyses
                .iter()
                .map(|a| credence::score::score_article(a, &rules).score)
                .sum::<f64>()
        })
    });
    group.bench_function("200 articles, report rows", |b| {
        b.iter(|| {
            articles
                .iter()
                .zip(&analyses)
                .map(|(article, analysis)| {
                    let score = credence::score::score_article(analysis, &rules);
                    credence::report::article_rows(article, analysis, &score, &rules)
                        .findings
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, score);
criterion_main!(benches);
