// The app's local server, run by the service worker: it answers the app's own
// routes by rendering HTML from the store, and turns form posts into a local
// write plus an outbox mutation. It never waits for the network, except to
// log in on the very first start (there is nothing local to show yet).
import { rendered } from "./html.js";
import { translator } from "./i18n.js";
import { changes } from "./forms.js";
import { get, list, today } from "./queries.js";
import { COUNTS, ROUTE_READS } from "./reads.js";
import { router } from "./router.js";
import { coachingRoutes } from "./routes/coaching.js";
import { deviceRoutes } from "./routes/device.js";
import { employerWorkRoutes } from "./routes/employer-work.js";
import { handoverRoutes } from "./routes/handover.js";
import { satisfactionRoutes } from "./routes/satisfaction.js";
import { TOKEN_FIELD, changesState, formToken, refusal, withToken } from "./request-guard.js";
import { lockRoutes } from "./routes/lock.js";
import { lockOf, noteUse } from "./lock-gate.js";
import { workerClock } from "./pin.js";
import { NeedsLogin } from "./sync-client.js";
import { uuid7 } from "./uuid7.js";
import { recordErrors, validate } from "./validate.js";
import { layout, lockedLayout } from "./views/ui.js";
import { requestRefused } from "./views/sync.js";

// The same policy as the server's pages: nothing inline, nothing from elsewhere.
export const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; " +
  "base-uri 'self'; form-action 'self'";

const htmlResponse = (body, status = 200, headers = {}) =>
  new Response(String(body), {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": CSP,
      "Cache-Control": "no-store",
      ...headers,
    },
  });

const redirect = (origin, path) => Response.redirect(new URL(path, origin).href, 303);

