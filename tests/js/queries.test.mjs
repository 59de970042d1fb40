// pwa/js/queries.js: what the caseload shows as due, search, and progress.
import assert from "node:assert/strict";
import { test } from "node:test";

import { due, participants, progress } from "../../pwa/js/queries.js";

function snapshot(records) {
  const byType = {};
  const byKey = new Map();
  for (const [type, id, fields] of records) {
    const record = { key: `${type}:${id}`, type, id, fields, deleted: false };
    (byType[type] ||= []).push(record);
    byKey.set(record.key, record);
  }
  return { byType, byKey, conflicts: [], pendingKeys: new Set(), attention: [] };
}

const period = (fields) => ({ id: "per", fields: { phase: "active", ...fields } });

test("an active period with no round needs its first assessment", () => {
  assert.deepEqual(due(snapshot([]), period({}), "2026-11-22"), [["due.first_assessment", {}]]);
});

test("an assessment is due 30 days after the last round, as at the desk", () => {
  const snap = snapshot([["assessment_round", "r", { period_id: "per", held_on: "2026-10-01" }]]);
  assert.deepEqual(due(snap, period({}), "2026-10-30"), []);
  assert.deepEqual(due(snap, period({}), "2026-10-31"), [["due.assessment", { date: "2026-10-01" }]]);
});

test("a planned end near or past shows", () => {
  const snap = snapshot([["assessment_round", "r", { period_id: "per", held_on: "2026-11-20" }]]);
  assert.deepEqual(due(snap, period({ planned_end_date: "2026-12-01" }), "2026-11-22"), [
    ["due.end_near", { date: "2026-12-01" }],
  ]);
  assert.deepEqual(due(snap, period({ planned_end_date: "2026-11-01" }), "2026-11-22"), [
    ["due.end_passed", { date: "2026-11-01" }],
  ]);
});

test("an ended period wants its outcome and follow-ups at 3 and 6 months", () => {
  const ended = period({ phase: "ended", end_date: "2026-01-15" });
  assert.deepEqual(due(snapshot([]), ended, "2026-03-01").map(([k]) => k), ["due.outcome_end"]);
  assert.deepEqual(due(snapshot([]), ended, "2026-07-20").map(([k]) => k), [
    "due.outcome_end", "due.follow_up_3", "due.follow_up_6",
  ]);
  const recorded = period({ phase: "ended", end_date: "2026-01-15", outcome_at_end: "studies", outcome_3_months: "studies" });
  assert.deepEqual(due(snapshot([]), recorded, "2026-05-01"), []);
});

test("follow-ups fall due after calendar months, as at the desk", () => {
  const ended = period({ phase: "ended", end_date: "2026-11-30", outcome_at_end: "studies" });
  assert.deepEqual(due(snapshot([]), ended, "2027-02-27"), []);
  assert.deepEqual(due(snapshot([]), ended, "2027-02-28"), [["due.follow_up_3", {}]]);
  assert.deepEqual(due(snapshot([]), ended, "2027-05-29").map(([k]) => k), ["due.follow_up_3"]);
  assert.deepEqual(due(snapshot([]), ended, "2027-05-30").map(([k]) => k), ["due.follow_up_3", "due.follow_up_6"]);
});

test("the caseload is searched by name, municipality and employer, and sorted by name", () => {
  const snap = snapshot([
    ["participant", "a", { first_name: "Aino", last_name: "Lehtonen", municipality: "Oulu" }],
    ["participant", "b", { first_name: "Jussi", last_name: "Niskanen", municipality: "Kempele" }],
    ["employer", "e", { name: "Pohjolan Puutarha Oy" }],
    ["coaching_period", "p", { participant_id: "b", employer_id: "e", phase: "active", start_date: "2026-09-01" }],
  ]);
  assert.deepEqual(participants(snap).map((r) => r.participant.id), ["a", "b"]);
  assert.deepEqual(participants(snap, "puutarha").map((r) => r.participant.id), ["b"]);
  assert.deepEqual(participants(snap, "oulu").map((r) => r.participant.id), ["a"]);
  assert.equal(participants(snap, "kempele")[0].period.id, "p");
});

test("progress lists each round's ratings of a goal, oldest first", () => {
  const snap = snapshot([
    ["assessment_round", "r2", { period_id: "per", held_on: "2026-10-01" }],
    ["assessment_round", "r1", { period_id: "per", held_on: "2026-09-01" }],
    ["assessment", "a1", { round_id: "r1", goal_id: "g", rater: "coach", rating: 2 }],
    ["assessment", "a2", { round_id: "r2", goal_id: "g", rater: "coach", rating: 4 }],
    ["assessment", "a3", { round_id: "r2", goal_id: "other", rater: "coach", rating: 1 }],
  ]);
  const rows = progress(snap, { id: "g", fields: { period_id: "per" } });
  assert.deepEqual(rows.map((r) => [r.round.id, r.ratings.coach?.fields.rating]), [["r1", 2], ["r2", 4]]);
});
