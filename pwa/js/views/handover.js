// Hand-over mode: the coach's device in the employer representative's hands.
// The screens show only the demonstration being signed, in large text, read
// from the very content that is signed (canonical.js), then "hand the device
// back" and the coach's PIN. Nothing on them leads into the caseload.
import { html } from "../html.js";
import { PIN_MAX, PIN_MIN } from "../pin.js";
import { errorSummary } from "./ui.js";

// A PIN field: digits only, never remembered by the browser. A new PIN has
// PIN_MIN digits at least; one typed to unlock may be an older, shorter one.
export const pinField = (name, label, error, autocomplete = "off") => {
  const min = autocomplete === "new-password" ? PIN_MIN : 4;
  return html`<div class="field">
    <label for="f-${name}" class="required">${label}</label>
    <input type="password" id="f-${name}" name="${name}" inputmode="numeric" pattern="[0-9]{${min},${PIN_MAX}}" minlength="${min}"
      maxlength="${PIN_MAX}" autocomplete="${autocomplete}" required${error ? html` aria-invalid="true" aria-describedby="f-${name}-error"` : ""}>
    ${error ? html`<p class="error" id="f-${name}-error">${error}</p>` : ""}
  </div>`;
};

// The first hand-over on this device: the coach sets the PIN that ends it.
export function pinSetup(c, demo, errors = {}) {
  const { t } = c;
  return html`${errorSummary(c, errors)}
  <p>${t("handover.pin_intro")}</p>
  <form method="post" action="/app/demonstrations/${demo.id}/handover" class="stack" hx-boost="false">
    ${pinField("pin", t("handover.pin"), errors.pin, "new-password")}
    ${pinField("pin_again", t("handover.pin_again"), errors.pin_again, "new-password")}
    <button type="submit">${t("handover.pin_set")}</button>
  </form>`;
}

// What the representative reads and signs. `content` is the parsed canonical
// content; `challenge` (base64url) was computed from it and `nonce`.
export function signScreen(c, { content, signers, challenge, nonce, sha256 }, notice) {
  const { t } = c;
  return html`${notice ? html`<div class="banner error" role="alert">${notice}</div>` : ""}
  <p class="lead">${t("handover.intro")}</p>
  <section class="signed-content" aria-labelledby="demo-title">
    <h2 id="demo-title">${content.title}</h2>
    <dl class="facts">
      <dt>${t("rater.participant")}</dt><dd>${content.participant.name}</dd>
      <dt>${t("rater.employer")}</dt><dd>${content.employer.name}<br>${t("employer.business_id")} ${content.employer.business_id}</dd>
      <dt>${t("demo.date")}</dt><dd>${t.date(content.date)}</dd>
    </dl>
    <h3>${t("demo.tasks")}</h3>
    <ol class="tasks">${content.tasks.map((task) => html`<li>
      <h4>${task.task}</h4>
      <dl class="facts">
        ${task.criteria ? html`<dt>${t("demo.criteria")}</dt><dd>${task.criteria}</dd>` : ""}
        <dt>${t("demo.task_result")}</dt><dd>${task.result ? t(`task_result.${task.result}`) : "–"}</dd>
        ${task.note ? html`<dt>${t("demo.note")}</dt><dd>${task.note}</dd>` : ""}
      </dl></li>`)}
    </ol>
    <dl class="facts">
      <dt>${t("demo.overall_result")}</dt><dd><strong>${t(`demo_result.${content.overall_result}`)}</strong></dd>
      ${content.recommendation ? html`<dt>${t("demo.recommendation")}</dt><dd>${content.recommendation}</dd>` : ""}
    </dl>
  </section>
  <form method="post" action="/app/handover/sign" class="stack" data-sign data-challenge="${challenge}"
    data-error-cancelled="${t("handover.error_cancelled")}" data-error-failed="${t("handover.error_failed")}">
    <fieldset class="signers">
      <legend>${t("handover.choose")}</legend>
      ${signers.map((s, i) => html`<div class="choice">
        <input type="radio" id="signer-${i}" name="representative_id" value="${s.representative_id}" required
          data-credentials="${JSON.stringify(s.credentials)}">
        <label for="signer-${i}">${s.name}</label>
      </div>`)}
    </fieldset>
    <input type="hidden" name="nonce" value="${nonce}">
    <input type="hidden" name="content_sha256" value="${sha256}">
    ${["credential_id", "authenticator_data", "client_data_json", "signature", "user_handle"].map(
      (name) => html`<input type="hidden" name="${name}">`,
    )}
    <p class="error" role="alert" data-sign-error hidden></p>
    <button type="submit" class="big">${t("handover.sign")}</button>
  </form>
  ${cancelForm(c)}`;
}

