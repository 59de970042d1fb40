// Sync status in full, the "needs attention" list of refused edits, the
// conflict inbox, exporting unsynced changes, the logout guard, the lock
// shown to another user, and the answer to a request from another site.
import { html } from "../html.js";
import { parse } from "../hlc.js";
import { describe } from "../queries.js";
import { choiceRefusal, isFreeText, valueLabel } from "../conflict-choices.js";
import { ruleMessage } from "../validate.js";
import { empty } from "./ui.js";

// `result`: how the sync the coach just asked for went ("ok" or an error kind).
export function syncPage(c, result) {
  const { t, status, snap } = c;
  const notice = result === "ok" ? html`<div class="banner ok" role="status">${t("sync.done")}</div>`
    : result ? html`<div class="banner error" role="alert">${t(`sync.error_${result}`)}</div>` : "";
  // A sync in the background (start, timer, reconnect) shows here when it
  // ends; the forms inside post as anywhere else (nothing inherited).
  return html`
  ${notice}
  <div id="sync-state" hx-get="/app/sync" hx-trigger="polku-synced from:body" hx-select="#sync-state" hx-swap="outerHTML"
    hx-disinherit="*">
  <dl class="facts">
    <dt>${t("sync.pending")}</dt><dd data-testid="pending-count">${status.pending}</dd>
    <dt>${t("status.last_sync")}</dt><dd>${status.lastSyncOk ? t.time(status.lastSyncOk) : t("status.never")}</dd>
    ${status.lastError ? html`<dt>${t("sync.last_error")}</dt><dd>${t(`sync.error_${status.lastError.kind}`)} (${t.time(status.lastError.at)})</dd>` : ""}
  </dl>
  <p>${t("signing.ready_at", { time: snap.meta.signing_ready_at ? t.time(snap.meta.signing_ready_at) : t("status.never") })}</p>
  ${snap.meta.signing_error ? html`<p class="error">${t("signing.fetch_failed", { time: t.time(snap.meta.signing_error.at) })}</p>` : ""}
  <form method="post" action="/app/sync" class="inline"><button type="submit">${t("sync.now")}</button></form>
  <a class="button secondary" href="/app/export">${t("sync.export")}</a>
  <section aria-labelledby="attention"><h2 id="attention">${t("sync.attention")}</h2>
    ${snap.attention.length
      ? html`<ul class="cards">${snap.attention.map((item) => attentionItem(c, item))}</ul>`
      : empty(c, "sync.attention_none")}
  </section>
  </div>
  <p><a href="/devices/" hx-boost="false">${t("sync.devices")}</a></p>`;
}

function attentionItem(c, item) {
  const { t, snap } = c;
  const m = item.mutation;
  return html`<li class="card">
    <h3>${t(`type.${m.record_type}`)}: ${describe(snap, m.record_type, m.record_id) || m.record_id}</h3>
    <p>${t("sync.refused_at", { time: t.time(item.at) })}</p>
    <ul class="errors">${Object.entries(item.errors).map(([key, reasons]) => html`<li><strong>${t(`field.${key}`)}</strong>: ${[].concat(reasons).map((reason) => ruleMessage(t, reason, c.today)).join("; ")}</li>`)}</ul>
    ${item.withheld
      ? html`<p>${t("sync.withheld")}</p>`
      : html`<details><summary>${t("sync.values")}</summary><pre>${JSON.stringify(m.fields, null, 2)}</pre></details>
    <form method="post" action="/app/attention/${m.mutation_id}/retry" class="inline"><button type="submit" class="secondary">${t("sync.retry")}</button></form>`}
    <form method="post" action="/app/attention/${m.mutation_id}/dismiss" class="inline"><button type="submit" class="secondary">${t("sync.dismiss")}</button></form>
  </li>`;
}

function who(c, value) {
  const { t, meta } = c;
  if (!value.stamp) return t("conflict.signed_value");
  const person = value.user_id === meta.user?.id ? t("conflict.you") : t("conflict.user", { id: value.user_id });
  const device = value.device_id === meta.device_id ? t("conflict.this_device") : t("conflict.other_device");
  return `${person}, ${device}, ${t.time(parse(value.stamp).wallMs)}`;
}


// An edit that raced a delete: the two choices in words.
const deleteChoice = (c, conflict, value) =>
  value === null
    ? c.t("conflict.keep_deleted")
    : c.t("conflict.keep_edited", { change: valueLabel(c.t, conflict.record_type, conflict.field, value) });