// A promise that gives up after `ms`.
function within(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const DRAFTS_KEPT = 10;

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// `uuid` makes the ids of new records: time-ordered (js/uuid7.js), the same
// generator as the store's mutation ids.
export function createLocalServer({
  store, client, catalogs, afterWrite = () => {}, now = () => Date.now(), sleep = wait, uuid = uuid7,
  // Whether the device has a network at all (false only when it surely has none).
  online = () => globalThis.navigator?.onLine !== false,
  // The monotonic clock that serves the waits between wrong PINs (js/pin.js).
  pinClock = workerClock,
}) {
  // The route's own read (js/reads.js); a route that declares none reads the device.
  async function read(found, url, form) {
    const reads = found && ROUTE_READS[found.spec];
    if (!reads) return store.snapshot();
    const reader = reads({ params: found.params, form, url, today: today(now()) });
    if (reader === COUNTS) return store.counts();
    if (reader.needsSummaries) await store.ensureSummaries();
    return store.view(reader);
  }

  async function context(url, meta, found = null, form = null) {
    const snap = await read(found, url, form);
    // The representative's language in hand-over mode, else the coach's.
    const t = translator(await catalogs(), meta.handover?.lang || meta.revoked?.lang || meta.lang || "fi");
    const status = {
      pending: snap.pendingCount,
      attention: snap.attentionCount ?? snap.attention.length,
      conflicts: snap.conflictCount ?? snap.conflicts.length,
      lastSyncOk: meta.last_sync_ok ?? null,
      lastError: meta.last_error ?? null,
      needsLogin: Boolean(meta.needs_login),
    };
    return { t, snap, meta, status, url, path: url.pathname + url.search, now: now(), today: today(now()) };
  }

  const page = (c, title, body, status = 200) => htmlResponse(layout(c, title, body), status);
  const notFound = (c) => page(c, c.t("error.not_found"), "", 404);
  const back = (c, path) => redirect(c.url.origin, path);

  // Save a record locally (outbox + view) after checking it like the server would.
  async function save(c, type, id, values, { creating }) {
    // The page's read already holds the record (one read per save).
    const known = c.snap.byKey.get(`${type}:${id}`);
    const current = creating ? null : (known || (await store.record(type, id)))?.fields;
    const fields = changes(current, values);
    // The field checks, then the record rules (the server's, as data) on the
    // record as it would be saved, with the device's records as the lookups.
    const errors = {
      ...recordErrors(c.t, type, current, fields, {
        id, today: c.today, find: (t, key) => get(c.snap, t, key)?.fields || null, others: (t) => list(c.snap, t),
      }),
      ...validate(c.t, type, fields, creating),
    };
    if (Object.keys(errors).length) return errors;
    if (Object.keys(fields).length) {
      await store.save(type, id, fields);
      afterWrite();
    }
    return null;
  }

  // A form whose values failed the checks is shown again with the reasons, at
  // `path` (its form's page) with a draft id, so a reload shows the same
  // values again (meta.drafts: the newest few, wiped with the rest at logout).
  // Without `path` (a PIN) it is shown in place and nothing is kept.
  async function invalid(c, title, body, path) {
    if (!path) return page(c, title, body, 422);
    const id = uuid();
    await store.write(["meta"], async (tx) => {
      const kept = Object.entries((await tx.get("meta", "drafts"))?.value || {})
        .sort(([, a], [, b]) => b.at - a.at)
        .slice(0, DRAFTS_KEPT - 1);
      const value = { ...Object.fromEntries(kept), [id]: { path, title, body: String(body), at: now() } };
      await tx.put("meta", { key: "drafts", value });
    });
    return back(c, `${path}?draft=${id}`);
  }
  const draftOf = (c) => {
    const draft = c.meta.drafts?.[c.url.searchParams.get("draft")];
    return draft?.path === c.url.pathname ? draft : null;
  };

  const app = { store, client, afterWrite, now, sleep, uuid, online, pinClock, page, notFound, back, invalid, save, htmlResponse };
  const routes = router({
    ...coachingRoutes(app), ...employerWorkRoutes(app), ...deviceRoutes(app), ...handoverRoutes(app), ...satisfactionRoutes(app),
    ...lockRoutes(app),
  });

  // Another user's login locks the device (SyncClient.checkUser, at every
  // sync). A full page load asks the browser's session too, briefly, so the
  // first page after someone else logged in is already the lock screen; with
  // no network the device's own state decides.
  async function recheckUser() {
    try {
      await within(client.checkUser(), 1500);
    } catch {
      // WrongUser (now locked), offline or slow: meta says what holds.
    }
    return store.meta();
  }

  // First start on this device: register and pull before there is anything to show.
  async function firstStart(url) {
    try {
      await client.ensureDevice();
      await client.pull();
      await store.setMeta({ last_sync_ok: now() });
      return null;
    } catch (error) {
      if (error instanceof NeedsLogin) return redirect(url.origin, "/login?next=/app/");
      const t = translator(await catalogs(), "fi");
      return htmlResponse(`<!doctype html><html lang="fi"><head><meta charset="utf-8"><title>Polku</title>
<link rel="stylesheet" href="/app/css/app.css"></head><body><main><h1>Polku</h1><p>${t("start.offline")}</p>
<p><a href="/app/">${t("start.retry")}</a></p></main></body></html>`, 503);
    }
  }

  async function handle(request, form = null) {
    const url = new URL(request.url);
    const found = routes(request.method, url.pathname);
    let meta = await store.meta();
    if (!meta.user && !meta.revoked) {
      const stop = await firstStart(url);
      if (stop) return stop;
      meta = await store.meta();
    } else if (meta.other_user || request.mode === "navigate") {
      meta = await recheckUser();
    }
    // A use of the app, or the idle lock (the status poll of a page left open only checks).
    meta = await noteUse(store, meta, now(), url.pathname !== "/app/status");
    const lock = lockOf(meta);
    const under = (path) => path === lock || path.startsWith(`${lock}/`);
    if (lock && !under(url.pathname)) {
      // htmx (a page opened before the lock, its status poll): a full load of
      // the lock screen, unless it is that screen's own poll (nothing, then).
      if (request.headers.get("HX-Request")) {
        if (under(new URL(request.headers.get("HX-Current-URL") || url.href).pathname)) return new Response(null, { status: 204 });
        return new Response("", { headers: { "HX-Redirect": lock } });
      }
      return redirect(url.origin, lock);
    }
    const c = await context(url, meta, found, form);
    const draft = request.method === "GET" && draftOf(c);
    if (draft) return page(c, draft.title, rendered(draft.body), 422);
    if (!found) return notFound(c);
    const response = await found.handler(c, found.params, form);
    if (response.status === 303 && request.headers.get("HX-Request")) {
      // htmx (boosted form): answer with the page the post leads to, and the
      // URL for the address bar, rather than leaving the redirect to the XHR.
      const location = new URL(response.headers.get("Location"));
      if (location.pathname.startsWith("/app/")) {
        const next = await handle(new Request(location.href, { headers: { "HX-Request": "true" } }));
        const headers = new Headers(next.headers);
        headers.set("HX-Push-Url", location.pathname + location.search + location.hash);
        return new Response(next.body, { status: next.status, headers });
      }
    }
    return response;
  }

  // The one door (js/request-guard.js): a change only from the app's own
  // pages, and every page's forms carry the token that proves it.
  async function serve(request) {
    let form = null;
    if (changesState(request)) {
      form = await request.formData().catch(() => null);
      const meta = await store.meta();
      const why = refusal(request, form, new URL(request.url).origin, meta.form_token);
      if (why) {
        const t = translator(await catalogs(), meta.lang || "fi");
        return htmlResponse(lockedLayout({ t }, t("guard.title"), requestRefused(t, why)), 403);
      }
      form.delete(TOKEN_FIELD);
    }
    const response = await handle(request, form);
    if (!response.headers.get("Content-Type")?.startsWith("text/html")) return response;
    return new Response(withToken(await response.text(), await formToken(store)), response);
  }

  return serve;
}
