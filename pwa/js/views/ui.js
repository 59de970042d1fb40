// The page frame and the small pieces every view uses: form fields, the sync
// status bar, "not yet synced" markers, supervisor returns.
import { html } from "../html.js";
import { LANGUAGES } from "../i18n.js";
import { conflictsOf, isPending, openReturns } from "../queries.js";

// No eval, no inline styles, no history snapshots of personal data in localStorage.
const HTMX_CONFIG = JSON.stringify({
  historyCacheSize: 0,
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  selfRequestsOnly: true,
  // Refused forms (422), the logout guard (409), "not found" and a refused
  // request (403, js/request-guard.js) are pages too.
  responseHandling: [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "(403|404|409|422)", swap: true },
    { code: "[45]..", swap: false, error: true },
  ],
});

function head(c, title) {
  return html`<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – Polku</title>
<meta name="htmx-config" content="${HTMX_CONFIG}">
<meta name="theme-color" content="#1f5f5b">
<link rel="manifest" href="/app/manifest.webmanifest">
<link rel="icon" href="/app/icons/icon.svg" type="image/svg+xml">
<link rel="apple-touch-icon" href="/app/icons/icon-192.png">
<link rel="stylesheet" href="/app/css/app.css">
<script src="/app/vendor/htmx-2.0.11.min.js" defer></script>
<script type="module" src="/app/js/app.js"></script>
</head>`;
}

export function layout(c, title, body) {
  const { t } = c;
  const nav = [
    ["/app/", "nav.caseload"],
    ["/app/employers", "nav.employers"],
    ["/app/events", "nav.events"],
    ["/app/conflicts", "nav.conflicts"],
    ["/app/sync", "nav.sync"],
  ];
  const current = (href) => (href === "/app/" ? c.path === href : c.path.startsWith(href));
  return html`<!doctype html>
<html lang="${t.lang}">
${head(c, title)}
<body hx-boost="true">
<a class="skip" href="#main">${t("nav.skip")}</a>
<header class="top">
  <a class="brand" href="/app/">Polku</a>
  <nav aria-label="${t("nav.main")}"><ul>
    ${nav.map(([href, key]) => html`<li><a href="${href}"${current(href) ? html` aria-current="page"` : ""}>${t(key)}</a></li>`)}
  </ul></nav>
</header>
${statusBar(c)}
<div id="update" class="banner" role="status" hidden>
  <span>${t("update.ready")}</span> <button type="button" id="update-button">${t("update.reload")}</button>
</div>
<main id="main" tabindex="-1">
<h1>${title}</h1>
${body}
</main>
<footer class="bottom">
  ${languageForm(c, "/app/language", c.path)}
  <span class="who">${c.meta.user?.name || ""}</span>
  <form method="post" action="/app/logout" class="inline" hx-boost="false">
    <button type="submit" class="link">${t("logout.button")}</button>
  </form>
</footer>
</body>
</html>`;
}

// The frame of a locked device (hand-over mode, another user's login): no
// navigation, no status, no links into the caseload; plain page loads.
export function lockedLayout(c, title, body, footer = "") {
  return html`<!doctype html>
<html lang="${c.t.lang}">
${head(c, title)}
<body class="locked">
<header class="top"><span class="brand">Polku</span></header>
<main id="main" tabindex="-1">
<h1>${title}</h1>
${body}
</main>
${footer ? html`<footer class="bottom">${footer}</footer>` : ""}
</body>
</html>`;
}

export function languageForm(c, action, next) {
  const { t } = c;
  return html`<form method="post" action="${action}" class="inline" hx-boost="false">
    ${next ? html`<input type="hidden" name="next" value="${next}">` : ""}
    ${LANGUAGES.filter((l) => l !== t.lang).map(
      (l) => html`<button type="submit" name="lang" value="${l}" class="link" lang="${l}">${t(`lang.${l}`)}</button> `,
    )}
  </form>`;
}

