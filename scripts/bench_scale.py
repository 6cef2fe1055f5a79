"""`scripts/bench.py --articles N`: the scale bench of issue 13 (see bench.py's docstring)."""
from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections import Counter

from bench import percentile, sample_parameters, scratch_server

from ctkg.corpus import generate
from ctkg.db import open_driver
from ctkg.graph.writer import GraphWriter
from ctkg.ingest import extract_one, ingest
from ctkg.queries.library import load_library
from ctkg.queries.runner import run_query

NEW = 100          # articles added to a large graph and to an empty one
SAMPLE = 120       # articles per extraction measurement
NAIVE = 150        # articles written by the naive writer (it is slow)
CHUNK_ROWS = 2000  # rows per plain CREATE statement


def rss_mb() -> float:
    """The client's resident memory now (VmRSS), in MB."""
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return kb / 1024


def created(counters: Counter) -> int:
    return sum(v for k, v in counters.items() if k in ("nodes_created", "relationships_created"))


def wipe(driver) -> None:
    with driver.session() as session:  # IN TRANSACTIONS needs an auto-commit transaction
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()


# -- extraction ---------------------------------------------------------------------------
def extraction(out: dict) -> None:
    from ctkg.workers import WorkerPool

    articles = list(generate(SAMPLE, seed=1))
    extract_one(articles[0])
    started = time.perf_counter()
    list(map(extract_one, articles))
    out["extract_1_core"] = SAMPLE / (time.perf_counter() - started)
    cores = os.cpu_count() or 1
    with WorkerPool(cores) as pool:
        list(pool.map(extract_one, articles[:cores]))
        started = time.perf_counter()
        list(pool.map(extract_one, articles))
        out[f"extract_{cores}_cores"] = SAMPLE / (time.perf_counter() - started)
    by_length = {}
    for length in (1, 4, 10):
        sample = list(generate(20, seed=2, length=length))
        chars = sum(len(a.text) for a in sample)
        started = time.perf_counter()
        list(map(extract_one, sample))
        seconds = time.perf_counter() - started
        by_length[length] = {"chars_per_article": chars // len(sample),
                             "ms_per_article": 1000 * seconds / len(sample),
                             "chars_per_s": chars / seconds}
    out["extract_by_length"] = by_length


# -- the other writers --------------------------------------------------------------------
def content(batches) -> tuple[dict, dict]:
    """The corpus' nodes and relationships, each once (by id)."""
    nodes, edges = {}, {}
    for batch in batches:
        for node in batch.nodes:
            nodes.setdefault(node.id, node)
        for edge in batch.edges:
            edges.setdefault(edge.id, edge)
    return nodes, edges


def _chunks(rows: list, size: int = CHUNK_ROWS):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def plain_create(driver, nodes: dict, edges: dict) -> tuple[float, int]:
    """Batched `UNWIND ... CREATE` of the same nodes and relationships (ids indexed)."""
    labels = {n.label for n in nodes.values()}
    for label in labels:
        driver.execute_query(f"CREATE INDEX bench_{label.lower()} IF NOT EXISTS "
                             f"FOR (n:BenchPlain{label}) ON (n.id)")
    driver.execute_query("CALL db.awaitIndexes()")
    started = time.perf_counter()
    total = 0
    for label in labels:
        rows = [{"id": n.id, **{k: v for k, v in n.props.items() if v is not None}}
                for n in nodes.values() if n.label == label]
        for chunk in _chunks(rows):
            summary = driver.execute_query(f"UNWIND $rows AS r CREATE (n:BenchPlain{label}) "
                                           "SET n = r", rows=chunk).summary
            total += summary.counters.nodes_created
    label_of = {n.id: n.label for n in nodes.values()}
    groups: dict = {}
    for edge in edges.values():
        if edge.source in label_of and edge.target in label_of:
            key = (edge.type, label_of[edge.source], label_of[edge.target])
            groups.setdefault(key, []).append({"s": edge.source, "t": edge.target, "id": edge.id})
    for (type_, src, tgt), rows in groups.items():
        for chunk in _chunks(rows):
            summary = driver.execute_query(
                f"UNWIND $rows AS r MATCH (a:BenchPlain{src} {{id: r.s}}) "
                f"MATCH (b:BenchPlain{tgt} {{id: r.t}}) CREATE (a)-[x:{type_}]->(b) "
                "SET x.id = r.id", rows=chunk).summary
            total += summary.counters.relationships_created
    return time.perf_counter() - started, total


