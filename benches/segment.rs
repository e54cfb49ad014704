//! Segmentation: paragraphs, sentences and quotations of article bodies.
//!
//! `cargo bench --bench segment -- --quick`

#[path = "corpus/mod.rs"]
mod corpus;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn segment(c: &mut Criterion) {
    let articles = corpus::articles(7, 200, 5000);
    let mut group = c.benchmark_group("segment");
    group.throughput(Throughput::Bytes(corpus::body_bytes(&articles)));
    group.bench_function("200 articles", |b| {
        b.iter(|| {
            articles
                .iter()
                .map(|a| credence::text::segment(&a.body).sentences.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, segment);
criterion_main!(benches);
