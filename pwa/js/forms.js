// Reading the app's forms: trimmed text (blank is null), integers, check
// boxes, and the values of each record type's form.

export const text = (form, name) => {
  const value = form.get(name);
  return typeof value === "string" && value.trim() ? value.trim() : null;
};
export const integer = (form, name) => {
  const value = text(form, name);
  return value === null ? null : /^-?\d+$/.test(value) ? Number(value) : value;
};
export const flag = (form, name) => form.has(name);
// Errors by a record's field names, as named in a form that holds several
// records' fields ("criteria-<id>").
export const named = (errors, key) => Object.fromEntries(Object.entries(errors).map(([name, e]) => [`${name}-${key}`, e]));

// Only what changed goes into a mutation; a new record sends its set fields.
export function changes(current, next) {
  const out = {};
  for (const [name, value] of Object.entries(next)) {
    if (current ? (current[name] ?? null) !== value : value !== null) out[name] = value;
  }
  return out;
}

export const participantValues = (form) => ({
  first_name: text(form, "first_name"),
  last_name: text(form, "last_name"),
  birth_year: integer(form, "birth_year"),
  municipality: text(form, "municipality"),
  phone: text(form, "phone"),
  email: text(form, "email"),
  consent_given: flag(form, "consent_given"),
  consent_date: text(form, "consent_date"),
});
export const periodValues = (form, editing) => ({
  measure_type: text(form, "measure_type"),
  employer_id: text(form, "employer_id"),
  workplace_id: text(form, "workplace_id"),
  phase: text(form, "phase"),
  start_date: text(form, "start_date"),
  planned_end_date: text(form, "planned_end_date"),
  end_date: text(form, "end_date"),
  ...(editing
    ? {
        outcome_at_end: text(form, "outcome_at_end"),
        outcome_3_months: text(form, "outcome_3_months"),
        outcome_6_months: text(form, "outcome_6_months"),
      }
    : {}),
});
export const goalValues = (form) => ({
  area: text(form, "area"),
  title: text(form, "title"),
  description: text(form, "description"),
  success_criteria: text(form, "success_criteria"),
  target_date: text(form, "target_date"),
});
export const employerValues = (form) => ({
  name: text(form, "name"),
  business_id: text(form, "business_id"),
  industry: text(form, "industry"),
  address: text(form, "address"),
  municipality: text(form, "municipality"),
});
export const demoValues = (form, editing) => ({
  title: text(form, "title"),
  employer_id: text(form, "employer_id"),
  period_id: text(form, "period_id"),
  demonstration_date: text(form, "demonstration_date"),
  ...(editing ? { overall_result: text(form, "overall_result"), recommendation: text(form, "recommendation") } : {}),
});
