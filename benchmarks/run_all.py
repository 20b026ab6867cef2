"""``make bench``: every benchmark against gunicorn + PostgreSQL + Redis and against the embedded
SQLite default, collected into ``benchmarks/RESULTS.md``.

For each backend it makes sure the benchmark city is there (``flask academy bench-data`` at
``--scale`` of the issue's size, built once and reused while its size matches), starts gunicorn
on it, runs each script of ``SCRIPTS`` with ``--json`` (the contract in ``benchmarks/README.md``),
samples the memory of the server and of the script while it runs, and writes the table. A script
that is missing is reported as "not run"; one that fails or prints no result as "failed", with
the end of its error output.

    .venv/bin/python benchmarks/run_all.py                 # the issue's city, both backends
    .venv/bin/python benchmarks/run_all.py --scale 0.05 --backends sqlite --only pages.py --duration 20
    (options it does not know, like --duration, are passed on to every script)
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import KEYS, ROOT  # noqa: E402
from benchmarks.machine import MemorySampler, Server, machine_facts  # noqa: E402
from benchmarks.report import write_results  # noqa: E402

SCRIPTS = ["pages.py", "exam_locust.py", "certificate_pdf.py", "certificates_sweep.py", "indicators_refresh.py", "registry_import.py",
           "standing_sweep.py", "training_effect.py"]
FULL = {"grids": 3000, "workers": 3500, "cases": 1_000_000, "logs": 3_000_000, "trainees": 3500}
PYTHON = str(ROOT / ".venv" / "bin" / "python")
FLASK = str(ROOT / ".venv" / "bin" / "flask")


def sizes(scale: float) -> dict[str, int]:
    return {key: max(int(value * scale), 6 if key != "cases" else 100) for key, value in FULL.items()}


def _environment(url: str, redis: str | None = None) -> dict:
    # Every simulated user comes from 127.0.0.1: the verification limit (30 in 10 minutes per address)
    # would answer 429 within seconds. The benchmark times the page; tests/courses/certificates tests the limit.
    env = {"ACADEMY_RATELIMIT_VERIFY": "1000000/600", **os.environ, "ACADEMY_DATABASE_URL": url, "FLASK_APP": "wsgi.py"}
    env.pop("ACADEMY_REDIS_URL", None)
    if redis:
        env["ACADEMY_REDIS_URL"] = redis
    return env


def built_sizes(url: str) -> dict | None:
    """The options of the bench city in ``url`` (from its audit entry), or None when there is none."""
    code = ("import json,sqlalchemy as sa;from academy import create_app;from academy.extensions import db;"
            "from academy.audit import AuditEntry as A\napp=create_app()\nwith app.app_context():\n"
            " e=db.session.scalar(sa.select(A).where(A.action=='bench_data.build').order_by(A.id.desc()).limit(1))\n"
            " print(json.dumps(e.after['options'] if e else None))")
    done = subprocess.run([PYTHON, "-c", code], env=_environment(url), cwd=ROOT, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 and done.stdout.strip() else None


def ensure_city(url: str, scale: float) -> None:
    """Build the benchmark city in ``url`` unless a city of this size is there already."""
    wanted = sizes(scale)
    found = built_sizes(url)
    if found and all(found.get(key) == value for key, value in wanted.items()):
        # A city built before the latest migrations gets them, as a production database would.
        subprocess.run([FLASK, "db", "upgrade"], env=_environment(url), cwd=ROOT, check=True, capture_output=True)
        print(f"  the city in {url} has the wanted size; reused (schema upgraded)", flush=True)
        return
    print(f"  building the benchmark city in {url}: {wanted}", flush=True)
    if url.startswith("postgresql"):
        from tests.support import ensure_postgres_database

        ensure_postgres_database(url)
    else:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    env = _environment(url)
    subprocess.run([FLASK, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    options = [part for key, value in wanted.items() for part in (f"--{key}", str(value))]
    subprocess.run([FLASK, "academy", "bench-data", *options], env=env, cwd=ROOT, check=True)


def run_script(script: str, backend: str, urls: dict, server: Server, scale: float, timeout: float,
               extra: list[str]) -> list[dict]:
    """One script's results (or a "not run"/"failed" line), with the memory the runner saw."""
    path = ROOT / "benchmarks" / script
    if not path.exists():
        return [{"name": script, "met": None, "note": "not run: the script is not in benchmarks/ yet"}]
    command = [PYTHON, str(path), "--json", "--backend", backend, "--city-url", urls["city"], "--scratch-url",
               urls["scratch"], "--base-url", server.base_url, "--scale", str(scale), *extra]
    print(f"  {script} ...", flush=True)
    with MemorySampler(server.pid) as server_memory:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env=_environment(urls["city"], urls.get("redis")))
        with MemorySampler(process.pid) as script_memory:
            try:
                out, err = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                out, err = process.communicate()
                err += f"\n(stopped after {timeout:.0f} s)"
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    if process.returncode != 0 or not lines:
        tail = " | ".join(err.strip().splitlines()[-3:])
        return [{"name": script, "met": False, "note": f"failed (exit {process.returncode}): {tail}"[:400], **{
            "server_mb": server_memory.peak_mb, "script_mb": script_memory.peak_mb}}]
    for line in lines:
        line.setdefault("note", "")
        line["server_mb"], line["script_mb"] = server_memory.peak_mb, line.get("peak_rss_mb") or script_memory.peak_mb
    return lines


def backend_urls(backend: str, args) -> dict:
    if backend == "postgresql":
        return {"city": args.pg_url, "scratch": args.pg_url + "_scratch", "redis": args.redis_url}
    folder = Path(tempfile.mkdtemp(prefix="bench-scratch-"))
    return {"city": args.sqlite_url, "scratch": f"sqlite:///{folder / 'scratch.db'}"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--backends", default="postgresql,sqlite")
    parser.add_argument("--only", help="comma-separated script names")
    parser.add_argument("--pg-url", default=os.environ.get(
        "BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/academy_bench_city"))
    parser.add_argument("--sqlite-url", default=os.environ.get(
        "BENCH_SQLITE_URL", f"sqlite:///{ROOT / 'instance' / 'bench' / 'city.db'}"))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"))
    parser.add_argument("--timeout", type=float, default=3600, help="seconds a script may take")
    parser.add_argument("--results", default=str(ROOT / "benchmarks" / "RESULTS.md"))
    args, passed_on = parser.parse_known_args()  # the rest goes to every script (e.g. --duration 20)
    scripts = args.only.split(",") if args.only else SCRIPTS
    before, rows = machine_facts(), []
    for backend in args.backends.split(","):
        print(f"== {backend} ==", flush=True)
        urls = backend_urls(backend, args)
        ensure_city(urls["city"], args.scale)
        with Server(_environment(urls["city"], urls.get("redis"))) as server:
            for script in scripts:
                for line in run_script(script, backend, urls, server, args.scale, args.timeout, passed_on):
                    rows.append({"backend": backend, "script": script, **{k: line.get(k) for k in KEYS},
                                 "server_mb": line.get("server_mb"), "script_mb": line.get("script_mb")})
    write_results(Path(args.results), rows, before, machine_facts(), sizes(args.scale))
    print(f"results written to {args.results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
