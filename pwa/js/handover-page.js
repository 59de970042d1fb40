// The page's part of signing in hand-over mode. WebAuthn exists only in a
// window, not in the service worker: the worker rendered the challenge (from
// the content on screen and a nonce) and each signer's key ids; this asks the
// chosen person's key, with user verification required, and posts the
// assertion back to the worker, which writes the sign-off.
import { requestOptions } from "./signoff/assertion.js";
import { fromBase64url, toBase64url } from "./signoff/bytes.js";

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!form.matches?.("form[data-sign]")) return;
  event.preventDefault();
  const chosen = form.querySelector("input[name=representative_id]:checked");
  const error = form.querySelector("[data-sign-error]");
  const button = form.querySelector("button[type=submit]");
  error.hidden = true;
  button.disabled = true;
  try {
    const assertion = await navigator.credentials.get(
      requestOptions({
        challenge: fromBase64url(form.dataset.challenge),
        signer: { credentials: JSON.parse(chosen.dataset.credentials) },
      }),
    );
    const { response } = assertion;
    const parts = {
      credential_id: assertion.rawId,
      authenticator_data: response.authenticatorData,
      client_data_json: response.clientDataJSON,
      signature: response.signature,
      user_handle: response.userHandle,
    };
    for (const [name, bytes] of Object.entries(parts)) form.elements[name].value = bytes ? toBase64url(bytes) : "";
    form.submit(); // a plain post: no submit event, so no second round here
  } catch (failure) {
    // NotAllowedError: cancelled, timed out, no PIN, or not this person's key.
    error.textContent = failure.name === "NotAllowedError" ? form.dataset.errorCancelled : form.dataset.errorFailed;
    error.hidden = false;
    button.disabled = false;
  }
});
