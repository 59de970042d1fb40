// Field checks on the device: the server's own field rules (generated/rules.js,
// written by `flask export-app-rules` from server/schemas/), so an edit made
// offline is not refused when it syncs. The server checks again; what it
// still refuses lands in the attention list.
import RULES from "./generated/rules.js";
import { ytunnusError } from "./ytunnus.js";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const FIELD_RULES = RULES.fields;

// A real calendar day: 2026-02-30 is not one.
function isDate(value) {
  const parts = typeof value === "string" && DATE.exec(value);
  if (!parts) return false;
  const [year, month, day] = parts.slice(1).map(Number);
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

const isDateTime = (value) =>
  typeof value === "string" && DATETIME_WITH_ZONE.test(value) && isDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value));

// The first rule a present, non-null value breaks, as a translated message.
function valueError(t, rule, value) {
  switch (rule.type) {
    case "text":
    case "email":
      if (typeof value !== "string") return t("error.invalid");
      if (rule.checks?.includes("not_blank") && !value.trim()) return t("error.required");
      if (rule.max_length !== undefined && value.length > rule.max_length) return t("error.max", { max: rule.max_length });
      if (rule.choices && !rule.choices.includes(value)) return t("error.choice");
      if (rule.type === "email" && !EMAIL.test(value)) return t("error.email");
      if (rule.checks?.includes("ytunnus")) {
        const reason = ytunnusError(value);
        if (reason) return t(`error.ytunnus_${reason}`);
      }
      return null;
    case "integer":
      if (!Number.isInteger(value)) return rule.range ? t("error.range", { min: rule.range[0], max: rule.range[1] }) : t("error.integer");
      if (rule.range && (value < rule.range[0] || value > rule.range[1])) return t("error.range", { min: rule.range[0], max: rule.range[1] });
      return null;
    case "boolean":
      return typeof value === "boolean" ? null : t("error.invalid");
    case "date":
      return isDate(value) ? null : t("error.date");
    case "datetime":
      return isDateTime(value) ? null : t("error.invalid");
    default:
      return t("error.invalid");
  }
}

// Errors as {field: message}; `creating` also checks required fields that are absent.
export function validate(t, type, fields, creating) {
  const errors = {};
  for (const [name, rule] of Object.entries(FIELD_RULES[type] || {})) {
    if (!(name in fields)) {
      if (creating && rule.required) errors[name] = t("error.required");
      continue;
    }
    const value = fields[name];
    if (value === null || value === undefined) {
      if (rule.not_null) errors[name] = t("error.required");
      continue;
    }
    const error = valueError(t, rule, value);
    if (error) errors[name] = error;
  }
  return errors;
}

// -- record rules (server/records/rules.py, the same data) -------------------------

const RECORDS = RULES.records || {};
const LOOKUP_KINDS = new Set(["belongs_to", "unique"]);

// The record's own fields a rule reads: an edit of any of them checks it.
export function ruleFields(rule) {
  return [rule.field, ...["other", "when", "same_as"].filter((k) => k in rule).map((k) => rule[k]), ...(rule.with || [])];
}

const applies = (rule, written, creating) => creating || ruleFields(rule).some((name) => written.includes(name));

export const latestBirthYear = (rule, todayIso) => Number(todayIso.slice(0, 4)) - rule.years;

const uniqueKey = (rule, fields) => {
  const key = [...(rule.with || []), rule.field].map((name) => fields[name] ?? null);
  return key.some((v) => v === null) ? null : JSON.stringify(key);
};

