// pwa/js/signoff/local.js on a real store: what can be signed, with which
// nonce, and where a sign-off stands, from the outbox to the server's verdict.
import assert from "node:assert/strict";
import { test } from "node:test";

import { nextNonce, readiness, signoffStatus } from "../../pwa/js/signoff/local.js";
import { DEMO, NOW, change, nonce, signableStore } from "./signoff-fixture.mjs";

const demoOf = (snap) => snap.byKey.get(`work_demonstration:${DEMO}`);

async function sign(store, nonceValue, content) {
  await store.save("signoff", `s-${nonceValue.slice(0, 1)}`, {
    demonstration_id: DEMO, representative_id: "rep-1", signed_at: new Date(NOW).toISOString(),
    nonce: nonceValue, signed_content: content,
  });
}

test("a demonstration with tasks and a result is ready, signed by its employer's keyholders", async () => {
  const store = await signableStore();
  const snap = await store.snapshot();
  const ready = readiness(snap, demoOf(snap), NOW);
  assert.deepEqual(ready.signers.map((s) => s.name), ["Jari Mäkelä"], "only people with a registered key");
  assert.equal(ready.nonce, nonce("a"), "the soonest to expire with a day left");
  assert.match(ready.text, /^\{"content_version":1,"date":"2026-10-15","demonstration_id":"5d1f0c9e/);
  assert.deepEqual(signoffStatus(snap, demoOf(snap)), { status: "unsigned", latest: null });
});

test("nonces used by sign-offs still in the outbox are not picked again", async () => {
  const store = await signableStore();
  const text = readiness(await store.snapshot(), demoOf(await store.snapshot()), NOW).text;
  await sign(store, nonce("a"), text);
  assert.equal((await store.outbox()).length, 1);
  assert.equal(nextNonce(await store.snapshot(), NOW), nonce("b"));
  await sign(store, nonce("b"), text);
  const snap = await store.snapshot();
  assert.equal(nextNonce(snap, NOW), null);
  await store.save("demonstration_task", "t-1", { note: "changed after signing" });
  assert.equal(readiness(await store.snapshot(), demoOf(snap), NOW).reason, "no_nonce", "sync while online first");
});

test("a pushed sign-off's nonce stays used although the old pool still lists it", async () => {
  const store = await signableStore();
  await sign(store, nonce("a"), "{}");
  const [entry] = await store.outbox();
  await store.settle([entry], [{ mutation_id: entry.mutation.mutation_id, status: "applied", version: 1 }]);
  assert.equal((await store.outbox()).length, 0);
  assert.equal(nextNonce(await store.snapshot(), NOW), nonce("b"));
});

test("why a hand-over is not possible: nothing to sign, no keyholder, no nonce, already signed", async () => {
  const store = await signableStore();
  let snap = await store.snapshot();
  const demo = demoOf(snap);
  const { text } = readiness(snap, demo, NOW);
  await store.setMeta({ nonces: [] });
  assert.equal(readiness(await store.snapshot(), demo, NOW).reason, "no_nonce");
  await store.setMeta({ signers: [] });
  assert.equal(readiness(await store.snapshot(), demo, NOW).reason, "no_signer");
  const store2 = await signableStore();
  await sign(store2, nonce("a"), text);
  snap = await store2.snapshot();
  assert.equal(readiness(snap, demoOf(snap), NOW).reason, "signed", "signed as it reads now");
  assert.equal(signoffStatus(snap, demoOf(snap)).status, "on_device");
  await store2.save("work_demonstration", DEMO, { overall_result: null });
  snap = await store2.snapshot();
  assert.equal(readiness(snap, demoOf(snap), NOW).reason, "no_content");
  await store2.save("work_demonstration", DEMO, { overall_result: "partly_passed" });
  snap = await store2.snapshot();
  assert.equal(readiness(snap, demoOf(snap), NOW).nonce, nonce("b"), "changed content can be signed again");
});

test("the server's verdict comes with the pull: verified, failed with its reason, needs a new sign-off", async () => {
  const store = await signableStore();
  const text = readiness(await store.snapshot(), demoOf(await store.snapshot()), NOW).text;
  const signoff = (status, reason = null) => ({
    changes: [change("signoff", "s-1", { demonstration_id: DEMO, nonce: nonce("a"), signed_at: "2026-10-15T12:00:00Z", signed_content: text, verification_status: status, verification_reason: reason })],
    removals: [], conflicts: [], cursor: "c2", more: false,
  });
  await store.applyPage(signoff("failed", "no_user_verification"));
  let snap = await store.snapshot();
  const failed = signoffStatus(snap, demoOf(snap));
  assert.equal(failed.status, "failed");
  assert.equal(failed.latest.fields.verification_reason, "no_user_verification");
  assert.ok(readiness(snap, demoOf(snap), NOW).text, "a failed sign-off can be signed again");
  await store.applyPage(signoff("verified"));
  snap = await store.snapshot();
  assert.equal(signoffStatus(snap, demoOf(snap)).status, "verified");
  await store.applyPage({ changes: [change("work_demonstration", DEMO, { ...demoOf(snap).fields, status: "needs_new_signoff" }, 3)], removals: [], conflicts: [], cursor: "c3", more: false });
  snap = await store.snapshot();
  assert.equal(signoffStatus(snap, demoOf(snap)).status, "needs_new_signoff");
});

test("signed content edited on the device needs a new sign-off at once, not after the next sync", async () => {
  const store = await signableStore();
  const text = readiness(await store.snapshot(), demoOf(await store.snapshot()), NOW).text;
  await store.applyPage({
    changes: [change("signoff", "s-1", { demonstration_id: DEMO, nonce: nonce("a"), signed_at: "2026-10-15T12:00:00Z", signed_content: text, verification_status: "verified" })],
    removals: [], conflicts: [], cursor: "c2", more: false,
  });
  let snap = await store.snapshot();
  assert.equal(signoffStatus(snap, demoOf(snap)).status, "verified");
  await store.save("demonstration_task", "t-1", { result: "partly_met" }); // offline: the demonstration's status is still the server's
  snap = await store.snapshot();
  assert.equal(demoOf(snap).fields.status, "ready");
  assert.equal(signoffStatus(snap, demoOf(snap)).status, "needs_new_signoff");
  assert.ok(readiness(snap, demoOf(snap), NOW).text, "and it can be signed again");
  await store.save("demonstration_task", "t-1", { result: "met" }); // edited back: as signed
  snap = await store.snapshot();
  assert.equal(signoffStatus(snap, demoOf(snap)).status, "verified");

  // Signed on this device, then edited before the sync.
  const local = await signableStore();
  await sign(local, nonce("a"), text);
  await local.save("work_demonstration", DEMO, { recommendation: "Suosittelemme lämpimästi" });
  snap = await local.snapshot();
  assert.equal(signoffStatus(snap, demoOf(snap)).status, "needs_new_signoff");
});
