"""``benchmarks/RESULTS.md``: the machine, the city, and one row per scenario and backend."""
from __future__ import annotations

from pathlib import Path


def _cell(value) -> str:
    return "" if value is None else f"{value:,.1f}" if isinstance(value, float) else str(value)


def _verdict(row: dict) -> str:
    if row.get("met") is True:
        return "met"
    if row.get("met") is False:
        return "**missed**" if row.get("p95") is not None or row.get("median") is not None else "**failed**"
    return "not run"


def write_results(path: Path, rows: list[dict], before: dict, after: dict, city: dict) -> None:
    lines = [
        "# Benchmark results", "",
        f"Written by `make bench` (`benchmarks/run_all.py`) on {after['date']}.", "",
        f"- Machine: {after['cores']} cores ({after['cpu'] or 'unknown CPU'}), {after['memory_gb']} GiB memory",
        f"- Load average (1, 5, 15 min): {', '.join(map(str, before['load']))} before, {', '.join(map(str, after['load']))} after",
        "- City: " + ", ".join(f"{value:,} {key}" for key, value in city.items()) + " (`flask academy bench-data`)",
        "- Servers: gunicorn 4 workers x 4 threads; PostgreSQL with Redis for jobs; SQLite (WAL) with in-process jobs",
        "- Times in the unit of each row; peak memory is the resident memory of the server (all gunicorn processes) "
        "and of the benchmark script (with its children) while the scenario ran", "",
        "| backend | scenario | median | p95 | max | unit | req/s | server MB | script MB | target | result | note |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = [row["backend"], row.get("name") or row["script"], _cell(row.get("median")), _cell(row.get("p95")),
                 _cell(row.get("max")), row.get("unit") or "", _cell(row.get("rps")), _cell(row.get("server_mb")),
                 _cell(row.get("script_mb")), row.get("target") or "", _verdict(row),
                 (row.get("note") or "").replace("|", "/")]
        lines.append("| " + " | ".join(cells) + " |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
