// The service worker: caches the app shell, answers the app's routes from
// IndexedDB (js/local-server.js) and runs the sync client. It may be stopped
// at any moment, so every piece of state lives in IndexedDB, never here.
// Its scope is the whole origin, but outside /app/ it answers nothing except
// navigations in hand-over mode (js/handover-guard.js).
import { idbBackend } from "./js/backend-idb.js";
import { handoverGuard } from "./js/handover-guard.js";
import { createLocalServer } from "./js/local-server.js";
import { lockOf, noteUse } from "./js/lock-gate.js";
import { SHELL } from "./js/shell.js";
import { STORE_NAMES, Store } from "./js/store.js";
import { SyncClient } from "./js/sync-client.js";
import { SYNC_TAG, syncScheduler } from "./js/sync-schedule.js";

// The release: a hash of every other file of the app (tests/unit/test_pwa_shell.py
// checks it). A changed sw.js is what makes browsers install the new version,
// announce it, and take it on reload; IndexedDB is untouched by an update.
const VERSION = "0e8bc0144f4b";
const CACHE = `polku-shell-${VERSION}`;

const store = new Store(idbBackend(STORE_NAMES));
const client = new SyncClient({ store, fetch: (...args) => fetch(...args), label: navigator.userAgent.slice(0, 200) });
// After a sync or a check of the login: the screen that holds the device now, if any (js/lock-gate.js).
const synced = async () => ({ type: "synced", lock: lockOf(await store.meta()) });

const { runSync, afterWrite, online } = syncScheduler({
  client,
  registration: self.registration,
  notify: async () => {
    for (const window of await self.clients.matchAll({ type: "window" })) window.postMessage(await synced());
  },
});

let catalogs = null;
async function loadCatalogs() {
  catalogs ||= Promise.all(
    ["fi", "sv", "en"].map(async (lang) => {
      const response = (await caches.match(`/app/locales/${lang}.json`)) || (await fetch(`/app/locales/${lang}.json`));
      return [lang, await response.json()];
    }),
  ).then(Object.fromEntries);
  catalogs.catch(() => {
    catalogs = null; // not cached yet and offline: try again on the next page
  });
  return catalogs;
}

const handle = createLocalServer({ store, client, catalogs: loadCatalogs, afterWrite });
const guard = handoverGuard(store);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" })))),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("polku-shell-") && name !== CACHE) await caches.delete(name);
      }
      // The first page load is not controlled: take it over now.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "sync") event.waitUntil(runSync());
  if (event.data?.type === "online") event.waitUntil(online());
  if (event.data?.type === "skip-waiting") self.skipWaiting();
  // The app lock (js/lock-gate.js): typing or tapping in a page is use; back
  // in view, the browser's login is asked again, and the page's status then.
  if (event.data?.type === "active") event.waitUntil(store.meta().then((meta) => noteUse(store, meta, Date.now())));
  if (event.data?.type === "lock-check") {
    event.waitUntil(client.checkUser().catch(() => {}).then(async () => event.source?.postMessage(await synced())));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag !== SYNC_TAG) return;
  // One attempt; a failure makes the browser schedule the sync again later.
  event.waitUntil(
    runSync({ attempts: 1 }).then((result) => {
      if (!result.ok && result.kind === "offline") throw new Error("sync failed; retry later");
    }),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (!url.pathname.startsWith("/app/") || url.pathname === "/app/session.json" || url.pathname === "/app/sw.js") {
    // Not the app's own: the browser's, except a navigation in hand-over mode.
    const answer = guard.answer(request);
    if (answer) event.respondWith(answer);
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(request)));
    return;
  }
  event.respondWith(
    handle(request)
      .then(async (response) => {
        // A post may have started or ended hand-over mode (or wiped the device):
        // the guard knows before the answer arrives.
        if (request.method !== "GET") await guard.refresh();
        return response;
      })
      .catch(
        (error) => new Response(`Polku: ${error.message}`, { status: 500, headers: { "Content-Type": "text/plain; charset=utf-8" } }),
      ),
  );
});
