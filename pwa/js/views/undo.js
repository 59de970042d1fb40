// Undoing and annotating: the confirm step of a delete, voiding a round,
// dated notes with their corrections, and the edit forms of records the
// coach could only create before (events, contacts, contact persons, a
// round's date and note, workplaces).
import { html } from "../html.js";
import { ALTERNATIVE_METHODS, CONTACT_KINDS, byField, describe, where } from "../queries.js";
import { deleteRefusal, followerCounts } from "../undo.js";
import { choices, empty, errorSummary, field, marker, returnsPanel } from "./ui.js";

// The link to a record's confirm step.
export const removeLink = (c, type, id) =>
  html`<a class="button danger" href="/app/remove/${type}/${id}">${c.t("remove.action")}</a>`;

export function removePage(c, record, back) {
  const { t, snap } = c;
  const what = describe(snap, record.type, record.id);
  const refusal = deleteRefusal(snap, record);
  const counts = Object.entries(followerCounts(snap, record));
  return html`<p class="lead">${t(`type.${record.type}`)}${what ? html`: <strong>${what}</strong>` : ""}</p>
  ${refusal
    ? html`<div class="banner error" role="alert">${t(refusal)}</div>
      <p><a class="button secondary" href="${back}">${t("remove.back")}</a></p>`
    : html`${counts.length
        ? html`<p>${t("remove.with_children")}</p><ul>${counts.map(([type, n]) => html`<li>${t(`type.${type}`)}: ${n}</li>`)}</ul>`
        : ""}
      <p>${t("remove.explain")}</p>
      <form method="post" action="/app/remove/${record.type}/${record.id}" class="stack">
        <button type="submit" class="danger">${t("remove.confirm")}</button>
      </form>
      <p><a class="button secondary" href="${back}">${t("remove.cancel")}</a></p>`}`;
}

export function voidForm(c, round, errors = {}, values = {}) {
  const { t } = c;
  return html`${errorSummary(c, errors)}
  <p>${t("void.explain")}</p>
  <form method="post" action="/app/rounds/${round.id}/void" class="stack">
    ${field(c, { name: "void_reason", label: t("void.reason"), value: values.void_reason, type: "textarea", required: true, errors })}
    <button type="submit" class="danger">${t("void.confirm")}</button>
  </form>
  <p><a class="button secondary" href="/app/rounds/${round.id}">${t("remove.cancel")}</a></p>`;
}

export function roundEditForm(c, { round, errors = {}, values }) {
  const { t } = c;
  const f = values || round.fields;
  return html`${errorSummary(c, errors)}
  <form method="post" action="/app/rounds/${round.id}" class="stack">
    ${field(c, { name: "held_on", label: t("round.held_on"), value: f.held_on, type: "date", required: true, errors })}
    ${field(c, { name: "is_final", label: t("round.is_final"), value: f.is_final, type: "checkbox", errors })}
    ${field(c, { name: "note", label: t("round.note"), value: f.note, type: "textarea", errors })}
    <button type="submit">${t("form.save")}</button>
  </form>`;
}

// -- notes: dated, append-only; a correction is a new note naming the old one --

const noteDay = (note) => note.fields.noted_on || "";

// Notes, newest first, each with a link to correct it, and the form to add
// one. `type`: "note" (a participant's, a period's) or "employer_note";
// `all`: every note of the owner (corrections may name any of them); `hidden`:
// the owner fields the form posts; `draft`: a refused note as posted.
function notesBlock(c, { type, notes, all, action, hidden, draft }) {
  const { t } = c;
  const corrected = new Set(all.map((n) => n.fields.corrects_id).filter(Boolean));
  const byId = new Map(all.map((n) => [n.id, n]));
  const values = draft?.values || { noted_on: c.today };
  const correctBase = type === "note" ? "/app/notes" : "/app/employer-notes";
  return html`<section aria-labelledby="notes"><h2 id="notes">${t("notes.title")}</h2>
    ${notes.length
      ? html`<ul class="cards">${notes.map((n) => {
          const old = byId.get(n.fields.corrects_id);
          return html`<li class="card note${corrected.has(n.id) ? " corrected" : ""}" id="note-${n.id}">
            <p class="muted">${t.date(noteDay(n))}${corrected.has(n.id) ? html` · ${t("notes.corrected")}` : ""}${old ? html` · ${t("notes.corrects", { date: t.date(noteDay(old)) })}` : ""} ${marker(c, type, n.id)}</p>
            <p>${n.fields.body}</p>
            ${returnsPanel(c, type, n.id)}
            <a class="button secondary small" href="${correctBase}/${n.id}/correct">${t("notes.correct")}</a>
          </li>`;
        })}</ul>`
      : empty(c, "notes.none")}
    <form method="post" action="${action}" class="card stack">
      <h3>${t("notes.new")}</h3>
      ${errorSummary(c, draft?.errors)}
      ${Object.entries(hidden).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
      ${field(c, { name: "noted_on", label: t("notes.date"), value: values.noted_on, type: "date", required: true, errors: draft?.errors })}
      ${field(c, { name: "body", label: t("notes.body"), value: values.body, type: "textarea", required: true, errors: draft?.errors })}
      <button type="submit" class="secondary">${t("notes.add")}</button>
    </form>
  </section>`;
}

