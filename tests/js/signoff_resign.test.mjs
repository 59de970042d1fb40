// Re-signing after an edit on the device (pwa/js/signoff/local.js): the content
// to sign is the copy with the edits waiting as "signed" conflicts; the
// sign-off that decides the status is ordered as the server orders them.
import assert from "node:assert/strict";
import { test } from "node:test";

import { awaitingSignature, contentText, latestSignoff, readiness, signoffStatus } from "../../pwa/js/signoff/local.js";
import { DEMO, NOW, change, signableStore } from "./signoff-fixture.mjs";

const SIGNED = "Suosittelemme";
const NEW = "Suosittelemme vakituista työtä";

const signoff = (id, fields) =>
  change("signoff", id, { demonstration_id: DEMO, representative_id: "rep-1", nonce: "a".repeat(64), ...fields });

// Signed and verified; then the coach's edit came back as a "signed" conflict.
async function signedThenEdited() {
  const store = await signableStore();
  const text = contentText(await store.snapshot(), (await store.snapshot()).byKey.get(`work_demonstration:${DEMO}`));
  const demo = (await store.snapshot()).byKey.get(`work_demonstration:${DEMO}`).fields;
  await store.applyPage({
    changes: [
      signoff("s-1", { signed_at: "2026-10-15T10:00:00Z", signed_content: text, verification_status: "verified", verified_at: "2026-10-15T10:01:00Z" }),
      change("work_demonstration", DEMO, { ...demo, status: "needs_new_signoff" }, 3),
    ],
    removals: [],
    conflicts: [{
      conflict_id: "c-1", record_type: "work_demonstration", record_id: DEMO, field: "recommendation", kind: "signed", version: 3, mutation_id: "m-1",
      values: [
        { value: SIGNED, stamp: "0000000000001:0000:aa", device_id: "d", user_id: 7, mutation_id: null },
        { value: NEW, stamp: "0000000000002:0000:aa", device_id: "d", user_id: 7, mutation_id: "m-1" },
      ],
    }],
    cursor: "c2", more: false,
  });
  return { store, signedText: text };
}

const demoOf = (snap) => snap.byKey.get(`work_demonstration:${DEMO}`);

test("the content to sign again carries the edit waiting as a signed conflict", async () => {
  const { store, signedText } = await signedThenEdited();
  const snap = await store.snapshot();
  assert.equal(demoOf(snap).fields.recommendation, SIGNED); // the record keeps the signed value
  const text = contentText(snap, demoOf(snap));
  assert.notEqual(text, signedText);
  assert.equal(JSON.parse(text).recommendation, NEW);
  assert.equal(signoffStatus(snap, demoOf(snap)).status, "needs_new_signoff");
  assert.equal(readiness(snap, demoOf(snap), NOW).text, text); // it can be handed over
  assert.deepEqual(awaitingSignature(snap, demoOf(snap)).map((w) => [w.field, w.value]), [["recommendation", NEW]]);
});

test("an edit made on the device since comes before the proposal", async () => {
  const { store } = await signedThenEdited();
  await store.save("work_demonstration", DEMO, { recommendation: "Oma uusin" });
  const snap = await store.snapshot();
  assert.equal(JSON.parse(contentText(snap, demoOf(snap))).recommendation, "Oma uusin");
});

test("a failed attempt dated later never outranks a verified signature", async () => {
  const store = await signableStore();
  await store.applyPage({
    changes: [
      signoff("s-1", { signed_at: "2001-01-01T00:00:00Z", verification_status: "verified", verified_at: "2026-10-15T10:01:00Z" }),
      signoff("s-2", { signed_at: "2099-01-01T00:00:00Z", verification_status: "failed", verification_reason: "invalid_signature" }),
    ],
    removals: [], conflicts: [], cursor: "c2", more: false,
  });
  const snap = await store.snapshot();
  assert.equal(latestSignoff(snap, demoOf(snap)).id, "s-1");
});
