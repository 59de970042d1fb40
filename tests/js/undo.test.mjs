// Undoing mistakes offline (pwa/js/undo.js, pwa/js/routes/undo.js): a delete
// with its confirm step and its children, the refusals the server also makes,
// voiding a round, notes and their corrections, edits of what was only created.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { memoryBackend } from "../../pwa/js/backend-memory.js";
import { createLocalServer } from "../../pwa/js/local-server.js";
import { due, progress } from "../../pwa/js/queries.js";
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
  const client = { syncWithRetry: async () => ({ ok: true }), logout: async () => {} };
  const handle = createLocalServer({ store, client, catalogs: async () => catalogs });
  const get = (path) => handle(new Request(BASE + path));
  const post = async (path, fields = {}) =>
    handle(new Request(BASE + path, { method: "POST", body: new URLSearchParams({ ...fields, form_token: await formToken(store) }) }));
  return { store, get, post };
}

const idFrom = (response) => new URL(response.headers.get("Location")).pathname.split("/").pop();
const deletesIn = async (store) =>
  (await store.outbox()).filter((e) => e.mutation.op === "delete").map((e) => e.mutation.record_type);

async function periodWithGoals(app) {
  const pid = idFrom(await app.post("/app/participants", { first_name: "Aino", last_name: "Lehtonen" }));
  const period = idFrom(await app.post("/app/periods", { participant_id: pid, measure_type: "work_trial", phase: "active", start_date: "2026-09-01" }));
  await app.post("/app/goals", { period_id: period, area: "competence", title: "Trukkikortti" });
  await app.post("/app/goals", { period_id: period, area: "wellbeing", title: "Jaksaminen" });
  return { pid, period };
}

test("a delete asks first, names what goes with it, and takes the children along", async () => {
  const app = await setup();
  const { pid, period } = await periodWithGoals(app);
  const confirm = await app.get(`/app/remove/coaching_period/${period}`);
  assert.equal(confirm.status, 200);
  const page = await confirm.text();
  assert.match(page, /Poistetaanko\?/);
  assert.match(page, /Tavoite: 2/);
  assert.equal((await deletesIn(app.store)).length, 0, "showing the confirm step changes nothing");
  const done = await app.post(`/app/remove/coaching_period/${period}`);
  assert.equal(done.status, 303);
  assert.equal(new URL(done.headers.get("Location")).pathname, `/app/participants/${pid}`);
  assert.deepEqual(await deletesIn(app.store), ["goal", "goal", "coaching_period"]);
  assert.equal((await app.get(`/app/periods/${period}`)).status, 404);
  // With no history left, the participant may go too.
  await app.post(`/app/remove/participant/${pid}`);
  assert.equal((await app.get(`/app/participants/${pid}`)).status, 404);
});

test("a participant with history is not deleted, and the coach is told why", async () => {
  const app = await setup();
  const { pid } = await periodWithGoals(app);
  const page = await (await app.get(`/app/remove/participant/${pid}`)).text();
  assert.match(page, /kirjattua historiaa/);
  assert.doesNotMatch(page, /Kyllä, poista/);
  const refused = await app.post(`/app/remove/participant/${pid}`);
  assert.equal(refused.status, 409);
  assert.deepEqual(await deletesIn(app.store), []);
  assert.equal((await app.get("/app/remove/assessment/x")).status, 404, "only the types the app deletes");
});

test("a voided round is kept, marked, and left out of progress and what is due", async () => {
  const app = await setup();
  const { period } = await periodWithGoals(app);
  let snap = await app.store.snapshot();
  const goal = snap.byType.goal.find((g) => g.fields.area === "competence");
  const round = idFrom(await app.post("/app/rounds", { period_id: period, held_on: "2026-10-01", [`rating-${goal.id}-coach`]: "2" }));
  assert.match(await (await app.get(`/app/rounds/${round}/void`)).text(), /Mitätöinnin syy/);
  const empty = await app.post(`/app/rounds/${round}/void`, { void_reason: " " });
  assert.match(await (await app.get(new URL(empty.headers.get("Location")).pathname + new URL(empty.headers.get("Location")).search)).text(), /Kirjoita mitätöinnin syy/);
  await app.post(`/app/rounds/${round}/void`, { void_reason: "Väärä asiakas" });
  const last = (await app.store.outbox()).at(-1).mutation;
  assert.deepEqual([last.op, last.fields], ["upsert", { void_reason: "Väärä asiakas" }]);
  snap = await app.store.snapshot();
  assert.deepEqual(progress(snap, goal), []);
  const periodRecord = snap.byType.coaching_period[0];
  assert.deepEqual(due(snap, periodRecord, "2026-10-02").map(([key]) => key), ["due.first_assessment"]);
  const page = await (await app.get(`/app/rounds/${round}`)).text();
  assert.match(page, /Mitätöity<\/strong>: Väärä asiakas/);
  assert.doesNotMatch(page, /Mitätöi kierros/);
});

