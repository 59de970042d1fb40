// The conflict inbox offers what a person can choose (issue 14): a choice
// field's values by their labels in the user's language, only the values the
// server would accept now, and a merged text only for a free-text field.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import RULES from "../../pwa/js/generated/rules.js";
import { memoryBackend } from "../../pwa/js/backend-memory.js";
import { isFreeText, vocabularyOf } from "../../pwa/js/conflict-choices.js";
import { createLocalServer } from "../../pwa/js/local-server.js";
import { formToken } from "../../pwa/js/request-guard.js";
import { STORE_NAMES, Store } from "../../pwa/js/store.js";

const BASE = "http://localhost:5000";
const catalogs = Object.fromEntries(
  ["fi", "sv", "en"].map((lang) => [lang, JSON.parse(readFileSync(new URL(`../../pwa/locales/${lang}.json`, import.meta.url)))]),
);
const STAMP = (n) => `1790000000000-0000${n}-dev${n}`;
const PERIOD = "00000000-0000-4000-8000-0000000000aa";
const GOAL = "00000000-0000-4000-8000-0000000000bb";

async function setup(lang) {
  let n = 0;
  const store = new Store(memoryBackend(STORE_NAMES), {
    uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
  });
  await store.setMeta({ device_id: "dev", token: "t", user: { id: 7, name: "Sanna Virtanen" }, lang });
  const value = (v, i) => ({ value: v, stamp: STAMP(i), device_id: `dev${i}`, user_id: 7, mutation_id: null });
  await store.applyPage({
    changes: [
      { record_type: "coaching_period", record_id: PERIOD, version: 3, deleted: false, stamps: {},
        fields: { participant_id: "p", coach_id: 7, measure_type: "work_trial", phase: "ended", start_date: "2026-09-01", end_date: "2026-12-01" } },
      { record_type: "goal", record_id: GOAL, version: 2, deleted: false, stamps: {},
        fields: { period_id: PERIOD, area: "competence", title: "Kassatyö", status: "open" } },
    ],
    conflicts: [
      { conflict_id: "c-phase", record_type: "coaching_period", record_id: PERIOD, field: "phase", kind: "value", version: 3,
        mutation_id: "m1", values: [value("ended", 1), value("active", 2)] },
      { conflict_id: "c-title", record_type: "goal", record_id: GOAL, field: "title", kind: "value", version: 2,
        mutation_id: "m2", values: [value("Kassatyö", 1), value("Kassatyö ja tilitys", 2)] },
    ],
    removals: [],
    cursor: "c1",
    more: false,
  });
  const handle = createLocalServer({ store, client: { syncWithRetry: async () => ({ ok: true }) }, catalogs: async () => catalogs });
  const get = async (path) => (await handle(new Request(BASE + path))).text();
  const post = async (path, fields) =>
    handle(new Request(BASE + path, { method: "POST", body: new URLSearchParams({ ...fields, form_token: await formToken(store) }) }));
  return { store, get, post };
}

test("which fields have a vocabulary, and which take a merged text", () => {
  assert.equal(vocabularyOf("coaching_period", "phase"), "phase");
  assert.equal(vocabularyOf("coaching_period", "outcome_3_months"), "outcome");
  assert.equal(vocabularyOf("assessment", "rating"), "rating");
  assert.equal(vocabularyOf("goal", "title"), null);
  assert.equal(isFreeText("goal", "title"), true);
  assert.equal(isFreeText("coaching_period", "phase"), false);
  assert.equal(isFreeText("coaching_period", "employer_id"), false);
  assert.equal(isFreeText("coaching_period", "end_date"), false);
});

test("a choice field shows its labels in Swedish, and a value breaking a rule is not offered", async () => {
  const app = await setup("sv");
  const page = await app.get("/app/conflicts");
  const card = page.slice(page.indexOf("c-phase"), page.indexOf("c-title"));
  assert.match(card, new RegExp(catalogsLabel("sv", "phase.ended")));
  assert.match(card, new RegExp(catalogsLabel("sv", "phase.active")));
  assert.doesNotMatch(card, />active</);
  assert.match(card, /value="1" disabled aria-describedby=/);
  assert.match(card, /Perioden har ett slutdatum/);
  assert.doesNotMatch(card, /name="merged"/, "no merged text for a choice field");
  const title = page.slice(page.indexOf("c-title"));
  assert.match(title, /name="merged"/, "merged text for a text field");
});

test("a refused value or a merged text for a choice field is not saved, even when posted", async () => {
  const app = await setup("fi");
  await app.post("/app/conflicts/c-phase", { choice: "1" });
  await app.post("/app/conflicts/c-phase", { choice: "merged", merged: "whatever" });
  assert.equal((await app.store.outbox()).length, 0);
  await app.post("/app/conflicts/c-phase", { choice: "0" });
  const [entry] = await app.store.outbox();
  assert.deepEqual(entry.mutation.fields, { phase: "ended" });
  assert.deepEqual(entry.mutation.resolves, ["c-phase"]);
});

function catalogsLabel(lang, key) {
  return RULES.labels[lang][key];
}
