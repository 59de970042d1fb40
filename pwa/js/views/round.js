// An assessment round at the workplace: every goal, every party's rating 1–5
// with the scale's words, and a comment. Big targets, one column, one hand.
import { html } from "../html.js";
import { RATERS, byField, get, progress, where } from "../queries.js";
import { errorSummary, field, marker, returnsPanel } from "./ui.js";

// Goals a round rates: all but the dropped ones, area by area.
export const roundGoals = (snap, periodId) =>
  where(snap, "goal", "period_id", periodId)
    .filter((g) => g.fields.status !== "dropped")
    .sort(byField("area"));

export function roundForm(c, { period, round, errors = {}, values = {} }) {
  const { t, snap } = c;
  const goals = roundGoals(snap, period.id);
  const done = round ? ratedPairs(snap, round) : new Set();
  const action = round ? `/app/rounds/${round.id}/assessments` : "/app/rounds";
  if (!goals.length) return html`<p class="empty">${t("round.no_goals")}</p>
    <p><a class="button" href="/app/periods/${period.id}">${t("round.back_to_period")}</a></p>`;
  return html`${errorSummary(c, errors)}
  <form method="post" action="${action}" class="stack round">
    ${round ? "" : html`<input type="hidden" name="period_id" value="${period.id}">
      ${field(c, { name: "held_on", label: t("round.held_on"), value: values.held_on || c.today, type: "date", required: true, errors })}
      ${field(c, { name: "is_final", label: t("round.is_final"), value: values.is_final, type: "checkbox", errors })}`}
    ${goals.map((goal) => goalBlock(c, goal, done, errors, values))}
    ${round ? "" : field(c, { name: "note", label: t("round.note"), value: values.note, type: "textarea", errors })}
    <button type="submit" class="big">${t("round.save")}</button>
  </form>`;
}

function goalBlock(c, goal, done, errors, values) {
  const { t, snap } = c;
  const previous = progress(snap, goal).filter((p) => Object.keys(p.ratings).length).at(-1);
  const raters = RATERS.filter((r) => !done.has(`${goal.id}/${r}`));
  if (!raters.length) return "";
  return html`<section class="card goal-rating" aria-labelledby="g-${goal.id}">
    <h2 id="g-${goal.id}"><span class="area-tag">${t(`area.${goal.fields.area}`)}</span> ${goal.fields.title}</h2>
    ${raters.map((rater) => {
      const name = `rating-${goal.id}-${rater}`;
      const before = previous?.ratings[rater]?.fields.rating;
      return html`<fieldset class="rating${errors[name] ? " invalid" : ""}">
        <legend>${t(`rater.${rater}`)}${before ? html` <span class="muted">(${t("round.previous", { rating: before })})</span>` : ""}</legend>
        <div class="scale">
          ${[1, 2, 3, 4, 5].map((n) => {
            const [, words] = t(`rating.${n}`).split(" – ");
            const id = `${name}-${n}`;
            return html`<input type="radio" id="${id}" name="${name}" value="${n}"${String(values[name]) === String(n) ? html` checked` : ""}>
              <label for="${id}"><span class="n">${n}</span> <span class="words">${words}</span></label>`;
          })}
        </div>
        ${errors[name] ? html`<p class="error">${errors[name]}</p>` : ""}
        <label class="comment-label" for="comment-${goal.id}-${rater}">${t("round.comment")}</label>
        <input type="text" id="comment-${goal.id}-${rater}" name="comment-${goal.id}-${rater}" value="${values[`comment-${goal.id}-${rater}`] ?? ""}">
      </fieldset>`;
    })}
  </section>`;
}

export const ratedPairs = (snap, round) =>
  new Set(where(snap, "assessment", "round_id", round.id).map((a) => `${a.fields.goal_id}/${a.fields.rater}`));

export function roundPage(c, round) {
  const { t, snap } = c;
  const period = get(snap, "coaching_period", round.fields.period_id);
  const assessments = where(snap, "assessment", "round_id", round.id);
  const goals = period ? roundGoals(snap, period.id) : [];
  const missing = goals.length * RATERS.length - ratedPairs(snap, round).size;
  return html`
  ${marker(c, "assessment_round", round.id)}
  ${returnsPanel(c, "assessment_round", round.id)}
  ${round.fields.void_reason
    ? html`<div class="banner error" role="status"><strong>${t("void.voided")}</strong>: ${round.fields.void_reason}<br>${t("void.left_out")}</div>`
    : ""}
  <p>${t("round.held_on")}: ${t.date(round.fields.held_on)}${round.fields.is_final ? html` · ${t("round.final")}` : ""}</p>
  ${round.fields.note ? html`<p>${round.fields.note}</p>` : ""}
  <p class="actions"><a class="button secondary" href="/app/rounds/${round.id}/edit">${t("round.edit")}</a>
    ${round.fields.void_reason ? "" : html`<a class="button danger" href="/app/rounds/${round.id}/void">${t("void.action")}</a>`}</p>
  ${goals.map((goal) => {
    const rows = assessments.filter((a) => a.fields.goal_id === goal.id);
    return html`<section class="card"><h2>${goal.fields.title}</h2>
      <table class="results"><thead><tr><th scope="col">${t("round.rater")}</th><th scope="col">${t("round.rating")}</th><th scope="col">${t("round.comment")}</th></tr></thead>
      <tbody>${RATERS.map((rater) => {
        const a = rows.find((x) => x.fields.rater === rater);
        return html`<tr><th scope="row">${t(`rater.${rater}`)}</th><td>${a ? t(`rating.${a.fields.rating}`) : "–"}</td><td>${a?.fields.comment || ""}</td></tr>`;
      })}</tbody></table></section>`;
  })}
  ${missing > 0 && period && !round.fields.void_reason ? html`<h2>${t("round.missing")}</h2>${roundForm(c, { period, round })}` : ""}
  ${period ? html`<p><a href="/app/periods/${period.id}">${t("round.back_to_period")}</a></p>` : ""}`;
}
