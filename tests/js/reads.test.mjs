// Each route reads what it renders (pwa/js/reads.js), the caseload is a
// paged list of rows kept on write and on pull (pwa/js/caseload-summary.js),
// and a pulled page is applied in bulk: without a browser, on the memory
// backend, counting what the store is asked.
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

// The memory backend, with every whole-store read of `records` counted.
function countingBackend() {
  const inner = memoryBackend(STORE_NAMES);
  const log = [];
  return {
    log,
    transaction(names, mode, fn) {
      return inner.transaction(names, mode, (tx) =>
        fn({
          ...tx,
          getAll: (name, prefix) => (log.push(["getAll", name]), tx.getAll(name, prefix)),
          index: (name, index, query, options) => (log.push(["index", name, index]), tx.index(name, index, query, options)),
          get: (name, key) => (log.push(["get", name]), tx.get(name, key)),
        }),
      );
    },
  };
}

const change = (type, id, fields, version = 1) => ({ record_type: type, record_id: id, fields, version, deleted: false, stamps: {} });
const pid = (n) => `p-${String(n).padStart(4, "0")}`;

// `count` participants, each with a period, a round, a goal and a rating;
// participant 0's period ended, participant 1 has an open return.
function caseloadPage(count, cursor = "c1") {
  const changes = [change("employer", "e-1", { name: "Konepaja Oy" })];
  for (let n = 0; n < count; n++) {
    const id = pid(n);
    changes.push(change("participant", id, { first_name: n === 0 ? "Äyli" : "Testi", last_name: `Asiakas ${n}`, municipality: "Oulu" }));
    changes.push(change("coaching_period", `${id}-period`, {
      participant_id: id, employer_id: "e-1", measure_type: "work_trial",
      phase: n === 0 ? "ended" : "active", start_date: "2026-09-01", end_date: n === 0 ? "2026-10-01" : null,
    }));
    changes.push(change("assessment_round", `${id}-round`, { period_id: `${id}-period`, held_on: "2026-10-01" }));
    changes.push(change("goal", `${id}-goal`, { period_id: `${id}-period`, area: "wellbeing", title: `Tavoite ${n}`, status: "open" }));
    changes.push(change("assessment", `${id}-a`, { round_id: `${id}-round`, goal_id: `${id}-goal`, rater: "coach", rating: 3 }));
  }
  changes.push(change("review_return", "r-1", {
    record_type: "participant", record_id: pid(1), participant_id: pid(1), status: "open", comment: "Puuttuu suostumus",
  }));
  return { changes, conflicts: [], removals: [], cursor, more: false };
}

async function setup(count = 0) {
  const backend = countingBackend();
  let n = 0;
  const store = new Store(backend, { uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}` });
  await store.setMeta({ device_id: "dev", token: "t", user: { id: 7, name: "Sanna Virtanen" }, lang: "fi" });
  if (count) await store.applyPage(caseloadPage(count));
  const handle = createLocalServer({
    store, client: {}, catalogs: async () => catalogs, now: () => Date.parse("2026-12-01T10:00:00Z"),
  });
  const get = async (path) => {
    backend.log.length = 0;
    const response = await handle(new Request(BASE + path));
    return { response, text: await response.text(), reads: [...backend.log] };
  };
  const post = async (path, fields) => {
    const body = new URLSearchParams({ ...fields, form_token: await formToken(store) });
    backend.log.length = 0;
    const response = await handle(new Request(BASE + path, { method: "POST", body }));
    return { response, reads: [...backend.log] };
  };
  return { store, backend, get, post };
}

const wholeRecords = (reads) => reads.filter(([op, name]) => op === "getAll" && name === "records");
const indexReads = (reads, index) => reads.filter(([op, name, i]) => op === "index" && name === "records" && i === index);

test("a record's page reads its participant's tree, never the whole device", async () => {
  const app = await setup(30);
  const page = await app.get(`/app/participants/${pid(5)}`);
  assert.equal(page.response.status, 200);
  assert.match(page.text, /Testi Asiakas 5/);
  assert.deepEqual(wholeRecords(page.reads), []);
  const period = await app.get(`/app/periods/${pid(5)}-period`);
  assert.match(period.text, /Tavoite 5/);
  assert.match(period.text, /Konepaja Oy/);
  assert.deepEqual(wholeRecords(period.reads), []);
  const round = await app.get(`/app/rounds/${pid(5)}-round`);
  assert.equal(round.response.status, 200);
  assert.deepEqual(wholeRecords(round.reads), []);
  // A route that says nothing still works, from the whole device.
  const conflicts = await app.get("/app/conflicts");
  assert.equal(conflicts.response.status, 200);
  assert.equal(wholeRecords(conflicts.reads).length, 1);
});

test("the tree holds what the whole device would answer for that page", async () => {
  const app = await setup(10);
  const full = await app.store.snapshot();
  const mine = [...full.byKey.keys()].filter((k) => k.includes(pid(3)) || k === "employer:e-1");
  const page = await app.get(`/app/goals/${pid(3)}-goal/edit`);
  assert.equal(page.response.status, 200);
  assert.match(page.text, /Tavoite 3/);
  assert.doesNotMatch(page.text, /Tavoite 4/);
  const { ROUTE_READS } = await import("../../pwa/js/reads.js");
  const reader = ROUTE_READS["GET /app/goals/:id/edit"]({ params: { id: `${pid(3)}-goal` } });
  const view = await app.store.view(reader);
  for (const key of mine) assert.ok(view.byKey.has(key), `${key} is in the goal's read`);
  assert.ok(!view.byKey.has(`participant:${pid(4)}`), "nobody else's records");
});