test("notes are dated and append-only: a correction is a new note naming the old", async () => {
  const app = await setup();
  const { pid, period } = await periodWithGoals(app);
  await app.post("/app/notes", { participant_id: pid, period_id: period, noted_on: "2026-10-05", body: "Soitto työnantajalle" });
  const note = (await app.store.snapshot()).byType.note[0];
  assert.equal(note.fields.period_id, period);
  await app.post(`/app/notes/${note.id}/correct`, { noted_on: "2026-10-06", body: "Soitto työnantajalle ja asiakkaalle" });
  const notes = (await app.store.snapshot()).byType.note;
  assert.equal(notes.length, 2);
  const correction = notes.find((n) => n.id !== note.id);
  assert.equal(correction.fields.corrects_id, note.id);
  assert.equal(note.fields.body, "Soitto työnantajalle", "the original is not changed");
  const page = await (await app.get(`/app/participants/${pid}`)).text();
  assert.match(page, /korjattu myöhemmin/);
  assert.match(page, /korjaa merkinnän 5\.10\.2026/);
  const periodPage = await (await app.get(`/app/periods/${period}`)).text();
  assert.match(periodPage, /ja asiakkaalle/);
});

test("events, contacts, contact persons, rounds, tasks and workplaces can be edited", async () => {
  const app = await setup();
  const employer = idFrom(await app.post("/app/employers", { name: "Konepaja Oy", business_id: "2456789-6", address: "Satamatie 4" }));
  assert.match(await (await app.get(`/app/employers/${employer}`)).text(), /Satamatie 4/);
  const event = idFrom(await app.post("/app/events", { title: "Työkohtaamo", event_date: "2026-10-01" }));
  await app.post(`/app/events/${event}`, { title: "Työkohtaamo syksy", event_date: "2026-10-02", place: "Kirjasto" });
  assert.deepEqual((await app.store.outbox()).at(-1).mutation.fields, { title: "Työkohtaamo syksy", event_date: "2026-10-02", place: "Kirjasto" });
  await app.post(`/app/employers/${employer}/people`, { name: "Pekka" });
  const person = (await app.store.snapshot()).byType.employer_contact_person[0].id;
  await app.post(`/app/people/${person}`, { name: "Pekka Nieminen", title: "Työnjohtaja" });
  await app.post(`/app/employers/${employer}/workplaces`, { name: "Halli 2" });
  const workplace = (await app.store.snapshot()).byType.workplace[0].id;
  await app.post(`/app/workplaces/${workplace}`, { name: "Halli 3", address: "Satamatie 6" });
  const page = await (await app.get(`/app/employers/${employer}`)).text();
  assert.match(page, /Pekka Nieminen, Työnjohtaja/);
  assert.match(page, /Halli 3 · Satamatie 6/);
  const refused = await app.post(`/app/events/${event}`, { title: "", event_date: "2026-10-02" });
  assert.match(new URL(refused.headers.get("Location")).pathname, /\/app\/events\/.+\/edit$/);
});

test("the period form lists only the chosen employer's workplaces", async () => {
  const app = await setup();
  const pid = idFrom(await app.post("/app/participants", { first_name: "Aino", last_name: "Lehtonen" }));
  const a = idFrom(await app.post("/app/employers", { name: "Konepaja Oy", business_id: "2456789-6" }));
  const b = idFrom(await app.post("/app/employers", { name: "Kahvila Ky", business_id: "1572860-0" }));
  await app.post(`/app/employers/${a}/workplaces`, { name: "Halli 2" });
  await app.post(`/app/employers/${b}/workplaces`, { name: "Keittiö" });
  const form = await (await app.get(`/app/participants/${pid}/periods/new?employer_id=${a}&measure_type=work_trial`)).text();
  assert.match(form, /Halli 2/);
  assert.doesNotMatch(form, /Keittiö/);
  assert.doesNotMatch(await (await app.get(`/app/participants/${pid}/periods/new`)).text(), /Halli 2|Keittiö/);
});

