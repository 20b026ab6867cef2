"""gunicorn's settings for Grid Academy; gunicorn reads this file when started from the project root
(``.venv/bin/gunicorn`` alone serves ``wsgi:app``); options on its command line still win.

- Workers: 2 per core (``WEB_CONCURRENCY`` overrides), each with 4 threads (``ACADEMY_THREADS``):
  requests mostly wait on PostgreSQL, so a thread waiting frees the core for another; more
  processes than that only add memory and contention on a small machine.
- Keep-alive 75 s: a phone autosaving every 20 s keeps its connection instead of opening a new
  one (and a TLS handshake at the proxy) each time; idle connections cost the gthread worker no thread.
- The request log is opt-in (``ACADEMY_ACCESS_LOG=-`` for stderr, or a file path): it costs CPU
  on every request, and request lines can carry search terms people typed.
- ``gc.freeze()`` once a worker has loaded the app: the ~150,000 objects made at start-up (modules,
  models, templates, catalogues) leave the collector's view, so a full collection no longer walks
  them on every cycle; measured, such a pause cost 100-140 ms of CPU, stopping all the worker's threads.
"""
import gc
import multiprocessing
import os

wsgi_app = "wsgi:app"
bind = os.environ.get("ACADEMY_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
threads = int(os.environ.get("ACADEMY_THREADS", 4))
worker_class = "gthread"
keepalive = 75
timeout = 60  # a worker silent this long is restarted (heavy work runs in jobs, not in requests)
graceful_timeout = 30
accesslog = os.environ.get("ACADEMY_ACCESS_LOG") or None
errorlog = "-"


def post_worker_init(worker):
    gc.freeze()