const cancelForm = (c) => html`<form method="post" action="/app/handover/cancel" class="actions">
    <button type="submit" class="secondary big">${c.t("handover.cancel")}</button>
  </form>`;

// Nothing to sign any more (e.g. a sync changed the demonstration meanwhile).
export const unavailable = (c) => html`<p class="lead">${c.t("handover.unavailable")}</p>${cancelForm(c)}`;

// After signing or cancelling: hand the device back; the coach's PIN ends the
// mode, or, when it is forgotten, the coach's password (online).
export function unlockScreen(c, stage, error) {
  const { t } = c;
  return html`<div class="banner ${stage === "signed" ? "ok" : ""} lead" role="status">${t(`handover.${stage}`)}</div>
  <form method="post" action="/app/handover/unlock" class="stack">
    ${pinField("pin", t("handover.unlock_pin"), error)}
    <button type="submit" class="big">${t("handover.unlock")}</button>
  </form>
  <p class="actions"><a href="/app/handover/forgot" class="button secondary">${t("handover.forgot")}</a></p>`;
}

// The forgotten PIN: the password of the coach who owns the device (named;
// the server knows the e-mail from the device's token). `wrong`: the last
// password was wrong (shown at the field); `alert`: any other outcome of the
// last try; `offline`: the device knows it has no network now. Not offered for
// autofill: the representative holds the device (browsers may offer a saved
// password all the same; docs/pwa.md).
export function forgotScreen(c, { name, wrong, alert, offline }) {
  const { t } = c;
  const banner = alert || (offline ? t("handover.forgot_offline") : null);
  return html`${banner ? html`<div class="banner error" role="alert">${banner}</div>` : ""}
  <p>${t("handover.forgot_intro")}</p>
  <dl class="facts"><dt>${t("handover.forgot_owner")}</dt><dd>${name}</dd></dl>
  <form method="post" action="/app/handover/forgot" class="stack">
    <div class="field">
      <label for="f-password" class="required">${t("handover.forgot_password")}</label>
      <input type="password" id="f-password" name="password" autocomplete="off" required${
        wrong ? html` aria-invalid="true" aria-describedby="f-password-error"` : ""}>
      ${wrong ? html`<p class="error" id="f-password-error">${wrong}</p>` : ""}
    </div>
    <button type="submit" class="big">${t("handover.forgot_submit")}</button>
  </form>
  <p class="actions"><a href="/app/handover" class="button secondary">${t("handover.forgot_back")}</a></p>`;
}

// After the password, or after an unlock with a PIN too short for today's
// rules (`intro`): the coach sets a new PIN.
export function newPin(c, demonstrationId, errors = {}, intro = "handover.new_pin_intro") {
  const { t } = c;
  return html`${errorSummary(c, errors)}
  <div class="banner ok" role="status">${t(intro)}</div>
  <form method="post" action="/app/pin" class="stack" hx-boost="false">
    ${demonstrationId ? html`<input type="hidden" name="demonstration" value="${demonstrationId}">` : ""}
    ${pinField("pin", t("handover.pin"), errors.pin, "new-password")}
    ${pinField("pin_again", t("handover.pin_again"), errors.pin_again, "new-password")}
    <button type="submit">${t("handover.new_pin_set")}</button>
  </form>`;
}
