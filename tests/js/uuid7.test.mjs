// pwa/js/uuid7.js: the app's record and mutation ids are version 7 UUIDs
// that sort in the order one device made them (see the module's comment).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { memoryBackend } from "../../pwa/js/backend-memory.js";
import { createLocalServer } from "../../pwa/js/local-server.js";
import { formToken } from "../../pwa/js/request-guard.js";
import { STORE_NAMES, Store } from "../../pwa/js/store.js";
import { createUuid7, uuid7 } from "../../pwa/js/uuid7.js";

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const T = 1_760_000_000_123; // 2025-10-09T08:53:20.123Z

const hexOf = (id) => id.replaceAll("-", "");
const timeOf = (id) => parseInt(hexOf(id).slice(0, 12), 16);
const counterOf = (id) => parseInt(hexOf(id).slice(13, 16), 16);
const randBOf = (id) => BigInt(`0x${hexOf(id).slice(16)}`) & ((1n << 62n) - 1n);

function assertIncreasing(ids) {
  for (let i = 1; i < ids.length; i++) {
    assert.ok(ids[i - 1] < ids[i], `id ${i} ${ids[i]} does not sort after ${ids[i - 1]}`);
  }
}

test("canonical text: 8-4-4-4-12 lower-case hex, version 7, variant 10", () => {
  for (let i = 0; i < 1000; i++) {
    const id = uuid7();
    assert.match(id, V7);
    const bytes = Buffer.from(hexOf(id), "hex");
    assert.equal(bytes.length, 16);
    assert.equal(bytes[6] >> 4, 7, "version nibble");
    assert.equal(bytes[8] >> 6, 0b10, "variant bits");
  }
});

test("the first 48 bits are the Unix time in ms, big-endian", () => {
  const id = createUuid7({ now: () => T })();
  assert.equal(timeOf(id), T);
  assert.equal(id.slice(0, 13), `${T.toString(16).padStart(12, "0").slice(0, 8)}-${T.toString(16).slice(-4)}`);
  assert.equal(timeOf(createUuid7({ now: () => 0 })()), 0);
  assert.equal(timeOf(createUuid7({ now: () => 2 ** 48 - 1 })()), 2 ** 48 - 1);
  const before = Date.now();
  const real = uuid7();
  assert.ok(timeOf(real) >= before && timeOf(real) <= Date.now() + 1, "the default uses Date.now()");
});

test("10,000 ids in one millisecond sort in the order they were made", () => {
  const next = createUuid7({ now: () => T });
  const ids = Array.from({ length: 10_000 }, next);
  assertIncreasing(ids);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(timeOf(ids[0]), T);
  // 10,000 ids cannot fit in one ms's 12-bit counter: the overflow borrows the next ms.
  assert.ok(timeOf(ids.at(-1)) > T && timeOf(ids.at(-1)) <= T + 5);
});

test("the counter starts random below 0x800 in each new ms, counts up, and borrows the next ms when full", () => {
  let ms = T;
  let fillByte = 0xff;
  const next = createUuid7({ now: () => ms, fill: (bytes) => bytes.fill(fillByte) });
  const first = next();
  assert.equal(counterOf(first), 0x7ff, "seeded from 11 random bits");
  assert.equal(randBOf(first), (1n << 62n) - 1n, "rand_b is the random bytes under the variant");
  const sameMs = Array.from({ length: 0xfff - 0x7ff }, next);
  assert.deepEqual(sameMs.map(counterOf), Array.from(sameMs, (_, i) => 0x800 + i));
  assert.ok(sameMs.every((id) => timeOf(id) === T));
  fillByte = 0x12;
  const borrowed = next();
  assert.equal(timeOf(borrowed), T + 1, "counter overflow advances the time by 1 ms");
  assert.equal(counterOf(borrowed), 0x212, "and seeds the counter again");
  ms = T + 10;
  const later = next();
  assert.equal(timeOf(later), T + 10);
  assert.equal(counterOf(later), 0x212, "a new ms seeds the counter again");
});

test("the counter seed and rand_b come from crypto.getRandomValues", (t) => {
  const next = createUuid7({ now: () => T });
  const ids = Array.from({ length: 1000 }, next);
  assert.equal(new Set(ids.map(randBOf)).size, 1000, "every id has fresh random bits");
  t.mock.method(crypto, "getRandomValues", (bytes) => bytes.fill(0xab));
  const id = createUuid7({ now: () => T })();
  assert.equal(id.slice(14), "73ab-abab-abababababab");
});

test("a clock stepping back never makes an id sort before an earlier one", () => {
  const times = [T, T, T + 5, T - 60_000, T - 60_000, T + 3, T + 6, T - 1];
  let i = 0;
  const next = createUuid7({ now: () => times[Math.min(Math.floor(i++ / 1250), times.length - 1)] });
  const ids = Array.from({ length: 10_000 }, next);
  assertIncreasing(ids);
  assert.ok(ids.every((id) => timeOf(id) >= T), "the time used never falls below the last one");
  // Once the clock is ahead again, ids follow it.
  let j = 0;
  const caughtUp = createUuid7({ now: () => (j++ < 10 ? T : j <= 20 ? T - 1000 : T + 50) });
  const more = Array.from({ length: 30 }, caughtUp);
  assertIncreasing(more);
  assert.equal(timeOf(more.at(-1)), T + 50);
});

test("the store's mutation ids and the pages' record ids are version 7 by default; the device id stays random", async () => {
  const store = new Store(memoryBackend(STORE_NAMES));
  assert.equal(store.uuid, uuid7, "the app's one generator");
  const device = await store.deviceId();
  assert.match(device, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  await store.setMeta({ user: { id: 7, name: "Sanna Virtanen" }, lang: "fi" });
  const catalogs = Object.fromEntries(
    ["fi", "sv", "en"].map((lang) => [lang, JSON.parse(readFileSync(new URL(`../../pwa/locales/${lang}.json`, import.meta.url)))]),
  );
  const handle = createLocalServer({ store, client: {}, catalogs: async () => catalogs });
  const before = Date.now();
  const ids = [];
  for (const name of ["Aino", "Eino", "Aada"]) {
    const response = await handle(new Request("http://localhost:5000/app/participants", {
      method: "POST", body: new URLSearchParams({ first_name: name, last_name: "Lehtonen", form_token: await formToken(store) }),
    }));
    assert.equal(response.status, 303);
    const recordId = response.headers.get("Location").split("/").pop();
    const entry = (await store.outbox()).at(-1);
    assert.equal(entry.mutation.record_id, recordId);
    ids.push(recordId, entry.mutation.mutation_id);
  }
  for (const id of ids) {
    assert.match(id, V7);
    assert.ok(timeOf(id) >= before && timeOf(id) <= Date.now() + 1, id);
  }
  // One generator: record and mutation ids in creation order (two generators
  // would fail this only most of the time: it is a check, not the proof).
  assertIncreasing(ids);
});
