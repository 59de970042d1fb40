// An event as it runs: the employers taking part and the meetings each held,
// and the job seekers there who are not clients (counted; named only if they
// agree) with whether they got work and where.
import { html } from "../html.js";
import { byField, get, list, where } from "../queries.js";
import { errorSummary, field, marker } from "./ui.js";

// `draft`: one form as posted ({kind, key, values, errors}), shown again as typed.
const typed = (draft, kind, key) => (draft?.kind === kind && draft.key === key ? draft : null);

export function eventEmployers(c, event, draft = null) {
  const { t, snap } = c;
  const taking = where(snap, "meeting_event_employer", "event_id", event.id)
    .filter((x) => !x.deleted)
    .map((x) => ({ x, employer: get(snap, "employer", x.fields.employer_id) }))
    .sort((a, b) => String(a.employer?.fields.name ?? "").localeCompare(String(b.employer?.fields.name ?? ""), "fi"));
  const present = new Set(taking.map(({ x }) => x.fields.employer_id));
  const others = list(snap, "employer").filter((e) => !present.has(e.id)).sort(byField("name")).map((e) => [e.id, e.fields.name]);
  const added = typed(draft, "employer", "new");
  return html`<h2 id="event-employers">${t("event.employers")}</h2>
  <p class="hint">${t("event.employers_hint")}</p>
  ${taking.length ? "" : html`<p>${t("event.no_employers")}</p>`}
  ${taking.map(({ x, employer }) => {
    const key = x.fields.employer_id;
    const draftHere = typed(draft, "employer", key);
    const meetings = draftHere ? draftHere.values[`meetings_held-${key}`] : x.fields.meetings_held;
    return html`<form method="post" action="/app/events/${event.id}/employers" class="card stack event-employer">
      <h3>${employer?.fields.name ?? "–"} ${marker(c, "meeting_event_employer", x.id)}</h3>
      ${errorSummary(c, draftHere?.errors)}
      <input type="hidden" name="employer_id" value="${key}">
      ${field(c, { name: `meetings_held-${key}`, label: t("event.employer_meetings"), value: meetings, type: "number", errors: draftHere?.errors })}
      <button type="submit" class="secondary">${t("form.save")}</button>
    </form>`;
  })}
  ${others.length
    ? html`<form method="post" action="/app/events/${event.id}/employers" class="card stack event-employer-new">
      <h3>${t("event.add_employer")}</h3>
      ${errorSummary(c, added?.errors)}
      ${field(c, { name: "employer_id-new", label: t("event.employer_pick"), value: added?.values["employer_id-new"], options: others, required: true, errors: added?.errors })}
      ${field(c, { name: "meetings_held-new", label: t("event.employer_meetings"), value: added ? added.values["meetings_held-new"] : 0, type: "number", errors: added?.errors })}
      <button type="submit" class="secondary">${t("event.add_employer")}</button>
    </form>`
    : ""}`;
}

function guestFields(c, key, f, errors) {
  const { t, snap } = c;
  const employers = list(snap, "employer").sort(byField("name")).map((e) => [e.id, e.fields.name]);
  return html`
    ${field(c, { name: `name_consent-${key}`, label: t("event.guest_consent"), value: f.name_consent, type: "checkbox", errors })}
    ${field(c, { name: `name-${key}`, label: t("event.guest_name"), hint: t("event.guest_name_hint"), value: f.name, errors, max: 200 })}
    ${field(c, { name: `meetings_held-${key}`, label: t("event.meetings_held"), value: f.meetings_held, type: "number", errors })}
    ${field(c, { name: `got_work-${key}`, label: t("event.got_work"), value: f.got_work, type: "checkbox", errors })}
    ${field(c, { name: `employer_id-${key}`, label: t("event.employer"), value: f.employer_id, options: employers, errors })}`;
}

// A form's values as typed, by the record's field names.
const asTyped = (values, key) => ({
  name_consent: `name_consent-${key}` in values,
  name: values[`name-${key}`],
  meetings_held: values[`meetings_held-${key}`],
  got_work: `got_work-${key}` in values,
  employer_id: values[`employer_id-${key}`],
});

export function eventGuests(c, event, draft = null) {
  const { t, snap } = c;
  const guests = where(snap, "event_guest", "event_id", event.id).filter((g) => !g.deleted)
    // Ids are UUIDv7: in the order they were added.
    .sort((a, b) => a.id.localeCompare(b.id));
  const added = typed(draft, "guest", "new");
  return html`<h2 id="event-guests">${t("event.guests")}</h2>
  <p class="hint">${t("event.guests_hint")}</p>
  ${guests.length ? "" : html`<p>${t("event.no_guests")}</p>`}
  ${guests.map((g, i) => {
    const draftHere = typed(draft, "guest", g.id);
    const f = draftHere ? asTyped(draftHere.values, g.id) : g.fields;
    // Named only with consent; otherwise numbered.
    const title = g.fields.name_consent && g.fields.name ? g.fields.name : t("event.unnamed_guest", { n: i + 1 });
    return html`<form method="post" action="/app/events/${event.id}/guests/${g.id}" class="card stack event-guest">
      <h3>${title} ${marker(c, "event_guest", g.id)}</h3>
      ${errorSummary(c, draftHere?.errors)}
      ${guestFields(c, g.id, f, draftHere?.errors)}
      <button type="submit" class="secondary">${t("form.save")}</button>
    </form>`;
  })}
  <form method="post" action="/app/events/${event.id}/guests" class="card stack event-guest-new">
    <h3>${t("event.add_guest")}</h3>
    ${errorSummary(c, added?.errors)}
    ${guestFields(c, "new", added ? asTyped(added.values, "new") : { meetings_held: 0 }, added?.errors)}
    <button type="submit" class="secondary">${t("event.add_guest")}</button>
  </form>`;
}
