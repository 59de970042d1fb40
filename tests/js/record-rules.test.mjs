// The record rules on the device's own save path (js/local-server.js): a
// clear message at the field, in the coach's language, and nothing saved
// (the rules' verdicts themselves: app-rules.test.mjs on the shared table).
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

async function setup(lang = "fi") {
  let n = 0;
  const store = new Store(memoryBackend(STORE_NAMES), {
    uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
  });
  await store.setMeta({ device_id: "dev", token: "t", user: { id: 7, name: "Sanna Virtanen" }, lang });
  const client = { syncWithRetry: async () => ({ ok: true }), logout: async () => {} };
  const handle = createLocalServer({ store, client, catalogs: async () => catalogs });
  const get = (path) => handle(new Request(BASE + path));
  const post = async (path, fields) =>
    handle(new Request(BASE + path, { method: "POST", body: new URLSearchParams({ ...fields, form_token: await formToken(store) }) }));
  // The page a refused form is shown again on.
  const shown = async (response) => {
    assert.equal(response.status, 303);
    const again = new URL(response.headers.get("Location"));
    const page = await get(again.pathname + again.search);
    return { status: page.status, text: await page.text() };
  };
  return { store, get, post, shown };
}

test("a Y-tunnus another employer on the device holds is refused before saving", async () => {
  const app = await setup();
  assert.equal((await app.post("/app/employers", { name: "Konepaja Oy", business_id: "0737546-2" })).status, 303);
  const before = (await app.store.outbox()).length;
  const { status, text } = await app.shown(await app.post("/app/employers", { name: "Toinen Oy", business_id: "0737546-2" }));
  assert.equal(status, 422);
  assert.match(text, /Organisaatiossa on jo työnantaja tällä Y-tunnuksella/);
  assert.equal((await app.store.outbox()).length, before, "nothing saved");
});

test("a period's end before its start, and an end date while active: at their fields, in Swedish", async () => {
  const app = await setup("sv");
  const created = await app.post("/app/participants", { first_name: "Aino", last_name: "Lehtonen" });
  const pid = created.headers.get("Location").split("/").pop();
  const before = (await app.store.outbox()).length;
  const { status, text } = await app.shown(await app.post("/app/periods", {
    participant_id: pid, measure_type: "work_trial", phase: "active", start_date: "2026-09-01", end_date: "2026-08-01",
  }));
  assert.equal(status, 422);
  assert.match(text, /Slutdatumet kan inte vara före startdatumet/);
  assert.match(text, /Perioden har ett slutdatum/);
  assert.equal((await app.store.outbox()).length, before);
});

test("adopted alternative recruitment without informed is refused at the informed box", async () => {
  const app = await setup();
  await app.post("/app/employers", { name: "Konepaja Oy", business_id: "0737546-2" });
  const employer = (await app.store.snapshot()).byType.employer[0].id;
  const before = (await app.store.outbox()).length;
  const response = await app.post("/app/employer-contacts", {
    employer_id: employer, contact_date: "2026-11-03", kind: "visit", adopted_alternative_recruitment: "on",
  });
  const { status, text } = await app.shown(response);
  assert.equal(status, 422);
  assert.match(text, /Merkitse myös tiedotetuksi/);
  assert.equal((await app.store.outbox()).length, before);
});

test("the attention list says the server's rule in the coach's language", async () => {
  const app = await setup("en");
  await app.store.write(["attention"], (tx) => tx.put("attention", {
    key: "m1",
    mutation: { mutation_id: "m1", record_type: "employer", record_id: "e1", op: "upsert", fields: { name: "B Oy" } },
    errors: { business_id: ["unique_employer: another employer already has this business_id"] },
    at: 0,
  }));
  const page = await (await app.get("/app/sync")).text();
  assert.match(page, /The organization already has an employer with this business ID\./);
});
