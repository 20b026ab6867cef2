"""Benchmark: import 3,000 grids and 3,500 workers (with their areas and assignments).

Generates a template workbook (and the same data as CSV), imports it into a fresh database
through the same operation the web page, the job and the CLI use, and prints the times. The
target is < 15 s for the import. Run:

    .venv/bin/python benchmarks/registry_import.py            # SQLite in a temporary folder
    .venv/bin/python benchmarks/registry_import.py --scratch-url postgresql+psycopg://postgres@127.0.0.1:5432/academy_bench
    (BENCH_DATABASE_URL=... works too; the database is emptied first). ``--json`` prints the runner's lines.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import emit, result, runner_arguments, say  # noqa: E402

GRIDS, WORKERS = 3000, 3500


def generate() -> dict[str, list[dict]]:
    from academy.registry.idnumbers import make_number

    areas = [{"code": "3201", "name": "南京市"}]
    grids, workers, assignments = [], [], []
    districts = [f"3201{n:02d}" for n in (2, 4, 5, 6, 11, 13)]
    for d in districts:
        areas.append({"code": d, "name": f"区{d}"})
    communities = []
    for i in range(GRIDS // 6):  # six grids per community, 500 communities
        district = districts[i % len(districts)]
        street = f"{district}{i // 60 + 1:03d}"
        community = f"{street}{i % 60 + 1:03d}"
        if {"code": street, "name": f"街道{street}"} not in areas[-70:]:
            areas.append({"code": street, "name": f"街道{street}"})
        areas.append({"code": community, "name": f"社区{community}"})
        communities.append(community)
    for community in communities:
        for serial in range(1, 7):
            grids.append({"code": f"{community}{serial:03d}", "name": f"网格{community}{serial:03d}", "kind": "综合网格",
                          "households": 300 + serial * 20, "residents": 900, "boundary_east": "东路",
                          "boundary_south": "南路", "boundary_west": "西路", "boundary_north": "北路",
                          "valid_from": "2024-01-01"})
    for n in range(WORKERS):
        grid = grids[n % GRIDS]
        number = make_number(grid["code"][:6], date(1970 + n % 30, 1 + n % 12, 1 + n % 28), n % 1000)
        if any(w["id_number"] == number for w in workers[-1:]):
            continue
        workers.append({"id_number": number, "name": f"网格员{n}", "education": "本科", "political_status": "群众",
                        "employment": "专职" if n < GRIDS else "兼职", "area_code": grid["code"][:9],
                        "phone": f"139{n:08d}", "hired_on": "2023-03-01"})
        assignments.append({"id_number": number, "grid_code": grid["code"],
                            "role": "专职网格员" if n < GRIDS else "兼职网格员", "starts_on": "2024-03-01"})
    unique = {}
    for row in areas:
        unique.setdefault(row["code"], row)
    seen, kept_workers, kept_assignments = set(), [], []
    for worker, assignment in zip(workers, assignments, strict=True):
        if worker["id_number"] not in seen:
            seen.add(worker["id_number"])
            kept_workers.append(worker)
            kept_assignments.append(assignment)
    return {"areas": list(unique.values()), "grids": grids, "workers": kept_workers, "assignments": kept_assignments}


def main() -> None:
    from academy import create_app
    from academy.config import TestConfig
    from academy.extensions import db
    from academy.registry.exchange.importer import import_registry
    from tests.academy.registry.workbooks import xlsx

    args, _unknown = runner_arguments(__doc__.split("\n\n")[0]).parse_known_args()
    folder = Path(tempfile.mkdtemp(prefix="registry-bench-"))
    url = args.scratch_url or os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder / 'bench.db'}"
    if url.startswith("postgresql"):
        from tests.support import ensure_postgres_database

        ensure_postgres_database(url)
    app = create_app(TestConfig(url, folder))
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        rows = generate()
        data = xlsx(rows)
        say(f"generated {len(rows['areas'])} areas, {len(rows['grids'])} grids, {len(rows['workers'])} workers, "
            f"{len(rows['assignments'])} assignments: {len(data) / 1e6:.1f} MB xlsx in {time.perf_counter() - started:.1f} s")
        marks = {}
        started = time.perf_counter()
        outcome = import_registry("bench.xlsx", data, None, progress=lambda p, m="": marks.setdefault(p, time.perf_counter()))
        db.session.commit()
        elapsed = time.perf_counter() - started
        assert outcome.ok, outcome.problems[:5]
        say(f"import ({url.split(':')[0]}): {elapsed:.1f} s  created={dict(outcome.created)}")
        previous = started
        for percent, at in sorted(marks.items()):
            say(f"  up to {percent:5.1f}%: {at - previous:5.2f} s")
            previous = at
        started = time.perf_counter()
        again = import_registry("bench.xlsx", data, None)
        db.session.commit()
        repeat = time.perf_counter() - started
        say(f"re-import of the same file: {repeat:.1f} s, created={sum(again.created.values())}, "
            f"updated={sum(again.updated.values())}")
        db.engine.dispose()
    emit([result("registry import: 3,000 grids + 3,500 workers (.xlsx)", "< 15 s", "s", [elapsed], limit=15,
                 note=f"re-import of the same file {repeat:.1f} s"),], args.json)


if __name__ == "__main__":
    main()
