"""Runs credence as a stage of a local Spark job and checks it against a
single-machine run.

The sample set is turned into JSON Lines, split over two partitions, piped
through `credence stream` (RDD.pipe), each partition's lines are reduced by
`credence merge --partial`, and the driver finalizes with `credence merge`.
The merged sources.csv must equal, byte for byte, the one `credence score`
writes for the same articles, and the stream must give one line per record.

Usage: python3 spark/check_stage.py [path/to/credence]
"""

import csv
import filecmp
import json
import os
import subprocess
import sys
import tempfile

from pyspark import SparkConf, SparkContext

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, "datasets", "sample", "articles.csv")


def main() -> int:
    binary = os.path.abspath(
        sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "release", "credence")
    )
    work = tempfile.mkdtemp(prefix="credence-spark-")
    csv.field_size_limit(sys.maxsize)
    with open(SAMPLE, newline="", encoding="utf-8") as f:
        records = [json.dumps(row, ensure_ascii=False) for row in csv.DictReader(f)]

    single = os.path.join(work, "single")
    subprocess.run([binary, "score", SAMPLE, "--out", single, "--quiet"], check=True)

    conf = SparkConf().setMaster("local[2]").setAppName("credence-stage-check")
    conf.set("spark.ui.enabled", "false")
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    try:
        lines = sc.parallelize(records, 2).pipe(binary + " stream --jobs 1")
        out = lines.collect()
        partials = lines.pipe(binary + " merge --partial").collect()
    finally:
        sc.stop()

    if len(out) != len(records):
        print(f"FAILED: {len(records)} records gave {len(out)} stream lines")
        return 1
    ids = [json.loads(line)["article"]["id"] for line in out]
    expected = [json.loads(r)["id"] for r in records]
    if ids != expected:
        print("FAILED: stream lines are not in input order")
        return 1

    partial_file = os.path.join(work, "partials.jsonl")
    with open(partial_file, "w", encoding="utf-8") as f:
        f.write("\n".join(partials) + "\n")
    merged = os.path.join(work, "merged")
    subprocess.run([binary, "merge", partial_file, "--out", merged], check=True)

    a, b = os.path.join(single, "sources.csv"), os.path.join(merged, "sources.csv")
    if not filecmp.cmp(a, b, shallow=False):
        subprocess.run(["diff", a, b])
        print("FAILED: merged sources.csv differs from the single-machine run")
        return 1
    print(f"spark stage check: {len(records)} records, {len(partials)} partial aggregates")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