test("a deleted attendance comes back as the same record, not a second one", async () => {
  const app = await setup();
  const pid = idFrom(await app.post("/app/participants", { first_name: "Aino", last_name: "Lehtonen" }));
  const event = idFrom(await app.post("/app/events", { title: "Työkohtaamo", event_date: "2026-10-01" }));
  await app.post(`/app/events/${event}/attendance`, { participant_id: pid, [`attended-${pid}`]: "1" });
  const first = (await app.store.snapshot()).byType.event_attendance[0].id;
  await app.post(`/app/remove/event_attendance/${first}`);
  assert.equal((await app.store.snapshot()).byType.event_attendance, undefined);
  await app.post(`/app/events/${event}/attendance`, { participant_id: pid, [`attended-${pid}`]: "1" });
  const again = (await app.store.snapshot()).byType.event_attendance;
  assert.deepEqual(again.map((a) => a.id), [first]);
});

test("the confirm, void, note and edit pages render in every language", async () => {
  const app = await setup();
  const { pid, period } = await periodWithGoals(app);
  const goal = (await app.store.snapshot()).byType.goal[0];
  const round = idFrom(await app.post("/app/rounds", { period_id: period, held_on: "2026-10-01", [`rating-${goal.id}-coach`]: "2" }));
  await app.post("/app/notes", { participant_id: pid, noted_on: "2026-10-05", body: "Muistiin" });
  const note = (await app.store.snapshot()).byType.note[0].id;
  for (const lang of ["fi", "sv", "en"]) {
    await app.store.setMeta({ lang });
    for (const path of [`/app/remove/goal/${goal.id}`, `/app/remove/participant/${pid}`, `/app/rounds/${round}/void`, `/app/rounds/${round}/edit`, `/app/notes/${note}/correct`, `/app/participants/${pid}`, `/app/periods/${period}`]) {
      const response = await app.get(path);
      assert.equal(response.status, 200, `${lang} ${path}`);
      assert.doesNotMatch(await response.text(), /\b[a-z_]+\.[a-z_]+\b(?=<)/, `${lang} ${path}: an untranslated key`);
    }
  }
});

test("an employer has dated notes too, corrected by a new note", async () => {
  const app = await setup();
  const employer = idFrom(await app.post("/app/employers", { name: "Konepaja Oy", business_id: "2456789-6" }));
  await app.post("/app/employer-notes", { employer_id: employer, noted_on: "2026-10-01", body: "Rekrytoi keväällä" });
  const note = (await app.store.snapshot()).byType.employer_note[0];
  assert.deepEqual(note.fields, { employer_id: employer, noted_on: "2026-10-01", body: "Rekrytoi keväällä" });
  await app.post(`/app/employer-notes/${note.id}/correct`, { noted_on: "2026-10-02", body: "Rekrytoi maaliskuussa" });
  const page = await (await app.get(`/app/employers/${employer}`)).text();
  assert.match(page, /Rekrytoi maaliskuussa/);
  assert.match(page, /korjattu myöhemmin/);
  const refused = await app.post("/app/employer-notes", { employer_id: employer, noted_on: "2026-10-03", body: "" });
  assert.equal(new URL(refused.headers.get("Location")).pathname, `/app/employers/${employer}`);
});

test("an edit that raced a delete offers both choices in words", async () => {
  const app = await setup();
  const { period } = await periodWithGoals(app);
  const goal = (await app.store.snapshot()).byType.goal[0];
  const conflict = {
    conflict_id: "c1", record_type: "goal", record_id: goal.id, field: "_deleted", kind: "delete", version: 3,
    values: [
      { value: null, stamp: "1700000000000-00000-other", device_id: "other", user_id: 7, mutation_id: "m1" },
      { value: { title: "Trukkikortti B" }, stamp: "1700000000001-00000-dev", device_id: "dev", user_id: 7, mutation_id: null },
    ],
  };
  await app.store.write(["conflicts"], (tx) => tx.put("conflicts", { ...conflict, key: "c1", recordKey: `goal:${goal.id}` }));
  const page = await (await app.get("/app/conflicts")).text();
  assert.match(page, /Pidä poistettuna/);
  assert.match(page, /Palauta ja pidä muutos: Otsikko: Trukkikortti B/);
  assert.ok(period);
});
