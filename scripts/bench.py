"""`make bench`: how fast ctkg extracts, ingests and answers. Prints figures, never pass/fail.

1. extraction: articles/s and chars/s of the rule-based extractor over devset/ar and examples/
   (in memory, no Neo4j), median of several repetitions; then over every dev article with
   `--workers 1` and `--workers 2`, and the ratio of the two, each with the load average;
2. ingest: articles/s of `ctkg ingest` (read, extract, write) into Neo4j, a first pass and a
   re-ingest of the same articles; the re-ingest must change nothing;
3. queries: median and p95 latency of every library query.

Connection settings come from `ctkg.config.load_settings()`, exactly as for `ctkg ingest`:
NEO4J_* variables, the config file, else the local server of `ctkg neo4j start`. Neo4j
Community has a single user database, so the bench writes the example and dev-set articles
into that graph (what `make demo` writes). When they are already there the first pass is a
re-ingest too; `--scratch` runs the ingest and queries on a throwaway server instead (its own
home in a temporary folder and free ports, removed afterwards).

    .venv/bin/python scripts/bench.py [--repeat 5] [--runs 20] [--scratch] [--extraction-only]

With `--articles N` (`make bench`) it first measures extraction over the dev set with 1 and 2
workers as above, then scale (issue 13), always on a scratch server, over the
synthetic corpus of ctkg/corpus.py (seed 0): extraction on 1 and all cores and against article
length; a first ingest of N articles (articles/s, created/s) against a plain `UNWIND ... CREATE`
of the same content and a naive one-MERGE-per-fact writer; a re-ingest; 100 new articles into
the large graph and into an empty one; p50/p95 of every library query; the client's RSS at N/10
and N articles. It prints a table, then the same figures as JSON (`--json FILE` also writes it).

    .venv/bin/python scripts/bench.py --articles 2000 [--runs 20] [--json bench.json]
"""
from __future__ import annotations

import argparse
import logging
import math
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ctkg.config import Settings, load_settings
from ctkg.db import open_driver
from ctkg.errors import CtkgError
from ctkg.graph.writer import GraphWriter
from ctkg.ingest import Outcome, ingest
from ctkg.loaders.articles import RawArticle, iter_articles
from ctkg.loaders.extractor import extract
from ctkg.loaders.gazetteer import load_gazetteer
from ctkg.queries.library import Query, load_library
from ctkg.queries.runner import run_cypher, run_query

ROOT = Path(__file__).resolve().parent.parent
CORPUS = [ROOT / "devset" / "ar", ROOT / "examples"]
# Every dev article: ar, ar-validation, ar-holdout, fr, en, genres/*, genres-validation/*.
DEVSET = sorted((ROOT / "devset").rglob("*.txt"))

# Values for the library's required parameters, picked from the graph being measured.
SAMPLES = {
    "organisation": "MATCH (o:Organisation)-[r]-() RETURN o.id AS v, count(r) AS n "
                    "ORDER BY n DESC, v LIMIT 1",
    "person": "MATCH (p:Person)-[r]-() WHERE NOT r:MENTIONS RETURN p.id AS v, count(r) AS n "
              "ORDER BY n DESC, v LIMIT 1",
    "fact": "MATCH (e:Evidence) WHERE e.fact STARTS WITH 'rel:' RETURN e.fact AS v, count(*) AS n "
            "ORDER BY n DESC, v LIMIT 1",
    # Two hops apart: an organisation and an agency that dismantled one of its cells.
    "source": "MATCH (o:Organisation)<-[:AFFILIATED_WITH|DIRECTED_BY]-(:Cell)-[:DISMANTLED_BY]->"
              "(:Agency) RETURN o.id AS v ORDER BY v LIMIT 1",
    "target": "MATCH (o:Organisation)<-[:AFFILIATED_WITH|DIRECTED_BY]-(:Cell)-[:DISMANTLED_BY]->"
              "(a:Agency) WITH o, a ORDER BY o.id, a.id RETURN a.id AS v LIMIT 1",
}


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def read_corpus(paths: list[Path]) -> list[RawArticle]:
    articles = [a for a in iter_articles([str(p) for p in paths]) if isinstance(a, RawArticle)]
    if not articles:
        raise CtkgError(f"no articles under {', '.join(map(str, paths))}")
    return articles


