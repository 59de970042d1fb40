// Meeting events (Työkohtaamo) and who of the caseload attended.
import { html } from "../html.js";
import { byField, fullName, list, participants, where } from "../queries.js";
import { eventEmployers, eventGuests } from "./event-run.js";
import { empty, errorSummary, field, marker } from "./ui.js";

export function eventList(c) {
  const { t } = c;
  const events = list(c.snap, "meeting_event").sort(byField("event_date")).reverse();
  return html`<p class="actions"><a class="button" href="/app/events/new">${t("event.new")}</a></p>
  ${events.length
    ? html`<ul class="cards">${events.map((e) => html`<li class="card"><a href="/app/events/${e.id}">${e.fields.title}</a>
        ${t.date(e.fields.event_date)}${e.fields.place ? ` · ${e.fields.place}` : ""} ${marker(c, "meeting_event", e.id)}</li>`)}</ul>`
    : empty(c, "event.none")}`;
}

export function eventForm(c, { errors = {}, values }) {
  const { t } = c;
  const f = values || { event_date: c.today };
  return html`${errorSummary(c, errors)}
  <form method="post" action="/app/events" class="stack">
    ${field(c, { name: "title", label: t("event.title"), value: f.title, required: true, errors, max: 200 })}
    ${field(c, { name: "event_date", label: t("event.date"), value: f.event_date, type: "date", required: true, errors })}
    ${field(c, { name: "place", label: t("event.place"), value: f.place, errors, max: 200 })}
    ${field(c, { name: "note", label: t("event.note"), value: f.note, type: "textarea", errors })}
    <button type="submit">${t("form.save")}</button>
  </form>`;
}

// `draft`: one participant's attendance as posted ({participantId, values,
// errors by the form's field names}), shown again as it was typed.
export function eventPage(c, event, draft = null) {
  const { t, snap } = c;
  const attendance = new Map(where(snap, "event_attendance", "event_id", event.id).map((a) => [a.fields.participant_id, a]));
  const employers = list(snap, "employer").sort(byField("name")).map((e) => [e.id, e.fields.name]);
  return html`
  <p>${t.date(event.fields.event_date)}${event.fields.place ? ` · ${event.fields.place}` : ""} ${marker(c, "meeting_event", event.id)}</p>
  ${event.fields.note ? html`<p>${event.fields.note}</p>` : ""}
  <h2>${t("event.attendance")}</h2>
  ${participants(snap).map(({ participant }) => {
    const a = attendance.get(participant.id);
    const key = participant.id;
    const typed = draft?.participantId === key && !draft.kind ? draft : null;
    const f = typed
      ? { attended: `attended-${key}` in typed.values, meetings_held: typed.values[`meetings_held-${key}`],
          got_work: `got_work-${key}` in typed.values, employer_id: typed.values[`employer_id-${key}`] }
      : a?.fields || { attended: false, meetings_held: 0, got_work: false };
    const errors = typed?.errors;
    return html`<form method="post" action="/app/events/${event.id}/attendance" class="card stack attendance">
      <h3>${fullName(participant)} ${a ? marker(c, "event_attendance", a.id) : ""}</h3>
      ${errorSummary(c, errors)}
      <input type="hidden" name="participant_id" value="${participant.id}">
      ${field(c, { name: `attended-${key}`, label: t("event.attended"), value: f.attended, type: "checkbox", errors })}
      ${field(c, { name: `meetings_held-${key}`, label: t("event.meetings_held"), value: f.meetings_held, type: "number", errors })}
      ${field(c, { name: `got_work-${key}`, label: t("event.got_work"), value: f.got_work, type: "checkbox", errors })}
      ${field(c, { name: `employer_id-${key}`, label: t("event.employer"), value: f.employer_id, options: employers, errors })}
      <button type="submit" class="secondary">${t("form.save")}</button>
    </form>`;
  })}
  ${eventEmployers(c, event, draft)}
  ${eventGuests(c, event, draft)}
`;
}
