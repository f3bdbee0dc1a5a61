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
      .catch(() =>
        caches.match(request, { ignoreSearch: true, ignoreVary: true }).then((hit) => hit ?? Response.error()),
      ),
  );
});
