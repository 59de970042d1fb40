// Hand-over mode and the lock another user's login puts on the device, through
// pwa/js/local-server.js without a browser (the browser's part, WebAuthn, is
// in tests/e2e/test_pwa_signoff.py); the PIN that ends hand-over mode, and the
// coach's password when the PIN is forgotten.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { createLocalServer } from "../../pwa/js/local-server.js";
import { formToken } from "../../pwa/js/request-guard.js";
import { FREE_TRIES, checkPin, makePin, retryDelayMs } from "../../pwa/js/pin.js";
import { DEMO, NOW, signableStore } from "./signoff-fixture.mjs";

const BASE = "http://localhost:5000";
const catalogs = Object.fromEntries(
  ["fi", "sv", "en"].map((lang) => [lang, JSON.parse(readFileSync(new URL(`../../pwa/locales/${lang}.json`, import.meta.url)))]),
);

const PASSWORD = "correct horse battery";

async function setup({ sleep = async () => {}, online = () => true } = {}) {
  const store = await signableStore();
  await store.setMeta({ token: "t", user: { id: 7, name: "Sanna Virtanen" }, lang: "fi" });
  let clock = NOW;
  const client = {
    checkUser: async () => {},
    logouts: 0,
    endBrowserSession: async () => void client.logouts++,
    // The server's answer to the owner's password (SyncClient.verifyOwner).
    passwords: [],
    answer: null,
    verifyOwner: async (password) => {
      client.passwords.push(password);
      return client.answer || { result: password === PASSWORD ? "ok" : "wrong" };
    },
  };
  // The worker's monotonic clock, apart from the wall clock (`clock`): only it serves PIN waits.
  let monotonic = 0;
  const pinClock = { run: "run-1", now: () => monotonic };
  const handle = createLocalServer({ store, client, catalogs: async () => catalogs, now: () => clock, sleep, online, pinClock });
  const get = (path, headers = {}) => handle(new Request(BASE + path, { headers }));
  // Posted as the app's own pages post: with the device's form token.
  const post = async (path, fields = {}) =>
    handle(new Request(BASE + path, { method: "POST", body: new URLSearchParams({ ...fields, form_token: await formToken(store) }) }));
  const location = (response) => new URL(response.headers.get("Location")).pathname;
  return {
    store, client, get, post, location, pinClock,
    tick: (ms) => { clock += ms; }, // the device clock moved (or was moved)
    pass: (ms) => { clock += ms; monotonic += ms; }, // time went by in this run of the worker
  };
}

// What the hand-over page posts after the key signed: the form's own fields plus the assertion.
function signed(page, extra = {}) {
  const value = (name) => page.match(new RegExp(`name="${name}" value="([^"]*)"`))[1];
  return {
    representative_id: "rep-1", nonce: value("nonce"), content_sha256: value("content_sha256"),
    credential_id: "AAEC", authenticator_data: "YXV0aA", client_data_json: "Y2xpZW50", signature: "c2ln", user_handle: "",
    ...extra,
  };
}

async function handOver(app, pin = "246813") {
  const first = await app.post(`/app/demonstrations/${DEMO}/handover`);
  assert.equal(app.location(first), `/app/demonstrations/${DEMO}/handover`);
  const setup = await (await app.get(app.location(first))).text();
  assert.match(setup, /Aseta laitteen PIN-koodi/, "the first hand-over asks for a PIN");
  const mismatch = await app.post(`/app/demonstrations/${DEMO}/handover`, { pin, pin_again: "135792" });
  assert.equal(mismatch.status, 422);
  assert.match(await mismatch.text(), /PIN-koodit eivät täsmää/);
  const entered = await app.post(`/app/demonstrations/${DEMO}/handover`, { pin, pin_again: pin });
  assert.equal(app.location(entered), "/app/handover");
}

