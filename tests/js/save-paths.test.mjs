// The save paths never lose input: a refused form comes back with what was
// typed and the reasons, at an address a reload shows again; each logical
// save is one transaction.
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
  const backend = memoryBackend(STORE_NAMES);
  // Every transaction that writes the outbox, to count the saves.
  const saves = [];
  const counted = {
    transaction(names, mode, fn) {
      if (mode === "readwrite" && names.includes("outbox")) saves.push(names);
      return backend.transaction(names, mode, fn);
    },
  };
  const store = new Store(counted);
  await store.setMeta({ device_id: "dev", token: "t", user: { id: 7, name: "Sanna Virtanen" }, lang: "fi" });
  const handle = createLocalServer({ store, client: {}, catalogs: async () => catalogs });
  const get = (path) => handle(new Request(BASE + path));
  const post = async (path, fields) =>
    handle(new Request(BASE + path, { method: "POST", body: new URLSearchParams({ ...fields, form_token: await formToken(store) }) }));
  const follow = (response) => {
    assert.equal(response.status, 303);
    const url = new URL(response.headers.get("Location"));
    return url.pathname + url.search;
  };
  return { store, get, post, follow, saves };
}

test("a new participant refused once is kept: the corrected form creates it", async () => {
  const app = await setup();
  const refused = await app.post("/app/participants", { first_name: "Aino", last_name: "Lehtonen", birth_year: "1890", municipality: "Oulu" });
  const address = app.follow(refused);
  assert.match(address, /^\/app\/participants\/new\?draft=[0-9a-f-]+$/);
  for (const _ of [1, 2]) { // shown, then reloaded
    const shown = await app.get(address);
    assert.equal(shown.status, 422);
    const page = await shown.text();
    assert.match(page, /<form method="post" action="\/app\/participants" class="stack">/);
    assert.match(page, /value="Aino"/);
    assert.match(page, /value="Oulu"/);
    assert.match(page, /value="1890"/);
    assert.match(page, /Anna luku 1900–2100\./);
  }
  assert.equal((await app.store.outbox()).length, 0);
  const saved = await app.post("/app/participants", { first_name: "Aino", last_name: "Lehtonen", birth_year: "1990", municipality: "Oulu" });
  assert.match(app.follow(saved), /^\/app\/participants\/[0-9a-f-]{36}$/);
  const [entry] = await app.store.outbox();
  assert.deepEqual(entry.mutation.fields, { first_name: "Aino", last_name: "Lehtonen", birth_year: 1990, municipality: "Oulu", consent_given: false, coach_id: 7 });
});

test("a refused contact person, attendance and new task come back as typed, with the reasons", async () => {
  const app = await setup();
  await app.store.save("employer", "e1", { name: "Konepaja Oy", business_id: "2456789-6" });
  await app.store.save("participant", "p1", { first_name: "Aino", last_name: "Lehtonen" });
  await app.store.save("meeting_event", "m1", { title: "Työkohtaamo", event_date: "2026-10-01" });
  await app.store.save("work_demonstration", "d1", { title: "Kassatyöt", participant_id: "p1", employer_id: "e1", demonstration_date: "2026-10-02" });
  const before = (await app.store.outbox()).length;

  const person = app.follow(await app.post("/app/employers/e1/people", { name: "Jari Mäkelä", email: "jari@puutarha" }));
  assert.match(person, /^\/app\/employers\/e1\?draft=/);
  let page = await (await app.get(person)).text();
  assert.match(page, /value="Jari Mäkelä"/);
  assert.match(page, /value="jari@puutarha"/);
  assert.match(page, /id="f-email-error">[^<]+</);

  const attendance = app.follow(await app.post("/app/events/m1/attendance", { participant_id: "p1", "attended-p1": "1", "meetings_held-p1": "150" }));
  assert.match(attendance, /^\/app\/events\/m1\?draft=/);
  page = await (await app.get(attendance)).text();
  assert.match(page, /name="meetings_held-p1"[^>]*value="150"/);
  assert.match(page, /id="f-meetings_held-p1-error">[^<]*100/);
  assert.match(page, /name="attended-p1"[^>]*checked/);

  const task = app.follow(await app.post("/app/demonstrations/d1/tasks", { task: " ", criteria: "Kassa täsmää" }));
  assert.match(task, /^\/app\/demonstrations\/d1\?draft=/);
  page = await (await app.get(task)).text();
  assert.match(page, />Kassa täsmää<\/textarea>/);
  assert.match(page, /id="f-task-error"/);

  assert.equal((await app.store.outbox()).length, before, "nothing half-written");
  // Without the draft the pages are as before.
  assert.doesNotMatch(await (await app.get("/app/employers/e1")).text(), /jari@puutarha/);
});

test("a round and its ratings are one save: one transaction", async () => {
  const app = await setup();
  await app.store.save("participant", "p1", { first_name: "Aino", last_name: "Lehtonen" });
  await app.store.save("coaching_period", "c1", { participant_id: "p1", measure_type: "work_trial", phase: "active", start_date: "2026-09-01" });
  await app.store.save("goal", "g1", { period_id: "c1", area: "competence", title: "Kassatyöt", status: "open" });
  app.saves.length = 0;
  const ratings = Object.fromEntries(["participant", "employer", "work_community", "coach"].map((r, i) => [`rating-g1-${r}`, String(i + 1)]));
  const response = await app.post("/app/rounds", { period_id: "c1", held_on: "2026-10-01", ...ratings });
  assert.equal(response.status, 303);
  assert.equal(app.saves.length, 1);
  const types = (await app.store.outbox()).slice(-5).map((e) => e.mutation.record_type);
  assert.deepEqual(types, ["assessment_round", "assessment", "assessment", "assessment", "assessment"]);
});
