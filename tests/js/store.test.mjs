// pwa/js/store.js on the in-memory backend: local edits and the outbox,
// applying pulled pages (L7) with pending edits re-applied, conflicts, settling.
import assert from "node:assert/strict";
import { test } from "node:test";

import { memoryBackend } from "../../pwa/js/backend-memory.js";
import { compare, parse } from "../../pwa/js/hlc.js";
import { STORE_NAMES, Store } from "../../pwa/js/store.js";

const DEVICE = "00000000-0000-4000-8000-00000000000d";
const GOAL = "11111111-1111-4111-8111-111111111111";

export async function newStore(now = () => 1_700_000_000_000) {
  let n = 0;
  const store = new Store(memoryBackend(STORE_NAMES), {
    now,
    uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
  });
  await store.setMeta({ device_id: DEVICE });
  return store;
}

const change = (version, fields, stamps = {}) => ({
  record_type: "goal", record_id: GOAL, version, deleted: false, fields, stamps,
});
const page = (changes, extra = {}) => ({
  changes, removals: [], conflicts: [], cursor: "c1", more: false, server_time_ms: 0, ...extra,
});

test("an edit shows at once and waits in the outbox with base_version 0", async () => {
  const store = await newStore();
  const mutation = await store.save("goal", GOAL, { title: "Kassatyöt", area: "competence" });
  assert.equal(mutation.base_version, 0);
  assert.equal(mutation.op, "upsert");
  assert.equal(parse(mutation.stamp).node, DEVICE);
  const record = await store.record("goal", GOAL);
  assert.equal(record.fields.title, "Kassatyöt");
  const outbox = await store.outbox();
  assert.equal(outbox.length, 1);
  assert.equal((await store.meta()).clock, mutation.stamp, "the clock is persisted with the edit");
});

test("stamps keep rising across edits and restarts", async () => {
  const store = await newStore(() => 1000);
  const a = await store.save("goal", GOAL, { title: "a" });
  const b = await store.save("goal", GOAL, { title: "b" });
  assert.equal(compare(parse(a.stamp), parse(b.stamp)), -1);
  const restarted = new Store(store.backend, { now: () => 10 }); // same data, clock set back
  const c = await restarted.save("goal", GOAL, { title: "c" });
  assert.equal(compare(parse(b.stamp), parse(c.stamp)), -1);
});

test("a pulled page is applied with pending local edits on top", async () => {
  const store = await newStore();
  const mine = await store.save("goal", GOAL, { title: "Oma otsikko" });
  await store.applyPage(page([change(3, { title: "Palvelimen", description: "Kuvaus", status: "open" })]));
  const record = await store.record("goal", GOAL);
  assert.deepEqual(record.fields, { title: "Oma otsikko", description: "Kuvaus", status: "open" });
  assert.equal(record.server.version, 3);
  const [entry] = await store.outbox();
  assert.equal(entry.mutation.base_version, 0, "a pending mutation keeps the base_version it was made with");
  assert.equal(entry.mutation.mutation_id, mine.mutation_id);
  const next = await store.save("goal", GOAL, { status: "achieved" });
  assert.equal(next.base_version, 3, "base_version is the last pulled version");
  assert.equal((await store.meta()).cursor, "c1");
});

test("pulled stamps go through the receive rule", async () => {
  const store = await newStore(() => 1000);
  const remote = "9000000000000-00042-other";
  await store.applyPage(page([change(1, { title: "x" }, { title: remote })]));
  const mutation = await store.save("goal", GOAL, { title: "y" });
  assert.equal(compare(parse(remote), parse(mutation.stamp)), -1);
});

test("a record's conflicts are replaced by the page's list; none listed, none open", async () => {
  const store = await newStore();
  const conflict = {
    conflict_id: "c-1", record_type: "goal", record_id: GOAL, field: "title", kind: "value", version: 4,
    mutation_id: "m", values: [],
  };
  await store.applyPage(page([change(4, { title: "B" })], { conflicts: [conflict] }));
  assert.equal((await store.snapshot()).conflicts.length, 1);
  await store.applyPage(page([change(5, { title: "B" })]));
  assert.equal((await store.snapshot()).conflicts.length, 0);
});

test("a removal drops the record and its conflicts but keeps pending edits", async () => {
  const store = await newStore();
  await store.applyPage(page([change(1, { title: "x" })], {
    conflicts: [{ conflict_id: "c", record_type: "goal", record_id: GOAL, field: "title", values: [], version: 1 }],
  }));
  await store.save("goal", GOAL, { title: "y" });
  await store.applyPage(page([], { removals: [{ record_type: "goal", record_id: GOAL }] }));
  assert.equal(await store.record("goal", GOAL), undefined);
  const snapshot = await store.snapshot();
  assert.equal(snapshot.conflicts.length, 0);
  assert.equal(snapshot.pendingCount, 1);
});

test("a tombstone hides the record; a pending local edit still shows over it", async () => {
  const store = await newStore();
  await store.applyPage(page([{ ...change(2, {}), deleted: true, stamps: { _deleted: "0000000000001-00000-x" } }]));
  assert.equal((await store.record("goal", GOAL)).deleted, true);
  await store.save("goal", GOAL, { title: "takaisin" });
  assert.equal((await store.record("goal", GOAL)).deleted, false);
});

