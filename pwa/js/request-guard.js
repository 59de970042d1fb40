// Only the app's own pages may change anything on the device. A page of any
// other site can start a request to /app/ (a form that submits itself, a
// link, a frame), and the service worker answers it as it answers the app's
// own. So every request that is not a GET must come from the app's origin
// AND carry the device's form token, which only the app's own pages hold.
// GETs change nothing (docs/pwa.md, "A malicious site").

export const TOKEN_FIELD = "form_token";

const SAFE_METHODS = new Set(["GET", "HEAD"]);
export const changesState = (request) => !SAFE_METHODS.has(request.method);

// Whether a request came from a page of `origin`. Fetch Metadata where the
// browser shows it; Chromium shows a service worker no Sec-Fetch-* header,
// but it does show `Origin` on every POST navigation (a form posted by a page;
// "null" from a page that hides its address). A request that is not a
// navigation reaches the worker only from a page it controls, which is of its
// own origin, and Chromium shows no Origin on those.
export function fromOrigin(request, origin) {
  const site = request.headers.get("Sec-Fetch-Site");
  if (site !== null) return site === "same-origin";
  const from = request.headers.get("Origin");
  if (from !== null) return from === origin;
  const navigation = request.mode === "navigate" || request.headers.get("Sec-Fetch-Mode") === "navigate";
  return !navigation;
}

// The per-device form token: random, kept in IndexedDB (meta.form_token),
// made on first use, gone with everything else at logout.
export async function formToken(store) {
  const known = (await store.meta()).form_token;
  if (known) return known;
  return store.write(["meta"], async (tx) => {
    const row = await tx.get("meta", "form_token");
    if (row) return row.value;
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const value = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    await tx.put("meta", { key: "form_token", value });
    return value;
  });
}

// Compared in time that does not depend on where the strings differ.
function same(a, b) {
  if (typeof a !== "string" || typeof b !== "string" || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

// Why a state-changing request is refused ("origin", "token"), or null.
// `form` is its body as read (null when it was not a form).
export function refusal(request, form, origin, token) {
  if (!fromOrigin(request, origin)) return "origin";
  if (!same(form?.get(TOKEN_FIELD), token)) return "token";
  return null;
}

// Every form the local server renders that posts gets the token as a hidden
// field. Views escape every value they put into a tag, so no ">" ends one early.
const POST_FORM = /<form\b[^>]*\bmethod="post"[^>]*>/gi;
export const withToken = (page, token) =>
  page.replace(POST_FORM, (tag) => `${tag}<input type="hidden" name="${TOKEN_FIELD}" value="${token}">`);
