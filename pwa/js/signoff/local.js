// A demonstration's sign-off as this device sees it, from a store snapshot:
// the content a representative would sign now, who can sign it, the nonce to
// sign with, and where the sign-offs already made stand. No DOM: the service
// worker renders from it and node tests it.
import { get, isPending, list, where } from "../queries.js";
import { pickNonce } from "./api.js";
import { CanonicalError, canonicalText } from "./canonical.js";

// A local record in the sync wire shape canonical.js reads.
const wire = (record) => ({ ...record.fields, id: record.id, deleted: record.deleted });

// The canonical text of the demonstration as it stands on the device, or null
// while there is nothing to sign: no task yet, no overall result, or a record
// it names is missing.
export function contentText(snap, demo) {
  const participant = get(snap, "participant", demo.fields.participant_id);
  const employer = get(snap, "employer", demo.fields.employer_id);
  const tasks = where(snap, "demonstration_task", "demonstration_id", demo.id);
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

// The latest sign-off and its status: unsigned, on_device (in the outbox),
// pending / verified / failed (the server's verdict, pulled), or
// needs_new_signoff (the signed content was edited afterwards, here or elsewhere).
export function signoffStatus(snap, demo) {
  const latest = where(snap, "signoff", "demonstration_id", demo.id)
    .sort((a, b) => String(b.fields.signed_at).localeCompare(String(a.fields.signed_at)))[0];
  // Signed content edited on this device: the server says so only after the
  // next sync (the demonstration's status), the device says it at once.
  const edited = () => latest.fields.signed_content !== contentText(snap, demo);
  if (latest && isPending(snap, "signoff", latest.id)) return { status: edited() ? "needs_new_signoff" : "on_device", latest };
  if (demo.fields.status === "needs_new_signoff") return { status: "needs_new_signoff", latest };
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
