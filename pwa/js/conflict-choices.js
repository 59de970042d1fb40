// What a conflict's choices mean to a person (the conflict inbox, js/views/sync.js):
// a choice field's values as its labels in the user's language, only the
// values the server would accept now (its field checks and record rules, as
// the resolution is an ordinary upsert the push checks again), and a merged
// text only for a free-text field.
import RULES from "./generated/rules.js";
import { get, list } from "./queries.js";
import { recordErrors, validate } from "./validate.js";

const sameValues = (a, b) => a.length === b.length && a.every((v) => b.includes(v));

function rangeOf(rule) {
  if (!rule.range) return null;
  const [low, high] = rule.range;
  return Array.from({ length: high - low + 1 }, (_, i) => low + i);
}

// The vocabulary (its label prefix) whose values are the field's choices, if any.
export function vocabularyOf(type, field) {
  const rule = RULES.fields[type]?.[field];
  const values = rule && (rule.choices || rangeOf(rule));
  if (!values) return null;
  const found = Object.entries(RULES.vocabularies).find(([, words]) => sameValues(words, values));
  return found ? found[0] : null;
}

// A field a person may type a merged value into: text without a vocabulary, not a reference.
export function isFreeText(type, field) {
  const rule = RULES.fields[type]?.[field];
  return Boolean(rule) && rule.type === "text" && !rule.choices && !field.endsWith("_id");
}

// One competing value as a person reads it.
export function valueLabel(t, type, field, value) {
  if (value === null || value === undefined) return t("conflict.deleted");
  if (typeof value === "boolean") return t(value ? "yes" : "no");
  if (typeof value === "object") {
    return Object.entries(value).map(([k, v]) => `${t(`field.${k}`)}: ${valueLabel(t, type, k, v)}`).join(", ");
  }
  const vocabulary = vocabularyOf(type, field);
  if (vocabulary && t(`${vocabulary}.${value}`) !== `${vocabulary}.${value}`) return t(`${vocabulary}.${value}`);
  if (RULES.fields[type]?.[field]?.type === "date") return t.date(value);
  return String(value);
}

// Why choosing `value` would be refused now (null: it may be chosen).
export function choiceRefusal(c, conflict, value) {
  const { record_type: type, record_id: id, field } = conflict;
  if (field === "_deleted") return null;
  const changes = { [field]: value };
  const fieldError = validate(c.t, type, changes, false)[field];
  if (fieldError) return fieldError;
  const current = get(c.snap, type, id)?.fields || null;
  if (!current) return null;
  const errors = recordErrors(c.t, type, current, changes, {
    id, today: c.today, find: (t, key) => get(c.snap, t, key)?.fields || null, others: (t) => list(c.snap, t),
  });
  return Object.values(errors)[0] || null;
}
