// The caseload (my participants, searchable, each with phase and what is due)
// and a participant's own page and form.
import { html } from "../html.js";
import { FILTERS } from "../caseload-summary.js";
import { byField, dueOf, get, where } from "../queries.js";
import { empty, errorSummary, field, marker, returnsPanel } from "./ui.js";

// One page of the caseload's rows (js/caseload-summary.js): a filter (active
// by default), a search over everyone, and pages of PAGE_SIZE.
export function caseload(c) {
  const { t } = c;
  const { rows, total, page, pages, show, query } = c.snap.caseload;
  const link = (changes) => {
    const params = new URLSearchParams({ ...(query ? { q: query } : {}), show, ...changes });
    if (params.get("show") === "active" && !query) params.delete("show");
    if (params.get("page") === "1") params.delete("page");
    const text = params.toString();
    return text ? `/app/?${text}` : "/app/";
  };
  const list = rows.length
    ? html`<ul class="cards">${rows.map((row) => caseloadRow(c, row))}</ul>`
    : empty(c, query || show !== "active" ? "caseload.no_match" : "caseload.empty");
  return html`
  <form class="search" method="get" action="/app/" role="search">
    <label for="q">${t("caseload.search")}</label>
    <input id="q" name="q" type="search" value="${query}" autocomplete="off"
      hx-get="/app/" hx-trigger="input changed delay:250ms, search" hx-target="#caseload" hx-select="#caseload" hx-swap="outerHTML" hx-push-url="true">
  </form>
  <p class="actions"><a class="button" href="/app/participants/new">${t("participant.new")}</a></p>
  <div id="caseload">
    <nav class="filters" aria-label="${t("caseload.filters")}"><ul>
      ${FILTERS.map((f) => html`<li><a href="${link({ show: f, page: "1" })}"${f === show ? html` aria-current="page"` : ""}>${t(`caseload.show.${f}`)}</a></li>`)}
    </ul></nav>
    <p class="count">${t("caseload.count", { count: total })}</p>
    ${list}
    ${pages > 1
      ? html`<nav class="pager" aria-label="${t("caseload.pages")}">
          ${page > 1 ? html`<a href="${link({ page: String(page - 1) })}" rel="prev">${t("caseload.previous")}</a>` : ""}
          <span>${t("caseload.page", { page, pages })}</span>
          ${page < pages ? html`<a href="${link({ page: String(page + 1) })}" rel="next">${t("caseload.next")}</a>` : ""}
        </nav>`
      : ""}
  </div>`;
}

function caseloadRow(c, row) {
  const { t } = c;
  const { period } = row;
  const dueItems = period ? dueOf(period, row.lastRound, c.today) : [];
  return html`<li class="card">
    <h2><a href="/app/participants/${row.id}">${row.name}</a> ${marker(c, "participant", row.id)}</h2>
    ${period
      ? html`<p><a href="/app/periods/${period.id}">${t(`measure.${period.measure_type}`)}</a>${row.employer ? html` · ${row.employer}` : ""}
          <span class="pill phase">${t(`phase.${period.phase}`)}</span> ${marker(c, "coaching_period", period.id)}</p>`
      : html`<p class="muted">${t("caseload.no_period")}</p>`}
    ${dueItems.length || row.returns.length
      ? html`<ul class="due" aria-label="${t("due.title")}">
          ${dueItems.map(([key, values]) => html`<li>${t(key, { ...values, date: t.date(values.date) })}</li>`)}
          ${row.returns.map((r) => html`<li class="returned">${t("due.returned")}: ${r.comment}</li>`)}
        </ul>`
      : ""}
  </li>`;
}

export function participantPage(c, participant) {
  const { t, snap } = c;
  const f = participant.fields;
  const periods = where(snap, "coaching_period", "participant_id", participant.id).sort(byField("start_date"));
  const demos = where(snap, "work_demonstration", "participant_id", participant.id).sort(byField("demonstration_date"));
  return html`
  ${marker(c, "participant", participant.id)}
  ${returnsPanel(c, "participant", participant.id)}
  <dl class="facts">
    ${f.municipality ? html`<dt>${t("participant.municipality")}</dt><dd>${f.municipality}</dd>` : ""}
    ${f.phone ? html`<dt>${t("participant.phone")}</dt><dd>${f.phone}</dd>` : ""}
    ${f.email ? html`<dt>${t("participant.email")}</dt><dd>${f.email}</dd>` : ""}
    <dt>${t("participant.consent")}</dt><dd>${f.consent_given ? t("yes") : t("no")}</dd>
  </dl>
  <p class="actions"><a class="button secondary" href="/app/participants/${participant.id}/edit">${t("participant.edit")}</a></p>
  <section>
    <h2>${t("period.list")}</h2>
    ${periods.length
      ? html`<ul class="cards">${periods.map((p) => {
          const employer = get(snap, "employer", p.fields.employer_id);
          return html`<li class="card"><a href="/app/periods/${p.id}">${t(`measure.${p.fields.measure_type}`)}${employer ? html` · ${employer.fields.name}` : ""}</a>
            <span class="pill phase">${t(`phase.${p.fields.phase}`)}</span> ${t.date(p.fields.start_date)} ${marker(c, "coaching_period", p.id)}</li>`;
        })}</ul>`
      : empty(c, "caseload.no_period")}
    <p class="actions"><a class="button" href="/app/participants/${participant.id}/periods/new">${t("period.new")}</a></p>
  </section>
  <section>
    <h2>${t("demo.list")}</h2>
    ${demos.length
      ? html`<ul class="cards">${demos.map((d) => html`<li class="card"><a href="/app/demonstrations/${d.id}">${d.fields.title}</a>
          ${t.date(d.fields.demonstration_date)} ${d.fields.overall_result ? t(`demo_result.${d.fields.overall_result}`) : ""} ${marker(c, "work_demonstration", d.id)}</li>`)}</ul>`
      : empty(c, "demo.none")}
    <p class="actions"><a class="button" href="/app/participants/${participant.id}/demonstrations/new">${t("demo.new")}</a></p>
  </section>`;
}

export function participantForm(c, participant, errors = {}) {
  const { t } = c;
  const f = participant?.fields || {};
  // A new participant refused by the checks has values but no id yet.
  const action = participant?.id ? `/app/participants/${participant.id}` : "/app/participants";
  return html`${errorSummary(c, errors)}
  <form method="post" action="${action}" class="stack">
    ${field(c, { name: "first_name", label: t("participant.first_name"), value: f.first_name, required: true, errors, max: 100 })}
    ${field(c, { name: "last_name", label: t("participant.last_name"), value: f.last_name, required: true, errors, max: 100 })}
    ${field(c, { name: "birth_year", label: t("participant.birth_year"), value: f.birth_year, type: "number", errors })}
    ${field(c, { name: "municipality", label: t("participant.municipality"), value: f.municipality, errors, max: 100 })}
    ${field(c, { name: "phone", label: t("participant.phone"), value: f.phone, type: "tel", errors, max: 40 })}
    ${field(c, { name: "email", label: t("participant.email"), value: f.email, type: "email", errors, max: 254 })}
    ${field(c, { name: "consent_given", label: t("participant.consent_given"), value: f.consent_given, type: "checkbox", errors })}
    ${field(c, { name: "consent_date", label: t("participant.consent_date"), value: f.consent_date, type: "date", errors })}
    <button type="submit">${t("form.save")}</button>
  </form>`;
}
