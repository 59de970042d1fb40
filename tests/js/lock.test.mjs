// The device PIN's rules and throttle (pwa/js/pin.js), the app lock
// (pwa/js/lock-gate.js, pwa/js/routes/lock.js) and a device cut off on the
// server, through pwa/js/local-server.js and pwa/js/sync-client.js without a
// browser. The device clock is moved both ways to show it skips nothing.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { memoryBackend } from "../../pwa/js/backend-memory.js";
import { IDLE_MS, sessionPatch } from "../../pwa/js/lock-gate.js";
import { createLocalServer } from "../../pwa/js/local-server.js";
import { formToken } from "../../pwa/js/request-guard.js";
import { MAX_TRIES, NO_TRIES, afterWrongTry, blocked, makePin, pinProblem, served } from "../../pwa/js/pin.js";
import { STORE_NAMES, Store } from "../../pwa/js/store.js";
import { SyncClient } from "../../pwa/js/sync-client.js";

const BASE = "http://localhost:5000";
const NOW = Date.parse("2026-12-03T12:00:00Z");
const PIN = "246813";
const PASSWORD = "correct horse battery";
const catalogs = Object.fromEntries(
  ["fi", "sv", "en"].map((lang) => [lang, JSON.parse(readFileSync(new URL(`../../pwa/locales/${lang}.json`, import.meta.url)))]),
);

async function setup({ pin = PIN } = {}) {
  let n = 0;
  const store = new Store(memoryBackend(STORE_NAMES), {
    uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
  });
  await store.setMeta({
    device_id: "dev", token: "t", user: { id: 7, name: "Sanna Virtanen" }, lang: "fi",
    pin: pin && (await makePin(pin, { iterations: 1000 })), login_seen: 41,
  });
  let clock = NOW;
  let monotonic = 0;
  const pinClock = { run: "run-1", now: () => monotonic };
  const client = {
    passwords: [],
    answer: null,
    checkUser: async () => {},
    verifyOwner: async (password) => {
      client.passwords.push(password);
      return client.answer || { result: password === PASSWORD ? "ok" : "wrong" };
    },
  };
  const handle = createLocalServer({ store, client, catalogs: async () => catalogs, now: () => clock, pinClock });
  const get = (path, headers = {}) => handle(new Request(BASE + path, { headers }));
  const post = async (path, fields = {}) =>
    handle(new Request(BASE + path, { method: "POST", body: new URLSearchParams({ ...fields, form_token: await formToken(store) }) }));
  const location = (response) => {
    const url = new URL(response.headers.get("Location"));
    return url.pathname + url.search;
  };
  return {
    store, client, get, post, location, pinClock,
    tick: (ms) => { clock += ms; }, // the device clock moved, or was moved
    pass: (ms) => { clock += ms; monotonic += ms; }, // time went by in this run of the worker
    restart: () => { pinClock.run = `run-${Number(pinClock.run.split("-")[1]) + 1}`; monotonic = 0; },
  };
}

const text = async (response) => response.text();

// -- the rules of a new PIN -------------------------------------------------

test("a new PIN has 6–12 digits and is not trivial; the reason is said", async () => {
  for (const ok of ["246813", "908172", "1357924680", "135792"]) assert.equal(pinProblem(ok), null, ok);
  const refused = {
    "": "pin_invalid", 12345: "pin_invalid", "24681a": "pin_invalid", "1234567890123": "pin_invalid",
    "000000": "pin_same", 7777777: "pin_same",
    123456: "pin_sequence", 654321: "pin_sequence", 234567: "pin_sequence", 890123: "pin_sequence", 3210987: "pin_sequence",
    121212: "pin_common", 123123: "pin_common", 112233: "pin_common",
  };
  for (const [pin, problem] of Object.entries(refused)) assert.equal(pinProblem(String(pin)), problem, pin);

  const app = await setup({ pin: null });
  await app.store.setMeta({ pin_renew: "password" });
  for (const [pin, message] of [
    ["1234", /PIN-koodissa on 6–12 numeroa\./],
    ["111111", /PIN-koodissa ei voi olla pelkkää samaa numeroa\./],
    ["123456", /PIN-koodi ei voi olla numerojono kuten 123456 tai 654321\./],
    ["121212", /Tämä PIN-koodi on liian yleinen\./],
  ]) {
    const response = await app.post("/app/pin", { pin, pin_again: pin });
    assert.equal(response.status, 422, pin);
    const page = await text(response);
    assert.match(page, message);
    assert.match(page, /aria-invalid="true" aria-describedby="f-pin-error"/);
  }
  assert.equal((await app.store.meta()).pin, null);
  assert.match(await text(await app.get("/app/pin")), /pattern="\[0-9\]\{6,12\}" minlength="6"/);
});