// Whether `rule` holds for `fields` (the record as saving would leave it).
// `find(type, id)` gives another record's fields (null: not on this device),
// `others(type)` the device's records of a type as [{id, fields}].
function holds(rule, fields, { id, today, find, others }) {
  const value = fields[rule.field] ?? null;
  switch (rule.kind) {
    case "not_before": {
      const other = fields[rule.other] ?? null;
      return value === null || other === null || !isDate(value) || !isDate(other) || value >= other;
    }
    case "when_set":
      return (fields[rule.when] ?? null) === null || rule.choices.includes(value);
    case "requires_true":
      return fields[rule.when] !== true || value === true;
    case "min_age":
      return !Number.isInteger(value) || value <= latestBirthYear(rule, today);
    case "belongs_to": {
      if (value === null) return true;
      const target = find(rule.record, value);
      return !target || (target[rule.via] ?? null) === (fields[rule.same_as] ?? null);
    }
    case "unique": {
      const key = uniqueKey(rule, fields);
      return key === null || !others(rule.record || "").some((r) => r.id !== id && uniqueKey(rule, r.fields) === key);
    }
    default:
      throw new Error(`unknown rule kind ${rule.kind}`);
  }
}

// Errors as {field: message} of the record rules an edit breaks. `current`:
// the record's fields before (null when creating); `changes`: what the edit writes.
export function recordErrors(t, type, current, changes, { id, today, find = () => null, others = () => [] }) {
  const entry = RECORDS[type];
  if (!entry) return {};
  const creating = !current;
  // A record made on this device and not yet pulled back holds only what was
  // written: its other fields are still the defaults the server will store.
  const fields = { ...entry.defaults, ...current, ...changes };
  const written = Object.keys(changes);
  const errors = {};
  for (const rule of entry.rules) {
    if (errors[rule.field] || !applies(rule, written, creating)) continue;
    const typed = rule.kind === "unique" ? { ...rule, record: type } : rule;
    if (!holds(typed, fields, { id, today, find, others })) {
      errors[rule.field] = t(`rule.${rule.id}`, { latest: rule.kind === "min_age" ? latestBirthYear(rule, today) : "" });
    }
  }
  return errors;
}

const RULES_BY_ID = new Map(Object.values(RECORDS).flatMap((entry) => entry.rules.map((rule) => [rule.id, rule])));

// The server's other messages to a rejected mutation (its schemas, P5, M2;
// tests/vectors/server_messages.json checks each is one it still writes).
const SERVER_MESSAGES = [
  [/^(Missing data for required field\.|must not be blank)$/, "error.required"],
  [/^must be at most (?<max>\d+) characters$/, "error.max"],
  [/^must be one of: /, "error.choice"],
  [/^must be (a year )?between (?<min>\d+) and (?<max>\d+)$/, "error.range"],
  [/^must be (?<min>\d+) to (?<max>\d+)$/, "error.range"],
  [/^must be an e-mail address$/, "error.email"],
  [/^Not a valid date\.$/, "error.date"],
  [/^must be a Y-tunnus: /, "error.ytunnus_format"],
  [/^is not a valid Y-tunnus: no check digit/, "error.ytunnus_no_check_digit"],
  [/^is not a valid Y-tunnus: the check digit/, "error.ytunnus_check_digit"],
  [/^unknown field$/, "server.unknown_field"],
  [/^not permitted$/, "server.not_permitted"],
  [/^\w+: refers to a record that does not exist$/, "server.missing_reference"],
  [/^\w+: refers to a record outside your caseload$/, "server.outside_caseload"],
  [/ is changed online only$/, "server.online_only"],
  [/erased or its processing restricted$/, "server.restricted"],
  [/^append-only records? /, "server.append_only"],
];

// A server's message in the user's language: a record rule's ("<rule id>: <what
// must hold>", server/records/rules.py) or one of SERVER_MESSAGES; any other as written.
export function ruleMessage(t, message, today) {
  const rule = RULES_BY_ID.get(/^([a-z_]+): /.exec(message)?.[1]);
  if (rule) return t(`rule.${rule.id}`, { latest: rule.kind === "min_age" ? latestBirthYear(rule, today) : "" });
  for (const [pattern, key] of SERVER_MESSAGES) {
    const found = pattern.exec(message);
    if (found) return t(key, found.groups || {});
  }
  return message;
}

// Which catalog key says a server message (null: none); for the tests.
export function serverMessageKey(message) {
  return SERVER_MESSAGES.find(([pattern]) => pattern.test(message))?.[1] || null;
}
