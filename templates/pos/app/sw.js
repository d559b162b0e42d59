/* Karya POS service worker (served by Django at /pos/sw.js, scope /pos/).

   - The app (shell page, scripts, styles, icons) is stored on install: the POS starts
     without a network. A new version of any asset changes VERSION, the browser installs
     the new worker, and the old app cache is dropped.
   - The shell page is network-first (it carries the login and a fresh CSRF token), with
     a short timeout so a booth's weak connection does not leave the cashier waiting.
   - The locations list, each location's catalogue and the Lapas's QRIS image are
     network-first with the last good copy as fallback: offline, the cashier keeps selling
     from the last known products, prices and stock.
   - Anything that changes data (POST) is never touched here: sales wait in IndexedDB
     and the page sends them (static/pos/sync.js), so nothing is replayed behind the
     cashier's back. */

const VERSION = "{{ version }}";
const SHELL_URL = "{{ shell_url }}";
const PRECACHE = {{ precache|safe }};
const DATA_PREFIX = "{{ data_prefix }}";
const APP_CACHE = `karya-pos-app-${VERSION}`;
// Kept across versions: a new app version must not throw away the offline catalogue.
const DATA_CACHE = "karya-pos-data";
const SHELL_TIMEOUT_MS = 4000;

async function install() {
  const cache = await caches.open(APP_CACHE);
  await cache.addAll(PRECACHE.filter((url) => url !== SHELL_URL));
  // The shell only if it is the app: a login page (the session ended) is not kept.
  const shellResponse = await fetch(SHELL_URL, { credentials: "same-origin" });
  if (isGoodCopy(shellResponse)) await cache.put(SHELL_URL, shellResponse);
  // The new version takes over at once: the page imports all its modules at start,
  // so a running page never mixes versions.
  await self.skipWaiting();
}

self.addEventListener("install", (event) => event.waitUntil(install()));

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith("karya-pos-app-") && key !== APP_CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

function isGoodCopy(response) {
  // A redirect here is the login page (the session ended): never store that as the app.
  return response && response.ok && !response.redirected && response.type === "basic";
}

function markedStale(response) {
  // The page shows "offline catalogue from …" when it sees this header.
  const headers = new Headers(response.headers);
  headers.set("X-Pos-Cache", "stale");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function fromCache(request, cacheName, key) {
  const cache = await caches.open(cacheName);
  // ignoreVary: the server varies on Cookie and Accept-Language, which a worker's stored
  // request does not carry; the copy is still this device's own.
  return cache.match(key || request, { ignoreVary: true, ignoreSearch: !!key });
}

async function shell(request) {
  const network = fetch(request).then(async (response) => {
    if (isGoodCopy(response)) {
      const cache = await caches.open(APP_CACHE);
      await cache.put(SHELL_URL, response.clone());
    }
    return response;
  });
  network.catch(() => null); // a late failure after the timeout is not an error to report
  const timeout = new Promise((resolve) => setTimeout(resolve, SHELL_TIMEOUT_MS));
  try {
    const first = await Promise.race([network, timeout]);
    if (first) return first;
  } catch (error) {
    // offline: fall through to the stored copy
  }
  const cached = await fromCache(request, APP_CACHE, SHELL_URL);
  return cached || network;
}

async function cacheQris(catalogueResponse) {
  // The QRIS image must be there offline too; it is found in the catalogue itself.
  try {
    const data = await catalogueResponse.json();
    if (!data.qris_image_url) return;
    const url = new URL(data.qris_image_url, self.location.href);
    const sameOrigin = url.origin === self.location.origin;
    const response = await fetch(url, { mode: sameOrigin ? "same-origin" : "no-cors" });
    if (response.ok || response.type === "opaque") {
      await (await caches.open(DATA_CACHE)).put(url.href, response);
    }
  } catch (error) {
    // The image stays uncached; the dialog shows what the network gives.
  }
}

async function data(request) {
  try {
    const response = await fetch(request);
    if (isGoodCopy(response)) {
      const cache = await caches.open(DATA_CACHE);
      await cache.put(request, response.clone());
      if (new URL(request.url).pathname.endsWith("/catalogue")) cacheQris(response.clone());
    }
    return response;
  } catch (error) {
    const cached = await fromCache(request, DATA_CACHE);
    if (cached) return markedStale(cached);
    throw error;
  }
}

async function asset(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  return cached || fetch(request);
}

async function other(request) {
  // Network, else whatever copy exists (the QRIS image): never invent a response.
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await caches.match(request, { ignoreVary: true });
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    if (request.destination === "image") event.respondWith(other(request));
    return;
  }
  if (request.mode === "navigate" && url.pathname === SHELL_URL) {
    event.respondWith(shell(request));
  } else if (url.pathname.startsWith(DATA_PREFIX)) {
    event.respondWith(data(request));
  } else if (url.pathname !== SHELL_URL && PRECACHE.includes(url.pathname)) {
    // (the page's own fetch of the shell, for a fresh CSRF token, goes to the network)
    event.respondWith(asset(request));
  } else {
    event.respondWith(other(request));
  }
});

// The page asks for its data to be stored when it started before this worker controlled
// it (the very first visit): those first responses went past the worker.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "warm") {
    event.waitUntil(Promise.all(event.data.urls.map((url) => data(new Request(url)).catch(() => null))));
  }
});
