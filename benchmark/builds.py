"""Timed builds for `make bench`: one MkDocs process per measurement, measured from outside.

Each build runs in its own process so that its peak memory is its own
(`os.wait4` returns the rusage of exactly that child) and no import or cache
from an earlier build makes a later one look cheaper.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from handbook import bank

ENV = {"NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
GZIP_LEVEL = 6  # what GitHub Pages serves


@dataclass(frozen=True)
class Run:
    """One measured process: wall and CPU seconds, peak resident memory, outcome.

    CPU seconds (user + system of the process) are what the budgets compare:
    a build is single-threaded, so on an idle machine they equal wall time,
    and unlike wall time they do not grow when other work shares the two cores.
    The load average at the start tells how idle the machine was.
    """

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    returncode: int
    warnings: int
    load_average: float
    log_tail: str

    def as_dict(self) -> dict:
        return asdict(self)


def environment(**extra: str) -> dict[str, str]:
    return {**os.environ, **ENV, **extra}


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command to completion and measure it with the kernel's own accounting."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env or environment(), stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    warnings = sum(1 for line in text.splitlines() if line.startswith("WARNING"))
    tail = "\n".join(text.strip().splitlines()[-15:])
    cpu = round(usage.ru_utime + usage.ru_stime, 3)
    return Run(round(seconds, 3), cpu, round(usage.ru_maxrss / 1024, 1), process.returncode, warnings, round(load, 2), tail)


def build_command(config: Path, site_dir: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--clean", "-f", str(config), "-d", str(site_dir)]


def build(project: Path, config_name: str, site_name: str) -> Run:
    """One full build of a scratch project, started in its folder as `make build` would be."""
    project = project.resolve()
    return timed(build_command(project / config_name, project / site_name), project)


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


CLONE_NUMBER = re.compile(r"-c(\d{4,})/")


def index_sizes(site: Path, originals: int | None = None) -> dict[str, dict[str, int]]:
    """Raw and gzip bytes of each language's search index (absent languages are left out).

    Clones repeat the same text every `originals` questions, which gzip folds
    away, so the gzip figure of a synthetic index is far smaller than that of
    a bank of distinct questions. `gzip_distinct` estimates the latter: each
    round of clones (one copy of the real bank) is compressed on its own.
    """
    sizes = {}
    for language in bank.LANGUAGES:
        root = site if language == bank.DEFAULT_LANGUAGE else site / language
        path = root / "search" / "search_index.json"
        if path.is_file():
            data = path.read_bytes()
            sizes[language] = {"raw": len(data), "gzip": gzip_size(data)}
            if originals:
                sizes[language]["gzip_distinct"] = distinct_gzip_size(json.loads(data), originals)
    return sizes


def map_sizes(site: Path) -> dict[str, dict[str, int]]:
    """Raw and gzip bytes of each language's knowledge map page, which lists every question of the bank."""
    sizes = {}
    for language in bank.LANGUAGES:
        path = (site if language == bank.DEFAULT_LANGUAGE else site / language) / "map" / "index.html"
        if path.is_file():
            data = path.read_bytes()
            sizes[language] = {"raw": len(data), "gzip": gzip_size(data)}
    return sizes


def distinct_gzip_size(index: dict, originals: int) -> int:
    """Sum of the gzip sizes of each round's entries, compressed apart (see `index_sizes`)."""
    rounds: dict[int, list[dict]] = {}
    for entry in index.get("docs", []):
        match = CLONE_NUMBER.search(entry.get("location", ""))
        rounds.setdefault(int(match.group(1)) // originals if match else -1, []).append(entry)
    chunks = [json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode() for entries in rounds.values()]
    return sum(gzip_size(chunk) for chunk in chunks) + gzip_size(json.dumps(index.get("config", {})).encode())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.1) -> float | None:
    """Seconds until `condition()` held, or None on timeout."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if condition():
            return time.perf_counter() - start
        time.sleep(interval)
    return None


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a running process, from /proc (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve_rebuild(project: Path, page: Path, url_path: str, timeout: float = 600.0) -> dict:
    """`make serve` on a scratch project: time to first serve, then from an edit until the edit is served.

    The edit appends a unique paragraph to one page, as an author saving a file
    would; the page is restored afterwards.
    """
    project, page = project.resolve(), page.resolve()
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    # --dirty as `make serve` runs it: a save rebuilds the saved page only.
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", str(project / "mkdocs.yml"), "--dev-addr", f"127.0.0.1:{port}"]
    original = page.read_text(encoding="utf-8")
    marker = f"bench-edit-{uuid.uuid4().hex[:12]}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=project, env=environment(SITE_URL=base), stdout=log, stderr=subprocess.STDOUT)
        try:
            first = wait_until(lambda: process.poll() is not None or fetch(base + url_path) is not None, timeout, 0.25)
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError("mkdocs serve exited: " + log.read().decode("utf-8", "replace")[-2000:])
            rebuild = cpu = None
            if first is not None:
                time.sleep(1.0)  # let the watcher settle after the first build
                before = process_cpu_seconds(process.pid)
                page.write_text(original + f"\n\n{marker}\n", encoding="utf-8")
                rebuild = wait_until(lambda: marker in (fetch(base + url_path) or ""), timeout)
                after = process_cpu_seconds(process.pid)
                cpu = after - before if before is not None and after is not None else None
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            page.write_text(original, encoding="utf-8")
    return {"first_serve_seconds": _round(first), "rebuild_seconds": _round(rebuild), "rebuild_cpu_seconds": _round(cpu), "page": url_path}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def graph_benchmark(docs: Path) -> dict:
    """`handbook.graph.build` over a scratch bank, in a fresh interpreter so memory and caches are its own."""
    scripts = Path(__file__).resolve().parents[1] / "scripts"
    command = [sys.executable, str(Path(__file__).with_name("graph_run.py")), str(docs)]
    result = subprocess.run(command, capture_output=True, text=True, env=environment(PYTHONPATH=str(scripts)), check=False)
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"exit {result.returncode}"}
    return json.loads(result.stdout.strip().splitlines()[-1])
