//! `report.html`: one self-contained page for a person: the run's numbers,
//! a histogram of article scores, outlets ranked by credibility with their
//! intervals, findings by category and by rule, and the twenty lowest
//! articles with their top findings.
//!
//! It keeps aggregates only (counts, a histogram, the twenty lowest
//! articles, the outlet rows), never every finding, so memory stays bounded
//! whatever the run's size. Charts are inline SVG written here; there is no
//! script, font or image to fetch. Every piece of text goes through
//! [`escape`]. The page has no clock in it, so it is byte-identical for the
//! same input, like the other reports.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use super::format::HTML_FILE;
use super::rows::{ArticleRow, ArticleRows, ErrorRow, FindingRow, SourceRow};
use super::writer::{ReportError, Staged};
use super::xlsx::band;

/// Articles listed in the "lowest" table.
const LOWEST: usize = 20;
/// Findings shown per listed article.
const TOP_FINDINGS: usize = 3;
/// Error rows listed; the rest are counted.
const ERRORS_LISTED: usize = 20;
/// Outlets drawn when there are more: the best and the worst half each.
const OUTLETS_DRAWN: usize = 40;
/// Band colours: high, mid, low.
const BAND_COLOURS: [&str; 3] = ["#2e8540", "#d89b00", "#c0392b"];
const BAND_NAMES: [&str; 3] = ["scored 80 and up", "scored 50 to 80", "scored under 50"];

/// One of the lowest-scoring articles, with the findings that cost most.
struct Lowest {
    score: f64,
    article: ArticleRow,
    findings: Vec<FindingRow>,
}

/// Totals of one rule.
#[derive(Default)]
struct RuleTotal {
    category: String,
    count: usize,
    points: f64,
}

/// The HTML report being gathered.
pub struct HtmlReport {
    staged: Staged,
    articles: usize,
    errors: usize,
    findings: usize,
    score_sum: f64,
    /// Articles per 10-point bin; 100 falls in the last.
    histogram: [usize; 10],
    bands: [usize; 3],
    by_category: BTreeMap<String, usize>,
    by_rule: BTreeMap<String, RuleTotal>,
    lowest: Vec<Lowest>,
    outlets: Vec<SourceRow>,
    authors: usize,
    error_rows: Vec<ErrorRow>,
}

impl HtmlReport {
    pub fn create(dir: &Path) -> HtmlReport {
        HtmlReport {
            staged: Staged::new(dir, HTML_FILE),
            articles: 0,
            errors: 0,
            findings: 0,
            score_sum: 0.0,
            histogram: [0; 10],
            bands: [0; 3],
            by_category: BTreeMap::new(),
            by_rule: BTreeMap::new(),
            lowest: Vec::new(),
            outlets: Vec::new(),
            authors: 0,
            error_rows: Vec::new(),
        }
    }

    pub fn article(&mut self, rows: &ArticleRows) {
        let score = rows.article.score.value();
        self.articles += 1;
        self.score_sum += score;
        self.histogram[((score / 10.0).floor().max(0.0) as usize).min(9)] += 1;
        self.bands[band(score)] += 1;
        for f in &rows.findings {
            self.findings += 1;
            *self.by_category.entry(f.category.clone()).or_default() += 1;
            let rule = self.by_rule.entry(f.rule.clone()).or_default();
            rule.category.clone_from(&f.category);
            rule.count += 1;
            rule.points += f.points.value();
        }
        // The earlier article wins a tie, so the list does not depend on
        // thread count.
        if self.lowest.len() == LOWEST && self.lowest.last().is_some_and(|l| l.score <= score) {
            return;
        }
        let mut findings: Vec<&FindingRow> = rows.findings.iter().collect();
        findings.sort_by(|a, b| b.points.value().total_cmp(&a.points.value()));
        let at = self.lowest.partition_point(|l| l.score <= score);
        self.lowest.insert(
            at,
            Lowest {
                score,
                article: rows.article.clone(),
                findings: findings.into_iter().take(TOP_FINDINGS).cloned().collect(),
            },
        );
        self.lowest.truncate(LOWEST);
    }

    pub fn source(&mut self, row: &SourceRow) {
        match row.kind.as_str() {
            "outlet" => self.outlets.push(row.clone()),
            _ => self.authors += 1,
        }
    }

