#!/usr/bin/env bash
# Renders report.html of the sample set in headless Chromium and checks that
# a browser shows it: the expected headings and inline SVG charts are in the
# rendered DOM, and nothing was fetched from the network.
#
#   tests/render_html.sh                 check only
#   tests/render_html.sh --screenshot    also refresh docs/report.png
#
# Needs Debian's `chromium` (apt-get install -y chromium); without it the
# script says so and exits 0, like the cargo test that does the same check.
# pngquant, when present, makes the screenshot small.
set -euo pipefail
cd "$(dirname "$0")/.."

browser=""
for b in "${CHROMIUM:-}" chromium chromium-browser google-chrome; do
    if [ -n "$b" ] && command -v "$b" >/dev/null 2>&1; then browser="$b"; break; fi
done
if [ -z "$browser" ]; then
    echo "render_html: skipped: chromium is not installed (apt-get install -y chromium)"
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo run --quiet --release -- score datasets/sample/articles.csv \
    --out "$work/out" --format html --quiet

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$work/profile" --window-size=1200,2400)
url="file://$work/out/report.html"

timeout 120 "$browser" "${flags[@]}" --dump-dom "$url" > "$work/dom.html" 2>/dev/null
for want in "<h1>credence report</h1>" "<h2>Summary</h2>" "<h2>Article scores</h2>" \
            "<h2>Outlets by credibility</h2>" "<h2>Findings</h2>" \
            "<h2>The 20 lowest-scoring articles</h2>" "<svg"; do
    if ! grep -qF "$want" "$work/dom.html"; then
        echo "render_html: FAILED: the rendered page has no $want" >&2
        exit 1
    fi
done
echo "render_html: rendered DOM has every heading and $(grep -o '<svg' "$work/dom.html" | wc -l) SVG charts"

if [ "${1:-}" = "--screenshot" ]; then
    mkdir -p docs
    timeout 120 "$browser" "${flags[@]}" --hide-scrollbars \
        --screenshot="$work/report.png" "$url" >/dev/null 2>&1
    if command -v pngquant >/dev/null 2>&1; then
        pngquant --force --quality=60-90 --output docs/report.png "$work/report.png"
    else
        cp "$work/report.png" docs/report.png
    fi
    echo "render_html: wrote docs/report.png ($(wc -c < docs/report.png) bytes)"
fi
