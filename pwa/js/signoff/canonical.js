// The canonical serialization of a work demonstration's signed content
// (docs/signoff-canonical.md). The server's twin is server/signoff/canonical.py;
// tests/vectors/signoff_canonical.json proves both give the same bytes.
// No DOM: runs in the page, the service worker and node.

// The version of this format; a sign-off names it in `content_version`.
export const CONTENT_VERSION = 1;

export class CanonicalError extends Error {}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// A text value as signed: line ends as LF, Unicode NFC, empty as null.
export function text(value) {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") {
    throw new CanonicalError(`expected text or null, got ${typeof value}`);
  }
  if (LONE_SURROGATE.test(value)) throw new CanonicalError("text contains a lone surrogate");
  const normalized = value.replace(/\r\n?/g, "\n").normalize("NFC");
  return normalized === "" ? null : normalized;
}

function id(value) {
  const t = text(value);
  return t === null ? null : t.toLowerCase();
}

function position(task) {
  return task.position === null || task.position === undefined ? 0 : Number(task.position);
}

function name(participant) {
  const parts = [text(participant.first_name), text(participant.last_name)].filter((p) => p);
  return text(parts.join(" "));
}

function compareTasks(a, b) {
  const byPosition = position(a) - position(b);
  if (byPosition !== 0) return byPosition;
  const ia = id(a.id) || "";
  const ib = id(b.id) || "";
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

// The signed content as a plain object (format CONTENT_VERSION). Records are
// in their sync wire shape (the fields a pull delivers). Tasks flagged deleted
// are left out; the others go in position order, ties by id.
export function canonicalContent({ demonstration, tasks = [], participant, employer }) {
  const live = tasks.filter((t) => !t.deleted).sort(compareTasks);
  return {
    content_version: CONTENT_VERSION,
    demonstration_id: id(demonstration.id),
    title: text(demonstration.title),
    date: text(demonstration.demonstration_date),
    participant: { id: id(participant.id), name: name(participant) },
    employer: {
      id: id(employer.id),
      name: text(employer.name),
      business_id: text(employer.business_id),
    },
    tasks: live.map((t) => ({
      task: text(t.task),
      criteria: text(t.criteria),
      result: text(t.result),
      note: text(t.note),
    })),
    overall_result: text(demonstration.overall_result),
    recommendation: text(demonstration.recommendation),
  };
}

// Canonical JSON text: keys sorted, no whitespace, non-ASCII as is.
export function serialize(value) {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      if (LONE_SURROGATE.test(value)) throw new CanonicalError("text contains a lone surrogate");
      return JSON.stringify(value);
    case "number":
      if (!Number.isSafeInteger(value)) throw new CanonicalError("numbers must be integers");
      return String(value);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (Array.isArray(value)) return `[${value.map(serialize).join(",")}]`;
      return `{${Object.keys(value)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${serialize(value[k])}`)
        .join(",")}}`;
    default:
      throw new CanonicalError(`cannot serialize ${typeof value}`);
  }
}

export function canonicalText(records) {
  return serialize(canonicalContent(records));
}

export function canonicalBytes(records) {
  return new TextEncoder().encode(canonicalText(records));
}
