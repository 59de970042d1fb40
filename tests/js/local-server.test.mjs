// pwa/js/local-server.js without a browser: routes render pages from the
// store, form posts become local writes plus outbox mutations.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { memoryBackend } from "../../pwa/js/backend-memory.js";
import { createLocalServer } from "../../pwa/js/local-server.js";
import { formToken } from "../../pwa/js/request-guard.js";
import { STORE_NAMES, Store } from "../../pwa/js/store.js";

const BASE = "http://localhost:5000";
const catalogs = Object.fromEntries(
  ["fi", "sv", "en"].map((lang) => [lang, JSON.parse(readFileSync(new URL(`../../pwa/locales/${lang}.json`, import.meta.url)))]),
);

async function setup() {
  let n = 0;
  const store = new Store(memoryBackend(STORE_NAMES), {
    uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
  });
  await store.setMeta({ device_id: "dev", token: "t", user: { id: 7, name: "Sanna Virtanen" }, lang: "fi" });
  const calls = [];
  const client = {
    syncWithRetry: async (options) => (calls.push(["sync", options]), { ok: true }),
    logout: async () => void calls.push(["logout"]),
  };
  let writes = 0;
  const handle = createLocalServer({ store, client, catalogs: async () => catalogs, afterWrite: () => writes++ });
  const get = (path) => handle(new Request(BASE + path));
  // Posted as the app's own pages post: with the device's form token.
  const post = async (path, fields, headers = {}) =>
    handle(new Request(BASE + path, { method: "POST", body: new URLSearchParams({ ...fields, form_token: await formToken(store) }), headers }));
  return { store, get, post, calls, writes: () => writes };
}

const idFrom = (response) => response.headers.get("Location").split("/").pop();

test("a new participant is saved locally, queued, and shown", async () => {
  const app = await setup();
  const response = await app.post("/app/participants", { first_name: "Aino", last_name: "<b>Lehtonen</b>" });
  assert.equal(response.status, 303);
  const id = idFrom(response);
  const [entry] = await app.store.outbox();
  assert.equal(entry.mutation.record_type, "participant");
  assert.deepEqual(entry.mutation.fields, { first_name: "Aino", last_name: "<b>Lehtonen</b>", consent_given: false, coach_id: 7 });
  assert.equal(app.writes(), 1);
  const page = await (await app.get(`/app/participants/${id}`)).text();
  assert.match(page, /Aino &lt;b&gt;Lehtonen&lt;\/b&gt;/, "values are escaped");
  assert.match(page, /Ei vielä synkronoitu/);
  const caseload = await app.get("/app/?q=aino");
  assert.match(caseload.headers.get("Content-Security-Policy"), /default-src 'self'/);
  assert.match(await caseload.text(), /1 asiakasta/);
});

test("an invalid Y-tunnus is refused on the device with the reason", async () => {
  const app = await setup();
  const response = await app.post("/app/employers", { name: "Konepaja Oy", business_id: "2456789-5" });
  assert.equal(response.status, 303);
  const again = new URL(response.headers.get("Location"));
  assert.equal(again.pathname, "/app/employers/new");
  const shown = await app.get(again.pathname + again.search);
  assert.equal(shown.status, 422);
  const page = await shown.text();
  assert.match(page, /Y-tunnuksen tarkiste ei täsmää/);
  assert.match(page, /value="Konepaja Oy"/, "what was typed stays");
  assert.equal((await app.store.outbox()).length, 0);
});

test("a period, a goal and a full round of one goal: 1 + 1 + 1 + 4 mutations", async () => {
  const app = await setup();
  const pid = idFrom(await app.post("/app/participants", { first_name: "Aino", last_name: "Lehtonen" }));
  const period = idFrom(await app.post("/app/periods", {
    participant_id: pid, measure_type: "work_trial", phase: "active", start_date: "2026-09-01",
  }));
  await app.post("/app/goals", { period_id: period, area: "wellbeing", title: "Jaksan koko viikon" });
  const goal = (await app.store.snapshot()).byType.goal[0].id;
  const ratings = Object.fromEntries(["participant", "employer", "work_community", "coach"].map((r, i) => [`rating-${goal}-${r}`, String(i + 1)]));
  const round = await app.post("/app/rounds", { period_id: period, held_on: "2026-10-01", ...ratings, [`comment-${goal}-coach`]: "Hyvä" });
  assert.equal(round.status, 303);
  const types = (await app.store.outbox()).map((e) => e.mutation.record_type);
  assert.deepEqual(types, ["participant", "coaching_period", "goal", "assessment_round", "assessment", "assessment", "assessment", "assessment"]);
  const page = await (await app.get(new URL(round.headers.get("Location")).pathname)).text();
  assert.match(page, /4 – Onnistuu hyvin/);
  const periodPage = await (await app.get(`/app/periods/${period}`)).text();
  assert.match(periodPage, /Hyvinvointi/);
  assert.match(periodPage, /Jaksan koko viikon/);
});

