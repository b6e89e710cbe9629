// The tablet app's service worker: keeps the app's own files (the shell) so the app
// opens with no network. The cache is named after a digest of the shell, filled in
// by the server; a new release installs a new cache and drops the old ones. Calls to
// the API are never cached here: what the inspector works on is kept, encrypted, in
// IndexedDB by the app itself.
const CACHE = "anjian-m-__VERSION__";
const SHELL = ["__SHELL__"];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL.map((u) => new Request(u, { cache: "reload" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !url.pathname.startsWith("/m/")) return;
  const key = url.pathname === "/m/" ? "/m/index.html" : url.pathname;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(key);
    return hit || fetch(event.request);
  })());
});
