"""Checks credence as a stage of a local Spark job against one process.

Usage: python3 examples/spark/check.py [path/to/credence]

Creates (or reuses) a virtual environment in target/spark-venv, installs
pyspark into it and runs itself there. Spark runs as `local[2]`, bound to
127.0.0.1, with its web UI off. The check asserts that:

  * for 1, 3 and 7 partitions, the record lines equal those of one
    `credence score - --input-format jsonl --output-format jsonl` process,
    line for line and in order;
  * for 1, 3 and 7 partitions, sources.csv equals, byte for byte, the one
    `credence score` writes for the same articles;
  * a malformed record fails the job, and leaves no sources.csv.

Needs python3 and a Java runtime that Spark 4 supports (17 or later).
"""

import csv
import filecmp
import json
import os
import subprocess
import sys
import tempfile
import time
import venv

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(ROOT, "datasets", "sample", "articles.csv")
VENV = os.path.join(ROOT, "target", "spark-venv")
PYSPARK = "pyspark>=4,<5"
INSIDE = "CREDENCE_SPARK_CHECK_VENV"


def venv_python():
    return os.path.join(VENV, "bin", "python3")


def ensure_venv():
    """Runs this script again inside a venv that has pyspark."""
    python = venv_python()
    has_pyspark = os.path.exists(python) and subprocess.run(
        [python, "-c", "import pyspark"], capture_output=True
    ).returncode == 0
    if not has_pyspark:
        print(f"creating {VENV} and installing {PYSPARK} (once)", flush=True)
        venv.create(VENV, with_pip=True, clear=True)
        subprocess.run(
            [python, "-m", "pip", "install", "--quiet", PYSPARK], check=True
        )
    env = dict(os.environ, **{INSIDE: "1"})
    os.execve(python, [python, os.path.abspath(__file__), *sys.argv[1:]], env)


def sample_records():
    csv.field_size_limit(sys.maxsize)
    with open(SAMPLE, newline="", encoding="utf-8") as f:
        return [json.dumps(row, ensure_ascii=False) for row in csv.DictReader(f)]


def one_process(binary, records, work):
    """The reference: record lines and sources.csv of single credence runs."""
    text = "".join(r + "\n" for r in records)
    stream = subprocess.run(
        [binary, "score", "-", "--input-format", "jsonl", "--output-format", "jsonl"],
        input=text, capture_output=True, text=True, encoding="utf-8", check=True,
    )
    source = os.path.join(work, "articles.jsonl")
    with open(source, "w", encoding="utf-8") as f:
        f.write(text)
    single = os.path.join(work, "single")
    subprocess.run(
        [binary, "score", source, "--out", single, "--quiet"], check=True
    )
    return stream.stdout.splitlines(), os.path.join(single, "sources.csv")


def main():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import credence_job
    from pyspark import SparkConf, SparkContext

    binary = os.path.abspath(
        sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "release", "credence")
    )
    if not os.access(binary, os.X_OK):
        print(f"FAILED: no credence binary at {binary}; run `cargo build --release`")
        return 1
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="credence-spark-")
    records = sample_records()
    want_lines, want_sources = one_process(binary, records, work)

    conf = (
        SparkConf()
        .setMaster("local[2]")
        .setAppName("credence-check")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.ui.enabled", "false")
        .set("spark.ui.showConsoleProgress", "false")
    )
    sc = SparkContext(conf=conf)
    sc.setLogLevel("FATAL")
    passed, failed = 0, 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            print(f"ok      {name}", flush=True)
        else:
            failed += 1
            print(f"FAILED  {name}\n{detail}", flush=True)

    try:
        for partitions in (1, 3, 7):
            t = time.monotonic()
            out = os.path.join(work, f"spark-{partitions}")
            rdd = sc.parallelize(records, partitions)
            lines = credence_job.run(sc, binary, rdd, out, partitions).collect()
            got_sources = os.path.join(out, "sources.csv")
            check(
                f"{partitions} partitions: {len(lines)} record lines equal one process's",
                lines == want_lines,
                f"{len(lines)} lines against {len(want_lines)}",
            )
            same = os.path.exists(got_sources) and filecmp.cmp(got_sources, want_sources, shallow=False)
            check(
                f"{partitions} partitions: sources.csv equals `credence score`'s "
                f"({time.monotonic() - t:.1f} s)",
                same,
                subprocess.run(["diff", want_sources, got_sources], capture_output=True, text=True).stdout,
            )

        broken = list(records)
        broken.insert(len(broken) // 2, '{"id": "cut-off", "body": "The mayor said')
        out = os.path.join(work, "spark-malformed")
        error = None
        try:
            credence_job.run(sc, binary, sc.parallelize(broken, 3), out, 3)
        except Exception as e:  # Py4JJavaError or PySparkRuntimeError
            error = e
        message = str(error or "")
        check(
            "a malformed record fails the job (the map step exits 1)",
            error is not None and "exited with error code 1" in message,
            f"the job did not fail: {message[:500]}",
        )
        check(
            "the failed job leaves no sources.csv",
            not os.path.exists(os.path.join(out, "sources.csv")),
        )
    finally:
        sc.stop()
    print(f"spark check: {len(records)} records, {time.monotonic() - started:.1f} s")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    if os.environ.get(INSIDE) != "1":
        ensure_venv()
    sys.exit(main())
