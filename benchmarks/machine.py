"""The machine a benchmark ran on, the memory its processes used, and the gunicorn it ran against."""
from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
import urllib.request
from datetime import UTC, datetime

import psutil

from benchmarks.common import ROOT

WORKERS, THREADS = 4, 4  # gunicorn for 2 cores: as the README's production recipe, with threads


def machine_facts() -> dict:
    """Date, cores, memory, CPU model and load average, for the results' header."""
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "")
    except OSError:
        pass
    return {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "cores": os.cpu_count(), "cpu": model,
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1), "load": [round(x, 2) for x in os.getloadavg()]}


class MemorySampler:
    """The peak resident memory of a process and its children, sampled every half second."""

    def __init__(self, pid: int | None) -> None:
        self.pid, self.peak_mb, self._stop = pid, None, threading.Event()

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                root = psutil.Process(self.pid)
                total = sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
                self.peak_mb = max(self.peak_mb or 0, total / 2**20)
            except psutil.Error:
                pass
            self._stop.wait(0.5)

    def __enter__(self) -> MemorySampler:
        if self.pid:
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on the given environment's database, on a free port, stopped on leaving."""

    def __init__(self, env: dict) -> None:
        self.env, self.port = env, free_port()
        self.base_url, self.pid, self.process = f"http://127.0.0.1:{self.port}", None, None

    def __enter__(self) -> Server:
        command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", str(WORKERS), "--threads", str(THREADS),
                   "-b", f"127.0.0.1:{self.port}", "--timeout", "120", "wsgi:app"]
        self.log = open(ROOT / "instance" / f"bench-gunicorn-{self.port}.log", "w")
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        self.pid = self.process.pid
        for _n in range(120):
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=2):
                    return self
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer on {self.base_url}")

    def __exit__(self, *_exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
