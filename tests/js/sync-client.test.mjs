// pwa/js/sync-client.js against a fake server: registration, batched push,
// pull pages, 401 → log in again, failures that keep the outbox, backoff,
// another user's login, and what signing offline needs (signers, nonces).
import assert from "node:assert/strict";
import { test } from "node:test";

import { memoryBackend } from "../../pwa/js/backend-memory.js";
import { STORE_NAMES, Store } from "../../pwa/js/store.js";
import { MAX_BATCH, SyncClient } from "../../pwa/js/sync-client.js";

const json = (status, body) => ({ status, ok: status >= 200 && status < 300, json: async () => body });

// Just enough of the server: it remembers mutation ids (idempotency) and
// serves what was pushed back as one change per record.
class FakeServer {
  constructor() {
    this.loggedIn = true;
    this.applied = new Map(); // mutation id -> mutation
    this.records = new Map(); // record key -> {version, fields}
    this.pushes = [];
    this.tokens = new Set();
    this.down = false;
    this.dropAnswer = false; // apply the push, then lose the connection
    this.reject = () => null;
    this.pageSize = 1000;
    this.sessionUser = { id: 7, name: "Sanna" };
    this.signers = [{ representative_id: "rep-1", name: "Jari", employer_id: "emp-1", credentials: [{ id: "AAEC", transports: ["usb"] }] }];
    this.pool = ["a", "b"].map((c) => ({ nonce: c.repeat(64), expires_at: "2099-01-01T00:00:00+00:00" }));
    this.signingDown = false;
  }

  fetch = async (path, init = {}) => {
    if (this.down) throw new TypeError("Failed to fetch");
    const auth = init.headers?.Authorization?.replace("Bearer ", "");
    if (path === "/app/session.json") {
      return json(200, { logged_in: this.loggedIn, user: this.loggedIn ? this.sessionUser : null, csrf_token: "t" });
    }
    if (path === "/api/sync/devices") {
      assert.equal(init.headers["X-CSRFToken"], "t");
      this.issued = (this.issued || 0) + 1;
      const token = `token-${this.issued}`;
      this.tokens.add(token);
      return json(201, { token, user: { id: 7, name: "Sanna", language: "sv" } });
    }
    if (path === "/logout") {
      assert.equal(init.body, "csrf_token=t");
      assert.equal(init.redirect, "manual");
      this.loggedIn = false;
      this.logouts = (this.logouts || 0) + 1;
      return { status: 0, ok: false, type: "opaqueredirect" };
    }
    if (!this.tokens.has(auth)) return json(401, { error: { status: 401 } });
    if (path === "/api/sync/push") return this.push(JSON.parse(init.body).mutations);
    if (path.startsWith("/api/sync/pull")) return this.pull(new URLSearchParams(path.split("?")[1] || ""));
    if (path === "/api/sync/signers") return this.signingDown ? json(503, {}) : json(200, { signers: this.signers });
    if (path === "/api/sync/nonces") {
      this.nonceRequests = (this.nonceRequests || []).concat(JSON.parse(init.body).count);
      return json(200, { nonces: this.pool });
    }
    return json(404, {});
  };

  push(mutations) {
    assert.ok(mutations.length <= MAX_BATCH, "at most 500 per push");
    this.pushes.push(mutations.length);
    this.pushed = (this.pushed || []).concat([mutations.map((m) => m.record_type)]);
    const results = mutations.map((m) => {
      if (this.applied.has(m.mutation_id)) return { mutation_id: m.mutation_id, status: "duplicate" };
      const errors = this.reject(m);
      if (errors) return { mutation_id: m.mutation_id, status: "rejected", errors };
      this.applied.set(m.mutation_id, m);
      const key = `${m.record_type}:${m.record_id}`;
      const record = this.records.get(key) || { version: 0, fields: {}, type: m.record_type, id: m.record_id };
      record.version += 1;
      record.fields = { ...record.fields, ...m.fields };
      record.stamps = Object.fromEntries(Object.keys(m.fields).map((f) => [f, m.stamp]));
      this.records.delete(key);
      this.records.set(key, record); // feed order: last changed last
      return { mutation_id: m.mutation_id, status: "applied", version: record.version };
    });
    if (this.dropAnswer) {
      this.dropAnswer = false;
      throw new TypeError("connection reset");
    }
    return json(200, { results, server_time_ms: 0 });
  }

