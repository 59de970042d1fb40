// A period's coaching voucher as this device sees it. The eligibility rule is
// the server's own, as data (generated/rules.js from server/vouchers/
// eligibility.py): `reasons` reads it exactly as the server does, over the
// facts the device holds. A request made here waits in the outbox and is
// decided by the server when it arrives; its decision syncs back.
import RULES from "./generated/rules.js";
import { isPending, where } from "./queries.js";
import { signoffStatus } from "./signoff/local.js";

const TESTS = {
  present: (value) => value !== null && value !== undefined && value !== "",
  in: (value, check) => check.values.includes(value),
  positive: (value) => (value || 0) > 0,
  zero: (value) => !value,
};

// Why a period with these facts does not make its employer eligible (the
// server's reason keys, in its order); empty when it does.
export function reasons(facts, checks = RULES.vouchers.checks) {
  const out = [];
  for (const check of checks) {
    const test = TESTS[check.test];
    if (!test) throw new Error(`${check.reason}: unknown test ${check.test}`);
    if (!test(facts[check.fact] ?? null, check) && !out.includes(check.reason)) out.push(check.reason);
  }
  return out;
}

export function periodFacts(snap, period) {
  const f = period.fields;
  const demos = where(snap, "work_demonstration", "period_id", period.id);
  return {
    employer_id: f.employer_id ?? null,
    phase: f.phase ?? null,
    end_date: f.end_date ?? null,
    final_rounds: where(snap, "assessment_round", "period_id", period.id).filter((r) => r.fields.is_final).length,
    unsigned_demonstrations: demos.filter((d) => signoffStatus(snap, d).status !== "verified").length,
  };
}

// {status, reasons, voucher, request, waiting, canRequest}: the voucher's own
// status when it has one, else eligible / not_eligible (with the reasons);
// the latest request made on a device, and whether it still waits.
export function voucherState(snap, period) {
  const voucher = where(snap, "coaching_voucher", "period_id", period.id)[0] || null;
  // Request ids are time-ordered (uuid7): the last one is the latest.
  const request = where(snap, "voucher_request", "period_id", period.id).sort((a, b) => a.id.localeCompare(b.id)).at(-1) || null;
  const waiting = Boolean(request && (isPending(snap, "voucher_request", request.id) || (request.fields.decision ?? "pending") === "pending"));
  const found = voucher ? [] : reasons(periodFacts(snap, period));
  const status = voucher ? voucher.fields.status : found.length ? "not_eligible" : "eligible";
  const canRequest = !waiting && status === "eligible";
  return { status, reasons: found, voucher, request, waiting, queued: Boolean(request && isPending(snap, "voucher_request", request.id)), canRequest };
}