test("an edit sends only the changed fields", async () => {
  const app = await setup();
  const pid = idFrom(await app.post("/app/participants", { first_name: "Aino", last_name: "Lehtonen" }));
  await app.post(`/app/participants/${pid}`, { first_name: "Aino", last_name: "Lehtonen", municipality: "Oulu" });
  const outbox = await app.store.outbox();
  assert.deepEqual(outbox.at(-1).mutation.fields, { municipality: "Oulu" });
  await app.post(`/app/participants/${pid}`, { first_name: "Aino", last_name: "Lehtonen", municipality: "Oulu" });
  assert.equal((await app.store.outbox()).length, 2, "nothing changed, nothing queued");
});

test("htmx posts get the next page with its URL instead of a redirect", async () => {
  const app = await setup();
  const response = await app.post("/app/participants", { first_name: "Aino", last_name: "Lehtonen" }, { "HX-Request": "true" });
  assert.equal(response.status, 200);
  assert.match(response.headers.get("HX-Push-Url"), /^\/app\/participants\/[0-9a-f-]+$/);
  assert.match(await response.text(), /<h1>Aino Lehtonen<\/h1>/);
});

test("every main page renders, in every language", async () => {
  const app = await setup();
  for (const lang of ["fi", "sv", "en"]) {
    await app.store.setMeta({ lang });
    for (const path of ["/app/", "/app/employers", "/app/employers/new", "/app/events", "/app/events/new", "/app/sync", "/app/conflicts", "/app/participants/new"]) {
      const response = await app.get(path);
      assert.equal(response.status, 200, `${lang} ${path}`);
      assert.doesNotMatch(await response.text(), /\b[a-z_]+\.[a-z_]+\b(?=<)/, `${lang} ${path}: an untranslated key`);
    }
  }
  assert.equal((await app.get("/app/nothing-here")).status, 404);
});

test("the coach answers a supervisor's return", async () => {
  const app = await setup();
  await app.store.applyPage({
    changes: [{ record_type: "review_return", record_id: "r1", version: 1, deleted: false, stamps: {},
      fields: { record_type: "participant", record_id: "p1", participant_id: "p1", comment: "Puuttuu kunta", status: "open" } }],
    removals: [], conflicts: [], cursor: "c", more: false,
  });
  const response = await app.post("/app/returns/r1", { answer: "Lisätty", next: "/app/participants/p1" });
  assert.equal(response.headers.get("Location"), `${BASE}/app/participants/p1`);
  const [entry] = await app.store.outbox();
  assert.deepEqual(entry.mutation.fields, { status: "answered", answer: "Lisätty" });
  assert.equal(entry.mutation.base_version, 1);
});

test("logout with unsynced work is refused until it is exported", async () => {
  const app = await setup();
  await app.post("/app/participants", { first_name: "Aino", last_name: "Lehtonen" });
  const refused = await app.post("/app/logout", {});
  assert.equal(refused.status, 409);
  assert.deepEqual(app.calls, []);
  const exported = await app.post("/app/export", {});
  assert.match(exported.headers.get("Content-Disposition"), /attachment/);
  assert.equal((await exported.json()).outbox.length, 1);
  const allowed = await app.post("/app/logout", {});
  assert.equal(allowed.headers.get("Location"), `${BASE}/login`);
  assert.deepEqual(app.calls, [["logout"]]);
});

test("sync now reports how it went", async () => {
  const app = await setup();
  const response = await app.post("/app/sync", {});
  assert.equal(response.headers.get("Location"), `${BASE}/app/sync?result=ok`);
  assert.deepEqual(app.calls, [["sync", { attempts: 1 }]]);
  assert.match(await (await app.get("/app/sync?result=ok")).text(), /Synkronointi valmis/);
});
