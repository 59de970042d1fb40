// The device's IndexedDB stores and their indexes, one list for both backends
// (backend-idb.js creates them, backend-memory.js answers the same queries).
// Records are found by type and by their parent's id, so a page reads the
// records it shows and not the whole device (docs/pwa.md "Storage").

export const SCHEMA_VERSION = 2;

// By a parent's id, whatever the child's type (a record type added later is
// found with its parent's page); a record without that field, or with null,
// is simply not in the index.
const byParent = (field) => ({ keyPath: `fields.${field}` });

export const STORES = {
  records: {
    type: { keyPath: "type" },
    participant: byParent("participant_id"),
    period: byParent("period_id"),
    goal: byParent("goal_id"),
    round: byParent("round_id"),
    demonstration: byParent("demonstration_id"),
    employer: byParent("employer_id"),
  },
  outbox: { record: { keyPath: "recordKey" } },
  conflicts: { record: { keyPath: "recordKey" } },
  attention: {},
  meta: {},
  // One compact row per participant for the caseload list (js/caseload-summary.js).
  summaries: {
    list: { keyPath: ["active", "sort"] },
    terms: { keyPath: "terms", multiEntry: true },
  },
};

export const STORE_NAMES = Object.keys(STORES);

// The value of a key path in a record (undefined when a part is missing).
export function keyOf(value, keyPath) {
  if (Array.isArray(keyPath)) {
    const parts = keyPath.map((path) => keyOf(value, path));
    return parts.some((part) => part === undefined || part === null) ? undefined : parts;
  }
  let out = value;
  for (const part of keyPath.split(".")) out = out?.[part];
  return out;
}

// IndexedDB's key order: numbers < strings < arrays (element by element).
export function compareKeys(a, b) {
  const rank = (k) => (Array.isArray(k) ? 2 : typeof k === "string" ? 1 : 0);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (Array.isArray(a)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareKeys(a[i], b[i]);
      if (c) return c;
    }
    return a.length - b.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

// A query on an index: a key (`only`) or a range {lower, upper} (both inclusive).
export const only = (key) => ({ lower: key, upper: key });
export const prefix = (text) => ({ lower: text, upper: `${text}\uffff` });
