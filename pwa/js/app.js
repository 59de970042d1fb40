// The page's side of the app: install the service worker, tell it when to
// sync (start, back online, every minute), announce a new version, and ask
// for storage that the browser will not evict. The service worker does the rest.
import "./handover-page.js";

const SYNC_EVERY_MS = 60_000;

const worker = navigator.serviceWorker;

function requestSync() {
  worker.controller?.postMessage({ type: "sync" });
}

// A new version waits until the coach takes it: the banner's button activates
// it and the page reloads into it. Local data lives in IndexedDB and stays.
let waiting = null;
function showUpdate() {
  const banner = document.getElementById("update");
  if (!waiting || !banner) return;
  banner.hidden = false;
  document.getElementById("update-button").onclick = () => waiting.postMessage({ type: "skip-waiting" });
}

// Export of unsynced changes (a confirmed post, with the form's token): the
// file is made from a Blob in the page, since a download answered by the
// service worker is not saved everywhere. Then the page says it is done.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!form.matches?.("form[data-export]")) return;
  event.preventDefault();
  const response = await fetch(form.action, { method: "POST", body: new URLSearchParams(new FormData(form)) });
  if (!response.ok) {
    form.submit(); // a plain post: its answer (a refusal) shown as a page
    return;
  }
  const blob = await response.blob();
  const save = document.createElement("a");
  save.href = URL.createObjectURL(blob);
  save.download = form.dataset.file;
  document.body.append(save);
  save.click();
  save.remove();
  setTimeout(() => URL.revokeObjectURL(save.href), 10_000);
  location.assign(form.dataset.done);
});

// The app lock (js/lock-gate.js): typing and tapping tell the worker the app
// is in use (at most every 30 s); back in view, it checks the browser's login.
let used = 0;
function use() {
  if (Date.now() - used < 30_000) return;
  used = Date.now();
  worker?.controller?.postMessage({ type: "active" });
}
for (const type of ["keydown", "pointerdown"]) document.addEventListener(type, use, { capture: true, passive: true });
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") worker?.controller?.postMessage({ type: "lock-check" });
});

// A page restored from the back/forward cache was not asked of the service
// worker: load it again, so a locked device (hand-over mode, another user's
// login) shows its lock screen instead of an earlier page.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) location.reload();
});

// The worker's scope is the whole origin: in hand-over mode it keeps the
// server's pages behind the lock too (js/handover-guard.js). Installs from
// before were registered for /app/ only. Once the origin's worker runs, that
// registration is removed and the page reloads into the new one; until then
// the old one goes on serving.
const SCOPE = "/";

function activated(registration) {
  return new Promise((resolve) => {
    const watch = (candidate) => {
      if (!candidate) return;
      if (candidate.state === "activated") resolve(candidate);
      candidate.addEventListener("statechange", () => candidate.state === "activated" && resolve(candidate));
    };
    watch(registration.active);
    watch(registration.waiting);
    watch(registration.installing);
    registration.addEventListener("updatefound", () => watch(registration.installing));
  });
}

async function leaveOldScopes(registration) {
  if (new URL(registration.scope).pathname !== SCOPE) return false; // the new one could not be registered
  const old = (await worker.getRegistrations()).filter((r) => new URL(r.scope).pathname !== SCOPE);
  if (old.length === 0) return false;
  activated(registration).then(async () => {
    for (const r of old) await r.unregister();
    // Not clients.claim(): the old registration matches this page until it has
    // none left. The reload's request already goes to the origin's worker.
    location.reload();
  });
  return true;
}

async function start() {
  let registration;
  try {
    registration = await worker.register("/app/sw.js", { type: "module", scope: SCOPE });
  } catch {
    // Offline while moving from an old scope (the new worker cannot be fetched): the old one goes on.
    registration = await worker.getRegistration();
    if (!registration) return;
  }
  let reloading = false;
  worker.addEventListener("controllerchange", () => {
    // First install (the page was not controlled) or an accepted update.
    if (!reloading) {
      reloading = true;
      location.reload();
    }
  });
  if (!worker.controller) return; // the bootstrap page: reload once the worker has claimed it

  // While moving, the new registration's first install is no update to announce.
  if (!(await leaveOldScopes(registration))) {
    const track = (candidate) => {
      candidate.addEventListener("statechange", () => {
        if (candidate.state === "installed" && worker.controller) {
          waiting = candidate;
          showUpdate();
        }
      });
    };
    if (registration.waiting) {
      waiting = registration.waiting;
      showUpdate();
    }
    registration.addEventListener("updatefound", () => track(registration.installing));
    // htmx swaps the body on navigation: show the banner again in the new one.
    document.addEventListener("htmx:afterSettle", showUpdate);
  }

  worker.addEventListener("message", (event) => {
    if (event.data?.type !== "synced") return;
    // Locked meanwhile (e.g. the device was cut off, or logged out elsewhere): to that screen.
    const lock = event.data.lock;
    if (lock && location.pathname !== lock && !location.pathname.startsWith(`${lock}/`)) location.assign(lock);
    else document.body.dispatchEvent(new CustomEvent("polku-synced"));
  });
  // Back online: the worker starts a sync at once, also out of a retry wait.
  window.addEventListener("online", () => worker.controller?.postMessage({ type: "online" }));
  setInterval(requestSync, SYNC_EVERY_MS);
  requestSync();
  navigator.storage?.persist?.();
}

if (worker) start();