    pub fn error(&mut self, row: &ErrorRow) {
        self.errors += 1;
        if self.error_rows.len() < ERRORS_LISTED {
            self.error_rows.push(row.clone());
        }
    }

    pub fn finish(self) -> Result<(), ReportError> {
        use std::io::Write as _;
        let page = self.render();
        let mut file = self.staged.create()?;
        file.write_all(page.as_bytes())
            .map_err(|e| ReportError::io(&self.staged.temp, e))?;
        self.staged.commit(Some(file))
    }

    fn render(&self) -> String {
        let mut h = String::with_capacity(64 * 1024);
        h.push_str(HEAD);
        let _ = writeln!(
            h,
            "<header><h1>credence report</h1><p>{} articles scored from {} records; {} could not be used.</p></header>",
            self.articles,
            self.articles + self.errors,
            self.errors
        );
        self.summary(&mut h);
        self.histogram_section(&mut h);
        self.outlets_section(&mut h);
        self.findings_section(&mut h);
        self.lowest_section(&mut h);
        self.errors_section(&mut h);
        let _ = write!(
            h,
            "<footer>Written by credence {}. Scores run 0 to 100; every point taken off is a row in findings.csv.</footer>\n</body>\n</html>\n",
            escape(env!("CARGO_PKG_VERSION"))
        );
        h
    }

    fn summary(&self, h: &mut String) {
        let mean = if self.articles > 0 {
            format!("{:.1}", self.score_sum / self.articles as f64)
        } else {
            "-".to_string()
        };
        h.push_str("<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">\n");
        let mut card = |label: &str, value: &str, class: &str| {
            let _ = writeln!(
                h,
                "<div class=\"card {class}\"><div class=\"value\">{}</div><div class=\"label\">{}</div></div>",
                escape(value),
                escape(label)
            );
        };
        card("articles scored", &self.articles.to_string(), "");
        card("could not be used", &self.errors.to_string(), "");
        card("findings", &self.findings.to_string(), "");
        card("mean score", &mean, "");
        for (i, name) in BAND_NAMES.iter().enumerate() {
            card(name, &self.bands[i].to_string(), ["high", "mid", "low"][i]);
        }
        h.push_str("</div>\n");
        if !self.by_category.is_empty() {
            let parts: Vec<String> = self
                .by_category
                .iter()
                .map(|(c, n)| format!("{} {n}", escape(c)))
                .collect();
            let _ = writeln!(h, "<p>Findings by category: {}.</p>", parts.join(", "));
        }
        h.push_str("</section>\n");
    }

    fn histogram_section(&self, h: &mut String) {
        h.push_str("<section id=\"scores\"><h2>Article scores</h2>\n");
        let (width, height) = (1000.0, 260.0);
        let (left, right, top, bottom) = (44.0, 12.0, 16.0, 40.0);
        let plot_w = width - left - right;
        let plot_h = height - top - bottom;
        let max = self.histogram.iter().copied().max().unwrap_or(0).max(1);
        let step = nice_step(max);
        let y_max = max.div_ceil(step) * step;
        let y = |n: usize| top + plot_h - plot_h * n as f64 / y_max as f64;
        let _ = writeln!(
            h,
            "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"hist-title\"><title id=\"hist-title\">Histogram of article scores</title>"
        );
        let mut tick = 0;
        while tick <= y_max {
            let ty = y(tick);
            let _ = writeln!(
                h,
                "<line class=\"grid\" x1=\"{left}\" x2=\"{}\" y1=\"{ty:.1}\" y2=\"{ty:.1}\"/><text class=\"axis\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{tick}</text>",
                width - right,
                left - 6.0,
                ty + 4.0
            );
            tick += step;
        }
        let slot = plot_w / 10.0;
        for (i, n) in self.histogram.iter().enumerate() {
            let x = left + slot * i as f64 + 4.0;
            let bar_h = plot_h * *n as f64 / y_max as f64;
            let colour = BAND_COLOURS[band(i as f64 * 10.0)];
            let range = if i == 9 {
                "90-100".to_string()
            } else {
                format!("{}-{}", i * 10, i * 10 + 10)
            };
            let _ = writeln!(
                h,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bar_h:.1}\" fill=\"{colour}\"><title>{n} articles scored {range}</title></rect>",
                top + plot_h - bar_h,
                slot - 8.0
            );
            if *n > 0 {
                let _ = writeln!(
                    h,
                    "<text class=\"count\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{n}</text>",
                    x + (slot - 8.0) / 2.0,
                    top + plot_h - bar_h - 4.0
                );
            }
            let _ = writeln!(
                h,
                "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{range}</text>",
                x + (slot - 8.0) / 2.0,
                top + plot_h + 16.0
            );
        }
        let _ = writeln!(
            h,
            "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">score</text></svg>",
            left + plot_w / 2.0,
            height - 4.0
        );
        h.push_str("</section>\n");
    }

