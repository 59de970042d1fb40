// A demonstration's sign-off as this device sees it, from a store snapshot:
// the content a representative would sign now, who can sign it, the nonce to
// sign with, and where the sign-offs already made stand. No DOM: the service
// worker renders from it and node tests it.
import { get, isPending, list, where } from "../queries.js";
import { pickNonce } from "./api.js";
import { CanonicalError, canonicalText } from "./canonical.js";

// A local record in the sync wire shape canonical.js reads.
const wire = (record) => ({ ...record.fields, id: record.id, deleted: record.deleted });

// Edits made after signing wait on the server as "signed" conflicts while the
// record keeps the signed value (docs/sync-protocol.md M3). What is signed
// again is the device's copy with those edits in: per field, the latest
// proposal, unless this device has edited the field since (its own edit is
// newer). The server accepts such a signature as settling them (M9).
function proposalsOf(snap, type, id) {
  const out = {};
  for (const c of snap.conflicts) {
    if (c.kind !== "signed" || c.record_type !== type || c.record_id !== id || c.resolving) continue;
    for (const v of c.values.slice(1)) {
      if (!out[c.field] || String(v.stamp) > String(out[c.field].stamp)) out[c.field] = v;
    }
  }
  return out;
}

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function proposed(snap, record) {
  const found = proposalsOf(snap, record.type, record.id);
  const server = record.server?.fields || {};
  const editedHere = (field) => isPending(snap, record.type, record.id) && !same(record.fields[field], server[field]);
  let { fields, deleted } = record;
  for (const [field, value] of Object.entries(found)) {
    if (field === "_deleted") deleted = deleted || value.value === null;
    else if (!editedHere(field)) fields = { ...fields, [field]: value.value };
  }
  return { ...record, fields, deleted };
}

// The edits waiting for a new signature: [{record, field, value}], for the page.
export function awaitingSignature(snap, demo) {
  const records = [demo, ...where(snap, "demonstration_task", "demonstration_id", demo.id)];
  return records.flatMap((record) => {
    const now = proposed(snap, record);
    const changed = Object.keys(proposalsOf(snap, record.type, record.id))
      .filter((field) => (field === "_deleted" ? now.deleted : !same(now.fields[field], record.fields[field])));
    return changed.map((field) => ({ record, field, value: field === "_deleted" ? null : now.fields[field] }));
  });
}

// The canonical text of the demonstration as it stands on the device (with
// the edits waiting for a new signature), or null while there is nothing to
// sign: no task yet, no overall result, or a record it names is missing.
export function contentText(snap, rawDemo) {
  const demo = proposed(snap, rawDemo);
  const participant = get(snap, "participant", demo.fields.participant_id);
  const employer = get(snap, "employer", demo.fields.employer_id);
  const tasks = where(snap, "demonstration_task", "demonstration_id", demo.id)
    .map((task) => proposed(snap, task))
    .filter((task) => !task.deleted);
  if (!participant || !employer || !tasks.length || !demo.fields.overall_result) return null;
  try {
    return canonicalText({
      demonstration: wire(demo),
      tasks: tasks.map(wire),
      participant: wire(participant),
      employer: wire(employer),
    });
  } catch (error) {
    if (error instanceof CanonicalError) return null;
    throw error;
  }
}

// Nonces this device has signed with: every local sign-off's, in the outbox,
// refused (attention list) or synced. The pool fetched at the last sync may
// still list them until the server has seen them used.
export function usedNonces(snap) {
  const refused = snap.attention.filter((item) => item.mutation.record_type === "signoff");
  return new Set([...list(snap, "signoff").map((s) => s.fields.nonce), ...refused.map((item) => item.mutation.fields.nonce)]);
}

// The representatives of the employer who have a registered key (cached at the last sync).
export const signersOf = (snap, employerId) =>
  (snap.meta.signers || []).filter((s) => s.employer_id === employerId && s.credentials.length);

export const findSigner = (snap, employerId, representativeId) =>
  signersOf(snap, employerId).find((s) => s.representative_id === representativeId) || null;

export const nextNonce = (snap, now) =>
  pickNonce(snap.meta.nonces || [], { used: usedNonces(snap), now })?.nonce || null;

// The sign-off that decides the status, in the server's order, not by the
// device clocks' signed_at: one still on this device (the newest made here),
// else one synced but not yet judged, else the last verified one; only when
// none verified, the last attempt. A failed attempt never outranks a verified
// signature (server/signoff/status.py).
const bySignedAt = (a, b) => String(b.fields.signed_at).localeCompare(String(a.fields.signed_at));
export function latestSignoff(snap, demo) {
  const all = where(snap, "signoff", "demonstration_id", demo.id);
  const onDevice = all.filter((s) => isPending(snap, "signoff", s.id)).sort(bySignedAt);
  const unjudged = all.filter((s) => !isPending(snap, "signoff", s.id) && !s.fields.verification_status);
  const verified = all.filter((s) => s.fields.verification_status === "verified")
    .sort((a, b) => String(b.fields.verified_at).localeCompare(String(a.fields.verified_at)));
  return onDevice[0] || unjudged.sort(bySignedAt)[0] || verified[0] || all.sort(bySignedAt)[0] || null;
}

// The latest sign-off and its status: unsigned, on_device (in the outbox),
// pending / verified / failed (the server's verdict, pulled), or
// needs_new_signoff (the signed content was edited afterwards, here or elsewhere).
export function signoffStatus(snap, demo) {
  const latest = latestSignoff(snap, demo);
  // Signed content edited on this device: the server says so only after the
  // next sync (the demonstration's status), the device says it at once.
  const edited = () => latest.fields.signed_content !== contentText(snap, demo);
  if (latest && isPending(snap, "signoff", latest.id)) return { status: edited() ? "needs_new_signoff" : "on_device", latest };
  if (demo.fields.status === "needs_new_signoff" && !(latest && !latest.fields.verification_status && !edited())) {
    return { status: "needs_new_signoff", latest };
  }
  if (!latest) return { status: "unsigned", latest: null };
  const verdict = latest.fields.verification_status || "pending";
  return { status: verdict !== "failed" && edited() ? "needs_new_signoff" : verdict, latest };
}

// Whether the demonstration can be handed over for signing now:
// {text, signers, nonce}, or {reason} (signed: already signed as it reads now).
export function readiness(snap, demo, now) {
  const text = contentText(snap, demo);
  if (!text) return { reason: "no_content" };
  const { status, latest } = signoffStatus(snap, demo);
  if (["on_device", "pending", "verified"].includes(status) && latest.fields.signed_content === text) {
    return { reason: "signed" };
  }
  const signers = signersOf(snap, demo.fields.employer_id);
  if (!signers.length) return { reason: "no_signer" };
  const nonce = nextNonce(snap, now);
  if (!nonce) return { reason: "no_nonce" };
  return { text, signers, nonce };
}
