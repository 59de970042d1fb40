// What each route reads from the store (docs/pwa.md "The read of each route").
// A route listed here gets a snapshot of the same shape as store.snapshot()
// (js/queries.js answers on it) holding only the records it renders, found
// through the indexes of js/store-schema.js; a route not listed gets the whole
// device, so a new route works before it says what it needs. A save's record
// rules (validate.js recordErrors: `unique`, `belongs_to`) look up records in
// that read too: a route listed here must read the types its rules name
// (today workplaces, in SHARED).
import { caseloadRead } from "./caseload-summary.js";
import { dueOf } from "./queries.js";
import { only } from "./store-schema.js";

// The status bar alone: counters, no record (store.counts()).
export const COUNTS = "counts";

// Types every coaching page may list in full: the organization's employers,
// workplaces and their people (form choices), sign-offs (used nonces) and
// supervisor returns. Few, however long the coach has worked.
const SHARED = ["employer", "workplace", "employer_contact_person", "signoff", "review_return"];

// The field that names a record's parent, and the index its children are found by.
const PARENT = {
  coaching_period: "participant_id",
  work_demonstration: "participant_id",
  goal: "period_id",
  assessment_round: "period_id",
  assessment: "round_id",
  demonstration_task: "demonstration_id",
  signoff: "demonstration_id",
};
const PARENT_TYPE = {
  participant_id: "participant",
  period_id: "coaching_period",
  round_id: "assessment_round",
  demonstration_id: "work_demonstration",
};
const CHILD_INDEX = {
  participant: "participant",
  coaching_period: "period",
  goal: "goal",
  assessment_round: "round",
  work_demonstration: "demonstration",
};

// The participant a record belongs to, walking up its parents.
async function participantOf(tx, type, id) {
  for (let step = 0; step < 5 && type !== "participant"; step++) {
    const field = PARENT[type];
    const record = field && id && (await tx.get("records", `${type}:${id}`));
    if (!record) return null;
    [type, id] = [PARENT_TYPE[field], record.fields[field]];
  }
  return type === "participant" ? id : null;
}

// A participant and everything under it (any type that names a period, goal,
// round or demonstration of it as its parent), plus the shared types.
async function participantTree(tx, participantId) {
  const shared = Promise.all(SHARED.map((type) => tx.index("records", "type", only(type))));
  const seen = new Map();
  let level = participantId ? [await tx.get("records", `participant:${participantId}`)].filter(Boolean) : [];
  while (level.length) {
    for (const record of level) seen.set(record.key, record);
    const children = await Promise.all(
      level.filter((r) => CHILD_INDEX[r.type]).map((r) => tx.index("records", CHILD_INDEX[r.type], only(r.id))),
    );
    level = children.flat().filter((r) => !seen.has(r.key));
  }
  for (const record of (await shared).flat()) seen.set(record.key, record);
  return [...seen.values()];
}

// The tree of the participant that `type:id` belongs to.
const treeOf = (type, id) => async (tx) => ({ records: await participantTree(tx, await participantOf(tx, type, id)) });

const fromForm = (type, field) => ({ form }) => treeOf(type, form?.get(field));
const fromParam = (type) => ({ params }) => treeOf(type, params.id);

// route → ({params, form, url, today}) → reader(tx) for store.view(), or COUNTS.
export const ROUTE_READS = {
  "GET /app/status": () => COUNTS,
  "GET /app/": ({ url, today }) => caseloadRead(url, (row) => (row.period ? dueOf(row.period, row.lastRound, today) : [])),
  "GET /app/participants/new": () => treeOf("participant", null),
  "GET /app/participants/:id": fromParam("participant"),
  "GET /app/participants/:id/edit": fromParam("participant"),
  "POST /app/participants": () => treeOf("participant", null),
  "POST /app/participants/:id": fromParam("participant"),
  "GET /app/participants/:id/periods/new": fromParam("participant"),
  "POST /app/periods": fromForm("participant", "participant_id"),
  "GET /app/periods/:id": fromParam("coaching_period"),
  "GET /app/periods/:id/edit": fromParam("coaching_period"),
  "GET /app/periods/:id/summary": fromParam("coaching_period"),
  "POST /app/periods/:id": fromParam("coaching_period"),
  "GET /app/periods/:id/goals/new": fromParam("coaching_period"),
  "POST /app/goals": fromForm("coaching_period", "period_id"),
  "GET /app/goals/:id/edit": fromParam("goal"),
  "POST /app/goals/:id": fromParam("goal"),
  "POST /app/goals/:id/status": fromParam("goal"),
  "GET /app/periods/:id/rounds/new": fromParam("coaching_period"),
  // Satisfaction answers and voucher requests (routes/satisfaction.js).
  "POST /app/periods/:id/satisfaction": fromParam("coaching_period"),
  "POST /app/periods/:id/satisfaction/handover": fromParam("coaching_period"),
  "POST /app/periods/:id/voucher-request": fromParam("coaching_period"),
  "POST /app/rounds": fromForm("coaching_period", "period_id"),
  "GET /app/rounds/:id": fromParam("assessment_round"),
  "POST /app/rounds/:id/assessments": fromParam("assessment_round"),
  "GET /app/participants/:id/demonstrations/new": fromParam("participant"),
  "POST /app/demonstrations": fromForm("participant", "participant_id"),
  "GET /app/demonstrations/:id": fromParam("work_demonstration"),
  "POST /app/demonstrations/:id": fromParam("work_demonstration"),
  "POST /app/demonstrations/:id/tasks": fromParam("work_demonstration"),
  "POST /app/tasks/:id": fromParam("demonstration_task"),
};