def naive_merge(driver, batches) -> tuple[float, int]:
    """One MERGE statement per node and per relationship, one transaction per article."""
    started = time.perf_counter()
    total = 0
    for batch in batches:
        label_of = {n.id: n.label for n in batch.nodes}
        with driver.session() as session, session.begin_transaction() as tx:
            for node in batch.nodes:
                total += tx.run(f"MERGE (n:BenchNaive{node.label} {{id: $id}}) SET n += $props",
                                id=node.id, props={k: v for k, v in node.props.items()
                                                   if v is not None}
                                ).consume().counters.nodes_created
            for edge in batch.edges:
                if edge.source in label_of and edge.target in label_of:
                    total += tx.run(
                        f"MERGE (a:BenchNaive{label_of[edge.source]} {{id: $s}}) "
                        f"MERGE (b:BenchNaive{label_of[edge.target]} {{id: $t}}) "
                        f"MERGE (a)-[x:{edge.type}]->(b) SET x.id = $id",
                        s=edge.source, t=edge.target, id=edge.id).consume().counters.relationships_created
            tx.commit()
    return time.perf_counter() - started, total


# -- ingest -------------------------------------------------------------------------------
def timed_ingest(writer, articles) -> tuple[float, object]:
    started = time.perf_counter()
    outcome = ingest(articles, writer, source="bench")
    return time.perf_counter() - started, outcome


def ingest_figures(driver, n: int, out: dict) -> None:
    writer = GraphWriter(driver)
    writer.ensure_schema()
    new = list(generate(NEW, seed=0, start=n))
    seconds, _ = timed_ingest(writer, new)
    out["new_100_into_empty_s"] = seconds
    wipe(driver)

    batches = [b for b in map(extract_one, generate(n, seed=0)) if hasattr(b, "nodes")]
    nodes, edges = content(batches)
    seconds, count = plain_create(driver, nodes, edges)
    out["plain_create_per_s"] = count / seconds
    wipe(driver)
    seconds, count = naive_merge(driver, batches[:NAIVE])
    out["naive_merge_per_s"] = count / seconds
    wipe(driver)
    del batches, nodes, edges

    first_part = max(1, n // 10)
    s1, o1 = timed_ingest(writer, generate(first_part, seed=0))
    out["rss_mb_small"] = (first_part, rss_mb())
    s2, o2 = timed_ingest(writer, generate(n - first_part, seed=0, start=first_part))
    out["rss_mb_large"] = (n, rss_mb())
    seconds = s1 + s2
    made = created(o1.counters) + created(o2.counters)
    out["ingest_articles_per_s"] = n / seconds
    out["ingest_created_per_s"] = made / seconds
    out["ingest_s"] = seconds
    again, outcome = timed_ingest(writer, generate(n, seed=0))
    out["reingest_s"] = again
    out["reingest_changes"] = created(outcome.counters)
    seconds, _ = timed_ingest(writer, new)
    out["new_100_into_large_s"] = seconds


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


def table(out: dict) -> str:
    cores = os.cpu_count() or 1
    rows = [
        ("extraction, 1 core", f"{out['extract_1_core']:.1f} articles/s"),
        (f"extraction, {cores} cores", f"{out[f'extract_{cores}_cores']:.1f} articles/s"),
    ]
    for length, f in out["extract_by_length"].items():
        rows.append((f"extraction, length x{length} ({f['chars_per_article']:,} chars)",
                     f"{f['ms_per_article']:.0f} ms/article, {f['chars_per_s']:,.0f} chars/s"))
    rows += [
        (f"first ingest of {out['articles']:,}",
         f"{out['ingest_articles_per_s']:.1f} articles/s, "
         f"{out['ingest_created_per_s']:,.0f} created/s ({out['ingest_s']:.0f} s)"),
        ("plain UNWIND...CREATE, same content", f"{out['plain_create_per_s']:,.0f} created/s "
         f"(ctkg = {out['ingest_created_per_s'] / out['plain_create_per_s']:.2f}x)"),
        (f"naive MERGE per fact ({NAIVE} articles)", f"{out['naive_merge_per_s']:,.0f} created/s "
         f"(ctkg = {out['ingest_created_per_s'] / out['naive_merge_per_s']:.1f}x)"),
        ("re-ingest / first ingest", f"{out['reingest_s'] / out['ingest_s']:.3f} "
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


def run_scale(n: int, runs: int, json_path: str | None) -> int:
    out: dict = {"articles": n, "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                 f"Python {platform.python_version()}", "server": "scratch, heap 512m, "
                 "page cache 256m"}
    started = time.perf_counter()
    print(f"scale bench: {n} synthetic articles (seed 0)", flush=True)
    extraction(out)
    print("  extraction measured", flush=True)
    with scratch_server() as settings, open_driver(settings) as driver:
        ingest_figures(driver, n, out)
        print("  ingest measured", flush=True)
        query_figures(driver, runs, out)
    out["bench_s"] = time.perf_counter() - started
    print(table(out))
    text = json.dumps(out, indent=2, default=str)
    print(text)
    if json_path:
        with open(json_path, "w") as fh:
            fh.write(text + "\n")
    return 0