# -- 1. extraction ------------------------------------------------------------------------
def bench_extraction(articles: list[RawArticle], repeat: int) -> float:
    """Print the figures; return the median seconds per article."""
    chars = sum(len(a.text) for a in articles)
    started = time.perf_counter()
    load_gazetteer()
    print(f"  gazetteer load (once per process): {time.perf_counter() - started:.2f} s")
    extract(articles[0])  # warm-up: lexicons, compiled patterns
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        for article in articles:
            extract(article)
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    print(f"  {len(articles)} articles, {chars} chars, {repeat} repetitions: "
          f"median {median:.3f} s (min {min(times):.3f}, max {max(times):.3f})")
    print(f"  {len(articles) / median:.1f} articles/s, {chars / median:,.0f} chars/s, "
          f"{1000 * median / len(articles):.1f} ms/article")
    return median / len(articles)


def load_average() -> str:
    """The machine's load (1, 5, 15 min): the figures beside it are only as quiet as it is."""
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def bench_workers(articles: list[RawArticle], repeat: int, counts=(1, 2)) -> dict[int, float]:
    """Articles/s of extraction with `--workers 1` (in this process) and `--workers 2` (two
    spawned processes), each the median of `repeat` passes over the whole dev set, after the
    workers have started and loaded the gazetteer; then the ratio. Returns articles/s by
    worker count."""
    from ctkg.ingest import extract_one
    from ctkg.workers import WorkerPool

    chars = sum(len(a.text) for a in articles)
    rates = {}
    for n in counts:
        times = []
        if n == 1:
            list(map(extract_one, articles[:20]))  # warm-up: lexicons, compiled patterns
            for _ in range(repeat):
                started = time.perf_counter()
                list(map(extract_one, articles))
                times.append(time.perf_counter() - started)
        else:
            started = time.perf_counter()
            with WorkerPool(n) as pool:
                print(f"  {n} workers started in {time.perf_counter() - started:.2f} s "
                      "(spawned, each loading the gazetteer once)")
                list(pool.map(extract_one, articles[:20 * n]))
                for _ in range(repeat):
                    started = time.perf_counter()
                    list(pool.map(extract_one, articles))
                    times.append(time.perf_counter() - started)
        median = statistics.median(times)
        rates[n] = len(articles) / median
        print(f"  --workers {n}: {rates[n]:.1f} articles/s ({rates[n] / n:.1f} per worker), "
              f"{chars / median:,.0f} chars/s; {len(articles)} articles, median of {repeat} "
              f"passes {median:.3f} s (min {min(times):.3f}); {load_average()}")
    if len(rates) > 1:
        first, last = counts[0], counts[-1]
        print(f"  --workers {last} / --workers {first}: {rates[last] / rates[first]:.2f}x "
              f"(linear would be {last / first:.0f}x; machine: {os.cpu_count()} cores)")
    return rates


def bench_dev_extraction(repeat: int) -> None:
    dev = read_corpus(DEVSET)
    print(f"extraction over the dev set: {len(dev)} articles of devset/ (every folder), "
          f"in memory, no Neo4j; {load_average()}")
    bench_workers(dev, repeat)


# -- 2. ingest ----------------------------------------------------------------------------
def already_stored(driver, settings: Settings, articles: list[RawArticle]) -> int:
    result = run_cypher(driver, "MATCH (a:Article) WHERE a.id IN $ids RETURN count(a) AS n",
                        {"ids": [a.id for a in articles]}, database=settings.database)
    return result.rows[0]["n"]


def _changes(outcome: Outcome) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(outcome.counters.items()) if v) or "no changes"


def bench_ingest(driver, settings: Settings, articles: list[RawArticle],
                 extract_per_article: float) -> None:
    writer = GraphWriter(driver, database=settings.database)
    started = time.perf_counter()
    writer.ensure_schema()
    print(f"  constraints and indexes (IF NOT EXISTS): {time.perf_counter() - started:.2f} s")
    present = already_stored(driver, settings, articles)
    paths = [str(p) for p in CORPUS]
    passes = []
    for name in ("first ingest", "re-ingest"):
        started = time.perf_counter()
        outcome = ingest(paths, writer, source="bench")
        seconds = time.perf_counter() - started
        passes.append((seconds, outcome))
        print(f"  {name:12}: {outcome.batches} articles in {seconds:.2f} s = "
              f"{outcome.batches / seconds:.1f} articles/s "
              f"({1000 * seconds / max(outcome.batches, 1):.0f} ms/article), "
              f"{len(outcome.failures)} failed; {_changes(outcome)}")
    if present:
        print(f"  note: {present} of the {len(articles)} articles were already in the database "
              "before the first pass, so it was not a cold ingest (--scratch gives one)")
    (first, first_out), (again, again_out) = passes
    zero = not sum(again_out.counters.values())
    print(f"  re-ingest changed nothing: {'yes' if zero else 'NO: ingest is not idempotent'}")
    print(f"  re-ingest / first ingest time: {again / first:.2f}")
    per_article = first / max(first_out.batches, 1)
    print(f"  extraction share of first-ingest time: {extract_per_article / per_article:.0%} "
          f"(the rest is reading files and writing to Neo4j)")


