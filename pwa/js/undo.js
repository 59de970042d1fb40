// Undoing a mistake on the device: which records may be deleted, what goes
// with them, and where the coach lands after. Pure functions over a store
// snapshot. The rules are the server's (server/sync_api/deletes.py), checked
// here first so the coach hears why at once; the children are the server's
// too (generated/rules.js `children`, from the registry).
import RULES from "./generated/rules.js";
import { where } from "./queries.js";

// What the app offers to delete, and the page each lands on after.
const BACK = {
  participant: () => "/app/",
  coaching_period: (f) => `/app/participants/${f.participant_id}`,
  goal: (f) => `/app/periods/${f.period_id}`,
  work_demonstration: (f) => `/app/participants/${f.participant_id}`,
  demonstration_task: (f) => `/app/demonstrations/${f.demonstration_id}#tasks`,
  employer_contact: (f) => `/app/employers/${f.employer_id}#contacts`,
  employer_contact_person: (f) => `/app/employers/${f.employer_id}#people`,
  workplace: (f) => `/app/employers/${f.employer_id}#workplaces`,
  meeting_event: () => "/app/events",
  event_attendance: (f) => `/app/events/${f.event_id}`,
};
export const DELETABLE = Object.keys(BACK);

export const backAfterDelete = (record) => BACK[record.type](record.fields);

// Every living record under `type`/`id` on this device, children before
// their parents (the order the deletes are queued in).
export function followers(snap, type, id) {
  const out = [];
  const walk = (parentType, parentId) => {
    for (const [child, fk] of RULES.children[parentType] || []) {
      for (const record of where(snap, child, fk, parentId)) {
        walk(child, record.id);
        out.push(record);
      }
    }
  };
  walk(type, id);
  return out;
}

const signed = (snap, demonstrationId) =>
  where(snap, "signoff", "demonstration_id", demonstrationId).some((s) => s.fields.verification_status !== "failed");

// Why this record may not be deleted (a translation key), or null.
export function deleteRefusal(snap, record) {
  const { type, id, fields: f } = record;
  if (!DELETABLE.includes(type)) return "remove.refused.kind";
  switch (type) {
    case "participant":
      return ["coaching_period", "work_demonstration", "note", "event_attendance"].some((t) => where(snap, t, "participant_id", id).length)
        ? "remove.refused.history"
        : null;
    case "coaching_period":
      return where(snap, "coaching_voucher", "period_id", id).length ? "remove.refused.voucher" : null;
    case "work_demonstration":
      return signed(snap, id) ? "remove.refused.signed" : null;
    // A task of a signed demonstration may go: the demonstration then needs a
    // new sign-off, like any edit of signed content.
    case "employer_contact_person":
      return f.user_id ? "remove.refused.login" : null;
    case "workplace":
      return ["coaching_period", "work_demonstration"].some((t) => where(snap, t, "workplace_id", id).length)
        ? "remove.refused.workplace"
        : null;
    default:
      return null;
  }
}

// The deletes to queue: its followers first, then the record itself.
export const deletes = (snap, record) =>
  [...followers(snap, record.type, record.id), record].map((r) => ({ type: r.type, id: r.id, op: "delete" }));

// Counts of what goes with a record, by type, for the confirm step.
export function followerCounts(snap, record) {
  const counts = {};
  for (const r of followers(snap, record.type, record.id)) counts[r.type] = (counts[r.type] || 0) + 1;
  return counts;
}

// A deleted record of `type` whose fields match `values` (a unique pair on the server).
export function tombstone(snap, type, values) {
  for (const record of snap.byKey.values()) {
    if (record.type === type && record.deleted && Object.entries(values).every(([k, v]) => record.fields[k] === v)) return record;
  }
  return null;
}

// A voided round stays (its ratings are append-only) but counts for nothing.
export const isVoided = (round) => Boolean(round.fields.void_reason);
