// A work demonstration (työnäyttö): tasks with criteria, a result per task,
// notes, the overall result and a recommendation; its sign-off and the
// hand-over for signing.
import { html } from "../html.js";
import { DEMONSTRATION_RESULTS, TASK_RESULTS, byField, describe, fullName, get, list, where } from "../queries.js";
import { awaitingSignature, readiness, signoffStatus } from "../signoff/local.js";
import { choices, errorSummary, field, marker, returnsPanel } from "./ui.js";

export function demonstrationForm(c, { demo, participantId, errors = {}, values }) {
  const { t, snap } = c;
  const f = values || demo?.fields || { demonstration_date: c.today };
  const pid = demo?.fields.participant_id || participantId;
  const employers = list(snap, "employer").sort(byField("name")).map((e) => [e.id, e.fields.name]);
  const periods = where(snap, "coaching_period", "participant_id", pid).map((p) => [p.id, `${t(`measure.${p.fields.measure_type}`)} ${t.date(p.fields.start_date)}`]);
  const action = demo ? `/app/demonstrations/${demo.id}` : "/app/demonstrations";
  return html`${errorSummary(c, errors)}
  <form method="post" action="${action}" class="stack">
    ${demo ? "" : html`<input type="hidden" name="participant_id" value="${pid}">`}
    ${field(c, { name: "title", label: t("demo.title"), value: f.title, required: true, errors, max: 200 })}
    ${field(c, { name: "employer_id", label: t("rater.employer"), value: f.employer_id, options: employers, required: true, errors })}
    ${periods.length ? field(c, { name: "period_id", label: t("demo.period"), value: f.period_id, options: periods, errors }) : ""}
    ${field(c, { name: "demonstration_date", label: t("demo.date"), value: f.demonstration_date, type: "date", required: true, errors })}
    ${demo ? html`
      ${field(c, { name: "overall_result", label: t("demo.overall_result"), value: f.overall_result, options: choices(c, "demo_result", DEMONSTRATION_RESULTS), errors })}
      ${field(c, { name: "recommendation", label: t("demo.recommendation"), value: f.recommendation, type: "textarea", errors })}` : ""}
    <button type="submit">${t("form.save")}</button>
  </form>`;
}

// `draft`: a task form the checks refused ({form: task id or "new_task",
// values: its fields as posted, errors}), shown again as it was typed.
export function demonstrationPage(c, demo, draft = null) {
  const { t, snap } = c;
  const f = demo.fields;
  const participant = get(snap, "participant", f.participant_id);
  const employer = get(snap, "employer", f.employer_id);
  const tasks = where(snap, "demonstration_task", "demonstration_id", demo.id).sort((a, b) => (a.fields.position ?? 0) - (b.fields.position ?? 0));
  const newTask = draft?.form === "new_task" ? draft : null;
  return html`
  ${marker(c, "work_demonstration", demo.id)}
  ${returnsPanel(c, "work_demonstration", demo.id)}
  <dl class="facts">
    <dt>${t("rater.participant")}</dt><dd>${participant ? html`<a href="/app/participants/${participant.id}">${fullName(participant)}</a>` : "–"}</dd>
    <dt>${t("rater.employer")}</dt><dd>${employer?.fields.name || "–"}</dd>
    <dt>${t("demo.date")}</dt><dd>${t.date(f.demonstration_date)}</dd>
    ${f.status ? html`<dt>${t("demo.status")}</dt><dd>${t(`demo_status.${f.status}`)}</dd>` : ""}
  </dl>
  <section aria-labelledby="tasks"><h2 id="tasks">${t("demo.tasks")}</h2>
    ${tasks.map((task, i) => {
      const typed = draft?.form === task.id ? draft : null;
      const value = (name) => (typed ? typed.values[`${name}-${task.id}`] : task.fields[name]);
      const errors = typed?.errors;
      return html`<form method="post" action="/app/tasks/${task.id}" class="card stack task">
      <h3>${i + 1}. ${task.fields.task} ${marker(c, "demonstration_task", task.id)}</h3>
      ${errorSummary(c, errors)}
      ${field(c, { name: `criteria-${task.id}`, label: t("demo.criteria"), value: value("criteria"), type: "textarea", rows: 2, errors })}
      ${field(c, { name: `result-${task.id}`, label: t("demo.task_result"), value: value("result"), options: choices(c, "task_result", TASK_RESULTS), errors })}
      ${field(c, { name: `note-${task.id}`, label: t("demo.note"), value: value("note"), type: "textarea", rows: 2, errors })}
      <button type="submit" class="secondary">${t("demo.save_task")}</button>
    </form>`;
    })}
    <form method="post" action="/app/demonstrations/${demo.id}/tasks" class="card stack">
      <h3>${t("demo.new_task")}</h3>
      ${newTask ? errorSummary(c, newTask.errors) : ""}
      ${field(c, { name: "task", label: t("demo.task"), value: newTask?.values.task, required: true, errors: newTask?.errors, max: 300 })}
      ${field(c, { name: "criteria", label: t("demo.criteria"), value: newTask?.values.criteria, type: "textarea", rows: 2, errors: newTask?.errors })}
      <button type="submit" class="secondary">${t("demo.add_task")}</button>
    </form>
  </section>
  <section aria-labelledby="result" class="card"><h2 id="result">${t("demo.result")}</h2>
    ${demonstrationForm(c, { demo })}
  </section>
  ${signoffSection(c, demo)}`;
}