# -- 3. queries ---------------------------------------------------------------------------
def sample_parameters(driver, settings: Settings, query: Query) -> dict[str, str] | None:
    """Values for the required parameters, or None when the graph has none to offer."""
    values = {}
    for param in query.params:
        if not param.required:
            continue
        if param.name not in SAMPLES:
            return None
        rows = run_cypher(driver, SAMPLES[param.name], database=settings.database).rows
        if not rows:
            return None
        values[param.name] = str(rows[0]["v"])
    return values


def bench_queries(driver, settings: Settings, runs: int) -> None:
    print(f"  {'query':28} {'rows':>5} {'median ms':>10} {'p95 ms':>8}  parameters")
    medians = []
    for query in load_library().values():
        params = sample_parameters(driver, settings, query)
        if params is None:
            print(f"  {query.id:28} skipped: no sample value for its required parameters")
            continue
        rows = len(run_query(driver, query, params, database=settings.database).rows)  # warm-up
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            run_query(driver, query, params, database=settings.database)
            times.append(1000 * (time.perf_counter() - started))
        median = statistics.median(times)
        medians.append((median, query.id))
        shown = " ".join(f"{k}={v}" for k, v in params.items()) or "defaults"
        print(f"  {query.id:28} {rows:5} {median:10.1f} {percentile(times, 95):8.1f}  {shown}")
    if medians:
        fastest, slowest = min(medians), max(medians)
        print(f"  slowest/fastest median: {slowest[0] / fastest[0]:.1f} "
              f"({slowest[1]} / {fastest[1]})")


# -- servers ------------------------------------------------------------------------------
@contextmanager
def scratch_server(heap: str = "512m", pagecache: str = "256m") -> Iterator[Settings]:
    from ctkg.server import Instance, free_port

    home = Path(tempfile.mkdtemp(prefix="ctkg-bench-"))
    inst = Instance(home / "neo4j", bolt_port=free_port(), http_port=free_port(), heap=heap,
                    pagecache=pagecache)
    try:
        started = time.perf_counter()
        inst.start(log=lambda m: print(f"  {m}"))
        print(f"  throwaway server on {inst.bolt_uri} ({home}), started in "
              f"{time.perf_counter() - started:.1f} s")
        yield Settings(uri=inst.bolt_uri, password=inst.password(), instance_dir=inst.home)
    finally:
        inst.stop()
        shutil.rmtree(home, ignore_errors=True)


@contextmanager
def configured_server() -> Iterator[Settings]:
    settings = load_settings()
    print(f"  {settings.uri}, database {settings.database or '(default)'}, user {settings.user}")
    print("  (Neo4j Community has one user database: the articles go into this graph, "
          "as with `make demo`)")
    yield settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5,
                        help="extraction repetitions over the corpus (default 5)")
    parser.add_argument("--runs", type=int, default=20,
                        help="timed runs of each library query (default 20)")
    parser.add_argument("--scratch", action="store_true",
                        help="ingest and query a throwaway server instead of the configured one")
    parser.add_argument("--extraction-only", action="store_true",
                        help="measure extraction only (no Neo4j needed)")
    parser.add_argument("--articles", type=int,
                        help="scale bench over this many synthetic articles (scratch server)")
    parser.add_argument("--json", help="with --articles: also write the figures to this file")
    args = parser.parse_args(argv)
    # A TERM (a timeout) unwinds like an error, so that a scratch server is stopped and removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.articles:
        bench_dev_extraction(args.repeat)
        print()
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_scale import run_scale

        return run_scale(args.articles, args.runs, args.json)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    import neo4j.exceptions

    try:
        articles = read_corpus(CORPUS)
        print(f"corpus: {', '.join(str(p.relative_to(ROOT)) for p in CORPUS)}")
        print("\n1. extraction (in memory, no Neo4j)")
        per_article = bench_extraction(articles, args.repeat)
        print()
        bench_dev_extraction(args.repeat)
        if args.extraction_only:
            return 0
        print("\n2. ingest into Neo4j")
        with (scratch_server() if args.scratch else configured_server()) as settings:
            with open_driver(settings) as driver:
                bench_ingest(driver, settings, articles, per_article)
                print(f"\n3. library queries ({args.runs} runs each after one warm-up)")
                bench_queries(driver, settings, args.runs)
    except CtkgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except neo4j.exceptions.ServiceUnavailable as exc:
        print(f"error: cannot reach Neo4j ({exc}); start it with `ctkg neo4j start`",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