// -- the throttle -----------------------------------------------------------

test("the throttle: waits are served by the worker's monotonic clock only, from what was left", () => {
  let mono = 0;
  const clock = { run: "a", now: () => mono };
  let tries = NO_TRIES;
  for (let i = 0; i < 3; i++) tries = afterWrongTry(tries, clock);
  assert.equal(tries.failures, 3);
  assert.equal(tries.wait_ms, 30_000);
  mono += 10_000;
  tries = served(tries, clock);
  assert.equal(tries.wait_ms, 20_000);
  // The worker restarts (its performance.now() starts over): no credit, no reset.
  const restarted = { run: "b", now: () => 5 };
  tries = served(tries, restarted);
  assert.equal(tries.wait_ms, 20_000, "what was left is still to serve");
  // A monotonic clock never runs back, but were it to: nothing is shortened.
  tries = served(tries, { run: "b", now: () => 0 });
  assert.equal(tries.wait_ms, 20_000);
  tries = served(tries, { run: "b", now: () => 20_000 });
  assert.equal(tries.wait_ms, 0);
  for (let i = 3; i < MAX_TRIES; i++) tries = afterWrongTry(tries, clock);
  assert.equal(blocked(tries), true);
  assert.equal(tries.wait_ms, 15 * 60_000);
});

test("wrong PINs at the lock: moving the device clock forward or back skips no wait", async () => {
  const app = await setup();
  await app.store.setMeta({ app_lock: { reason: "idle", after_login: 41 } });
  for (let i = 0; i < 3; i++) {
    assert.equal(app.location(await app.post("/app/unlock", { pin: "000000" })), "/app/unlock?notice=wrong_pin");
  }
  const waiting = await app.get("/app/unlock");
  assert.match(await text(waiting), /Yritä uudelleen 30 sekunnin kuluttua/);
  assert.equal(waiting.headers.get("Refresh"), "5", "the screen keeps the worker up while it waits");

  app.tick(24 * 3600_000); // a day forward
  await app.post("/app/unlock", { pin: PIN });
  assert.ok((await app.store.meta()).app_lock, "the right PIN waits too");
  app.tick(-48 * 3600_000); // and back
  assert.match(await text(await app.get("/app/unlock")), /Yritä uudelleen 30 sekunnin kuluttua/);

  app.pass(20_000);
  await app.get("/app/unlock"); // the screen reloads itself: what was served is kept
  app.pass(5_000);
  app.restart(); // the worker was stopped: what it served since is not credited
  assert.match(await text(await app.get("/app/unlock")), /Yritä uudelleen 10 sekunnin kuluttua/);
  app.pass(10_000);
  assert.equal(app.location(await app.post("/app/unlock", { pin: PIN })), "/app/");
  const meta = await app.store.meta();
  assert.equal(meta.app_lock, null);
  assert.deepEqual(meta.pin_tries, NO_TRIES);
});

test("hand-over mode's PIN: a clock moved forward skips no wait either", async () => {
  const app = await setup();
  await app.store.setMeta({ handover: { demonstration_id: "d-1", stage: "cancelled", lang: "fi" } });
  for (let i = 0; i < 3; i++) await app.post("/app/handover/unlock", { pin: "000000" });
  const waiting = await app.get("/app/handover");
  assert.match(await text(waiting), /Yritä uudelleen 30 sekunnin kuluttua/);
  assert.equal(waiting.headers.get("Refresh"), "5", "the screen keeps the worker up while it waits");
  app.tick(3600_000);
  await app.post("/app/handover/unlock", { pin: PIN });
  assert.ok((await app.store.meta()).handover, "still handed over");
  app.pass(30_000);
  assert.equal(app.location(await app.post("/app/handover/unlock", { pin: PIN })), "/app/demonstrations/d-1");
});