    fn outlets_section(&self, h: &mut String) {
        h.push_str("<section id=\"outlets\"><h2>Outlets by credibility</h2>\n");
        if self.outlets.is_empty() {
            h.push_str("<p>No article named its outlet.</p></section>\n");
            return;
        }
        h.push_str("<p>Credibility is the mean article score shrunk toward the outlet's prior (the dashed mark: its rating, the unrated prior, or with no ratings the batch mean; with --no-priors nothing is shrunk); the bar is its 95% interval (low..high).</p>\n");
        let shown: Vec<&SourceRow> = if self.outlets.len() <= OUTLETS_DRAWN {
            self.outlets.iter().collect()
        } else {
            let half = OUTLETS_DRAWN / 2;
            let _ = writeln!(
                h,
                "<p>{} outlets: the {half} best and {half} worst are drawn; all are in sources.csv.</p>",
                self.outlets.len()
            );
            self.outlets[..half]
                .iter()
                .chain(&self.outlets[self.outlets.len() - half..])
                .collect()
        };
        let (width, row_h) = (1000.0, 26.0);
        let (label_w, value_w, top) = (230.0, 150.0, 24.0);
        let plot_w = width - label_w - value_w;
        let height = top + row_h * shown.len() as f64 + 8.0;
        let x = |v: f64| label_w + plot_w * v.clamp(0.0, 100.0) / 100.0;
        let _ = writeln!(
            h,
            "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"outlets-title\"><title id=\"outlets-title\">Outlets ranked by credibility with 95% intervals</title>"
        );
        for tick in (0..=100).step_by(20) {
            let tx = x(tick as f64);
            let _ = writeln!(
                h,
                "<line class=\"grid\" x1=\"{tx:.1}\" x2=\"{tx:.1}\" y1=\"{}\" y2=\"{:.1}\"/><text class=\"axis\" x=\"{tx:.1}\" y=\"14\" text-anchor=\"middle\">{tick}</text>",
                top - 4.0,
                height - 4.0
            );
        }
        for (i, row) in shown.iter().enumerate() {
            let cy = top + row_h * i as f64 + row_h / 2.0;
            // Each outlet's own prior: ratings give outlets different ones.
            let px = x(row.prior.value());
            let _ = writeln!(
                h,
                "<line class=\"prior\" x1=\"{px:.1}\" x2=\"{px:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"><title>prior {}</title></line>",
                cy - row_h / 2.0 + 2.0,
                cy + row_h / 2.0 - 2.0,
                row.prior
            );
            let colour = BAND_COLOURS[band(row.credibility.value())];
            let _ = writeln!(
                h,
                "<g><title>{name}: {cred} ({low}..{high}), {n} articles</title><text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{short}</text><line class=\"interval\" x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{cy:.1}\" y2=\"{cy:.1}\" stroke=\"{colour}\"/><circle cx=\"{:.1}\" cy=\"{cy:.1}\" r=\"6\" fill=\"{colour}\"/><text class=\"value\" x=\"{:.1}\" y=\"{:.1}\">{cred} ({low}..{high})</text></g>",
                label_w - 10.0,
                cy + 4.0,
                x(row.low.value()),
                x(row.high.value()),
                x(row.credibility.value()),
                width - value_w + 10.0,
                cy + 4.0,
                name = escape(&row.name),
                short = escape(&shorten(&row.name, 30)),
                cred = row.credibility,
                low = row.low,
                high = row.high,
                n = row.articles,
            );
        }
        h.push_str("</svg>\n");
        h.push_str("<table><thead><tr><th>#</th><th>outlet</th><th class=\"num\">articles</th><th class=\"num\">credibility</th><th class=\"num\">interval</th><th class=\"num\">mean score</th><th class=\"num\">unsourced / claim</th><th class=\"num\">hedged / claim</th></tr></thead><tbody>\n");
        for (rank, row) in self.outlets.iter().enumerate().take(OUTLETS_DRAWN) {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}..{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                rank + 1,
                escape(&row.name),
                row.articles,
                badge(row.credibility.value(), row.credibility.as_str()),
                row.low,
                row.high,
                row.mean_score,
                row.unsourced_rate,
                row.hedged_rate
            );
        }
        h.push_str("</tbody></table>\n");
        if self.authors > 0 {
            let _ = writeln!(
                h,
                "<p>{} authors are scored the same way in sources.csv.</p>",
                self.authors
            );
        }
        h.push_str("</section>\n");
    }

    fn findings_section(&self, h: &mut String) {
        h.push_str("<section id=\"findings\"><h2>Findings</h2>\n");
        if self.findings == 0 {
            h.push_str("<p>No findings.</p></section>\n");
            return;
        }
        h.push_str("<h3>By category</h3>\n");
        let mut categories: Vec<(String, usize, String)> = self
            .by_category
            .iter()
            .map(|(c, n)| (c.clone(), *n, String::new()))
            .collect();
        categories.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        bar_chart(h, "Findings by category", &categories);
        h.push_str("<h3>By rule</h3>\n");
        let mut rules: Vec<(String, usize, String)> = self
            .by_rule
            .iter()
            .map(|(r, t)| {
                (
                    r.clone(),
                    t.count,
                    format!("{:.1} points in all ({})", t.points, t.category),
                )
            })
            .collect();
        rules.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        bar_chart(h, "Findings by rule", &rules);
        h.push_str("</section>\n");
    }

    fn lowest_section(&self, h: &mut String) {
        let _ = writeln!(
            h,
            "<section id=\"lowest\"><h2>The {} lowest-scoring articles</h2>",
            LOWEST
        );
        if self.lowest.is_empty() {
            h.push_str("<p>No articles.</p></section>\n");
            return;
        }
        h.push_str("<table class=\"lowest\"><thead><tr><th class=\"num\">score</th><th>article</th><th>outlet</th><th>top findings</th></tr></thead><tbody>\n");
        for l in &self.lowest {
            let a = &l.article;
            let _ = write!(
                h,
                "<tr><td class=\"num\">{}</td><td><div class=\"id\">{}</div><div class=\"title\">{}</div><div class=\"meta\">{} claims, {} findings</div></td><td>{}</td><td><ul>",
                badge(l.score, a.score.as_str()),
                escape(&a.id),
                escape(&a.title),
                a.claims,
                a.findings,
                escape(&a.source)
            );
            for f in &l.findings {
                let _ = write!(
                    h,
                    "<li><code>{}</code> <span class=\"points\">&minus;{}</span> sentence {}: <q>{}</q><div class=\"message\">{}</div></li>",
                    escape(&f.rule),
                    f.points,
                    f.sentence,
                    escape(&shorten(&f.sentence_text, 220)),
                    escape(&f.message)
                );
            }
            h.push_str("</ul></td></tr>\n");
        }
        h.push_str("</tbody></table></section>\n");
    }

    fn errors_section(&self, h: &mut String) {
        if self.errors == 0 {
            return;
        }
        let _ = writeln!(
            h,
            "<section id=\"errors\"><h2>Records that could not be used</h2><p>{} records; {} listed here, all in errors.csv.</p>",
            self.errors,
            self.error_rows.len()
        );
        h.push_str("<table><thead><tr><th>file</th><th>location</th><th>id</th><th>reason</th></tr></thead><tbody>\n");
        for e in &self.error_rows {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&e.file),
                escape(&e.location),
                escape(&e.id),
                escape(&e.reason)
            );
        }
        h.push_str("</tbody></table></section>\n");
    }
}

