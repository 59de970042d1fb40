// Both parties' satisfaction (seed 001: success means both are satisfied) and
// the period's coaching voucher, on the period page; and the hand-over screen
// where the employer's representative answers in their own language.
import RULES from "../generated/rules.js";
import { html } from "../html.js";
import { get, where } from "../queries.js";
import { voucherState } from "../vouchers.js";
import { choices, errorSummary, field } from "./ui.js";

const { satisfaction_moment: MOMENTS, satisfaction_party: PARTIES } = RULES.vocabularies;
const SCALE = [1, 2, 3, 4, 5];

// The latest answer of each party per moment (append-only: a new one replaces).
export function latestAnswers(snap, periodId) {
  const out = {};
  const answers = where(snap, "satisfaction_answer", "period_id", periodId).sort(
    (a, b) => String(a.fields.answered_on).localeCompare(String(b.fields.answered_on)) || a.id.localeCompare(b.id),
  );
  for (const a of answers) (out[a.fields.moment] ||= {})[a.fields.party] = a;
  return out;
}

// Radio buttons 1–5 with their words; `name` is the field.
export function scale(c, name, legend, { value, error } = {}) {
  const { t } = c;
  return html`<fieldset class="rating${error ? " invalid" : ""}"${error ? html` aria-describedby="f-${name}-error"` : ""}>
    <legend class="required">${legend}</legend>
    <div class="scale">${SCALE.map((n) => html`<input type="radio" id="f-${name}-${n}" name="${name}" value="${n}" required${String(value) === String(n) ? html` checked` : ""}>
      <label for="f-${name}-${n}"><span class="n">${n}</span> <span class="words">${t(`satisfaction.scale.${n}`)}</span></label>`)}</div>
    ${error ? html`<p class="error" id="f-${name}-error">${error}</p>` : ""}
  </fieldset>`;
}

export function satisfactionSection(c, period, { errors = {}, values = {} } = {}) {
  const { t } = c;
  const latest = latestAnswers(c.snap, period.id);
  const answered = MOMENTS.filter((m) => latest[m]);
  return html`<section class="card" aria-labelledby="satisfaction" id="satisfaction-section">
    <h2 id="satisfaction">${t("satisfaction.title")}</h2>
    <p class="muted">${t("satisfaction.intro")}</p>
    ${answered.length
      ? html`<table class="progress" data-testid="satisfaction-answers">
          <thead><tr><th scope="col">${t("satisfaction.moment")}</th>${PARTIES.map((p) => html`<th scope="col">${t(`satisfaction_party.${p}`)}</th>`)}</tr></thead>
          <tbody>${answered.map((m) => html`<tr><th scope="row">${t(`satisfaction_moment.${m}`)}</th>${PARTIES.map((p) => {
            const a = latest[m][p];
            return html`<td>${a ? html`<strong>${a.fields.rating}</strong>${a.fields.comment ? html` – ${a.fields.comment}` : ""}${a.fields.respondent ? html` <span class="muted">(${a.fields.respondent})</span>` : ""}` : "–"}</td>`;
          })}</tr>`)}</tbody>
        </table>`
      : html`<p class="empty">${t("satisfaction.none")}</p>`}
    ${errorSummary(c, errors)}
    <form method="post" action="/app/periods/${period.id}/satisfaction" class="stack">
      <h3>${t("satisfaction.participant_form")}</h3>
      ${field(c, { name: "moment", label: t("satisfaction.moment"), value: values.moment, options: choices(c, "satisfaction_moment", MOMENTS), required: true, errors })}
      ${scale(c, "rating", t("satisfaction.participant_question"), { value: values.rating, error: errors.rating })}
      ${field(c, { name: "comment", label: t("satisfaction.comment"), value: values.comment, type: "textarea", errors })}
      <button type="submit">${t("satisfaction.save")}</button>
    </form>
    ${period.fields.employer_id
      ? html`<form method="post" action="/app/periods/${period.id}/satisfaction/handover" class="stack" hx-boost="false">
          <h3>${t("satisfaction.employer_form")}</h3>
          <p class="muted">${t("satisfaction.handover_hint")}</p>
          ${field(c, { name: "handover_moment", label: t("satisfaction.moment"), options: choices(c, "satisfaction_moment", MOMENTS), required: true })}
          <button type="submit" class="secondary">${t("satisfaction.handover")}</button>
        </form>`
      : ""}
  </section>`;
}

export function voucherSection(c, period) {
  const { t } = c;
  const state = voucherState(c.snap, period);
  const refused = state.request?.fields.decision === "refused" ? String(state.request.fields.refusal_reasons || "").split(" ").filter(Boolean) : [];
  return html`<section class="card" aria-labelledby="voucher" id="voucher-section">
    <h2 id="voucher">${t("voucher.title")}</h2>
    <p data-testid="voucher-status"><span class="pill voucher-${state.status}">${t(`voucher_status.${state.status}`)}</span></p>
    ${state.reasons.length
      ? html`<p>${t("voucher.reasons")}</p><ul data-testid="voucher-reasons">${state.reasons.map((r) => html`<li>${t(`vouchers.reason.${r}`)}</li>`)}</ul>`
      : ""}
    ${state.voucher?.fields.rejection_reason ? html`<p data-testid="voucher-rejection">${t("voucher.rejection", { reason: state.voucher.fields.rejection_reason })}</p>` : ""}
    ${state.waiting ? html`<p class="banner" role="status" data-testid="voucher-waiting">${t(state.queued ? "voucher.queued" : "voucher.waiting")}</p>` : ""}
    ${!state.waiting && refused.length
      ? html`<div class="banner error" data-testid="voucher-refused"><p>${t("voucher.refused")}</p><ul>${refused.map((r) => html`<li>${t(`vouchers.reason.${r}`)}</li>`)}</ul></div>`
      : ""}
    ${state.canRequest
      ? html`<form method="post" action="/app/periods/${period.id}/voucher-request" class="actions">
          <button type="submit">${t("voucher.request")}</button>
        </form>`
      : ""}
  </section>`;
}

// The hand-over screen: the representative answers for the employer.
export function satisfactionScreen(c, { period, moment }, errors = {}, values = {}) {
  const { t } = c;
  const participant = get(c.snap, "participant", period.fields.participant_id);
  const employer = get(c.snap, "employer", period.fields.employer_id);
  return html`${errorSummary(c, errors)}
  <p class="lead">${t("satisfaction.employer_intro")}</p>
  <dl class="facts">
    <dt>${t("rater.participant")}</dt><dd>${participant ? `${participant.fields.first_name} ${participant.fields.last_name}` : "–"}</dd>
    <dt>${t("rater.employer")}</dt><dd>${employer?.fields.name || "–"}</dd>
    <dt>${t("satisfaction.moment")}</dt><dd>${t(`satisfaction_moment.${moment}`)}</dd>
  </dl>
  <form method="post" action="/app/handover/satisfaction" class="stack">
    ${scale(c, "rating", t("satisfaction.employer_question"), { value: values.rating, error: errors.rating })}
    ${field(c, { name: "comment", label: t("satisfaction.comment"), value: values.comment, type: "textarea", errors })}
    ${field(c, { name: "respondent", label: t("satisfaction.respondent"), value: values.respondent, errors, max: 200 })}
    <button type="submit" class="big">${t("satisfaction.send")}</button>
  </form>
  <form method="post" action="/app/handover/satisfaction/skip" class="actions">
    <button type="submit" class="secondary big">${t("satisfaction.skip")}</button>
  </form>`;
}
