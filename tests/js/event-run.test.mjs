// The app's forms for an event as it runs: the employers taking part and
// their meetings, non-client job seekers (named only with consent) and who
// got work where — saved locally, queued for sync, shown again when refused.
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
    uuid: () => `00000000-0000-7000-8000-${String(++n).padStart(12, "0")}`,
  });
  await store.setMeta({ device_id: "dev", token: "t", user: { id: 7, name: "Sanna Virtanen" }, lang: "fi" });
  const handle = createLocalServer({ store, client: {}, catalogs: async () => catalogs });
  const get = (path) => handle(new Request(BASE + path));
  const post = async (path, fields) =>
    handle(new Request(BASE + path, { method: "POST", body: new URLSearchParams({ ...fields, form_token: await formToken(store) }) }));
  const location = (response) => {
    assert.equal(response.status, 303);
    const url = new URL(response.headers.get("Location"));
    return url.pathname + url.search + url.hash;
  };
  await store.save("employer", "e1", { name: "Konepaja Oy", business_id: "2456789-6" });
  await store.save("employer", "e2", { name: "Puutarha Oy", business_id: "1234567-1" });
  await store.save("meeting_event", "m1", { title: "Työkohtaamo", event_date: "2026-10-01" });
  const queued = async () => (await store.outbox()).map((e) => e.mutation);
  return { store, get, post, location, queued, mark: (await store.outbox()).length };
}

test("an employer taking part is added with its meetings, then its meetings are changed", async () => {
  const app = await setup();
  let page = await (await app.get("/app/events/m1")).text();
  assert.match(page, /<h2 id="event-employers">Osallistuvat työnantajat<\/h2>/);
  assert.match(page, /Ei vielä työnantajia\./);
  assert.equal(app.location(await app.post("/app/events/m1/employers", { "employer_id-new": "e1", "meetings_held-new": "4" })), "/app/events/m1#event-employers");
  const [added] = (await app.queued()).slice(app.mark);
  assert.equal(added.record_type, "meeting_event_employer");
  assert.deepEqual(added.fields, { meetings_held: 4, event_id: "m1", employer_id: "e1" });

  page = await (await app.get("/app/events/m1")).text();
  assert.match(page, /<h3>Konepaja Oy/);
  assert.match(page, /name="meetings_held-e1"[^>]*value="4"/);
  // The add form offers only the employers not yet taking part.
  const addForm = page.slice(page.indexOf("event-employer-new"), page.indexOf("event-guests"));
  assert.ok(addForm.includes("Puutarha Oy") && !addForm.includes("Konepaja Oy"));

  await app.post("/app/events/m1/employers", { employer_id: "e1", "meetings_held-e1": "6" });
  const changed = (await app.queued()).at(-1);
  assert.equal(changed.record_id, added.record_id);
  assert.deepEqual(changed.fields, { meetings_held: 6 });
});

test("a refused employer form comes back as typed, with the field's reason", async () => {
  const app = await setup();
  const address = app.location(await app.post("/app/events/m1/employers", { "employer_id-new": "e2", "meetings_held-new": "500" }));
  assert.match(address, /^\/app\/events\/m1\?draft=/);
  const page = await (await app.get(address)).text();
  assert.match(page, /name="meetings_held-new"[^>]*value="500"/);
  assert.match(page, /id="f-meetings_held-new-error">[^<]+</);
  assert.equal((await app.queued()).length, app.mark);
});

test("a non-client job seeker is counted without a name, and named only with consent", async () => {
  const app = await setup();
  app.location(await app.post("/app/events/m1/guests", { "meetings_held-new": "2", "got_work-new": "1", "employer_id-new": "e2" }));
  const [anonymous] = (await app.queued()).slice(app.mark);
  assert.equal(anonymous.record_type, "event_guest");
  assert.deepEqual(anonymous.fields, { name_consent: false, meetings_held: 2, got_work: true, employer_id: "e2", event_id: "m1" });

  // A name typed without consent is refused, naming the rule; nothing is queued.
  const refused = app.location(await app.post("/app/events/m1/guests", { "name-new": "Maija Vieras", "meetings_held-new": "1" }));
  let page = await (await app.get(refused)).text();
  assert.match(page, /id="f-name-new-error">Nimen saa kirjata vain työnhakijan suostumuksella/);
  assert.match(page, /name="name-new"[^>]*value="Maija Vieras"/);
  assert.equal((await app.queued()).length, app.mark + 1);

  await app.post("/app/events/m1/guests", { "name_consent-new": "1", "name-new": "Maija Vieras", "meetings_held-new": "1" });
  const named = (await app.queued()).at(-1);
  assert.deepEqual(named.fields, { name_consent: true, name: "Maija Vieras", meetings_held: 1, got_work: false, event_id: "m1" });
  page = await (await app.get("/app/events/m1")).text();
  assert.match(page, /<h3>Nimetön työnhakija 1/);
  assert.match(page, /<h3>Maija Vieras/);

  // Consent withdrawn: unticking it removes the name.
  const id = named.record_id;
  await app.post(`/app/events/m1/guests/${id}`, { [`name-${id}`]: "Maija Vieras", [`meetings_held-${id}`]: "1" });
  const withdrawn = (await app.queued()).at(-1);
  assert.equal(withdrawn.record_id, id);
  assert.deepEqual(withdrawn.fields, { name_consent: false, name: null });
  page = await (await app.get("/app/events/m1")).text();
  assert.ok(!page.includes("Maija Vieras"));
});

test("the event's new sections are translated", async () => {
  const app = await setup();
  await app.store.setMeta({ ...(await app.store.meta()), lang: "sv" });
  const page = await (await app.get("/app/events/m1")).text();
  assert.match(page, /Deltagande arbetsgivare/);
  assert.match(page, /Andra arbetssökande \(inte klienter\)/);
});
