"""`scripts/bench.py --articles N`: the scale bench of issue 13 (see bench.py's docstring)."""
from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import threading
import time

from bench import percentile, sample_parameters, scratch_server
from bench_writers import created, drop, full_content, naive_merge, plain_create, prepare

from ctkg.corpus import generate
from ctkg.db import open_driver
from ctkg.graph.writer import GraphWriter
from ctkg.ingest import SPARE, WRITERS, extract_all, extract_one, ingest
from ctkg.queries.library import load_library
from ctkg.queries.runner import run_query
from ctkg.workers import worker_count

HEAP, PAGECACHE = "2g", "4g"  # the scratch server's memory (README: Benchmarks)
NEW = 100          # articles added to a large graph and to an empty one
SAMPLE = 120       # articles per extraction measurement
NAIVE = 150        # articles written by the naive writer (it is slow)
CHUNK_ALONE = 200  # articles per transaction of the writer alone (as FACTS ends them in ingest)
LENGTHS = (1, 40, 100)  # corpus length scales: about 1,100, 12,000 and 28,000 chars


def rss_mb() -> float:
    """The client's resident memory now (VmRSS), in MB."""
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return kb / 1024


def wipe(driver) -> None:
    with driver.session() as session:  # IN TRANSACTIONS needs an auto-commit transaction
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()


# -- extraction ---------------------------------------------------------------------------
def extraction(out: dict) -> None:
    from ctkg.workers import WorkerPool

    articles = list(generate(SAMPLE, seed=1))
    for lang_first in {a.lang: a for a in articles}.values():
        extract_one(lang_first)  # each language's pipeline built before the clock starts
    started = time.perf_counter()
    list(map(extract_one, articles))
    out["extract_1_core"] = SAMPLE / (time.perf_counter() - started)
    cores = os.cpu_count() or 1
    with WorkerPool(cores) as pool:  # workers warm up every language when they start
        started = time.perf_counter()
        list(pool.map(extract_one, articles))
        out[f"extract_{cores}_cores"] = SAMPLE / (time.perf_counter() - started)
    by_length = {}
    for length in LENGTHS:
        sample = list(generate(20, seed=2, length=length))
        chars = sum(len(a.text) for a in sample)
        started = time.perf_counter()
        list(map(extract_one, sample))
        seconds = time.perf_counter() - started
        by_length[length] = {"chars_per_article": chars // len(sample),
                             "ms_per_article": 1000 * seconds / len(sample),
                             "chars_per_s": chars / seconds}
    out["extract_by_length"] = by_length


# -- ingest -------------------------------------------------------------------------------
class Progress:
    """ctkg's writer, noting after each chunk the articles written, the time and what was
    created, and the client's RSS once the articles written reach `rss_at` (one ingest, one
    worker pool, measured on the way). Chunks end in the writer threads, one at a time here."""

    def __init__(self, writer: GraphWriter, rss_at: int) -> None:
        self.writer, self.rss_at = writer, rss_at
        self.lock = threading.Lock()
        self.articles = self.made = 0
        self.busy = 0.0  # seconds in write_prepared (its statements and commit)
        self.chunks: list[tuple[int, float, int, float]] = [(0, time.perf_counter(), 0, 0.0)]
        self.rss: tuple[int, float] | None = None  # (articles written, MB)

    def __getattr__(self, name):
        return getattr(self.writer, name)

    def write_prepared(self, prepared, now=None):
        started = time.perf_counter()
        counters = self.writer.write_prepared(prepared, now)
        ended = time.perf_counter()
        with self.lock:
            self.articles += len(prepared.batches)
            self.made += created(counters)
            self.busy += ended - started
            self.chunks.append((self.articles, ended, self.made, self.busy))
            if self.rss is None and self.articles >= self.rss_at:
                self.rss = (self.articles, rss_mb())
                print(f"  ingested {self.articles:,} articles", flush=True)
        return counters

    def created_per_s_after(self, articles: int) -> tuple[int, float, float]:
        """The articles written after the last chunk that ended at or before the first
        `articles`, their created/s, and their created per second the writer spent writing
        them (in write_prepared: statements and commits, not extraction or preparing)."""
        before, at, made_at, busy_at = max(c for c in self.chunks if c[0] <= articles)
        written, last, made, busy = self.chunks[-1]
        return written - before, (made - made_at) / (last - at), (made - made_at) / (busy - busy_at)


def timed_ingest(writer, articles, workers: int) -> tuple[float, object]:
    started = time.perf_counter()
    outcome = ingest(articles, writer, source="bench", workers=workers)
    return time.perf_counter() - started, outcome


