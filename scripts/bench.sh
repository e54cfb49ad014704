#!/usr/bin/env bash
# Throughput, scaling, startup and memory of the release binary on a
# generated news-prose corpus (benches/corpus/mod.rs: templates and random
# choices, no real articles).
#
#   scripts/bench.sh [MB] [RUNS] [BIG_MB]     defaults: 20 MB, 3 runs, no big run
#
# Prints the median wall time of RUNS runs with --jobs 1 and --jobs 2, MB/s
# and articles/s, the 2-thread speed-up, the CPU seconds and peak RSS of one
# run of each, and startup (`credence rules check` of the built-in pack).
# With BIG_MB, it then generates a corpus of that many MB (1000 for 1 GB;
# it needs about 5x that much free disk for the reports) and prints the
# time and peak RSS of one --jobs 2 run over it, to show how memory grows
# with the input. The machine may be shared: compare medians and ratios,
# and CPU seconds, not single wall times.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-20}
RUNS=${2:-3}
BIG_MB=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
cargo run --release --quiet --example gen_corpus -- "$MB" > "$work/corpus.jsonl" 2> "$work/gen.txt"
bin=target/release/credence
bytes=$(stat -c %s "$work/corpus.jsonl")
articles=$(wc -l < "$work/corpus.jsonl")
echo "corpus: $bytes bytes, $articles articles ($(cat "$work/gen.txt"))"

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
    cargo run --release --quiet --example gen_corpus -- "$BIG_MB" > "$work/big.jsonl" 2> /dev/null
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