const STATUS_PILLS = { verified: "ok", failed: "error", needs_new_signoff: "error" };

// Where the sign-off stands (the server's verdict once pulled), and the
// hand-over when there is something new to sign, or why it cannot be done yet.
function signoffSection(c, demo) {
  const { t, snap } = c;
  const { status, latest } = signoffStatus(snap, demo);
  const ready = readiness(snap, demo, c.now);
  const reason = latest?.fields.verification_reason;
  const signer = latest && (get(snap, "employer_contact_person", latest.fields.representative_id)?.fields.name
    || (snap.meta.signers || []).find((s) => s.representative_id === latest.fields.representative_id)?.name);
  let action = "";
  if (ready.reason && ready.reason !== "signed") {
    action = html`<button type="button" class="big" disabled aria-describedby="handover-reason">${t("handover.action")}</button>
      <p class="hint" id="handover-reason">${t(`handover.reason_${ready.reason}`)}</p>`;
  } else if (!ready.reason) {
    action = html`<form method="post" action="/app/demonstrations/${demo.id}/handover" hx-boost="false">
      <button type="submit" class="big">${t("handover.action")}</button></form>`;
  }
  const waiting = awaitingSignature(snap, demo);
  // A failed sign-off is nobody's signature: never shown under the name it gives.
  const by = latest && latest.fields.verification_status === "failed"
    ? t("signing.invalid", { time: t.time(Date.parse(latest.fields.signed_at)) })
    : latest && t("signing.by", { name: signer || "–", time: t.time(Date.parse(latest.fields.signed_at)) });
  return html`<section aria-labelledby="signoff" class="card stack"><h2 id="signoff">${t("signing.title")}</h2>
    <p data-testid="signoff-status"><span class="pill ${STATUS_PILLS[status] || "warn"}">${status === "on_device" ? t("signing.on_device") : t(`signoff.${status}`)}</span>
      ${reason ? html` ${t(`signoff_reason.${reason.split(":")[0]}`)}` : ""}</p>
    ${latest ? html`<p class="muted">${by}</p>` : ""}
    ${waiting.length ? html`<div data-testid="awaiting-signature"><p>${t("signing.awaiting")}</p>
      <ul>${waiting.map(({ record, field, value }) => html`<li>${record.type === "demonstration_task" ? `${describe(snap, record.type, record.id)}: ` : ""}${t(`field.${field}`)}: <strong>${field === "_deleted" ? t("conflict.deleted") : shownValue(c, field, value)}</strong></li>`)}</ul></div>` : ""}
    ${action}
  </section>`;
}

function shownValue(c, field, value) {
  if (value === null || value === undefined || value === "") return "–";
  if (field === "overall_result") return c.t(`demo_result.${value}`);
  if (field === "result") return c.t(`task_result.${value}`);
  if (field === "demonstration_date") return c.t.date(value);
  return String(value);
}
