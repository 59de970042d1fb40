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