test("the demonstration page offers the hand-over, or says why not", async () => {
  const app = await setup();
  const page = await (await app.get(`/app/demonstrations/${DEMO}`)).text();
  assert.match(page, /action="\/app\/demonstrations\/[^"]+\/handover"/);
  assert.match(page, /Anna työnantajan allekirjoitettavaksi/);
  await app.store.setMeta({ nonces: [] });
  const none = await (await app.get(`/app/demonstrations/${DEMO}`)).text();
  assert.match(none, /<button type="button" class="big" disabled aria-describedby="handover-reason">/);
  assert.match(none, /Synkronoi ensin verkkoyhteyden ollessa päällä/);
  assert.equal(app.location(await app.post(`/app/demonstrations/${DEMO}/handover`)), `/app/demonstrations/${DEMO}`);
  assert.equal((await app.store.meta()).handover, undefined);
});

test("in hand-over mode every other page leads to the hand-over screen", async () => {
  const app = await setup();
  await handOver(app);
  assert.equal(app.client.logouts, 1, "starting the mode ends the browser's login");
  const screen = await (await app.get("/app/handover")).text();
  await new Promise((resolve) => setImmediate(resolve));
  // Showing the screen does too (the mode may have started offline), and checks again later.
  assert.equal(app.client.logouts, 3);
  assert.match(screen, /Kasvihuonetyö/);
  assert.match(screen, /Aino Lehtonen/);
  assert.match(screen, /Koulinta/);
  assert.match(screen, /Jari Mäkelä/);
  assert.doesNotMatch(screen, /Eeva Mäkelä/, "no registered key, not offered");
  assert.doesNotMatch(screen, /href="\/app\/(?!css|manifest|icons)/, "no link into the app");
  for (const path of ["/app/", `/app/participants/p-1`, "/app/sync", "/app/export.json", "/app/locked", "/app/nothing"]) {
    assert.equal(app.location(await app.get(path)), "/app/handover", path);
  }
  assert.equal(app.location(await app.post("/app/participants", { first_name: "X", last_name: "Y" })), "/app/handover");
  assert.equal(app.location(await app.post("/app/logout")), "/app/handover");
  const htmx = await app.get("/app/status", { "HX-Request": "true" });
  assert.equal(htmx.headers.get("HX-Redirect"), "/app/handover");
  assert.equal((await app.store.outbox()).length, 0);
});

test("offline, the mode starts all the same (the login is ended when the screen is next shown online)", async () => {
  const app = await setup();
  app.client.endBrowserSession = async () => {
    throw new TypeError("Failed to fetch");
  };
  await handOver(app);
  assert.equal((await app.store.meta()).handover.stage, "sign");
  assert.equal((await app.get("/app/handover")).status, 200);
});

test("the login is checked again later only while the mode holds: not after the PIN", async () => {
  let wake;
  const later = new Promise((resolve) => {
    wake = resolve;
  });
  const app = await setup({ sleep: () => later });
  await handOver(app);
  await app.post("/app/handover/cancel");
  await app.get("/app/handover");
  assert.equal(app.client.logouts, 2);
  await app.post("/app/handover/unlock", { pin: "246813" });
  wake(); // the coach may have logged in again by now
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(app.client.logouts, 2);
});

test("signing puts a sign-off in the outbox; a wrong PIN keeps the lock, the right one opens it", async () => {
  const app = await setup();
  await handOver(app);
  const page = await (await app.get("/app/handover")).text();
  assert.equal(app.location(await app.post("/app/handover/sign", signed(page))), "/app/handover");
  const [entry] = await app.store.outbox();
  assert.equal(entry.mutation.record_type, "signoff");
  const fields = entry.mutation.fields;
  assert.equal(fields.demonstration_id, DEMO);
  assert.equal(fields.representative_id, "rep-1");
  assert.equal(fields.nonce, "a".repeat(64));
  assert.equal(fields.signature, "c2ln");
  assert.equal(fields.user_handle, null);
  assert.match(fields.signed_content, /"overall_result":"passed"/);
  assert.match(await (await app.get("/app/handover")).text(), /Allekirjoitettu\. Kiitos! Anna laite takaisin valmentajalle\./);

  const wrong = await app.post("/app/handover/unlock", { pin: "1111" });
  assert.equal(app.location(wrong), "/app/handover", "a redirect: a reload posts nothing again");
  assert.match(await (await app.get("/app/handover?notice=wrong_pin")).text(), /Väärä PIN-koodi/);
  assert.equal(app.location(await app.get("/app/")), "/app/handover", "still locked");
  assert.equal(app.location(await app.post("/app/handover/unlock", { pin: "246813" })), `/app/demonstrations/${DEMO}`);
  const demo = await (await app.get(`/app/demonstrations/${DEMO}`)).text();
  assert.match(demo, /Allekirjoitettu tällä laitteella, tarkistetaan synkronoinnissa/);
  assert.match(demo, /Allekirjoittaja Jari Mäkelä/);
  assert.doesNotMatch(demo, /Anna työnantajan allekirjoitettavaksi/, "signed as it reads now");
});

test("wrong PINs: after the free tries each one makes the next wait, across reloads", async () => {
  const app = await setup();
  await handOver(app);
  await app.post("/app/handover/cancel");
  assert.match(await (await app.get("/app/handover")).text(), /Ei allekirjoitettu/);
  for (let i = 0; i < FREE_TRIES; i++) await app.post("/app/handover/unlock", { pin: "000000" });
  await app.post("/app/handover/unlock", { pin: "246813" });
  assert.equal((await app.store.meta()).handover.stage, "cancelled", "even the right PIN waits");
  assert.match(await (await app.get("/app/handover")).text(), /Yritä uudelleen 30 sekunnin kuluttua/);
  app.pass(30_000);
  assert.equal(app.location(await app.post("/app/handover/unlock", { pin: "246813" })), `/app/demonstrations/${DEMO}`);
  assert.equal((await app.store.outbox()).length, 0, "cancelled: no sign-off");
  assert.equal((await app.store.meta()).handover, null);
});

test("content changed while the screen was open: nothing is written, the new content is shown", async () => {
  const app = await setup();
  await handOver(app);
  const page = await (await app.get("/app/handover")).text();
  await app.store.save("demonstration_task", "t-1", { result: "partly_met" }); // e.g. pulled meanwhile
  const response = await app.post("/app/handover/sign", signed(page));
  assert.equal(response.headers.get("Location"), `${BASE}/app/handover?notice=changed`);
  const text = await (await app.get("/app/handover?notice=changed")).text();
  assert.match(text, /Työnäytön tiedot muuttuivat/);
  assert.match(text, /Täyttyi osittain/);
  assert.equal((await app.store.outbox()).filter((e) => e.mutation.record_type === "signoff").length, 0);
  const fresh = await (await app.get("/app/handover")).text();
  const other = await app.post("/app/handover/sign", signed(fresh, { credential_id: "BBBB" }));
  assert.equal(other.headers.get("Location"), `${BASE}/app/handover?notice=failed`, "a key that is not the signer's");
  assert.match(await (await app.get("/app/handover?notice=failed")).text(), /Allekirjoitus ei onnistunut tällä laitteella/);
  assert.equal((await app.store.outbox()).filter((e) => e.mutation.record_type === "signoff").length, 0);
});

test("the representative reads in their language; the coach's stays", async () => {
  const app = await setup();
  await handOver(app);
  await app.post("/app/handover/language", { lang: "sv" });
  const page = await (await app.get("/app/handover")).text();
  assert.match(page, /<html lang="sv">/);
  assert.match(page, /Välj ditt namn/);
  assert.equal((await app.store.meta()).lang, "fi");
});

test("another user's login: only the lock screen, until the owner logs in", async () => {
  const app = await setup();
  await app.store.save("participant", "p-2", { first_name: "Oskari", last_name: "Mäkinen" });
  await app.store.setMeta({ other_user: true });
  for (const path of ["/app/", "/app/participants/p-1", "/app/handover", "/app/export.json"]) {
    assert.equal(app.location(await app.get(path)), "/app/locked", path);
  }
  const lock = await (await app.get("/app/locked")).text();
  assert.match(lock, /Vain Sanna Virtanen voi avata laitteen/);
  assert.match(lock, /Laitteella on 1 synkronoimatonta muutosta/);
  assert.match(lock, /href="\/login\?next=\/app\/"/);
  assert.doesNotMatch(lock, /Aino|Oskari/);
  app.client.checkUser = () => app.store.setMeta({ other_user: false }); // the owner logged in again
  assert.equal((await app.get("/app/")).status, 200);
});

test("the PIN is kept as a salted PBKDF2 hash; delays grow and stop growing", async () => {
  const stored = await makePin("123456", { iterations: 1000 });
  assert.doesNotMatch(JSON.stringify(stored), /123456/);
  assert.notEqual((await makePin("123456", { iterations: 1000 })).hash, stored.hash, "salted");
  assert.equal(await checkPin("123456", stored), true);
  assert.equal(await checkPin("123457", stored), false);
  assert.equal(await checkPin("12a456", stored), false);
  assert.deepEqual([0, 1, 2, 3, 4, 5, 20].map(retryDelayMs), [0, 0, 0, 30_000, 60_000, 120_000, 900_000]);
});

// -- the forgotten PIN -----------------------------------------------------------

const page = async (app, path) => (await app.get(path)).text();

test("a forgotten PIN: the owner's password (checked by the server) ends the mode, then a new PIN is set", async () => {
  const app = await setup();
  await handOver(app);
  await app.post("/app/handover/cancel");
  const unlock = await page(app, "/app/handover");
  assert.match(unlock, /<a href="\/app\/handover\/forgot" class="button secondary">Unohtuiko PIN-koodi\?<\/a>/);
  // Wrong PINs until a wait: the password is the way out meanwhile.
  for (let i = 0; i <= FREE_TRIES; i++) await app.post("/app/handover/unlock", { pin: "000000" });
  assert.match(await page(app, "/app/handover"), /Yritä uudelleen 30 sekunnin kuluttua/);

  const form = await page(app, "/app/handover/forgot");
  assert.match(form, /<h1>Unohtunut PIN-koodi<\/h1>/);
  assert.match(form, /<dt>Laitteen käyttäjä<\/dt><dd>Sanna Virtanen<\/dd>/, "whose password: the device's user");
  assert.match(form, /<input type="password" id="f-password" name="password" autocomplete="off" required>/);
  assert.doesNotMatch(form, /name="email"/, "the e-mail is not typed");
  assert.doesNotMatch(form, /role="alert"/, "online: nothing to warn about");

  // Nothing typed: not sent.
  assert.equal(app.location(await app.post("/app/handover/forgot", { password: "" })), "/app/handover/forgot");
  assert.deepEqual(app.client.passwords, []);

  const wrong = await app.post("/app/handover/forgot", { password: "hunter2" });
  assert.equal(wrong.headers.get("Location"), `${BASE}/app/handover/forgot?notice=wrong`, "a redirect: a reload sends nothing");
  const shown = await page(app, "/app/handover/forgot?notice=wrong");
  assert.match(shown, /aria-invalid="true" aria-describedby="f-password-error">/);
  assert.match(shown, /<p class="error" id="f-password-error">Väärä salasana\.<\/p>/);
  assert.equal(app.location(await app.get("/app/")), "/app/handover", "still locked");
  assert.equal((await app.store.meta()).handover.stage, "cancelled");

  const right = await app.post("/app/handover/forgot", { password: PASSWORD });
  assert.equal(right.headers.get("Location"), `${BASE}/app/pin?demonstration=${DEMO}`);
  assert.deepEqual(app.client.passwords, ["hunter2", PASSWORD]);
  const meta = await app.store.meta();
  assert.equal(meta.handover, null, "the mode ended, its wrong tries with it");
  assert.equal(meta.pin, null, "the forgotten PIN is gone");
  assert.doesNotMatch(JSON.stringify([meta, await app.store.outbox()]), /hunter2|correct horse/, "the password is kept nowhere");

  // The new PIN, then back to the demonstration.
  const ask = await page(app, `/app/pin?demonstration=${DEMO}`);
  assert.match(ask, /<h1>Aseta uusi PIN-koodi<\/h1>/);
  assert.match(ask, /Salasana oli oikein/);
  const mismatch = await app.post("/app/pin", { demonstration: DEMO, pin: "135792", pin_again: "135793" });
  assert.equal(mismatch.status, 422);
  assert.match(await mismatch.text(), /PIN-koodit eivät täsmää/);
  const set = await app.post("/app/pin", { demonstration: DEMO, pin: "135792", pin_again: "135792" });
  assert.equal(app.location(set), `/app/demonstrations/${DEMO}`);
  const stored = (await app.store.meta()).pin;
  assert.equal(await checkPin("135792", stored), true);
  assert.equal(await checkPin("246813", stored), false);
  assert.equal(app.location(await app.get(`/app/pin?demonstration=${DEMO}`)), `/app/demonstrations/${DEMO}`, "set: not asked again");
  assert.equal((await app.get(`/app/demonstrations/${DEMO}`)).status, 200);

  // The next hand-over asks for no PIN, and the new one ends it.
  assert.equal(app.location(await app.post(`/app/demonstrations/${DEMO}/handover`)), "/app/handover");
  await app.post("/app/handover/cancel");
  assert.equal(app.location(await app.post("/app/handover/unlock", { pin: "135792" })), `/app/demonstrations/${DEMO}`);
});

test("a forgotten PIN: throttled, offline, an ended device session and server errors are said; the mode holds", async () => {
  const app = await setup();
  await handOver(app);
  await app.post("/app/handover/cancel");
  const cases = [
    [{ result: "throttled", retryAfter: 840 }, "notice=throttled&wait=840", /Liian monta väärää salasanaa\. Yritä uudelleen noin 14 minuutin kuluttua\./],
    [{ result: "throttled", retryAfter: 30 }, "notice=throttled&wait=30", /Yritä uudelleen noin minuutin kuluttua\./],
    [{ result: "offline" }, "notice=offline", /Ei verkkoyhteyttä\. Salasana tarkistetaan palvelimella/],
    [{ result: "expired" }, "notice=expired", /istunto palvelimella on päättynyt/],
    [{ result: "error" }, "notice=error", /palvelimen virheen vuoksi/],
    [{ result: "anything else" }, "notice=error", /palvelimen virheen vuoksi/],
  ];
  for (const [answer, query, message] of cases) {
    app.client.answer = answer;
    const response = await app.post("/app/handover/forgot", { password: PASSWORD });
    assert.equal(response.headers.get("Location"), `${BASE}/app/handover/forgot?${query}`);
    const shown = await page(app, `/app/handover/forgot?${query}`);
    assert.match(shown, /<div class="banner error" role="alert">/);
    assert.match(shown, message);
    assert.equal((await app.store.meta()).handover.stage, "cancelled");
  }
  assert.ok((await app.store.meta()).pin, "the PIN stays until the password is right");
  const sv = await setup({ online: () => false });
  await handOver(sv);
  await sv.post("/app/handover/cancel");
  await sv.post("/app/handover/language", { lang: "sv" });
  const offline = await page(sv, "/app/handover/forgot");
  assert.match(offline, /<div class="banner error" role="alert">Ingen nätverksanslutning\./, "known offline: said before trying");
  assert.match(offline, /<label for="f-password" class="required">Coachens lösenord<\/label>/);
});

test("a forgotten PIN is no way around signing: only from the unlock screen, only in the mode", async () => {
  const app = await setup();
  assert.equal(app.location(await app.get("/app/handover/forgot")), "/app/");
  assert.equal(app.location(await app.post("/app/handover/forgot", { password: PASSWORD })), "/app/");
  await handOver(app);
  assert.equal(app.location(await app.get("/app/handover/forgot")), "/app/handover", "still to sign");
  assert.equal(app.location(await app.post("/app/handover/forgot", { password: PASSWORD })), "/app/handover");
  assert.equal(app.location(await app.get("/app/pin")), "/app/handover", "the new PIN page is behind the lock");
  assert.equal(app.location(await app.post("/app/pin", { pin: "135792", pin_again: "135792" })), "/app/handover");
  assert.deepEqual(app.client.passwords, []);
  assert.equal((await app.store.meta()).handover.stage, "sign");
});
