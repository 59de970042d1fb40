// pwa/js/sync-schedule.js: when the worker syncs. A resolved conflict is
// pushed at once, reconnecting ends a retry wait, and the pages hear when
// every sync ends.
import assert from "node:assert/strict";
import { test } from "node:test";

import { memoryBackend } from "../../pwa/js/backend-memory.js";
import { STORE_NAMES, Store } from "../../pwa/js/store.js";
import { SyncClient } from "../../pwa/js/sync-client.js";
import { SYNC_TAG, syncScheduler } from "../../pwa/js/sync-schedule.js";

const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

// A client whose syncs the test ends one by one.
function manualClient() {
  const syncs = [];
  return {
    syncs,
    woken: 0,
    wake() {
      this.woken++;
    },
    syncWithRetry(options) {
      return new Promise((resolve) => syncs.push({ options, end: () => resolve({ ok: true }) }));
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test("one sync at a time: triggers during a sync make one more, and the pages hear of each end", async () => {
  const client = manualClient();
  let notified = 0;
  const { runSync } = syncScheduler({ client, registration: {}, notify: async () => void notified++ });
  const first = runSync();
  runSync();
  runSync();
  await tick();
  assert.equal(client.syncs.length, 1);
  client.syncs[0].end();
  await tick();
  assert.equal(client.syncs.length, 2, "one more for the triggers that came meanwhile");
  client.syncs[1].end();
  assert.deepEqual(await first, { ok: true });
  assert.equal(notified, 1);
  runSync();
  await tick();
  client.syncs[2].end();
  await tick();
  assert.equal(notified, 2);
});

test("a write registers Background Sync; a resolved conflict also syncs at once", async () => {
  const client = manualClient();
  const tags = [];
  const registration = { sync: { register: async (tag) => void tags.push(tag) } };
  const { afterWrite } = syncScheduler({ client, registration, notify: async () => {} });
  await afterWrite();
  assert.deepEqual(tags, [SYNC_TAG]);
  assert.equal(client.syncs.length, 0, "the browser fires it");
  // A registration merged into one that waits out the browser's backoff
  // would fire only after it: the resolution does not wait for that.
  afterWrite({ now: true });
  await tick();
  assert.deepEqual(tags, [SYNC_TAG, SYNC_TAG]);
  assert.equal(client.syncs.length, 1);
});

test("without Background Sync every write syncs right away", async () => {
  const client = manualClient();
  const { afterWrite } = syncScheduler({ client, registration: {}, notify: async () => {} });
  afterWrite();
  await tick();
  assert.equal(client.syncs.length, 1);
});

test("back online: a sync waiting to retry tries again at once", async () => {
  const store = new Store(memoryBackend(STORE_NAMES));
  await store.setMeta({ device_id: "dev", token: "t", user: { id: 7, name: "Sanna" } });
  let up = false;
  const calls = [];
  const fetch = async (path) => {
    calls.push(path);
    if (!up) throw new TypeError("Failed to fetch");
    if (path === "/app/session.json") return json({ logged_in: false });
    if (path.startsWith("/api/sync/pull")) return json({ changes: [], removals: [], conflicts: [], cursor: "c1", more: false });
    if (path === "/api/sync/signers") return json({ signers: [] });
    return json({ nonces: [] });
  };
  const waits = [];
  // A retry wait that never ends by itself: only wake() ends it.
  const sleep = (ms) => new Promise(() => waits.push(ms));
  const client = new SyncClient({ store, fetch, sleep, random: () => 1 });
  const { runSync, online } = syncScheduler({ client, registration: {}, notify: async () => {} });
  const result = runSync({ attempts: 4, baseDelayMs: 60_000 });
  while (!waits.length) await tick();
  assert.deepEqual(waits, [60_000], "offline: waiting a minute to try again");
  up = true;
  await online();
  assert.deepEqual(await result, { ok: true });
  assert.equal(waits.length, 1, "no wait ran out");
  assert.ok((await store.meta()).last_sync_ok);
});
