// Questions the views ask of a store snapshot (store.snapshot()): pure
// functions over plain data, so "what is due" can be tested without a page.
// Vocabularies and due dates are the server's (generated/rules.js, from
// server/vocabulary.py and server/due.py).
import RULES from "./generated/rules.js";

const { vocabularies, due: DUE } = RULES;
export const GOAL_AREAS = vocabularies.area;
export const RATERS = vocabularies.rater;
export const MEASURE_TYPES = vocabularies.measure;
export const PHASES = vocabularies.phase;
export const OUTCOMES = vocabularies.outcome;
export const TASK_RESULTS = vocabularies.task_result;
export const DEMONSTRATION_RESULTS = vocabularies.demo_result;
export const CONTACT_KINDS = vocabularies.contact_kind;
export const ALTERNATIVE_METHODS = vocabularies.alternative_method;

export const list = (snap, type) => snap.byType[type] || [];
export const get = (snap, type, id) => {
  const record = id ? snap.byKey.get(`${type}:${id}`) : null;
  return record && !record.deleted ? record : null;
};
export const where = (snap, type, field, value) => list(snap, type).filter((r) => r.fields[field] === value);

export const fullName = (p) => (p ? `${p.fields.first_name ?? ""} ${p.fields.last_name ?? ""}`.trim() : "");

export const byField = (field) => (a, b) =>
  String(a.fields[field] ?? "").localeCompare(String(b.fields[field] ?? ""), "fi");

export function participants(snap, query = "") {
  const q = query.trim().toLocaleLowerCase("fi");
  const rows = list(snap, "participant").map((p) => {
    const periods = where(snap, "coaching_period", "participant_id", p.id).sort(byField("start_date"));
    const current = periods.findLast((x) => !["ended", "cancelled"].includes(x.fields.phase)) || periods.at(-1);
    const employer = current && get(snap, "employer", current.fields.employer_id);
    return { participant: p, period: current || null, employer };
  });
  const matches = ({ participant, employer }) =>
    !q ||
    [fullName(participant), participant.fields.municipality, employer?.fields.name]
      .filter(Boolean)
      .some((text) => text.toLocaleLowerCase("fi").includes(q));
  return rows
    .filter(matches)
    .sort((a, b) => fullName(a.participant).localeCompare(fullName(b.participant), "fi"));
}

export const addDays = (iso, days) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

// Whole calendar months later (earlier when negative); a day the month lacks
// becomes its last day (31 Aug + 6 months is 28 or 29 Feb), as server/due.py.
export const addMonths = (iso, months) => {
  const [year, month, day] = iso.split("-").map(Number);
  const index = year * 12 + (month - 1) + months;
  const [y, m] = [Math.floor(index / 12), index % 12];
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(day, lastDay))).toISOString().slice(0, 10);
};

export const today = (now = Date.now()) => new Date(now).toISOString().slice(0, 10);

// The dates steps fall due (server/due.py).
export const roundDue = (lastIso) => addDays(lastIso, DUE.assessment_round_days);
export const followUpDue = (endIso, months) => addMonths(endIso, months);

const FOLLOW_UP_OUTCOME = { 3: "outcome_3_months", 6: "outcome_6_months" };

// What is due for one coaching period, as [translation key, values] pairs.
export function due(snap, period, todayIso) {
  const rounds = where(snap, "assessment_round", "period_id", period.id).sort(byField("held_on"));
  return dueOf(period.fields, rounds.at(-1)?.fields.held_on ?? null, todayIso);
}

// The same from a period's fields and its last round's date (the caseload's
// rows keep just these: js/caseload-summary.js).
export function dueOf(f, lastHeldOn, todayIso) {
  const items = [];
  if (f.phase === "active") {
    if (!lastHeldOn) items.push(["due.first_assessment", {}]);
    else if (roundDue(lastHeldOn) <= todayIso) {
      items.push(["due.assessment", { date: lastHeldOn }]);
    }
  }
  if (["planning", "active"].includes(f.phase) && f.planned_end_date) {
    if (f.planned_end_date < todayIso) items.push(["due.end_passed", { date: f.planned_end_date }]);
    else if (f.planned_end_date <= addDays(todayIso, DUE.planned_end_warning_days)) {
      items.push(["due.end_near", { date: f.planned_end_date }]);
    }
  }
  if (["follow_up", "ended"].includes(f.phase)) {
    if (!f.outcome_at_end) items.push(["due.outcome_end", {}]);
    for (const months of DUE.follow_up_months) {
      if (f.end_date && !f[FOLLOW_UP_OUTCOME[months]] && followUpDue(f.end_date, months) <= todayIso) {
        items.push([`due.follow_up_${months}`, {}]);
      }
    }
  }
  return items;
}

// Supervisor returns (record type review_return) still open for a record.
export const openReturns = (snap, type, id) =>
  list(snap, "review_return").filter(
    (r) => r.fields.record_type === type && r.fields.record_id === id && r.fields.status === "open",
  );

export const openReturnsOfParticipant = (snap, participantId) =>
  list(snap, "review_return").filter(
    (r) => r.fields.participant_id === participantId && r.fields.status === "open",
  );

export const conflictsOf = (snap, type, id) => snap.conflicts.filter((c) => c.recordKey === `${type}:${id}`);

export const isPending = (snap, type, id) => snap.pendingKeys.has(`${type}:${id}`);

// Assessments of a goal, by round (oldest first): [{round, ratings: {rater: assessment}}].
export function progress(snap, goal) {
  const rounds = where(snap, "assessment_round", "period_id", goal.fields.period_id).sort(byField("held_on"));
  const assessments = where(snap, "assessment", "goal_id", goal.id);
  return rounds.map((round) => ({
    round,
    ratings: Object.fromEntries(
      assessments.filter((a) => a.fields.round_id === round.id).map((a) => [a.fields.rater, a]),
    ),
  }));
}

// A short name for any record, for the conflict inbox and the attention list.
export function describe(snap, type, id) {
  const record = snap.byKey.get(`${type}:${id}`);
  const f = record?.fields || {};
  switch (type) {
    case "participant":
      return fullName(record);
    case "coaching_period":
      return fullName(get(snap, "participant", f.participant_id));
    case "employer":
    case "workplace":
    case "employer_contact_person":
      return f.name || "";
    default:
      return f.title || f.task || f.name || "";
  }
}
