// Mutations and the local view of a record (docs/sync-protocol.md §4, L7).
//
// A local record keeps two things: `server`, the state last pulled (its
// version is the base_version of every edit made on top of it), and the view
// the coach sees, which is that state with the pending outbox mutations
// replayed on top in stamp order. A pull replaces `server` and replays the
// outbox again, so pending edits are never hidden by what arrives.

export const recordKey = (type, id) => `${type}:${id}`;

export function newMutation({ mutationId, type, id, op, fields, stamp, baseVersion, resolves }) {
  const mutation = {
    mutation_id: mutationId,
    record_type: type,
    record_id: id,
    op,
    fields: op === "delete" ? {} : fields,
    stamp,
    base_version: baseVersion,
  };
  if (resolves?.length) mutation.resolves = [...resolves];
  return mutation;
}

// The outbox is keyed by packed stamp: one device's stamps are unique and
// their text order is the order the edits were made in.
export const outboxEntry = (mutation) => ({
  key: mutation.stamp,
  recordKey: recordKey(mutation.record_type, mutation.record_id),
  mutation,
});

export function applyMutation(view, mutation) {
  if (mutation.op === "delete") return { fields: view.fields, deleted: true };
  return { fields: { ...view.fields, ...mutation.fields }, deleted: false };
}

// The record as the coach sees it: the pulled state plus pending edits.
// Returns null when nothing is left (never pulled and nothing pending).
export function rebuild(record, pending) {
  if (!record.server && pending.length === 0) return null;
  let view = record.server
    ? { fields: { ...record.server.fields }, deleted: record.server.deleted }
    : { fields: {}, deleted: false };
  for (const entry of pending) view = applyMutation(view, entry.mutation);
  return { ...record, fields: view.fields, deleted: view.deleted };
}

export function groupByRecord(entries) {
  const groups = new Map();
  for (const entry of entries) {
    if (!groups.has(entry.recordKey)) groups.set(entry.recordKey, []);
    groups.get(entry.recordKey).push(entry);
  }
  return groups;
}
