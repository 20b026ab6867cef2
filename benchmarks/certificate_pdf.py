"""Certificate PDFs (issue 8): one Chinese certificate against the same template in Latin text only,
in the same run, and a batch of 1,000 certificates into one merged PDF with flat memory.

Targets: Chinese no slower than 2x Latin (medians of ``--repeat`` renders each, after a warm-up);
the 1,000-certificate batch in under 40 s; memory flat (peak resident memory sampled every 0.1 s,
and the resident memory after each chunk, which must not grow with the certificates done).
No database: the renderer takes ``CertificateDocument`` values.

    .venv/bin/python benchmarks/certificate_pdf.py            # full: 1,000 in the batch
    .venv/bin/python benchmarks/certificate_pdf.py --quick --json

The runner's contract (``benchmarks/README.md``): the runner's arguments are accepted and those it
does not use ignored; with ``--json`` stdout carries only the result lines (``common.result``),
the readable figures go to stderr. A missed target is a result (``met`` false), not a failure:
the script exits 0 whenever it measured.
"""
from __future__ import annotations

import base64
import io
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import emit, result, runner_arguments, say  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玲红建国志强文博思远嘉怡子涵雨萱浩然"
TARGET_RATIO, TARGET_BATCH_S = 2.0, 40.0


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the batch's rendering processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakSampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak, self.stop = rss_mb(), threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.1):
            self.peak = max(self.peak, rss_mb())


def documents(count: int, latin: bool = False):
    from courses.certificates.document import CertificateDocument

    for n in range(count):
        name = f"Worker Number{n}" if latin else SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)] + GIVEN[(n * 3) % len(GIVEN)]
        number = f"SG-2026-320102-{n + 1:06d}"
        yield CertificateDocument(
            number=number, holder_name=name, holder_number=f"W{n + 1:08d}", type_code="ONDUTY",
            type_name="On-duty qualification" if latin else "上岗资格证", issued_on=date(2026, 12, 2),
            valid_until=date(2029, 12, 1), branch_name="Gulou branch" if latin else "鼓楼区分院",
            academy_name="Nanjing Grid Academy" if latin else "南京市网格学院",
            verify_url=f"https://academy.example.cn/verify/{number}", language="en" if latin else "zh_CN",
            template="onduty", evidence=("Course: Pre-service training", "Final exam 82.5 %", "48 hours") if latin
            else ("课程：上岗培训", "结业考试 82.5 分", "学时 48"), photo=holder_photo(n))


def holder_photo(n: int) -> str:
    """A photo as the record keeps it (a 450 x 600 JPEG, as ``academy.registry.photos`` re-encodes
    them), different for each holder so that no two pages share an image."""
    from PIL import Image, ImageFilter  # only the benchmark draws photos

    grain = Image.effect_noise((150, 200), 40 + n % 50).convert("RGB").resize((450, 600)).filter(ImageFilter.GaussianBlur(2))
    buffer = io.BytesIO()
    grain.save(buffer, format="JPEG", quality=85)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


def render_ms(render, doc, repeat: int) -> list[float]:
    """The time of each of ``repeat`` renders, in ms."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        render(doc)
        times.append((time.perf_counter() - began) * 1000)
    return times


def main() -> int:
    parser = runner_arguments(__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--quick", action="store_true", help="a batch of 100, 9 repeats")
    args, _unknown = parser.parse_known_args()  # the runner's other options (--duration ...) are not ours
    if args.quick:
        args.batch, args.repeat = 100, 9

    from academy import create_app, fonts
    from courses.certificates import pdf

    app = create_app()
    with app.app_context():
        zh, en = next(documents(1)), next(documents(1, latin=True))
        pdf.render_certificate(zh), pdf.render_certificate(en)  # warm-up: fonts loaded into the configuration
        zh_times = render_ms(pdf.render_certificate, zh, args.repeat)
        en_times = render_ms(pdf.render_certificate, en, args.repeat)
        zh_ms, en_ms = statistics.median(zh_times), statistics.median(en_times)
        ratio = zh_ms / en_ms
        docs, pdf_processes = list(documents(args.batch)), pdf.render_processes()
        after_chunk: list[float] = []
        sampler = PeakSampler()
        sampler.start()
        began, cpu_before = time.perf_counter(), cpu_seconds()
        with tempfile.TemporaryDirectory() as folder:
            pages = pdf.write_merged(docs, Path(folder) / "batch.pdf", progress=lambda done, total: after_chunk.append(rss_mb()))
            size_mb = (Path(folder) / "batch.pdf").stat().st_size / 2**20
        batch_s, cpu_ms = time.perf_counter() - began, (cpu_seconds() - cpu_before) * 1000 / args.batch
        sampler.stop.set()
    growth = after_chunk[-1] - after_chunk[len(after_chunk) // 4] if len(after_chunk) > 3 else 0.0
    load = os.getloadavg()[0]
    face = "GB2312 TrueType face" if fonts.face_path() else "full Noto face (run: python -m academy.fonts)"
    ratio_met, batch_met = ratio <= TARGET_RATIO, batch_s * 1000 / args.batch < TARGET_BATCH_S
    say(f"font: {face}; load average {load:.1f}")
    say(f"single certificate, median of {args.repeat}: Chinese {zh_ms:.1f} ms, Latin {en_ms:.1f} ms, ratio {ratio:.2f} "
        f"(target <= {TARGET_RATIO}: {'met' if ratio_met else 'MISSED'})")
    say(f"batch of {args.batch}: {batch_s:.1f} s ({args.batch / batch_s:.0f}/s), {pages} pages, {size_mb:.1f} MB; "
        f"resident memory after each chunk {after_chunk[0]:.0f} -> {after_chunk[-1]:.0f} MB, peak {sampler.peak:.0f} MB in this "
        f"process, CPU {cpu_ms:.0f} ms per certificate over {pdf_processes} processes "
        f"(target < {TARGET_BATCH_S:.0f} s for 1,000: {'met' if batch_met else 'MISSED'})")
    batch = result(f"certificate batch of {args.batch} (one merged PDF)", "1,000 in < 40 s, flat memory", "s", [batch_s],
                   rps=args.batch / batch_s, peak_rss_mb=sampler.peak, met=batch_met,
                   note=f"one run; {pages} pages, {size_mb:.1f} MB, CPU {cpu_ms:.0f} ms each over {pdf_processes} processes, "
                        f"memory growth over the last 3/4 {growth:+.0f} MB, load {load:.1f}")
    batch["p95"] = batch["max"] = None  # one timed run: its time is the median column's
    emit([result("certificate PDF, Chinese vs Latin (same template, same run)", f"ratio <= {TARGET_RATIO}", "ms", zh_times,
                 rps=1000 / zh_ms, met=ratio_met,
                 note=f"{args.repeat} Chinese renders; Latin median {en_ms:.1f} ms, ratio of the medians {ratio:.2f}, "
                      f"{face}, load {load:.1f}"),
          batch], args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