test("after ten wrong PINs only the password opens, and a new PIN is asked", async () => {
  const app = await setup();
  await app.store.setMeta({ app_lock: { reason: "idle", after_login: 41 } });
  for (let i = 0; i < MAX_TRIES; i++) {
    await app.post("/app/unlock", { pin: "000000" });
    app.pass(15 * 60_000);
  }
  const page = await text(await app.get("/app/unlock"));
  assert.match(page, /Liian monta väärää PIN-koodia\. Laitteen voi nyt avata vain salasanalla/);
  assert.doesNotMatch(page, /action="\/app\/unlock" /, "no PIN field");
  await app.post("/app/unlock", { pin: PIN });
  assert.ok((await app.store.meta()).app_lock, "the right PIN opens nothing now");

  assert.equal(app.location(await app.post("/app/unlock/password", { password: "hunter2" })), "/app/unlock?notice=wrong");
  assert.match(await text(await app.get("/app/unlock?notice=wrong")), /<p class="error" id="f-password-error">Väärä salasana\.<\/p>/);
  assert.equal(app.location(await app.post("/app/unlock/password", { password: PASSWORD })), "/app/");
  assert.deepEqual(app.client.passwords, ["hunter2", PASSWORD]);
  const meta = await app.store.meta();
  assert.equal(meta.app_lock, null);
  assert.equal(meta.pin, null);
  assert.doesNotMatch(JSON.stringify(meta), /hunter2|correct horse/, "the password is kept nowhere");
  assert.equal(app.location(await app.get("/app/")), "/app/pin", "a new PIN before anything else");
  assert.equal(app.location(await app.post("/app/pin", { pin: "135792", pin_again: "135792" })), "/app/");
  assert.equal((await app.get("/app/")).status, 200);
});

// -- when the lock closes ---------------------------------------------------