/// Horizontal bars: (label, count, tooltip), drawn in the order given.
fn bar_chart(h: &mut String, title: &str, bars: &[(String, usize, String)]) {
    let (width, row_h, label_w, top) = (1000.0, 24.0, 230.0, 4.0);
    let plot_w = width - label_w - 70.0;
    let height = top + row_h * bars.len() as f64 + 4.0;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let _ = writeln!(
        h,
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\"><title>{}</title>",
        escape(title)
    );
    for (i, (label, n, tip)) in bars.iter().enumerate() {
        let y = top + row_h * i as f64;
        let w = plot_w * *n as f64 / max as f64;
        let tip = if tip.is_empty() {
            format!("{label}: {n}")
        } else {
            format!("{label}: {n}, {tip}")
        };
        let _ = writeln!(
            h,
            "<g><title>{}</title><text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect class=\"bar\" x=\"{label_w}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\"/><text class=\"count\" x=\"{:.1}\" y=\"{:.1}\">{n}</text></g>",
            escape(&tip),
            label_w - 10.0,
            y + row_h / 2.0 + 4.0,
            escape(&shorten(label, 30)),
            y + 3.0,
            row_h - 6.0,
            label_w + w + 6.0,
            y + row_h / 2.0 + 4.0
        );
    }
    h.push_str("</svg>\n");
}