const newestFirst = (notes) => notes.sort(byField("noted_on")).reverse();

// Notes of a participant (all) or of one period.
export function notesSection(c, { participantId, periodId = null, draft = null }) {
  const all = where(c.snap, "note", "participant_id", participantId);
  const notes = newestFirst(periodId ? all.filter((n) => n.fields.period_id === periodId) : [...all]);
  const hidden = periodId ? { participant_id: participantId, period_id: periodId } : { participant_id: participantId };
  return notesBlock(c, { type: "note", notes, all, action: "/app/notes", hidden, draft });
}

export function employerNotesSection(c, { employerId, draft = null }) {
  const all = where(c.snap, "employer_note", "employer_id", employerId);
  return notesBlock(c, { type: "employer_note", notes: newestFirst([...all]), all, action: "/app/employer-notes", hidden: { employer_id: employerId }, draft });
}

export function correctionForm(c, { note, errors = {}, values }) {
  const { t } = c;
  const f = values || { noted_on: c.today, body: note.fields.body };
  const base = note.type === "employer_note" ? "/app/employer-notes" : "/app/notes";
  return html`${errorSummary(c, errors)}
  <p>${t("notes.correct_explain")}</p>
  <blockquote>${note.fields.body}</blockquote>
  <form method="post" action="${base}/${note.id}/correct" class="stack">
    ${field(c, { name: "noted_on", label: t("notes.date"), value: f.noted_on, type: "date", required: true, errors })}
    ${field(c, { name: "body", label: t("notes.body"), value: f.body, type: "textarea", required: true, errors })}
    <button type="submit">${t("notes.save_correction")}</button>
  </form>`;
}

// -- edit forms of employer work ------------------------------------------------

export function personForm(c, { person, errors = {}, values }) {
  const { t } = c;
  const f = values || person.fields;
  return html`${errorSummary(c, errors)}
  <form method="post" action="/app/people/${person.id}" class="stack">
    ${field(c, { name: "name", label: t("person.name"), value: f.name, required: true, errors, max: 200 })}
    ${field(c, { name: "title", label: t("person.title"), value: f.title, errors, max: 200 })}
    ${field(c, { name: "phone", label: t("person.phone"), value: f.phone, type: "tel", errors, max: 40 })}
    ${field(c, { name: "email", label: t("person.email"), value: f.email, type: "email", errors, max: 254 })}
    <button type="submit">${t("form.save")}</button>
  </form>`;
}

export function contactEditForm(c, { contact, errors = {}, values }) {
  const { t } = c;
  const f = values || contact.fields;
  return html`${errorSummary(c, errors)}
  <form method="post" action="/app/employer-contacts/${contact.id}" class="stack">
    ${field(c, { name: "contact_date", label: t("contact.date"), value: f.contact_date, type: "date", required: true, errors })}
    ${field(c, { name: "kind", label: t("contact.kind"), value: f.kind, options: choices(c, "contact_kind", CONTACT_KINDS), required: true, errors })}
    ${field(c, { name: "informed_of_alternative_recruitment", label: t("contact.informed"), value: f.informed_of_alternative_recruitment, type: "checkbox", errors })}
    ${field(c, { name: "adopted_alternative_recruitment", label: t("contact.adopted"), value: f.adopted_alternative_recruitment, type: "checkbox", errors })}
    ${field(c, { name: "adopted_method", label: t("contact.method"), value: f.adopted_method, options: choices(c, "method", ALTERNATIVE_METHODS), errors })}
    ${field(c, { name: "note", label: t("contact.note"), value: f.note, type: "textarea", errors })}
    <button type="submit">${t("form.save")}</button>
  </form>`;
}

export function workplaceForm(c, { employer, workplace, errors = {}, values }) {
  const { t } = c;
  const f = values || workplace?.fields || {};
  const action = workplace ? `/app/workplaces/${workplace.id}` : `/app/employers/${employer.id}/workplaces`;
  return html`${errorSummary(c, errors)}
  <form method="post" action="${action}" class="stack">
    ${field(c, { name: "name", label: t("workplace.name"), value: f.name, required: true, errors, max: 200 })}
    ${field(c, { name: "address", label: t("workplace.address"), value: f.address, errors, max: 300 })}
    <button type="submit">${t("form.save")}</button>
  </form>`;
}

export function workplaceList(c, employer) {
  const { t, snap } = c;
  const workplaces = where(snap, "workplace", "employer_id", employer.id).sort(byField("name"));
  return html`<section aria-labelledby="workplaces"><h2 id="workplaces">${t("workplace.list")}</h2>
    ${workplaces.length
      ? html`<ul class="cards">${workplaces.map((w) => html`<li class="card">${w.fields.name}${w.fields.address ? html` · ${w.fields.address}` : ""} ${marker(c, "workplace", w.id)}
          <a class="button secondary small" href="/app/workplaces/${w.id}/edit">${t("form.edit")}</a></li>`)}</ul>`
      : empty(c, "workplace.none")}
    <p class="actions"><a class="button secondary" href="/app/employers/${employer.id}/workplaces/new">${t("workplace.new")}</a></p>
  </section>`;
}