// Always visible: pending count, last successful sync, and what needs acting on.
export function statusBar(c) {
  const { t, status } = c;
  const error = status.lastError;
  const items = [];
  items.push(
    status.pending
      ? html`<span class="pill warn" data-testid="pending">${t("status.pending", { count: status.pending })}</span>`
      : html`<span class="pill ok" data-testid="pending">${t("status.all_synced")}</span>`,
  );
  items.push(html`<span data-testid="last-sync">${t("status.last_sync")}: ${status.lastSyncOk ? t.time(status.lastSyncOk) : t("status.never")}</span>`);
  if (status.needsLogin || error?.kind === "login") {
    items.push(html`<a class="pill error" href="/login?next=/app/" hx-boost="false">${t("status.login_again")}</a>`);
  } else if (error?.kind === "wrong_user") {
    items.push(html`<span class="pill error">${t("status.wrong_user")}</span>`);
  } else if (error?.kind === "offline") {
    items.push(html`<span class="pill">${t("status.offline")}</span>`);
  } else if (error) {
    items.push(html`<a class="pill error" href="/app/sync">${t("status.error")}</a>`);
  }
  if (status.attention) {
    items.push(html`<a class="pill error" href="/app/sync">${t("status.attention", { count: status.attention })}</a>`);
  }
  if (status.conflicts) {
    items.push(html`<a class="pill warn" href="/app/conflicts">${t("status.conflicts", { count: status.conflicts })}</a>`);
  }
  return html`<div id="status" class="status" role="status" aria-live="polite"
  hx-get="/app/status" hx-trigger="every 10s, polku-synced from:body" hx-swap="outerHTML">${items}</div>`;
}

// -- form fields -------------------------------------------------------------

const fieldId = (name) => `f-${name.replace(/[^a-z0-9_-]/gi, "-")}`;

export function field(c, { name, label, value, type = "text", required, hint, errors, options, rows, max }) {
  const id = fieldId(name);
  const error = errors?.[name];
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || null;
  const common = html`id="${id}" name="${name}"${required ? html` required` : ""}${describedBy ? html` aria-describedby="${describedBy}"` : ""}${error ? html` aria-invalid="true"` : ""}`;
  let control;
  if (options) {
    control = html`<select ${common}>
      ${required ? "" : html`<option value="">–</option>`}
      ${options.map(([v, l]) => html`<option value="${v}"${String(value ?? "") === String(v) ? html` selected` : ""}>${l}</option>`)}
    </select>`;
  } else if (type === "textarea") {
    control = html`<textarea ${common} rows="${rows || 3}">${value ?? ""}</textarea>`;
  } else if (type === "checkbox") {
    return html`<div class="field check"><input type="checkbox" ${common} value="1"${value ? html` checked` : ""}>
      <label for="${id}">${label}</label>${error ? html`<p class="error" id="${id}-error">${error}</p>` : ""}</div>`;
  } else {
    control = html`<input type="${type}" ${common} value="${value ?? ""}"${max ? html` maxlength="${max}"` : ""}>`;
  }
  return html`<div class="field">
    <label for="${id}"${required ? html` class="required"` : ""}>${label}</label>
    ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ""}
    ${control}
    ${error ? html`<p class="error" id="${id}-error">${error}</p>` : ""}
  </div>`;
}

export const choices = (c, prefix, values) => values.map((v) => [v, c.t(`${prefix}.${v}`)]);

// A rating's error leads to its first step (round.js names the radios `${name}-${n}`).
const errorTarget = (name) => (name.startsWith("rating-") ? `${name}-1` : fieldId(name));

export function errorSummary(c, errors) {
  if (!errors || Object.keys(errors).length === 0) return "";
  // Each message links to its field (WCAG 3.3.1): the keyboard gets there in one step.
  return html`<div class="banner error error-summary" role="alert">
    <p>${c.t("form.fix_errors")}</p>
    <ul>${Object.entries(errors).map(([name, message]) => html`<li><a href="#${errorTarget(name)}">${message}</a></li>`)}</ul>
  </div>`;
}

// -- record markers ------------------------------------------------------------

export function marker(c, type, id) {
  const { t, snap } = c;
  const parts = [];
  if (isPending(snap, type, id)) parts.push(html`<span class="pill warn small">${t("record.not_synced")}</span>`);
  if (conflictsOf(snap, type, id).length) {
    parts.push(html`<a class="pill error small" href="/app/conflicts">${t("record.conflict")}</a>`);
  }
  return parts;
}

// Open returns of a record from a supervisor: the comment, and the coach's answer.
export function returnsPanel(c, type, id) {
  const { t } = c;
  return openReturns(c.snap, type, id).map(
    (r) => html`<section class="card returned" aria-label="${t("return.title")}">
      <h2>${t("return.title")}</h2>
      <p class="comment">${r.fields.comment}</p>
      <form method="post" action="/app/returns/${r.id}">
        <input type="hidden" name="next" value="${c.path}">
        ${field(c, { name: "answer", label: t("return.answer"), type: "textarea", required: true })}
        <button type="submit">${t("return.send")}</button>
      </form>
    </section>`,
  );
}

export const empty = (c, key) => html`<p class="empty">${c.t(key)}</p>`;
