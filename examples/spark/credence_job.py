"""credence as a stage of an Apache Spark job.

The binary travels with the job (`SparkContext.addFile`) and runs on every
partition through `RDD.pipe`:

  map      records -> `credence score - --input-format jsonl --output-format
           jsonl --emit records,partials`: one line per record, then the
           partition's per-source partial aggregates;
  shuffle  partial lines by their key (`partial`, `name`), so every line of
           one source lands in one partition;
  reduce   each partition -> `credence merge`: one line per source;
  finalize on the driver, `credence finalize` links the figures across the
           whole batch and writes sources.csv.

`checkCode=True` makes a non-zero exit fail the task, and so the job: the map
step exits 1 when a record could not be used. `RDD.pipe` gives the process
an empty environment unless told otherwise; credence reads none (its
configuration is its flags), so the environment passed is explicit and
small.

Run with spark-submit:

  spark-submit examples/spark/credence_job.py target/release/credence \
      articles.jsonl out/ [PARTITIONS]

which writes out/sources.csv and out/records/ (one line per record, in
input order, as Spark text part files).
"""

import json
import os
import shlex
import subprocess
import sys
import zlib

from pyspark import SparkFiles

# What every credence process gets: no configuration comes from the
# environment; a backtrace reaches the executor log if one ever crashes.
ENV = {"RUST_BACKTRACE": "1"}

MAP = [
    "score", "-", "--input-format", "jsonl", "--output-format", "jsonl",
    "--emit", "records,partials", "--jobs", "1",
]


def _resolve(name, args):
    return shlex.join([SparkFiles.get(name)] + list(args))


class ShippedCommand(str):
    """A pipe command whose program is a file shipped with `addFile`.

    Each executor keeps shipped files in a folder of its own, so the path is
    looked up where the command is unpickled: on the executor that runs it.
    """

    def __new__(cls, name, args):
        command = super().__new__(cls, shlex.join([name] + list(args)))
        command.name, command.args = name, list(args)
        return command

    def __reduce__(self):
        return (_resolve, (self.name, self.args))


def is_partial(line):
    """Partial lines start with their key; record lines with `article` or `error`."""
    return line.startswith('{"partial":')


def source_key(line):
    """The shuffle key of a partial line: its kind and name."""
    part = json.loads(line)
    return part["partial"] + "\t" + part.get("name", "")


def stable_partition(key):
    """The same partition for a key in every worker (Python's own string
    hash is seeded per process)."""
    return zlib.crc32(key.encode("utf-8"))


def run(sc, binary, records, out_dir, partitions, finalize_args=()):
    """Runs the stage over `records` (an RDD of JSON Lines strings): writes
    out_dir/sources.csv and returns the RDD of record lines (in input order,
    cached from the map step)."""
    sc.addFile(binary)
    sc.addPyFile(os.path.abspath(__file__))
    name = os.path.basename(binary)
    lines = records.pipe(ShippedCommand(name, MAP), env=ENV, checkCode=True).cache()
    merged = (
        lines.filter(is_partial)
        .keyBy(source_key)
        .partitionBy(partitions, stable_partition)
        .values()
        .pipe(ShippedCommand(name, ["merge"]), env=ENV, checkCode=True)
    )
    os.makedirs(out_dir, exist_ok=True)
    finalize = subprocess.Popen(
        [binary, "finalize", "--out", out_dir, *finalize_args],
        stdin=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        for line in merged.toLocalIterator():
            finalize.stdin.write(line + "\n")
    except BaseException:
        # A failed job must not leave a sources.csv of part of the batch:
        # finalize writes only once its input ends, so end it first.
        finalize.kill()
        finalize.wait()
        raise
    finalize.stdin.close()
    code = finalize.wait()
    if code != 0:
        raise RuntimeError(f"credence finalize exited with code {code}")
    return lines.filter(lambda l: not is_partial(l))


def main(argv):
    from pyspark import SparkConf, SparkContext

    if len(argv) not in (4, 5):
        print(__doc__, file=sys.stderr)
        return 2
    binary, source, out_dir = (os.path.abspath(a) for a in argv[1:4])
    partitions = int(argv[4]) if len(argv) == 5 else 8
    sc = SparkContext(conf=SparkConf().setAppName("credence"))
    try:
        records = sc.textFile(source, partitions)
        run(sc, binary, records, out_dir, partitions).saveAsTextFile(
            os.path.join(out_dir, "records")
        )
    finally:
        sc.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
