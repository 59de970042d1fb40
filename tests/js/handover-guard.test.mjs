// pwa/js/handover-guard.js: what the worker does with requests outside /app/
// (its scope is the whole origin). Nothing, unless the device is in hand-over
// mode and the request is a navigation: then the hand-over screen.
import assert from "node:assert/strict";
import { test } from "node:test";

import { memoryBackend } from "../../pwa/js/backend-memory.js";
import { handoverGuard } from "../../pwa/js/handover-guard.js";
import { STORE_NAMES, Store } from "../../pwa/js/store.js";

const BASE = "http://localhost:5000";
// Node's Request cannot be made with mode "navigate": the guard reads only these.
const navigation = (path, method = "GET") => ({ url: BASE + path, mode: "navigate", method });
const xhr = (path) => ({ url: BASE + path, mode: "cors", method: "GET" });

function setup() {
  const store = new Store(memoryBackend(STORE_NAMES));
  const fetched = [];
  const fetch = async (request) => {
    fetched.push(request.url.slice(BASE.length));
    return new Response("from the server");
  };
  return { store, fetched, guard: () => handoverGuard(store, { fetch }) };
}

const handover = { demonstration_id: "d-1", stage: "sign", lang: "fi", failures: 0, retry_at: 0 };

test("not in hand-over mode: nothing outside the app is answered", async () => {
  const { store, guard: make } = setup();
  await store.setMeta({ user: { id: 7 } });
  const guard = make();
  await guard.refresh();
  assert.equal(guard.state(), false);
  for (const path of ["/vouchers/", "/review/returns", "/login", "/employer/keys", "/app/session.json"]) {
    assert.equal(guard.answer(navigation(path)), null, path);
  }
  assert.equal(guard.answer(navigation("/login", "POST")), null);
  assert.equal(guard.answer(xhr("/api/sync/pull")), null);
});

test("in hand-over mode every navigation leads to the hand-over screen; fetch/XHR go on", async () => {
  const { store, fetched, guard: make } = setup();
  await store.setMeta({ handover });
  const guard = make();
  await guard.refresh();
  for (const path of ["/vouchers/", "/review/returns", "/coach", "/login", "/", "/app/session.json", "/logout"]) {
    const response = await guard.answer(navigation(path, path === "/logout" ? "POST" : "GET"));
    assert.equal(response.status, 303, path);
    assert.equal(response.headers.get("Location"), `${BASE}/app/handover`, path);
  }
  assert.equal(guard.answer(xhr("/api/sync/push")), null);
  assert.equal(guard.answer(xhr("/vouchers/")), null);
  assert.deepEqual(fetched, []);
});

test("a navigation before the mode is read waits for it (the worker just started)", async () => {
  const { store, fetched, guard: make } = setup();
  await store.setMeta({ handover });
  const locked = await make().answer(navigation("/vouchers/"));
  assert.equal(locked.headers.get("Location"), `${BASE}/app/handover`);

  await store.setMeta({ handover: null });
  const open = await make().answer(navigation("/vouchers/?status=all"));
  assert.equal(await open.text(), "from the server", "fetched unchanged");
  assert.deepEqual(fetched, ["/vouchers/?status=all"]);
});

test("refresh() follows the mode as the app starts and ends it", async () => {
  const { store, guard: make } = setup();
  const guard = make();
  await guard.refresh();
  assert.equal(guard.answer(navigation("/vouchers/")), null);
  await store.setMeta({ handover });
  await guard.refresh();
  assert.equal((await guard.answer(navigation("/vouchers/"))).status, 303);
  await store.setMeta({ handover: null });
  await guard.refresh();
  assert.equal(guard.answer(navigation("/vouchers/")), null);
});

test("the mode cannot be read: the navigation goes through, the next one reads again", async () => {
  const { store, fetched, guard: make } = setup();
  const meta = store.meta.bind(store);
  store.meta = async () => {
    throw new Error("IndexedDB unavailable");
  };
  const guard = make();
  assert.equal(await (await guard.answer(navigation("/vouchers/"))).text(), "from the server");
  store.meta = meta;
  await store.setMeta({ handover });
  assert.equal((await guard.answer(navigation("/review/returns"))).status, 303);
  assert.deepEqual(fetched, ["/vouchers/"]);
});