test("settle removes answered entries only; rejected ones need attention", async () => {
  const store = await newStore();
  await store.save("goal", GOAL, { title: "ok" });
  await store.save("goal", GOAL, { area: "nonsense" });
  const batch = await store.outboxBatch(500);
  await store.save("goal", GOAL, { title: "made during the push" });
  await store.settle(batch, [
    { mutation_id: batch[0].mutation.mutation_id, status: "applied", version: 2 },
    { mutation_id: batch[1].mutation.mutation_id, status: "rejected", errors: { area: ["must be one of: …"] } },
  ]);
  const outbox = await store.outbox();
  assert.equal(outbox.length, 1);
  assert.equal(outbox[0].mutation.fields.title, "made during the push");
  const { attention } = await store.snapshot();
  assert.equal(attention.length, 1);
  assert.deepEqual(attention[0].errors, { area: ["must be one of: …"] });
  assert.equal(attention[0].mutation.fields.area, "nonsense");
});

test("an edit refused because its participant is erased keeps no content and cannot be sent again", async () => {
  const store = await newStore();
  const person = "22222222-2222-4222-8222-222222222222";
  await store.save("participant", person, { municipality: "Kempele" });
  const batch = await store.outboxBatch(500);
  await store.settle(batch, [
    {
      mutation_id: batch[0].mutation.mutation_id,
      status: "rejected",
      errors: { participant_id: ["the participant's data is erased or its processing restricted"] },
    },
  ]);
  const { attention } = await store.snapshot();
  assert.equal(attention.length, 1);
  assert.equal(attention[0].withheld, true);
  assert.deepEqual(attention[0].mutation.fields, {});
  assert.ok(!JSON.stringify(attention).includes("Kempele"));
  assert.equal(await store.retry(attention[0].key), null);
  assert.equal((await store.outbox()).length, 0);
});

test("settle refuses results that do not match the batch", async () => {
  const store = await newStore();
  await store.save("goal", GOAL, { title: "x" });
  const batch = await store.outboxBatch(500);
  await assert.rejects(store.settle(batch, []));
  assert.equal((await store.outbox()).length, 1);
});

test("dismissing a rejected create removes the record that never reached the server", async () => {
  const store = await newStore();
  const m = await store.save("goal", GOAL, { title: "" });
  const batch = await store.outboxBatch(500);
  await store.settle(batch, [{ mutation_id: m.mutation_id, status: "rejected", errors: { title: ["blank"] } }]);
  await store.dismiss(m.mutation_id);
  assert.equal(await store.record("goal", GOAL), undefined);
  assert.equal((await store.snapshot()).attention.length, 0);
});

test("retry sends a rejected edit again as a new mutation", async () => {
  const store = await newStore();
  const m = await store.save("goal", GOAL, { title: "x" });
  await store.settle(await store.outboxBatch(500), [{ mutation_id: m.mutation_id, status: "rejected", errors: {} }]);
  const again = await store.retry(m.mutation_id);
  assert.notEqual(again.mutation_id, m.mutation_id);
  assert.deepEqual(again.fields, { title: "x" });
  assert.equal((await store.outbox()).length, 1);
  assert.equal((await store.snapshot()).attention.length, 0);
});

test("a resolution resolves the conflict, after every competing stamp, at its version", async () => {
  const store = await newStore(() => 1000);
  const values = [
    { value: "B", stamp: "0000000005000-00003-other", device_id: "other", user_id: 1, mutation_id: "m2" },
    { value: "A", stamp: "0000000004000-00000-" + DEVICE, device_id: DEVICE, user_id: 1, mutation_id: null },
  ];
  await store.applyPage(page([change(4, { title: "B" })], {
    conflicts: [{ conflict_id: "cf", record_type: "goal", record_id: GOAL, field: "title", kind: "value", version: 5, values }],
  }));
  const mutation = await store.resolve("cf", "A ja B");
  assert.deepEqual(mutation.resolves, ["cf"]);
  assert.deepEqual(mutation.fields, { title: "A ja B" });
  assert.ok(mutation.base_version >= 5);
  for (const v of values) assert.equal(compare(parse(v.stamp), parse(mutation.stamp)), -1);
  const [conflict] = (await store.snapshot()).conflicts;
  assert.equal(conflict.resolving, mutation.mutation_id);
});

test("a delete conflict resolved with null is a delete", async () => {
  const store = await newStore();
  await store.applyPage(page([change(2, { title: "x" })], {
    conflicts: [{ conflict_id: "d", record_type: "goal", record_id: GOAL, field: "_deleted", kind: "delete", version: 2,
      values: [{ value: null, stamp: "0000000000001-00000-x" }, { value: { title: "x" }, stamp: "0000000000002-00000-y" }] }],
  }));
  const mutation = await store.resolve("d", null);
  assert.equal(mutation.op, "delete");
  assert.deepEqual(mutation.resolves, ["d"]);
});

test("wipe leaves nothing", async () => {
  const store = await newStore();
  await store.save("goal", GOAL, { title: "x" });
  await store.wipe();
  const snapshot = await store.snapshot();
  assert.equal(snapshot.pendingCount, 0);
  assert.equal(snapshot.byKey.size, 0);
  assert.deepEqual(snapshot.meta, {});
});

test("a failed transaction writes nothing", async () => {
  const store = await newStore();
  await assert.rejects(store.write(["meta"], async (tx) => {
    await tx.put("meta", { key: "x", value: 1 });
    throw new Error("boom");
  }));
  assert.equal((await store.meta()).x, undefined);
});