/// A score in its band's colour.
fn badge(score: f64, text: &str) -> String {
    format!(
        "<span class=\"badge {}\">{}</span>",
        ["high", "mid", "low"][band(score)],
        escape(text)
    )
}

/// A tick step that gives about five gridlines up to `max`.
fn nice_step(max: usize) -> usize {
    let raw = max.div_ceil(5).max(1);
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if step * m >= raw {
                return step * m;
            }
        }
        step *= 10;
    }
}

/// At most `max` characters, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{}\u{2026}", cut.trim_end())
    }
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const HEAD: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>credence report</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2328; margin: 0 auto; max-width: 1040px; padding: 16px 20px 40px; line-height: 1.4; }
h1 { margin: 8px 0 4px; font-size: 28px; }
h2 { margin: 28px 0 8px; font-size: 20px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { margin: 16px 0 6px; font-size: 16px; }
header p { margin: 0; color: #57606a; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 12px; min-width: 96px; }
.card .value { font-size: 22px; font-weight: 600; }
.card .label { font-size: 12px; color: #57606a; }
.card.high { border-left: 5px solid #2e8540; } .card.mid { border-left: 5px solid #d89b00; } .card.low { border-left: 5px solid #c0392b; }
svg.chart { max-width: 100%; height: auto; display: block; margin: 6px 0; font-size: 12px; }
svg .grid { stroke: #e5e7eb; stroke-width: 1; }
svg .axis { fill: #57606a; font-size: 11px; }
svg .count, svg .value { fill: #1f2328; font-size: 12px; }
svg .label { fill: #1f2328; font-size: 12px; }
svg .bar { fill: #4a6fa5; }
svg .interval { stroke-width: 4; stroke-linecap: round; opacity: 0.45; }
svg .prior { stroke: #57606a; stroke-dasharray: 4 3; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 8px 0; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
.num { text-align: right; white-space: nowrap; }
.badge { display: inline-block; min-width: 38px; text-align: center; padding: 1px 6px; border-radius: 10px; font-weight: 600; color: #fff; }
.badge.high { background: #2e8540; } .badge.mid { background: #b07d00; } .badge.low { background: #c0392b; }
.lowest ul { margin: 0; padding-left: 16px; }
.lowest li { margin-bottom: 4px; }
.lowest .id { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; color: #57606a; }
.lowest .title { font-weight: 600; }
.lowest .meta, .message { color: #57606a; font-size: 12px; }
.points { color: #c0392b; font-weight: 600; }
code { font-size: 12px; background: #f6f8fa; padding: 0 3px; border-radius: 3px; }
footer { margin-top: 32px; color: #57606a; font-size: 12px; }
</style>
</head>
<body>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn ticks_are_round_numbers() {
        assert_eq!(nice_step(1), 1);
        assert_eq!(nice_step(7), 2);
        assert_eq!(nice_step(23), 5);
        assert_eq!(nice_step(230), 50);
    }
}
