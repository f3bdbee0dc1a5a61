// LayerLab's service worker: after the first visit the playground also works
// offline. Same-origin GET requests go to the network first (a new release is
// picked up at once) and fall back to the cache. The page puts what its first
// visit loaded into the same cache (index.html), since this worker was not
// running yet to see those requests.

const CACHE = 'layerlab-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
        }
        return response;
      })
      .catch(() => offline(request)),
  );
});

// Offline: the cached copy; for a page load with no copy of its own (a
// sub-path, `index.html`), the playground's page.
const MATCH = { ignoreSearch: true, ignoreVary: true };
async function offline(request) {
  const hit = await caches.match(request, MATCH);
  if (hit) return hit;
  if (request.mode === 'navigate') {
    const page = (await caches.match(new URL('./', self.location.href).href, MATCH))
      ?? (await caches.match(new URL('./index.html', self.location.href).href, MATCH));
    if (page) return page;
  }
  return Response.error();
}
