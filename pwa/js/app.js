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

// Export of unsynced changes: the file is made from a Blob in the page,
// since a download answered by the service worker is not saved everywhere.
document.addEventListener("click", async (event) => {
  const link = event.target.closest?.("a[data-export]");
  if (!link) return;
  event.preventDefault();
  const blob = await (await fetch(link.href)).blob();
  const save = document.createElement("a");
  save.href = URL.createObjectURL(blob);
  save.download = link.getAttribute("download");
  document.body.append(save);
  save.click();
  save.remove();
  setTimeout(() => URL.revokeObjectURL(save.href), 10_000);
});

// A page restored from the back/forward cache was not asked of the service
// worker: load it again, so a locked device (hand-over mode, another user's
// login) shows its lock screen instead of an earlier page.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) location.reload();
});

async function start() {
  const registration = await worker.register("/app/sw.js", { type: "module", scope: "/app/" });
  let reloading = false;
  worker.addEventListener("controllerchange", () => {
    // First install (the page was not controlled) or an accepted update.
    if (!reloading) {
      reloading = true;
      location.reload();
    }
  });
  if (!worker.controller) return; // the bootstrap page: reload once the worker has claimed it

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

  worker.addEventListener("message", (event) => {
    if (event.data?.type === "synced") document.body.dispatchEvent(new CustomEvent("polku-synced"));
  });
  window.addEventListener("online", requestSync);
  setInterval(requestSync, SYNC_EVERY_MS);
  requestSync();
  navigator.storage?.persist?.();
}

if (worker) start();
