// A coaching period: its parties, measure, dates and phase; goals grouped by
// the four areas with their progress over assessment rounds.
import { html } from "../html.js";
import {
  GOAL_AREAS, MEASURE_TYPES, OUTCOMES, PHASES, RATERS, byField, countedRounds, fullName, get, list, progress, where,
} from "../queries.js";
import { satisfactionSection, voucherSection } from "./satisfaction.js";
import { choices, empty, errorSummary, field, marker, returnsPanel } from "./ui.js";
import { notesSection, removeLink } from "./undo.js";

// `satisfaction`: a refused answer's {errors, values}, shown again in its form.
export function periodPage(c, period, satisfaction = {}) {
  const { t, snap } = c;
  const f = period.fields;
  const participant = get(snap, "participant", f.participant_id);
  const employer = get(snap, "employer", f.employer_id);
  const workplace = get(snap, "workplace", f.workplace_id);
  const goals = where(snap, "goal", "period_id", period.id).sort(byField("title"));
  const rounds = where(snap, "assessment_round", "period_id", period.id).sort(byField("held_on"));
  const counted = countedRounds(snap, period.id);
  return html`
  ${marker(c, "coaching_period", period.id)}
  ${returnsPanel(c, "coaching_period", period.id)}
  <section class="card" aria-labelledby="parties">
    <h2 id="parties">${t("period.parties")}</h2>
    <dl class="facts">
      <dt>${t("rater.participant")}</dt><dd>${participant ? html`<a href="/app/participants/${participant.id}">${fullName(participant)}</a>` : "–"}</dd>
      <dt>${t("rater.employer")}</dt><dd>${employer ? html`<a href="/app/employers/${employer.id}">${employer.fields.name}</a>` : "–"}</dd>
      <dt>${t("rater.work_community")}</dt><dd>${workplace?.fields.name || employer?.fields.name || "–"}</dd>
      <dt>${t("rater.coach")}</dt><dd>${c.meta.user?.id === f.coach_id ? c.meta.user.name : "–"}</dd>
      <dt>${t("period.measure_type")}</dt><dd>${t(`measure.${f.measure_type}`)}</dd>
      <dt>${t("period.phase")}</dt><dd><span class="pill phase">${t(`phase.${f.phase}`)}</span></dd>
      <dt>${t("period.dates")}</dt><dd>${t.date(f.start_date)} – ${t.date(f.end_date || f.planned_end_date)}</dd>
      ${f.outcome_at_end ? html`<dt>${t("period.outcome_at_end")}</dt><dd>${t(`outcome.${f.outcome_at_end}`)}</dd>` : ""}
    </dl>
    <p class="actions"><a class="button secondary" href="/app/periods/${period.id}/edit">${t("period.edit")}</a>
      <a class="button secondary" href="/app/periods/${period.id}/summary">${t("summary.link")}</a> ${removeLink(c, "coaching_period", period.id)}</p>
  </section>
  <section aria-labelledby="goals">
    <h2 id="goals">${t("goal.list")}</h2>
    ${GOAL_AREAS.map((area) => {
      const inArea = goals.filter((g) => g.fields.area === area);
      return html`<section class="area" aria-labelledby="area-${area}">
        <h3 id="area-${area}">${t(`area.${area}`)}</h3>
        ${inArea.length ? html`<ul class="cards">${inArea.map((g) => goalCard(c, g))}</ul>` : empty(c, "goal.none")}
        <p class="actions"><a class="button secondary" href="/app/periods/${period.id}/goals/new?area=${area}">${t("goal.new_in", { area: t(`area.${area}`) })}</a></p>
      </section>`;
    })}
  </section>
  <section aria-labelledby="rounds">
    <h2 id="rounds">${t("round.list")}</h2>
    ${rounds.length
      ? html`<ul class="cards">${rounds.map((r) => html`<li class="card${r.fields.void_reason ? " voided" : ""}"><a href="/app/rounds/${r.id}">${r.fields.void_reason ? "" : html`${t("round.numbered", { n: counted.indexOf(r) + 1 })} · `}${t.date(r.fields.held_on)}</a>${r.fields.is_final ? html` <span class="pill">${t("round.final")}</span>` : ""}${r.fields.void_reason ? html` <span class="pill error">${t("void.voided")}</span>` : ""} ${marker(c, "assessment_round", r.id)}
          ${r.fields.note ? html`<br><span class="muted">${r.fields.note}</span>` : ""}</li>`)}</ul>`
      : empty(c, "round.none")}
    <p class="actions"><a class="button" href="/app/periods/${period.id}/rounds/new">${t("round.new")}</a></p>
  </section>
  ${satisfactionSection(c, period, satisfaction)}
  ${voucherSection(c, period)}
  ${notesSection(c, { participantId: f.participant_id, periodId: period.id })}`;
}

