"""A certificate batch on the embedded SQLite file while people work (issue 14): the longest time
the job holds the write lock, and the log-in, autosave and submit times meanwhile.

The scenario is ``tests/load_during_jobs.py`` (the lock test's own): a SQLite file of its own in a
temporary folder, served by werkzeug over real sockets, the batch on the embedded runner, people
in threads pacing their requests. SQLite only: on PostgreSQL a job's reads never block a writer.

Targets: the job's longest write-lock hold < 1 s (before the fix: the whole run, 10.6 s for 15
certificates); every log-in, autosave and submit succeeds; log-in p95 < 1 s during the batch.

    .venv/bin/python benchmarks/job_locks.py            # 1,000 certificates
    .venv/bin/python benchmarks/job_locks.py --certificates 100 --json
"""
from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import emit, result, runner_arguments, say  # noqa: E402


def main() -> None:
    parser = runner_arguments(__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=1000)
    args, _unknown = parser.parse_known_args()
    logging.disable(logging.INFO)  # the server's request log would drown the figures
    from tests import load_during_jobs
    from tests.faults.conftest import make_app

    folder = Path(tempfile.mkdtemp(prefix="academy-job-locks-"))
    app = make_app(f"sqlite:///{folder / 'academy.db'}", folder / "instance", JOB_RUNNER="auto")
    say(f"printing {args.certificates} certificates while people work ...")
    outcome = load_during_jobs.run(app, args.certificates)
    holds_ms = [h * 1000 for h in outcome.holds]
    ok = all(status in (200, 302) for _kind, status, _s, _e in outcome.requests)
    note = (f"{args.certificates} certificates in {outcome.job_seconds:.1f} s ({outcome.job_status}); "
            f"{len(holds_ms)} write transactions of the job")
    lines = [result("job write-lock hold during a certificate batch (sqlite)", "< 1000 ms", "ms", holds_ms,
                    met=bool(holds_ms) and max(holds_ms) < 1000, note=note)]
    for kind in ("log-in", "autosave", "submit"):
        times = [seconds * 1000 for status, seconds in outcome.of(kind, during=True)]
        failed = sum(1 for status, _s in outcome.of(kind) if status not in (200, 302))
        lines.append(result(f"{kind} during a certificate batch (sqlite)", "all succeed, p95 < 1000 ms", "ms", times,
                            limit=1000, note=f"{len(times)} during the batch, {failed} failed"))
        lines[-1]["met"] = bool(lines[-1]["met"]) and ok
    emit(lines, args.json)


if __name__ == "__main__":
    main()
