// pwa/js/vouchers.js: the server's voucher rule read on the device. The
// shared cases (tests/vectors/voucher_eligibility.json) give the same reasons
// as server/vouchers/eligibility.py (tests/unit/test_voucher_eligibility.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { reasons, voucherState } from "../../pwa/js/vouchers.js";

const { cases } = JSON.parse(readFileSync(new URL("../vectors/voucher_eligibility.json", import.meta.url), "utf-8"));

for (const c of cases) {
  test(`shared case: ${c.name}`, () => assert.deepEqual(reasons(c.facts), c.reasons));
}

function snapshot(records, pending = []) {
  const byType = {};
  const byKey = new Map();
  for (const [type, id, fields] of records) {
    const record = { key: `${type}:${id}`, type, id, fields, deleted: false };
    (byType[type] ||= []).push(record);
    byKey.set(record.key, record);
  }
  return { byType, byKey, conflicts: [], pendingKeys: new Set(pending), attention: [] };
}

const period = { id: "per", fields: { employer_id: "e", phase: "ended", end_date: "2026-03-31" } };

test("a period without a final round is not eligible, with the server's reason", () => {
  const state = voucherState(snapshot([]), period);
  assert.equal(state.status, "not_eligible");
  assert.deepEqual(state.reasons, ["no_final_round"]);
  assert.equal(state.canRequest, false);
});

test("eligible: the coach may request; a queued request waits, then shows its decision", () => {
  const round = ["assessment_round", "r", { period_id: "per", is_final: true }];
  assert.equal(voucherState(snapshot([round]), period).canRequest, true);
  const queued = voucherState(snapshot([round, ["voucher_request", "q1", { period_id: "per" }]], ["voucher_request:q1"]), period);
  assert.equal(queued.waiting, true);
  assert.equal(queued.queued, true);
  assert.equal(queued.canRequest, false);
  const refused = voucherState(snapshot([round, ["voucher_request", "q1", { period_id: "per", decision: "refused", refusal_reasons: "status_requested" }]]), period);
  assert.equal(refused.waiting, false);
  const decided = voucherState(
    snapshot([round, ["voucher_request", "q1", { period_id: "per", decision: "accepted" }], ["coaching_voucher", "v", { period_id: "per", status: "requested" }]]),
    period,
  );
  assert.equal(decided.status, "requested");
  assert.equal(decided.canRequest, false);
});
