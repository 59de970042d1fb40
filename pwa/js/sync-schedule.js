// When the service worker syncs: one sync at a time (a trigger during a sync
// runs one more after it), after each local write, at once when a conflict is
// resolved, and at once when the device is back online, also out of a retry
// wait. No DOM and no worker globals: node tests it.
export const SYNC_TAG = "polku-sync";

// `registration`: the worker's (its Background Sync, where the browser has
// it); `notify`: tells the open pages that a sync ended.
export function syncScheduler({ client, registration, notify }) {
  let running = null;
  let again = false;

  function runSync(options) {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let result;
      do {
        again = false;
        result = await client.syncWithRetry(options);
      } while (again);
      return result;
    })().finally(() => {
      running = null;
      return notify();
    });
    return running;
  }

  // After a local write: Background Sync where the browser has it (it runs
  // even after the page is closed), otherwise right away. `now` (a conflict
  // resolution, which the other devices wait for): right away as well, since
  // a registration made while an earlier one waits out the browser's backoff
  // after a failed sync is merged into it, and fires only when that ends.
  function afterWrite({ now = false } = {}) {
    const background = registration.sync ? registration.sync.register(SYNC_TAG) : Promise.reject(new Error("no Background Sync"));
    if (now) return Promise.all([background.catch(() => {}), runSync()]);
    return background.catch(() => runSync());
  }

  // Back online: the next sync starts now, also when one waits to try again.
  function online() {
    client.wake();
    return runSync();
  }

  return { runSync, afterWrite, online };
}
