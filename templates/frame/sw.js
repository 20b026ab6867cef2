/* Grid Academy's service worker (issue 18): the shell's static files from a cache named by their
   release, and the offline page (in both languages) when a page cannot be reached. Pages themselves always come from the
   server (they carry personal data and must never be stale); exam answers and case drafts are kept
   by their own pages. Rendered by academy/web/frame.py. */
"use strict";
const CACHE = "academy-shell-{{ release }}";
const SHELL = {{ urls|tojson }};
const OFFLINE = {{ offline_url|tojson }};

/* The offline page must be kept, or the worker is of no use and does not install (the next page
   load tries again). The shell's other files are kept when they arrive: one that fails on a poor
   network is fetched, and kept, the first time a page asks for it. */
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE)
    .then((cache) => cache.add(OFFLINE).then(() => Promise.all(SHELL.filter((url) => url !== OFFLINE)
      .map((url) => cache.add(url).catch(() => null)))))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((name) => name.startsWith("academy-shell-") && name !== CACHE)
      .map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

/* Only the listed files come from the cache (their release names it), and the vendored libraries,
   whose addresses carry their pinned version; every other file is the server's, as without a worker. */
function fromCache(url) {
  return url.origin === self.location.origin &&
    (SHELL.includes(url.pathname + url.search) || url.pathname.startsWith("/vendor/"));
}

function cacheFirst(request) {
  return caches.match(request).then((hit) => hit || fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  }));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
    return;
  }
  if (fromCache(url)) {
    event.respondWith(cacheFirst(request));
  }
});