export function conflictInbox(c) {
  const { t, snap } = c;
  if (!snap.conflicts.length) return empty(c, "conflict.none");
  return html`<p>${t("conflict.intro")}</p>
  <ul class="cards">${snap.conflicts.map((conflict) => {
    if (conflict.kind === "signed") return signedConflict(c, conflict);
    // Merged text only for a free-text field; a value the server would refuse now is shown, not offered.
    const textual = isFreeText(conflict.record_type, conflict.field);
    const refusals = conflict.values.map((value) => choiceRefusal(c, conflict, value.value));
    const first = Math.max(0, refusals.findIndex((reason) => !reason));
    return html`<li class="card conflict">
    <form method="post" action="/app/conflicts/${conflict.conflict_id}" class="stack">
      <fieldset>
        <legend>${t(`type.${conflict.record_type}`)}: ${describe(snap, conflict.record_type, conflict.record_id)} – ${t(`field.${conflict.field}`)}</legend>
        ${conflict.resolving ? html`<p class="pill warn">${t("conflict.resolving")}</p>` : ""}
        ${conflict.values.map((value, i) => html`<div class="choice">
          <input type="radio" id="v-${conflict.conflict_id}-${i}" name="choice" value="${i}"${i === first && !refusals[i] ? html` checked` : ""}${refusals[i] ? html` disabled aria-describedby="r-${conflict.conflict_id}-${i}"` : ""}>
          <label for="v-${conflict.conflict_id}-${i}"><strong>${conflict.field === "_deleted" ? deleteChoice(c, conflict, value.value) : valueLabel(t, conflict.record_type, conflict.field, value.value)}</strong><br><span class="muted">${who(c, value)}${i === 0 ? ` · ${t("conflict.current")}` : ""}</span></label>
          ${refusals[i] ? html`<p class="error" id="r-${conflict.conflict_id}-${i}">${refusals[i]}</p>` : ""}
        </div>`)}
        ${textual ? html`<div class="choice">
          <input type="radio" id="v-${conflict.conflict_id}-merged" name="choice" value="merged">
          <label for="v-${conflict.conflict_id}-merged">${t("conflict.merged")}</label>
        </div>
        <label for="m-${conflict.conflict_id}" class="visually-hidden">${t("conflict.merged")}</label>
        <textarea id="m-${conflict.conflict_id}" name="merged" rows="2">${conflict.values[0].value ?? ""}</textarea>` : ""}
      </fieldset>
      <button type="submit">${t("conflict.resolve")}</button>
    </form></li>`;
  })}</ul>`;
}

// An edit of signed content (docs/sync-protocol.md M3, M9): choosing the new
// value would only make the same conflict again, so it is not offered. The
// new value is saved by the employer signing the new content (hand-over); the
// coach may instead go back to the signed value.
function signedConflict(c, conflict) {
  const { t, snap } = c;
  const task = conflict.record_type === "demonstration_task" ? snap.byKey.get(`demonstration_task:${conflict.record_id}`) : null;
  const demoId = task ? task.fields.demonstration_id : conflict.record_id;
  return html`<li class="card conflict">
    <form method="post" action="/app/conflicts/${conflict.conflict_id}" class="stack">
      <fieldset>
        <legend>${t(`type.${conflict.record_type}`)}: ${describe(snap, conflict.record_type, conflict.record_id)} – ${t(`field.${conflict.field}`)}</legend>
        <p>${t("conflict.signed_intro")}</p>
        <ul>${conflict.values.map((value, i) => html`<li><strong>${valueLabel(t, conflict.record_type, conflict.field, value.value)}</strong><br><span class="muted">${i === 0 ? t("conflict.signed_value") : `${t("conflict.proposed")} · ${who(c, value)}`}</span></li>`)}</ul>
        ${conflict.resolving ? html`<p class="pill warn">${t("conflict.resolving")}</p>` : ""}
      </fieldset>
      <input type="hidden" name="choice" value="0">
      <a class="button" href="/app/demonstrations/${demoId}#signoff">${t("conflict.sign_again")}</a>
      <button type="submit" class="secondary">${t("conflict.keep_signed")}</button>
    </form></li>`;
}

export function logoutRefused(c, unsynced) {
  const { t } = c;
  return html`<div class="banner error" role="alert">${t("logout.unsynced", { count: unsynced })}</div>
  <p>${t("logout.explain")}</p>
  <form method="post" action="/app/sync" class="inline"><button type="submit">${t("sync.now")}</button></form>
  <a class="button secondary" href="/app/export">${t("sync.export")}</a>
  <form method="post" action="/app/logout" class="inline" hx-boost="false"><button type="submit" class="secondary">${t("logout.button")}</button></form>`;
}

// Exporting is a confirmed post from this page (a GET changes nothing): the
// file is made in the page (js/app.js, data-export), which then comes back
// here with `done`. From then on the logout guard lets the coach log out.
export function exportPage(c, unsynced, done) {
  const { t } = c;
  if (done) {
    return html`<div class="banner ok" role="status">${t("export.done", { count: unsynced })}</div>
  <p>${t("export.after")}</p>
  <form method="post" action="/app/logout" class="inline" hx-boost="false"><button type="submit" class="secondary">${t("logout.button")}</button></form>`;
  }
  if (!unsynced) return empty(c, "export.none");
  return html`<p>${t("logout.unsynced", { count: unsynced })}</p>
  <p>${t("export.explain")}</p>
  <form method="post" action="/app/export" hx-boost="false" data-export data-file="polku-outbox.json" data-done="/app/export?done=1">
    <button type="submit">${t("export.confirm", { count: unsynced })}</button>
  </form>`;
}

// Someone else logged in on this browser: the device holds its owner's data
// (meta.user), which only the owner opens again, by logging in.
export function otherUserLock(c) {
  const { t, status } = c;
  const name = c.meta.user.name;
  const unsynced = status.pending + status.attention;
  return html`<p class="lead">${t("locked.explain", { name })}</p>
  ${unsynced ? html`<p>${t("locked.unsynced", { count: unsynced, name })}</p>` : ""}
  <p><a class="button" href="/login?next=/app/">${t("locked.login", { name })}</a></p>`;
}

// A change that did not come from the app's own pages (js/request-guard.js):
// `why` is "origin" (another site) or "token" (a form without this device's token).
export function requestRefused(t, why) {
  return html`<div class="banner error" role="alert">${t(`guard.${why}`)}</div>
  <p>${t("guard.nothing_changed")}</p>
  <p><a class="button" href="/app/">${t("guard.open_app")}</a></p>`;
}
