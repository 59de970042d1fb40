// The app lock's screen and the screen of a device cut off on the server.
// Neither shows anything of the caseload: no names, only how many changes
// wait to be synced.
import { html } from "../html.js";
import { pinField } from "./handover.js";

// `view`: {name (the device's user), unsynced, pin (a PIN is set and may be
// tried), wait (seconds), blocked (too many wrong PINs), notice, wrong (the
// last password was wrong), offline}.
export function unlockScreen(c, view) {
  const { t } = c;
  const banner = view.notice || (view.blocked ? t("lock.blocked") : null);
  return html`${banner ? html`<div class="banner error" role="alert">${banner}</div>` : ""}
  <p class="lead">${t("lock.explain", { name: view.name })}</p>
  ${view.unsynced ? html`<p>${t("lock.unsynced", { count: view.unsynced })}</p>` : ""}
  ${view.wait ? html`<p class="banner" role="status">${t("handover.wait", { seconds: view.wait })}</p>` : ""}
  ${view.pin && !view.blocked && !view.wait
    ? html`<form method="post" action="/app/unlock" class="stack">
    ${pinField("pin", t("lock.pin"), view.wrongPin ? t("handover.wrong_pin") : null)}
    <button type="submit" class="big">${t("handover.unlock")}</button>
  </form>`
    : ""}
  <h2>${t("lock.password_title")}</h2>
  <p>${t(view.offline ? "handover.forgot_offline" : "lock.password_intro")}</p>
  <form method="post" action="/app/unlock/password" class="stack">
    <div class="field">
      <label for="f-password" class="required">${t("handover.forgot_password")}</label>
      <input type="password" id="f-password" name="password" autocomplete="current-password" required${
        view.wrong ? html` aria-invalid="true" aria-describedby="f-password-error"` : ""}>
      ${view.wrong ? html`<p class="error" id="f-password-error">${view.wrong}</p>` : ""}
    </div>
    <button type="submit" class="secondary">${t("handover.forgot_submit")}</button>
  </form>`;
}

export function revokedScreen(c) {
  const { t } = c;
  return html`<p class="lead" role="status">${t("revoked.explain")}</p>
  <p>${t("revoked.lost")}</p>
  <form method="post" action="/app/revoked" class="stack">
    <button type="submit">${t("revoked.start_again")}</button>
  </form>`;
}
