"""The cross-link graph at scale, run as `python graph_run.py DOCS` in a fresh interpreter by `make bench`.

Prints one JSON line. The graph is built twice: once plainly for the time
(tracemalloc slows allocation-heavy code several-fold, so a traced run would
overstate it), then under tracemalloc for the peak memory of `graph.build`
alone. Loading the bank and the Chinese segmenter's dictionary are timed apart, because a
build pays them whatever the graph costs.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path


def main(docs: Path, traced: bool = True) -> dict:
    from handbook import bank, graph

    start = time.perf_counter()
    questions = bank.load(docs)
    loaded = time.perf_counter()
    graph.segmenter()
    ready, cpu = time.perf_counter(), time.process_time()
    related = graph.build(questions)
    built, cpu = time.perf_counter(), time.process_time() - cpu
    result = {
        "questions": len(questions),
        "load_seconds": round(loaded - start, 3),
        "segmenter_init_seconds": round(ready - loaded, 3),
        "build_seconds": round(built - ready, 3),
        "build_cpu_seconds": round(cpu, 3),
        "edges": sum(1 for _ in graph.iter_edges(related)),
    }
    if traced:
        tracemalloc.start()
        graph.build(questions)
        result["build_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    result["process_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), "--no-trace" not in sys.argv)))
