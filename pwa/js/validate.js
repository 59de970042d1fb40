// Field checks on the device, mirroring the server's schemas (server/schemas/)
// so an edit made offline is not refused when it syncs. The server checks
// again; what it still refuses lands in the attention list.
import { ytunnusError } from "./ytunnus.js";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const RULES = {
  participant: {
    first_name: { required: true, max: 100 },
    last_name: { required: true, max: 100 },
    birth_year: { int: [1900, 2100] },
    municipality: { max: 100 },
    phone: { max: 40 },
    email: { email: true, max: 254 },
    consent_date: { date: true },
  },
  employer: {
    name: { required: true, max: 200 },
    business_id: { required: true, ytunnus: true },
    industry: { max: 200 },
    address: { max: 300 },
    municipality: { max: 100 },
  },
  employer_contact_person: { name: { required: true, max: 200 }, title: { max: 200 }, phone: { max: 40 }, email: { email: true, max: 254 } },
  employer_contact: { contact_date: { required: true, date: true }, kind: { required: true } },
  coaching_period: {
    measure_type: { required: true },
    phase: { required: true },
    start_date: { required: true, date: true },
    planned_end_date: { date: true },
    end_date: { date: true },
  },
  goal: { area: { required: true }, title: { required: true, max: 200 }, target_date: { date: true } },
  assessment_round: { held_on: { required: true, date: true } },
  work_demonstration: {
    title: { required: true, max: 200 },
    employer_id: { required: true },
    demonstration_date: { required: true, date: true },
  },
  demonstration_task: { task: { required: true, max: 300 } },
  meeting_event: { title: { required: true, max: 200 }, event_date: { required: true, date: true }, place: { max: 200 } },
  event_attendance: { meetings_held: { int: [0, 100] } },
};

// Errors as {field: message}; `creating` also checks required fields that are absent.
export function validate(t, type, fields, creating) {
  const errors = {};
  for (const [name, rule] of Object.entries(RULES[type] || {})) {
    const present = name in fields;
    const value = fields[name];
    const blank = value === null || value === undefined || (typeof value === "string" && !value.trim());
    if (rule.required && blank && (present || creating)) {
      errors[name] = t("error.required");
      continue;
    }
    if (blank) continue;
    if (rule.max && String(value).length > rule.max) errors[name] = t("error.max", { max: rule.max });
    else if (rule.date && !DATE.test(value)) errors[name] = t("error.date");
    else if (rule.email && !EMAIL.test(value)) errors[name] = t("error.email");
    else if (rule.int && !(Number.isInteger(value) && value >= rule.int[0] && value <= rule.int[1])) {
      errors[name] = t("error.range", { min: rule.int[0], max: rule.int[1] });
    } else if (rule.ytunnus) {
      const reason = ytunnusError(value);
      if (reason) errors[name] = t(`error.ytunnus_${reason}`);
    }
  }
  return errors;
}