  pull(params) {
    const position = Number(params.get("cursor") || 0);
    const all = [...this.records.values()];
    const slice = all.slice(position, position + this.pageSize);
    return json(200, {
      changes: slice.map((r) => ({
        record_type: r.type, record_id: r.id, version: r.version, deleted: false, fields: r.fields, stamps: r.stamps,
      })),
      removals: [],
      conflicts: [],
      cursor: String(position + slice.length),
      more: position + slice.length < all.length,
      server_time_ms: 0,
    });
  }
}

function setup() {
  let n = 0;
  const store = new Store(memoryBackend(STORE_NAMES), {
    uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
  });
  const server = new FakeServer();
  const delays = [];
  const client = new SyncClient({
    store, fetch: server.fetch, sleep: async (ms) => void delays.push(ms), random: () => 1,
  });
  return { store, server, client, delays };
}

const goal = (i) => `10000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

test("registers the device after login, then pushes and pulls", async () => {
  const { store, server, client } = setup();
  await client.ensureDevice();
  await store.save("goal", goal(1), { title: "a" });
  const result = await client.syncWithRetry();
  assert.deepEqual(result, { ok: true });
  const meta = await store.meta();
  assert.equal(meta.token, "token-1");
  assert.equal(meta.lang, "sv", "the user's language becomes the app's");
  assert.ok(meta.last_sync_ok);
  assert.equal((await store.outbox()).length, 0);
  assert.equal((await store.record("goal", goal(1))).server.version, 1);
  assert.equal(server.applied.size, 1);
});

test("no request goes through the browser's HTTP cache (personal data)", async () => {
  const { store, server, client } = setup();
  const caching = [];
  const fetch = server.fetch;
  server.fetch = async (path, init = {}) => {
    caching.push([path.split("?")[0], init.cache]);
    return fetch(path, init);
  };
  client.fetch = server.fetch;
  await client.ensureDevice();
  await store.save("goal", goal(1), { title: "a" });
  assert.deepEqual(await client.syncWithRetry(), { ok: true });
  await client.logout();
  const paths = new Set(caching.map(([path]) => path));
  for (const path of ["/app/session.json", "/api/sync/devices", "/api/sync/push", "/api/sync/pull",
    "/api/sync/signers", "/api/sync/nonces", "/api/sync/logout", "/logout"]) {
    assert.ok(paths.has(path), `${path} was requested`);
  }
  assert.deepEqual(caching.filter(([, cache]) => cache !== "no-store"), []);
});

test("not logged in: nothing is sent and the app is told to log in", async () => {
  const { store, server, client } = setup();
  server.loggedIn = false;
  const result = await client.syncWithRetry();
  assert.deepEqual(result, { ok: false, kind: "login" });
  assert.equal((await store.meta()).token, undefined);
});

test("pushes the outbox in batches of at most 500", async () => {
  const { store, server, client } = setup();
  await client.ensureDevice();
  for (let i = 0; i < 1203; i++) await store.save("goal", goal(i), { title: `g${i}` });
  await client.push();
  assert.deepEqual(server.pushes, [500, 500, 203]);
  assert.equal((await store.outbox()).length, 0);
});

test("pulls every page and saves the cursor", async () => {
  const { store, server, client } = setup();
  await client.ensureDevice();
  for (let i = 0; i < 5; i++) await store.save("goal", goal(i), { title: `g${i}` });
  await client.push();
  server.pageSize = 2;
  await client.pull();
  assert.equal((await store.meta()).cursor, "5");
  assert.equal((await store.snapshot()).byType.goal.length, 5);
});

test("offline: the outbox stays, the error is recorded, retries back off", async () => {
  const { store, server, client, delays } = setup();
  await client.ensureDevice();
  await store.save("goal", goal(1), { title: "a" });
  server.down = true;
  const result = await client.syncWithRetry({ attempts: 4, baseDelayMs: 1000 });
  assert.deepEqual(result, { ok: false, kind: "offline" });
  assert.deepEqual(delays, [1000, 2000, 4000]);
  assert.equal((await store.outbox()).length, 1);
  assert.equal((await store.meta()).last_error.kind, "offline");
  server.down = false;
  assert.deepEqual(await client.syncWithRetry(), { ok: true });
  assert.equal((await store.meta()).last_error, null);
});

test("the answer lost after the server applied: the retry is a duplicate, nothing twice", async () => {
  const { store, server, client } = setup();
  await client.ensureDevice();
  await store.save("goal", goal(1), { title: "a" });
  server.dropAnswer = true;
  await client.syncWithRetry({ attempts: 1 });
  assert.equal((await store.outbox()).length, 1, "unanswered entries stay");
  assert.deepEqual(await client.syncWithRetry(), { ok: true });
  assert.equal(server.applied.size, 1);
  assert.equal(server.records.get(`goal:${goal(1)}`).version, 1);
  assert.equal((await store.outbox()).length, 0);
});

test("an expired device session keeps the outbox and pushes it after logging in again", async () => {
  const { store, server, client } = setup();
  await client.ensureDevice();
  await store.save("goal", goal(1), { title: "a" });
  server.tokens.clear(); // expired on the server
  assert.deepEqual(await client.syncWithRetry(), { ok: true }, "re-registered with the cookie session");
  assert.equal((await store.meta()).token, "token-2");
  server.tokens.clear();
  server.loggedIn = false;
  await store.save("goal", goal(2), { title: "b" });
  assert.deepEqual(await client.syncWithRetry(), { ok: false, kind: "login" });
  assert.equal((await store.meta()).needs_login, true);
  assert.equal((await store.outbox()).length, 1);
  server.loggedIn = true;
  assert.deepEqual(await client.syncWithRetry(), { ok: true });
  assert.equal((await store.meta()).needs_login, false);
  assert.equal((await store.outbox()).length, 0);
});

test("the browser's login ended (hand-over mode): the device syncs on with its token, not locked", async () => {
  const { store, server, client } = setup();
  await client.ensureDevice();
  assert.equal(await client.endBrowserSession(), true);
  assert.equal(server.logouts, 1);
  assert.equal(await client.endBrowserSession(), false, "nobody logged in: nothing to end");
  assert.equal(server.logouts, 1);
  await store.save("goal", goal(1), { title: "a" });
  assert.deepEqual(await client.syncWithRetry(), { ok: true });
  const meta = await store.meta();
  assert.equal(meta.other_user, undefined, "nobody logged in is not another user");
  assert.equal(meta.needs_login, false);
  assert.equal(server.applied.size, 1);
  server.tokens.clear(); // the device session expires too: now a login is needed
  assert.deepEqual(await client.syncWithRetry(), { ok: false, kind: "login" });
});

test("another user's login cannot push this device's data", async () => {
  const { store, server, client } = setup();
  await client.ensureDevice();
  await store.setMeta({ user: { id: 99, name: "Mikko" }, needs_login: true });
  server.tokens.clear();
  assert.deepEqual(await client.syncWithRetry(), { ok: false, kind: "wrong_user" });
});

test("a rejected mutation is never dropped: it waits in the attention list", async () => {
  const { store, server, client } = setup();
  await client.ensureDevice();
  server.reject = (m) => (m.fields.title === "" ? { title: ["must not be blank"] } : null);
  await store.save("goal", goal(1), { title: "" });
  await store.save("goal", goal(2), { title: "ok" });
  assert.deepEqual(await client.syncWithRetry(), { ok: true });
  const { attention, pendingCount } = await store.snapshot();
  assert.equal(pendingCount, 0);
  assert.equal(attention.length, 1);
  assert.deepEqual(attention[0].errors, { title: ["must not be blank"] });
});

test("a 413 halves the batch and goes on", async () => {
  const { store, server, client } = setup();
  await client.ensureDevice();
  for (let i = 0; i < 4; i++) await store.save("goal", goal(i), { title: `g${i}` });
  const push = server.push.bind(server);
  let refused = false;
  server.push = (mutations) => {
    if (!refused) {
      refused = true;
      return json(413, { error: { status: 413 } });
    }
    return push(mutations);
  };
  await client.push();
  assert.equal(client.batchSize, 250);
  assert.equal((await store.outbox()).length, 0);
});

test("another user's login locks the device even with a live device session; the owner's login opens it", async () => {
  const { store, server, client } = setup();
  await client.ensureDevice();
  await store.save("goal", goal(1), { title: "a" });
  server.sessionUser = { id: 8, name: "Mikko" };
  assert.deepEqual(await client.syncWithRetry(), { ok: false, kind: "wrong_user" });
  assert.equal((await store.meta()).other_user, true);
  assert.equal(server.applied.size, 0, "nothing pushed under another user's login");
  server.loggedIn = false; // the other user logs out: still locked
  await client.syncWithRetry();
  assert.equal((await store.meta()).other_user, true);
  server.loggedIn = true;
  server.sessionUser = { id: 7, name: "Sanna" };
  assert.deepEqual(await client.syncWithRetry(), { ok: true });
  assert.equal((await store.meta()).other_user, false);
  assert.equal(server.applied.size, 1);
});

test("each sync also fetches the signers and tops up the nonce pool, kept for offline use", async () => {
  const { store, server, client } = setup();
  assert.deepEqual(await client.syncWithRetry(), { ok: true });
  const meta = await store.meta();
  assert.deepEqual(meta.signers, server.signers);
  assert.deepEqual(meta.nonces, server.pool);
  assert.deepEqual(server.nonceRequests, [10]);
  assert.ok(meta.signing_ready_at);
  assert.equal(meta.signing_error, null);
});

test("failing to fetch signers or nonces does not fail the sync of records; it is recorded", async () => {
  const { store, server, client } = setup();
  assert.deepEqual(await client.syncWithRetry(), { ok: true });
  server.signingDown = true;
  await store.save("goal", goal(1), { title: "a" });
  assert.deepEqual(await client.syncWithRetry(), { ok: true });
  const meta = await store.meta();
  assert.equal(server.applied.size, 1);
  assert.equal(meta.last_error, null);
  assert.match(meta.signing_error.message, /server answered 503/);
  assert.deepEqual(meta.signers, server.signers, "the last good copy stays");
});

test("a push batch ends right after each sign-off", async () => {
  const { store, server, client } = setup();
  await client.ensureDevice();
  const signoff = (i) => store.save("signoff", goal(100 + i), { demonstration_id: "d", nonce: String(i).repeat(64) });
  await store.save("goal", goal(1), { title: "a" });
  await signoff(1);
  await store.save("work_demonstration", goal(2), { title: "edited after signing" });
  await signoff(2);
  await store.save("goal", goal(3), { title: "c" });
  await store.save("goal", goal(4), { title: "d" });
  await client.push();
  assert.deepEqual(server.pushed, [
    ["goal", "signoff"],
    ["work_demonstration", "signoff"],
    ["goal", "goal"],
  ]);
  assert.equal((await store.outbox()).length, 0, "every batch settled");
});

test("the owner's password (a forgotten PIN): sent once with the token and no cookie, its answer told apart", async () => {
  const store = new Store(memoryBackend(STORE_NAMES));
  await store.setMeta({ token: "token-1" });
  const sent = [];
  let answer;
  const fetch = async (path, init) => {
    sent.push({ path, init });
    if (answer instanceof Error) throw answer;
    return answer;
  };
  const client = new SyncClient({ store, fetch, sleep: async () => assert.fail("never retried") });
  const reply = (status, body = {}, headers = {}) => {
    answer = { status, ok: status >= 200 && status < 300, json: async () => body, headers: new Headers(headers) };
  };

  reply(204);
  assert.deepEqual(await client.verifyOwner("correct horse battery"), { result: "ok" });
  const [{ path, init }] = sent;
  assert.equal(path, "/app/device/verify-owner");
  assert.equal(init.method, "POST");
  assert.equal(init.credentials, "omit", "the token alone: no cookie");
  assert.equal(init.headers.Authorization, "Bearer token-1");
  assert.deepEqual(JSON.parse(init.body), { password: "correct horse battery" });

  reply(401, { error: { status: 401, message: "wrong password", fields: { password: ["wrong password"] } } });
  assert.deepEqual(await client.verifyOwner("x"), { result: "wrong" });
  assert.equal((await store.meta()).needs_login, undefined, "a wrong password is not an ended session");
  reply(429, { error: { status: 429 } }, { "Retry-After": "840" });
  assert.deepEqual(await client.verifyOwner("x"), { result: "throttled", retryAfter: 840 });
  reply(500);
  assert.deepEqual(await client.verifyOwner("x"), { result: "error" });
  answer = new TypeError("Failed to fetch");
  assert.deepEqual(await client.verifyOwner("x"), { result: "offline" });
  reply(401, { error: { status: 401, message: "device session expired: log in again" } });
  assert.deepEqual(await client.verifyOwner("x"), { result: "expired" });
  assert.equal((await store.meta()).needs_login, true, "as a sync would find");
  assert.equal(sent.length, 6, "one request each");
  assert.doesNotMatch(JSON.stringify(await store.meta()), /horse/);

  await store.setMeta({ token: null });
  assert.deepEqual(await client.verifyOwner("x"), { result: "expired" });
  assert.equal(sent.length, 6, "no token: nothing to send");
});
