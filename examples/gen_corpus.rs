//! Writes a generated news-prose corpus as JSON Lines, for benchmarks.
//!
//! `cargo run --release --example gen_corpus -- MB [ARTICLE_BYTES] [SEED] > corpus.jsonl`
//! writes about MB megabytes of articles of about ARTICLE_BYTES (default
//! 5000) each. The text is made from templates and random choices (see
//! `benches/corpus/mod.rs`), never copied from a real corpus.

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use std::io::{BufWriter, Write};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: f64| -> f64 {
        args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default)
    };
    let megabytes = arg(0, 10.0);
    let article_bytes = arg(1, 5000.0) as usize;
    let seed = arg(2, 42.0) as u64;
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let n = corpus::write_jsonl(
        &mut out,
        seed,
        (megabytes * 1_000_000.0) as usize,
        article_bytes,
    )?;
    out.flush()?;
    eprintln!("{n} articles");
    Ok(())
}
