"""Activation letters (issue 16): 3,500 letters rendered as the job renders them (chunks of 50 in
the render pool, joined into one merged PDF by qpdf and split into single PDFs for the .zip),
plus making and hashing their codes. Target: under 60 s, memory flat (the resident memory after
each chunk must not grow with the letters done). No database: the job's reads and its one write
(an UPDATE and an INSERT per 500 workers) are not timed here.

    .venv/bin/python benchmarks/activation_letters.py            # 3,500 letters
    .venv/bin/python benchmarks/activation_letters.py --quick --json

The runner's contract is ``benchmarks/README.md``'s: a missed target is a result, not a failure.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.certificate_pdf import GIVEN, SURNAMES, PeakSampler, cpu_seconds, rss_mb  # noqa: E402
from benchmarks.common import emit, result, runner_arguments, say  # noqa: E402

TARGET_S = 60.0


def documents(count: int):
    from academy.activation import codes
    from academy.activation.letters_pdf import LetterDocument

    for n in range(count):
        name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)] + GIVEN[(n * 3) % len(GIVEN)]
        code = codes.new_activation_code()
        codes.code_hash(code)  # what the job's write phase stores
        yield LetterDocument(name=name, number=f"W{n + 1:08d}", area_name="玄武区 / 梅园新村街道 / 社区1", code=code,
                             url=f"https://academy.example.cn/activate?code={code}",
                             page_url="https://academy.example.cn/activate", expires="2027-01-05 09:30",
                             academy_name="南京市网格学院")


def main() -> int:
    parser = runner_arguments(__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=3500)
    parser.add_argument("--quick", action="store_true", help="350 letters")
    args, _unknown = parser.parse_known_args()
    if args.quick:
        args.letters = 350

    from academy import create_app
    from academy.activation import letters_pdf
    from academy.pdf import render_processes

    app = create_app()
    with app.app_context():
        after_chunk: list[float] = []
        sampler = PeakSampler()
        sampler.start()
        began, cpu_before = time.perf_counter(), cpu_seconds()
        with tempfile.TemporaryDirectory() as folder:
            docs = list(documents(args.letters))
            merged, archive = Path(folder) / "letters.pdf", Path(folder) / "letters.zip"
            count = letters_pdf.write_letters(docs, merged, archive, progress=lambda done, total: after_chunk.append(rss_mb()))
            merged_mb, zip_mb = merged.stat().st_size / 2**20, archive.stat().st_size / 2**20
            with zipfile.ZipFile(archive) as bundle:
                singles = len(bundle.namelist())
        took, cpu_ms = time.perf_counter() - began, (cpu_seconds() - cpu_before) * 1000 / args.letters
        sampler.stop.set()
        processes = render_processes()
    growth = after_chunk[-1] - after_chunk[len(after_chunk) // 4] if len(after_chunk) > 3 else 0.0
    load = os.getloadavg()[0]
    met = took * 3500 / args.letters < TARGET_S
    say(f"{count} letters in {took:.1f} s ({count / took:.0f}/s): merged {merged_mb:.1f} MB, .zip of {singles} "
        f"{zip_mb:.1f} MB; memory after each chunk {after_chunk[0]:.0f} -> {after_chunk[-1]:.0f} MB (growth over the "
        f"last 3/4 {growth:+.0f} MB), peak {sampler.peak:.0f} MB; CPU {cpu_ms:.0f} ms a letter over {processes} "
        f"processes; load {load:.1f} (target < {TARGET_S:.0f} s for 3,500: {'met' if met else 'MISSED'})")
    row = result(f"activation letters for {args.letters} workers (merged PDF and .zip)", "3,500 in < 60 s, flat memory",
                 "s", [took], rps=count / took, peak_rss_mb=sampler.peak, met=met,
                 note=f"one run; CPU {cpu_ms:.0f} ms each over {processes} processes, memory growth {growth:+.0f} MB, "
                      f"load {load:.1f}")
    row["p95"] = row["max"] = None
    emit([row], args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