test("the status bar counts without reading a record", async () => {
  const app = await setup(20);
  const status = await app.get("/app/status");
  assert.equal(status.response.status, 200);
  assert.deepEqual(status.reads.filter(([, name]) => name === "records"), []);
  assert.deepEqual(status.reads.filter(([op, name]) => op === "getAll" && name !== "meta"), []);
});

test("a save reads the record once and leads to its page from the tree", async () => {
  const app = await setup(20);
  const goal = `${pid(7)}-goal`;
  const saved = await app.post(`/app/goals/${goal}`, { title: "Uusi otsikko", area: "wellbeing" });
  assert.equal(saved.response.status, 303);
  assert.deepEqual(wholeRecords(saved.reads), []);
  assert.equal(saved.reads.filter(([op, name]) => op === "getAll" && name === "outbox").length, 1, "the view's outbox read only");
  const page = await app.get(`/app/periods/${pid(7)}-period`);
  assert.match(page.text, /Uusi otsikko/);
});

test("the caseload is a page of rows: active by default, filters, search over everyone", async () => {
  const app = await setup(120);
  await app.get("/app/"); // rows were made by the pull
  const first = await app.get("/app/");
  assert.deepEqual(wholeRecords(first.reads), []);
  assert.deepEqual(indexReads(first.reads, "type"), []);
  assert.match(first.text, /119 asiakasta/, "the ended participant is not active");
  assert.equal((first.text.match(/<li class="card">/g) || []).length, 50);
  assert.match(first.text, /Sivu 1\/3/);
  assert.match(first.text, /Seuraava sivu/);
  const third = await app.get("/app/?page=3");
  assert.equal((third.text.match(/<li class="card">/g) || []).length, 19);
  const ended = await app.get("/app/?show=ended");
  assert.match(ended.text, /1 asiakasta/);
  assert.match(ended.text, /Äyli Asiakas 0/);
  // A search finds ended participants too, by a normalised name.
  const found = await app.get("/app/?q=ayli");
  assert.match(found.text, /Äyli Asiakas 0/);
  assert.match(found.text, /1 asiakasta/);
  const twoWords = await app.get("/app/?q=testi+asiakas+11");
  assert.match(twoWords.text, /Testi Asiakas 11/);
  assert.match(twoWords.text, /1 asiakasta/);
  const returned = await app.get("/app/?show=returned");
  assert.match(returned.text, /Testi Asiakas 1</);
  assert.match(returned.text, /Puuttuu suostumus/);
  const due = await app.get("/app/?show=due");
  assert.match(due.text, /120 asiakasta/, "a round 30 days after the last, the ended one its outcome");
});

test("rows follow local saves and pulls", async () => {
  const app = await setup(3);
  await app.post(`/app/participants/${pid(2)}`, { first_name: "Uuno", last_name: "Uusinimi" });
  assert.match((await app.get("/app/?q=uusinimi")).text, /Uuno Uusinimi/);
  await app.post(`/app/periods/${pid(2)}-period`, { measure_type: "work_trial", phase: "ended", start_date: "2026-09-01", end_date: "2026-11-01" });
  assert.match((await app.get("/app/?show=ended")).text, /Uuno Uusinimi/);
  // A pull removes one and renames the employer shown on every row.
  await app.store.applyPage({
    changes: [change("employer", "e-1", { name: "Uusi Oy" }, 2)],
    conflicts: [{ conflict_id: "k-1", record_type: "coaching_period", record_id: `${pid(1)}-period`, field: "phase", values: [], version: 2 }],
    removals: [{ record_type: "participant", record_id: pid(0) }],
    cursor: "c2",
    more: false,
  });
  const all = await app.get("/app/?show=all");
  assert.doesNotMatch(all.text, /Äyli/);
  assert.match(all.text, /Uusi Oy/);
  const conflicted = await app.get("/app/?show=conflicted");
  assert.match(conflicted.text, /1 asiakasta/);
  assert.match(conflicted.text, /Testi Asiakas 1</);
});

test("a device from before the rows gets them the first time the caseload shows", async () => {
  const app = await setup(5);
  await app.store.write(["summaries", "meta"], async (tx) => {
    await tx.clear("summaries");
    await tx.delete("meta", "summaries_built");
  });
  assert.match((await app.get("/app/")).text, /4 asiakasta/);
});

test("a pulled page is applied with its reads asked at once, not record by record", async () => {
  const app = await setup(0);
  app.backend.log.length = 0;
  await app.store.applyPage(caseloadPage(50));
  const outbox = app.backend.log.filter(([op, name]) => op === "getAll" && name === "outbox");
  assert.equal(outbox.length, 1, "the outbox is read once per page");
  const rows = await app.store.read(["summaries"], (tx) => tx.count("summaries"));
  assert.equal(rows, 50);
});
