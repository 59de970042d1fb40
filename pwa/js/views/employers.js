// Employers (Y-tunnus checked on the device), their contact persons, and the
// employer work log: contacts, informed of / adopted alternative recruitment.
import { html } from "../html.js";
import { ALTERNATIVE_METHODS, CONTACT_KINDS, byField, list, where } from "../queries.js";
import { choices, empty, errorSummary, field, marker, returnsPanel } from "./ui.js";
import { employerNotesSection, removeLink, workplaceList } from "./undo.js";

export function employerList(c) {
  const { t } = c;
  const employers = list(c.snap, "employer").sort(byField("name"));
  return html`<p class="actions"><a class="button" href="/app/employers/new">${t("employer.new")}</a></p>
  ${employers.length
    ? html`<ul class="cards">${employers.map((e) => html`<li class="card"><a href="/app/employers/${e.id}">${e.fields.name}</a>
        <span class="muted">${e.fields.business_id}</span> ${marker(c, "employer", e.id)}</li>`)}</ul>`
    : empty(c, "employer.none")}`;
}

export function employerForm(c, { employer, errors = {}, values }) {
  const { t } = c;
  const f = values || employer?.fields || {};
  return html`${errorSummary(c, errors)}
  <form method="post" action="${employer ? `/app/employers/${employer.id}` : "/app/employers"}" class="stack">
    ${field(c, { name: "name", label: t("employer.name"), value: f.name, required: true, errors, max: 200 })}
    ${field(c, { name: "business_id", label: t("employer.business_id"), value: f.business_id, required: true, errors, hint: t("employer.business_id_hint"), max: 9 })}
    ${field(c, { name: "industry", label: t("employer.industry"), value: f.industry, errors, max: 200 })}
    ${field(c, { name: "address", label: t("employer.address"), value: f.address, errors, max: 300 })}
    ${field(c, { name: "municipality", label: t("employer.municipality"), value: f.municipality, errors, max: 100 })}
    <button type="submit">${t("form.save")}</button>
  </form>`;
}

// `person`: the new contact person's form as posted, with the reasons it was refused.
export function employerPage(c, employer, person = null) {
  const { t, snap } = c;
  const f = employer.fields;
  const people = where(snap, "employer_contact_person", "employer_id", employer.id).sort(byField("name"));
  const contacts = where(snap, "employer_contact", "employer_id", employer.id).sort(byField("contact_date")).reverse();
  return html`
  ${marker(c, "employer", employer.id)}
  ${returnsPanel(c, "employer", employer.id)}
  <dl class="facts">
    <dt>${t("employer.business_id")}</dt><dd>${f.business_id}</dd>
    ${f.industry ? html`<dt>${t("employer.industry")}</dt><dd>${f.industry}</dd>` : ""}
    ${f.address ? html`<dt>${t("employer.address")}</dt><dd>${f.address}</dd>` : ""}
    ${f.municipality ? html`<dt>${t("employer.municipality")}</dt><dd>${f.municipality}</dd>` : ""}
  </dl>
  <p class="actions"><a class="button secondary" href="/app/employers/${employer.id}/edit">${t("employer.edit")}</a></p>
  <section aria-labelledby="contacts"><h2 id="contacts">${t("contact.list")}</h2>
    ${contacts.length
      ? html`<ul class="cards">${contacts.map((x) => html`<li class="card">${t.date(x.fields.contact_date)} · ${t(`contact_kind.${x.fields.kind}`)}
          ${x.fields.informed_of_alternative_recruitment ? html` · ${t("contact.informed")}` : ""}
          ${x.fields.adopted_alternative_recruitment ? html` · ${t("contact.adopted")}${x.fields.adopted_method ? ` (${t(`method.${x.fields.adopted_method}`)})` : ""}` : ""}
          ${x.fields.note ? html`<br>${x.fields.note}` : ""} ${marker(c, "employer_contact", x.id)}
          <span class="actions"><a class="button secondary small" href="/app/employer-contacts/${x.id}/edit">${t("contact.edit")}</a> ${removeLink(c, "employer_contact", x.id)}</span></li>`)}</ul>`
      : empty(c, "contact.none")}
    <p class="actions"><a class="button" href="/app/employers/${employer.id}/contacts/new">${t("contact.new")}</a></p>
  </section>
  <section aria-labelledby="people"><h2 id="people">${t("person.list")}</h2>
    ${people.length
      ? html`<ul class="cards">${people.map((p) => html`<li class="card">${p.fields.name}${p.fields.title ? `, ${p.fields.title}` : ""}
          ${p.fields.phone ? html` · ${p.fields.phone}` : ""}${p.fields.email ? html` · ${p.fields.email}` : ""} ${marker(c, "employer_contact_person", p.id)}
          <span class="actions"><a class="button secondary small" href="/app/people/${p.id}/edit">${t("person.edit")}</a> ${p.fields.user_id ? "" : removeLink(c, "employer_contact_person", p.id)}</span></li>`)}</ul>`
      : empty(c, "person.none")}
    <form method="post" action="/app/employers/${employer.id}/people" class="card stack">
      <h3>${t("person.new")}</h3>
      ${errorSummary(c, person?.errors)}
      ${field(c, { name: "name", label: t("person.name"), value: person?.values.name, required: true, errors: person?.errors, max: 200 })}
      ${field(c, { name: "title", label: t("person.title"), value: person?.values.title, errors: person?.errors, max: 200 })}
      ${field(c, { name: "phone", label: t("person.phone"), value: person?.values.phone, type: "tel", errors: person?.errors, max: 40 })}
      ${field(c, { name: "email", label: t("person.email"), value: person?.values.email, type: "email", errors: person?.errors, max: 254 })}
      <button type="submit" class="secondary">${t("person.add")}</button>
    </form>
  </section>
  ${workplaceList(c, employer)}
  ${employerNotesSection(c, { employerId: employer.id })}`;
}

export function contactForm(c, { employer, errors = {}, values }) {
  const { t } = c;
  const f = values || { contact_date: c.today, kind: "visit" };
  return html`${errorSummary(c, errors)}
  <form method="post" action="/app/employer-contacts" class="stack">
    <input type="hidden" name="employer_id" value="${employer.id}">
    ${field(c, { name: "contact_date", label: t("contact.date"), value: f.contact_date, type: "date", required: true, errors })}
    ${field(c, { name: "kind", label: t("contact.kind"), value: f.kind, options: choices(c, "contact_kind", CONTACT_KINDS), required: true, errors })}
    ${field(c, { name: "informed_of_alternative_recruitment", label: t("contact.informed"), value: f.informed_of_alternative_recruitment, type: "checkbox", errors })}
    ${field(c, { name: "adopted_alternative_recruitment", label: t("contact.adopted"), value: f.adopted_alternative_recruitment, type: "checkbox", errors })}
    ${field(c, { name: "adopted_method", label: t("contact.method"), value: f.adopted_method, options: choices(c, "method", ALTERNATIVE_METHODS), errors })}
    ${field(c, { name: "note", label: t("contact.note"), value: f.note, type: "textarea", errors })}
    <button type="submit">${t("form.save")}</button>
  </form>`;
}