def ingest_figures(driver, n: int, out: dict) -> None:
    """A first ingest measured on the way (RSS after the first tenth; the chunks after the
    first nine tenths are the slice the other writers are compared on, on the same content), a
    re-ingest, and 100 new articles into an empty and a large graph."""
    workers = 0  # as `ctkg ingest --workers 0`: one process per core less SPARE
    writer = GraphWriter(driver)
    writer.ensure_schema()
    new = list(generate(NEW, seed=0, start=n))
    seconds, _ = timed_ingest(writer, new, 1)  # a cold server: plans not yet cached
    out["new_100_into_empty_s"] = seconds
    wipe(driver)

    tenth = max(1, n // 10)
    progress = Progress(writer, rss_at=tenth)
    seconds, outcome = timed_ingest(progress, generate(n, seed=0), workers)
    made = created(outcome.counters)
    out["rss_mb_small"] = progress.rss
    out["rss_mb_large"] = (n, rss_mb())
    out["ingest_workers"], out["ingest_writers"] = worker_count(workers, SPARE), WRITERS
    out["ingest_articles_per_s"] = n / seconds
    out["ingest_created_per_s"] = made / seconds
    out["ingest_s"] = seconds
    out["slice_articles"], out["slice_ctkg_created_per_s"], out["slice_writer_created_per_s"] = \
        progress.created_per_s_after(n - tenth)

    again, outcome = timed_ingest(writer, generate(n, seed=0), workers)
    out["reingest_s"] = again
    out["reingest_changes"] = created(outcome.counters)
    seconds, _ = timed_ingest(writer, new, 1)
    out["new_100_into_large_s"] = seconds

    # The same content as that slice, written by the other writers into the same server.
    last = out["slice_articles"]
    batches = [b for b in extract_all(generate(last, seed=0, start=n - last), workers=workers)
               if hasattr(b, "nodes")]
    out["plain_create_per_s"], out["plain_create_items"] = plain_rate(driver, batches)
    prepare(driver, "BenchNaive")
    seconds, count = naive_merge(driver, batches[:NAIVE], "BenchNaive")
    out["naive_merge_per_s"] = count / seconds
    drop(driver, "BenchNaive")
    del batches


def plain_rate(driver, batches) -> tuple[float, int]:
    """Created/s and items of plain CREATE writing what ctkg wrote for these batches, under
    labels of its own with ctkg's constraints and indexes (removed afterwards)."""
    content = full_content(batches)
    prepare(driver, "BenchPlain")
    seconds, count = plain_create(driver, content, "BenchPlain")
    drop(driver, "BenchPlain")
    return count / seconds, count


def writer_alone(driver, n: int, out: dict) -> None:
    """ctkg's writer with the machine to itself: the next tenth of the corpus, extracted
    beforehand, written chunk by chunk (the time in write_prepared; preparing is apart, as an
    ingest does it beside the write), then the same content by plain CREATE, into the same
    large graph (last: it adds a tenth to the graph the queries were measured on)."""
    extra = max(1, n // 10)  # after the NEW articles the ingest figures added
    batches = [b for b in extract_all(generate(extra, seed=0, start=n + NEW), workers=0)
               if hasattr(b, "nodes")]
    writer, seconds, made = GraphWriter(driver), 0.0, 0
    for start in range(0, len(batches), CHUNK_ALONE):
        prepared = writer.prepare(batches[start:start + CHUNK_ALONE])
        started = time.perf_counter()
        made += created(writer.write_prepared(prepared))
        seconds += time.perf_counter() - started
    if not made:
        raise RuntimeError("the writer alone wrote nothing: its articles were stored already")
    out["alone_articles"], out["alone_created_per_s"] = len(batches), made / seconds
    out["alone_plain_create_per_s"], _ = plain_rate(driver, batches)


def query_figures(driver, runs: int, out: dict) -> None:
    from ctkg.config import Settings

    settings = Settings()
    figures = {}
    for query in load_library().values():
        params = sample_parameters(driver, settings, query)
        if params is None:
            continue
        run_query(driver, query, params)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            result = run_query(driver, query, params)
            times.append(1000 * (time.perf_counter() - started))
        figures[query.id] = {"p50_ms": statistics.median(times),
                             "p95_ms": percentile(times, 95), "rows": len(result.rows),
                             "more": result.more}
    out["queries"] = figures


def by_length_base(out: dict) -> float:
    return out["extract_by_length"][LENGTHS[0]]["chars_per_s"]


def table(out: dict) -> str:
    cores = os.cpu_count() or 1
    rows = [
        ("extraction, 1 core", f"{out['extract_1_core']:.1f} articles/s"),
        (f"extraction, {cores} cores", f"{out[f'extract_{cores}_cores']:.1f} articles/s"),
    ]
    for length, f in out["extract_by_length"].items():
        rows.append((f"extraction, length x{length} ({f['chars_per_article']:,} chars)",
                     f"{f['ms_per_article']:.0f} ms/article, {f['chars_per_s']:,.0f} chars/s"))
    base = by_length_base(out)
    for length, f in out["extract_by_length"].items():
        if length != LENGTHS[0]:
            rows.append((f"  cost per char, x{length} / x{LENGTHS[0]}",
                         f"{base / f['chars_per_s']:.2f} (1.00 is linear)"))
    plain = out["plain_create_per_s"]
    ratio = out["slice_ctkg_created_per_s"] / plain
    rows += [
        (f"first ingest of {out['articles']:,} ({out['ingest_workers']} extraction worker"
         f"{'s' if out['ingest_workers'] > 1 else ''}, "
         f"{out['ingest_writers']} write transaction"
         f"{'s' if out['ingest_writers'] > 1 else ''})",
         f"{out['ingest_articles_per_s']:.1f} articles/s, "
         f"{out['ingest_created_per_s']:,.0f} created/s ({out['ingest_s']:.0f} s)"),
        (f"  its last {out['slice_articles']:,} articles", f"{out['slice_ctkg_created_per_s']:,.0f} "
         "created/s"),
        ("  the same, per second of the writer's statements and commits",
         f"{out['slice_writer_created_per_s']:,.0f} created/s "
         f"(= {out['slice_writer_created_per_s'] / plain:.2f}x plain CREATE)"),
        ("plain UNWIND...CREATE, same content", f"{out['plain_create_per_s']:,.0f} created/s "
         f"({out['plain_create_items']:,} items; ctkg = {ratio:.2f}x)"),
        (f"ctkg's writer alone, next {out['alone_articles']:,} articles extracted beforehand",
         f"{out['alone_created_per_s']:,.0f} created/s (plain CREATE of the same: "
         f"{out['alone_plain_create_per_s']:,.0f}; ctkg = "
         f"{out['alone_created_per_s'] / out['alone_plain_create_per_s']:.2f}x)"),
        (f"naive MERGE per fact ({NAIVE} articles)", f"{out['naive_merge_per_s']:,.0f} created/s "
         f"(ctkg = {out['slice_ctkg_created_per_s'] / out['naive_merge_per_s']:.1f}x)"),
        ("re-ingest / first ingest", f"{out['reingest_s'] / out['ingest_s']:.4f} "
         f"({out['reingest_s']:.1f} s, {out['reingest_changes']} created)"),
        (f"{NEW} new articles: large graph / empty",
         f"{out['new_100_into_large_s']:.1f} s / {out['new_100_into_empty_s']:.1f} s"),
        ("client RSS", f"{out['rss_mb_small'][1]:.0f} MB at {out['rss_mb_small'][0]:,} articles, "
         f"{out['rss_mb_large'][1]:.0f} MB at {out['rss_mb_large'][0]:,}"),
    ]
    for qid, f in out["queries"].items():
        rows.append((f"query {qid}", f"p50 {f['p50_ms']:.0f} ms, p95 {f['p95_ms']:.0f} ms, "
                                     f"{f['rows']} rows{' (more)' if f['more'] else ''}"))
    width = max(len(r[0]) for r in rows)
    lines = [f"| {'measure':{width}} | value |", f"|{'-' * (width + 2)}|---|"]
    return "\n".join(lines + [f"| {a:{width}} | {b} |" for a, b in rows])


def machine() -> str:
    with open("/proc/meminfo") as fh:
        mem_kb = int(fh.readline().split()[1])
    return (f"{platform.machine()}, {os.cpu_count()} cores, {mem_kb / 2**20:.0f} GB RAM, "
            f"Python {platform.python_version()}")


def run_scale(n: int, runs: int, json_path: str | None) -> int:
    out: dict = {"articles": n, "machine": machine(),
                 "server": f"scratch Neo4j, heap {HEAP}, page cache {PAGECACHE}",
                 "load_average_start": os.getloadavg()}
    started = time.perf_counter()
    print(f"scale bench: {n} synthetic articles (seed 0)", flush=True)
    extraction(out)
    print("  extraction measured", flush=True)
    with scratch_server(HEAP, PAGECACHE) as settings, open_driver(settings) as driver:
        ingest_figures(driver, n, out)
        print("  ingest measured", flush=True)
        query_figures(driver, runs, out)
        writer_alone(driver, n, out)
    out["bench_s"] = time.perf_counter() - started
    out["load_average_end"] = os.getloadavg()
    out["client_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{out['machine']}; {out['server']}; whole bench {out['bench_s'] / 60:.1f} min; "
          f"load average {out['load_average_start'][0]:.1f} at the start, "
          f"{out['load_average_end'][0]:.1f} at the end; client peak RSS "
          f"{out['client_peak_rss_mb']:.0f} MB")
    print(table(out))
    text = json.dumps(out, indent=2, default=str)
    print(text)
    if json_path:
        with open(json_path, "w") as fh:
            fh.write(text + "\n")
    return 0
