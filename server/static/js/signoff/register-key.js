// Registers a security key or passkey for the logged-in employer representative
// (server/signoff/views.py): options from the server, navigator.credentials.create,
// the answer back to the server, which verifies it with py_webauthn.
// Loaded as a module from server/templates/signoff/keys.html; no inline script (CSP).

const form = document.getElementById("register-key");
const status = document.getElementById("key-status");

function say(text, isError = false) {
  status.textContent = text;
  status.classList.toggle("error", isError);
}

function fromBase64url(value) {
  const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "===".slice((base64.length + 3) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function toBase64url(buffer) {
  let binary = "";
  for (const b of new Uint8Array(buffer)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// The server's JSON options with the byte fields as ArrayBuffers.
function creationOptions(json) {
  if (typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function") {
    return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  }
  return {
    ...json,
    challenge: fromBase64url(json.challenge),
    user: { ...json.user, id: fromBase64url(json.user.id) },
    excludeCredentials: (json.excludeCredentials || []).map((c) => ({ ...c, id: fromBase64url(c.id) })),
  };
}

function credentialJSON(credential) {
  const response = credential.response;
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment || null,
    response: {
      clientDataJSON: toBase64url(response.clientDataJSON),
      attestationObject: toBase64url(response.attestationObject),
      transports: typeof response.getTransports === "function" ? response.getTransports() : [],
    },
    clientExtensionResults: credential.getClientExtensionResults(),
  };
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": form.dataset.csrf },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error((data.error && data.error.message) || form.dataset.msgFailed);
  }
  return data;
}

async function register(kind) {
  const label = form.elements.label.value.trim();
  if (!label) {
    say(form.dataset.msgLabel, true);
    form.elements.label.focus();
    return;
  }
  say(form.dataset.msgWorking);
  const options = await post(form.dataset.optionsUrl, { kind });
  let credential;
  try {
    credential = await navigator.credentials.create({ publicKey: creationOptions(options) });
  } catch (error) {
    if (error.name === "InvalidStateError") throw new Error(form.dataset.msgDuplicate);
    if (error.name === "NotAllowedError" || error.name === "AbortError") {
      throw new Error(form.dataset.msgCancelled);
    }
    throw error;
  }
  const result = await post(form.dataset.registerUrl, { label, credential: credentialJSON(credential) });
  window.location.assign(result.redirect);
}

if (form) {
  if (!window.PublicKeyCredential || !navigator.credentials) {
    say(form.dataset.msgUnsupported, true);
    for (const button of form.querySelectorAll("button")) button.disabled = true;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const kind = (event.submitter && event.submitter.value) || "security_key";
    const buttons = form.querySelectorAll("button");
    for (const button of buttons) button.disabled = true;
    register(kind)
      .catch((error) => say(error.message || form.dataset.msgFailed, true))
      .finally(() => {
        for (const button of buttons) button.disabled = false;
      });
  });
}