function goalCard(c, goal) {
  const { t } = c;
  const f = goal.fields;
  const history = progress(c.snap, goal).filter((p) => Object.keys(p.ratings).length);
  return html`<li class="card goal" id="goal-${goal.id}">
    <h4>${f.title} <span class="pill status-${f.status}">${t(`goal_status.${f.status}`)}</span> ${marker(c, "goal", goal.id)}</h4>
    ${f.description ? html`<p>${f.description}</p>` : ""}
    ${f.success_criteria ? html`<p class="muted">${t("goal.success_criteria")}: ${f.success_criteria}</p>` : ""}
    ${f.target_date ? html`<p class="muted">${t("goal.target_date")}: ${t.date(f.target_date)}</p>` : ""}
    ${returnsPanel(c, "goal", goal.id)}
    ${history.length ? progressTable(c, history) : ""}
    <div class="actions">
      <a class="button secondary" href="/app/goals/${goal.id}/edit">${t("goal.edit")}</a>
      ${removeLink(c, "goal", goal.id)}
      ${f.status !== "achieved" ? statusButton(c, goal, "achieved", "goal.mark_achieved") : ""}
      ${f.status !== "dropped" ? statusButton(c, goal, "dropped", "goal.mark_dropped") : ""}
      ${f.status !== "open" ? statusButton(c, goal, "open", "goal.mark_open") : ""}
    </div>
  </li>`;
}

const statusButton = (c, goal, status, key) => html`<form method="post" action="/app/goals/${goal.id}/status" class="inline">
  <input type="hidden" name="status" value="${status}"><button type="submit" class="secondary">${c.t(key)}</button></form>`;

// Ratings per round and party: progress visible at a glance.
export function progressTable(c, history) {
  const { t } = c;
  return html`<table class="progress">
    <caption>${t("goal.progress")}</caption>
    <thead><tr><th scope="col">${t("round.title")}</th>${RATERS.map((r) => html`<th scope="col">${t(`rater.${r}`)}</th>`)}</tr></thead>
    <tbody>${history.map(({ round, ratings }) => html`<tr><th scope="row">${t.date(round.fields.held_on)}</th>
      ${RATERS.map((r) => html`<td>${ratings[r] ? html`<span title="${t(`rating.${ratings[r].fields.rating}`)}">${ratings[r].fields.rating}</span>` : "–"}</td>`)}</tr>`)}</tbody>
  </table>`;
}

export function periodForm(c, { period, participantId, errors = {}, values }) {
  const { t, snap } = c;
  const f = values || period?.fields || { phase: "planning", start_date: c.today };
  const employers = list(snap, "employer").sort(byField("name")).map((e) => [e.id, e.fields.name]);
  // Only the chosen employer's workplaces (a workplace of another employer is
  // refused); without an employer there is no workplace to choose.
  const workplaces = f.employer_id
    ? where(snap, "workplace", "employer_id", f.employer_id).sort(byField("name")).map((w) => [w.id, w.fields.name])
    : [];
  const action = period ? `/app/periods/${period.id}` : "/app/periods";
  return html`${errorSummary(c, errors)}
  <form method="post" action="${action}" class="stack">
    ${period ? "" : html`<input type="hidden" name="participant_id" value="${participantId}">`}
    ${field(c, { name: "measure_type", label: t("period.measure_type"), value: f.measure_type, options: choices(c, "measure", MEASURE_TYPES), required: true, errors })}
    <div hx-get="${c.url.pathname}" hx-trigger="change" hx-include="closest form" hx-select="#workplace-field" hx-target="#workplace-field" hx-swap="outerHTML">
      ${field(c, { name: "employer_id", label: t("rater.employer"), value: f.employer_id, options: employers, errors, hint: t("period.employer_hint") })}
    </div>
    <div id="workplace-field">${workplaces.length ? field(c, { name: "workplace_id", label: t("period.workplace"), value: f.workplace_id, options: workplaces, errors }) : ""}</div>
    ${field(c, { name: "phase", label: t("period.phase"), value: f.phase, options: choices(c, "phase", PHASES), required: true, errors })}
    ${field(c, { name: "start_date", label: t("period.start_date"), value: f.start_date, type: "date", required: true, errors })}
    ${field(c, { name: "planned_end_date", label: t("period.planned_end_date"), value: f.planned_end_date, type: "date", errors })}
    ${field(c, { name: "end_date", label: t("period.end_date"), value: f.end_date, type: "date", errors })}
    ${period ? html`
      ${field(c, { name: "outcome_at_end", label: t("period.outcome_at_end"), value: f.outcome_at_end, options: choices(c, "outcome", OUTCOMES), errors })}
      ${field(c, { name: "outcome_3_months", label: t("period.outcome_3_months"), value: f.outcome_3_months, options: choices(c, "outcome", OUTCOMES), errors })}
      ${field(c, { name: "outcome_6_months", label: t("period.outcome_6_months"), value: f.outcome_6_months, options: choices(c, "outcome", OUTCOMES), errors })}` : ""}
    <button type="submit">${t("form.save")}</button>
  </form>`;
}

export function goalForm(c, { goal, periodId, area, errors = {}, values }) {
  const { t } = c;
  const f = values || goal?.fields || { area };
  const action = goal ? `/app/goals/${goal.id}` : "/app/goals";
  return html`${errorSummary(c, errors)}
  <form method="post" action="${action}" class="stack">
    ${goal ? "" : html`<input type="hidden" name="period_id" value="${periodId}">`}
    ${field(c, { name: "area", label: t("goal.area"), value: f.area, options: choices(c, "area", GOAL_AREAS), required: true, errors })}
    ${field(c, { name: "title", label: t("goal.title"), value: f.title, required: true, errors, max: 200 })}
    ${field(c, { name: "description", label: t("goal.description"), value: f.description, type: "textarea", errors })}
    ${field(c, { name: "success_criteria", label: t("goal.success_criteria"), value: f.success_criteria, type: "textarea", errors })}
    ${field(c, { name: "target_date", label: t("goal.target_date"), value: f.target_date, type: "date", errors })}
    <button type="submit">${t("form.save")}</button>
  </form>`;
}
