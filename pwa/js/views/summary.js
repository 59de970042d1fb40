// The hand-over summary on the phone, offline: the same two versions as the
// desk's (server/handover/): the new employee's, and the employer's, built
// without the wellbeing area at all. Printed with the browser (app.css @media print).
import { html } from "../html.js";
import { GOAL_AREAS, RATERS, byField, fullName, get, progress, where } from "../queries.js";
import { signoffStatus } from "../signoff/local.js";

export const SUMMARY_VERSIONS = ["employee", "employer"];

function signedTasks(latest) {
  try {
    return JSON.parse(latest.fields.signed_content).tasks || [];
  } catch {
    return [];
  }
}

function goalBlock(c, goal) {
  const { t } = c;
  const rounds = progress(c.snap, goal);
  return html`<div class="summary-goal">
    <h4>${goal.fields.title}</h4>
    ${goal.fields.success_criteria ? html`<p>${t("summary.criteria")}: ${goal.fields.success_criteria}</p>` : ""}
    ${rounds.length
      ? html`<table class="progress"><thead><tr><th scope="col">${t("summary.round")}</th>${RATERS.map((r) => html`<th scope="col">${t(`rater.${r}`)}</th>`)}</tr></thead>
        <tbody>${rounds.map((p, i) => html`<tr><th scope="row">${i + 1}. ${t.date(p.round.fields.held_on)}</th>${RATERS.map((r) => {
          const a = p.ratings[r];
          return html`<td>${a ? html`${t(`rating.${a.fields.rating}`)}${a.fields.comment ? html`<br><i>${a.fields.comment}</i>` : ""}` : "–"}</td>`;
        })}</tr>`)}</tbody></table>`
      : html`<p class="muted">${t("summary.no_rounds")}</p>`}
  </div>`;
}

function demonstrationBlock(c, demo) {
  const { t } = c;
  const { status, latest } = signoffStatus(c.snap, demo);
  const signed = latest && ["verified", "pending", "on_device"].includes(status);
  return html`<div class="summary-demo">
    <h3>${demo.fields.title}</h3>
    <p>${t.date(demo.fields.demonstration_date)}${demo.fields.overall_result ? html` · ${t(`demo_result.${demo.fields.overall_result}`)}` : ""}</p>
    ${signed
      ? html`<p><strong>${t("summary.signed")}</strong> ${t(`signoff.${status === "on_device" ? "pending" : status}`)}</p>
        <ul>${signedTasks(latest).map((task) => html`<li>${task.task || "–"}${task.result ? html`: ${t(`task_result.${task.result}`)}` : ""}</li>`)}</ul>`
      : html`<p>${t("summary.not_signed")}</p>`}
  </div>`;
}

export function summaryPage(c, period, version) {
  const { t, snap } = c;
  const f = period.fields;
  const participant = get(snap, "participant", f.participant_id);
  const employer = get(snap, "employer", f.employer_id);
  const areas = GOAL_AREAS.filter((area) => version === "employee" || area !== "wellbeing");
  const goals = where(snap, "goal", "period_id", period.id).sort(byField("title"));
  const demos = where(snap, "work_demonstration", "participant_id", f.participant_id)
    .filter((d) => d.fields.period_id === period.id || (!d.fields.period_id && d.fields.employer_id === f.employer_id))
    .sort(byField("demonstration_date"));
  return html`
  <nav class="no-print summary-versions" aria-label="${t("summary.versions")}">
    ${SUMMARY_VERSIONS.map((v) => html`<a href="/app/periods/${period.id}/summary?version=${v}"${v === version ? html` aria-current="page"` : ""}>${t(`summary.for.${v}`)}</a> `)}
    <p class="hint">${t("summary.print_hint")}</p>
  </nav>
  <article class="summary" data-version="${version}">
    <p>${t(`summary.intro.${version}`)}</p>
    <dl class="facts">
      <dt>${t("rater.participant")}</dt><dd>${participant ? fullName(participant) : "–"}</dd>
      <dt>${t("rater.employer")}</dt><dd>${employer?.fields.name || "–"}</dd>
      <dt>${t("period.measure_type")}</dt><dd>${t(`measure.${f.measure_type}`)}</dd>
      <dt>${t("period.dates")}</dt><dd>${t.date(f.start_date)} – ${t.date(f.end_date || f.planned_end_date)}</dd>
    </dl>
    <h2>${t("summary.goals")}</h2>
    ${areas.map((area) => {
      const inArea = goals.filter((g) => g.fields.area === area);
      return inArea.length ? html`<section><h3>${t(`area.${area}`)}</h3>${inArea.map((g) => goalBlock(c, g))}</section>` : "";
    })}
    <h2>${t("summary.demonstrations")}</h2>
    ${demos.length ? demos.map((d) => demonstrationBlock(c, d)) : html`<p>${t("summary.no_demonstrations")}</p>`}
    <h2>${t("summary.outcome")}</h2>
    <dl class="facts">
      <dt>${t("period.phase")}</dt><dd>${t(`phase.${f.phase}`)}</dd>
      <dt>${t("period.outcome_at_end")}</dt><dd>${f.outcome_at_end ? t(`outcome.${f.outcome_at_end}`) : t("summary.not_yet")}</dd>
    </dl>
  </article>`;
}