test("idle for the configured time, or a clock set back: the app locks and shows nothing of the caseload", async () => {
  const app = await setup();
  await app.post("/app/participants", { first_name: "Aino", last_name: "Lehtonen" });
  assert.equal((await app.get("/app/")).status, 200);
  // The status poll of a page left open is no use of the app, but it locks it.
  app.tick(IDLE_MS - 60_000);
  for (let i = 0; i < 6; i++) {
    app.tick(10_000);
    await app.get("/app/status", { "HX-Request": "true" });
  }
  app.tick(1);
  const poll = await app.get("/app/status", { "HX-Request": "true" });
  assert.equal(poll.headers.get("HX-Redirect"), "/app/unlock");
  for (const path of ["/app/", "/app/sync", "/app/export.json", "/app/employers"]) {
    assert.equal(app.location(await app.get(path)), "/app/unlock", path);
  }
  const screen = await text(await app.get("/app/unlock"));
  assert.match(screen, /<h1>Polku on lukittu<\/h1>/);
  assert.match(screen, /Laitteella on 1 synkronoimatonta muutosta\./);
  assert.doesNotMatch(screen, /Aino|Lehtonen|href="\/app\/participants/);
  assert.equal(app.location(await app.post("/app/unlock", { pin: PIN })), "/app/");

  // Configured: 5 minutes. Then the clock set back an hour locks too (idle unknown).
  await app.store.setMeta({ lock_idle_ms: 5 * 60_000 });
  app.tick(5 * 60_000 + 1);
  assert.equal(app.location(await app.get("/app/")), "/app/unlock");
  await app.post("/app/unlock", { pin: PIN });
  app.tick(-3600_000);
  assert.equal(app.location(await app.get("/app/")), "/app/unlock");
});

test("the browser's login: ended on the server locks at once; a later login of the owner opens; hand-over's own logout does not lock", () => {
  const meta = { user: { id: 7 }, login_seen: 41, lock_idle_ms: IDLE_MS };
  const out = { logged_in: false, user: null, login: null, ended: true, lock_idle_minutes: 15 };
  assert.deepEqual(sessionPatch(meta, out, NOW), { login_seen: null, app_lock: { reason: "logout", after_login: 41 } });
  const locked = { ...meta, login_seen: null, app_lock: { reason: "logout", after_login: 41 } };
  assert.equal(sessionPatch(locked, out, NOW), null, "told once is enough");
  // Cookies cleared or a login expired: nothing ended on the server, the idle lock is enough.
  assert.equal(sessionPatch(meta, { ...out, ended: false }, NOW), null);
  // The same login as before the lock opens nothing; a new one does.
  const idle = { ...meta, app_lock: { reason: "idle", after_login: 41 } };
  const same = { logged_in: true, user: { id: 7 }, login: 41, ended: false, lock_idle_minutes: 15 };
  assert.equal(sessionPatch(idle, same, NOW), null);
  assert.deepEqual(sessionPatch(idle, { ...same, login: 44 }, NOW), { login_seen: 44, app_lock: null, active_at: NOW });
  assert.equal(sessionPatch({ ...idle, login_seen: 44 }, { ...same, user: { id: 8 }, login: 45 }, NOW), null, "not another user's");
  // A new login of the owner with no lock: use of the app (after another user's lock, say).
  assert.deepEqual(sessionPatch(meta, { ...same, login: 44 }, NOW), { login_seen: 44, active_at: NOW });
  // Hand-over mode ends the login itself (login_seen cleared first), and holds the device anyway.
  assert.equal(sessionPatch({ ...meta, login_seen: null }, out, NOW), null);
  assert.equal(sessionPatch({ ...meta, handover: { stage: "sign" } }, out, NOW), null);
  // A device from before the lock knew no login: only the PIN opens what locks then.
  assert.deepEqual(sessionPatch({ ...meta, login_seen: undefined }, { ...same, login: 50 }, NOW), { login_seen: 50 });
  assert.equal(sessionPatch(meta, { ...same, lock_idle_minutes: 5 }, NOW).lock_idle_ms, 300_000, "the idle time as configured");
});

test("a PIN of 4–5 digits opens once more, then a new one is asked", async () => {
  const app = await setup({ pin: "2468" });
  await app.store.setMeta({ app_lock: { reason: "idle", after_login: 41 } });
  assert.equal(app.location(await app.post("/app/unlock", { pin: "2468" })), "/app/");
  assert.equal(app.location(await app.get("/app/")), "/app/pin");
  assert.match(await text(await app.get("/app/pin")), /PIN-koodisi on liian lyhyt\. Aseta uusi, vähintään 6-numeroinen PIN-koodi\./);
  assert.equal((await app.post("/app/pin", { pin: "2468", pin_again: "2468" })).status, 422);
  assert.equal(app.location(await app.post("/app/pin", { pin: "908172", pin_again: "908172" })), "/app/");
  assert.equal((await app.get("/app/")).status, 200);
});

// -- a device cut off on the server -----------------------------------------

test("a device cut off on the server wipes everything, unsynced work too, and says why in its language", async () => {
  const store = new Store(memoryBackend(STORE_NAMES));
  await store.setMeta({ device_id: "dev", token: "t", user: { id: 7, name: "Sanna" }, lang: "sv", cursor: "c1" });
  await store.save("participant", "p-1", { first_name: "Aino" });
  const calls = [];
  const fetch = async (path, init) => {
    calls.push(path);
    if (path === "/app/session.json") return { status: 200, ok: true, json: async () => ({ logged_in: false, ended: false }) };
    return { status: 401, ok: false, json: async () => ({ error: { status: 401, message: "cut off", code: "device_revoked" } }) };
  };
  const client = new SyncClient({ store, fetch, now: () => NOW, sleep: async () => {} });
  assert.deepEqual(await client.syncWithRetry(), { ok: false, kind: "revoked" });
  assert.deepEqual(calls, ["/app/session.json", "/api/sync/push"], "no retry, nothing after");
  assert.deepEqual(await store.meta(), { revoked: { at: NOW, lang: "sv" } });
  assert.deepEqual(await store.outbox(), []);
  assert.equal(await store.record("participant", "p-1"), undefined);

  const handle = createLocalServer({ store, client, catalogs: async () => catalogs, now: () => NOW });
  const answer = await handle(new Request(`${BASE}/app/`));
  assert.equal(new URL(answer.headers.get("Location")).pathname, "/app/revoked", "not a new registration");
  const screen = await (await handle(new Request(`${BASE}/app/revoked`))).text();
  assert.match(screen, /<html lang="sv">/);
  assert.match(screen, /<h1>Enheten har kopplats bort<\/h1>/);
  assert.match(screen, /Även osynkroniserade ändringar raderades/);
  const body = new URLSearchParams({ form_token: await formToken(store) });
  const again = await handle(new Request(`${BASE}/app/revoked`, { method: "POST", body }));
  assert.equal(new URL(again.headers.get("Location")).pathname, "/login");
  assert.deepEqual(await store.meta(), {});
});

test("an ordinary 401 keeps everything and asks to log in", async () => {
  const store = new Store(memoryBackend(STORE_NAMES));
  await store.setMeta({ device_id: "dev", token: "t", user: { id: 7, name: "Sanna" } });
  await store.save("participant", "p-1", { first_name: "Aino" });
  const fetch = async (path) =>
    path === "/app/session.json"
      ? { status: 200, ok: true, json: async () => ({ logged_in: false }) }
      : { status: 401, ok: false, json: async () => ({ error: { status: 401, message: "device session expired" } }) };
  const client = new SyncClient({ store, fetch, now: () => NOW, sleep: async () => {} });
  assert.deepEqual(await client.syncWithRetry(), { ok: false, kind: "login" });
  assert.equal((await store.outbox()).length, 1);
  assert.equal((await store.meta()).revoked, undefined);
});
