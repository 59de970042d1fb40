// pwa/js/request-guard.js and its one caller, the local server: a change only
// from the app's own pages (origin), carrying the device's form token.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { memoryBackend } from "../../pwa/js/backend-memory.js";
import { createLocalServer } from "../../pwa/js/local-server.js";
import { formToken, fromOrigin, refusal, withToken } from "../../pwa/js/request-guard.js";
import { STORE_NAMES, Store } from "../../pwa/js/store.js";

const BASE = "http://localhost:5000";
const EVIL = "http://127.0.0.1:8000";
const catalogs = Object.fromEntries(
  ["fi", "sv", "en"].map((lang) => [lang, JSON.parse(readFileSync(new URL(`../../pwa/locales/${lang}.json`, import.meta.url)))]),
);

// What a service worker is shown: node makes no navigation requests, so the
// mode is set on the request as Chromium sets it on a form's post.
function request(path, { method = "POST", headers = {}, fields, navigate = false } = {}) {
  const body = method === "GET" ? undefined : new URLSearchParams(fields);
  const made = new Request(BASE + path, { method, headers, body });
  if (navigate) Object.defineProperty(made, "mode", { value: "navigate" });
  return made;
}

async function setup() {
  const store = new Store(memoryBackend(STORE_NAMES));
  await store.setMeta({ device_id: "dev", token: "t", user: { id: 7, name: "Sanna Virtanen" }, lang: "fi" });
  const calls = [];
  const client = {
    syncWithRetry: async () => (calls.push("sync"), { ok: true }),
    logout: async () => void calls.push("logout"),
  };
  const handle = createLocalServer({ store, client, catalogs: async () => catalogs });
  return { store, calls, handle, token: () => formToken(store) };
}

test("where a request came from: Fetch Metadata, else Origin, else only a navigation is suspect", () => {
  const from = (headers, navigate = false) => fromOrigin(request("/app/x", { headers, navigate }), BASE);
  assert.equal(from({ "Sec-Fetch-Site": "same-origin" }), true);
  for (const site of ["cross-site", "same-site", "none"]) assert.equal(from({ "Sec-Fetch-Site": site, Origin: BASE }), false, site);
  assert.equal(from({ Origin: BASE }, true), true, "the app's own form, as Chromium shows it to the worker");
  assert.equal(from({ Origin: EVIL }, true), false);
  assert.equal(from({ Origin: "null" }, true), false, "a page that hides its address");
  assert.equal(from({}, true), false, "a post navigation without Origin: no browser sends one");
  assert.equal(from({ "Sec-Fetch-Mode": "navigate" }), false);
  assert.equal(from({}), true, "fetch() of a page the worker controls: of its own origin");
});

test("the form token is made once per device, and a refusal says why", async () => {
  const { store, token } = await setup();
  const first = await token();
  assert.match(first, /^[A-Za-z0-9_-]{43}$/, "32 random bytes");
  assert.equal(await token(), first);
  assert.equal((await store.meta()).form_token, first);
  const form = (value) => new URLSearchParams(value === undefined ? {} : { form_token: value });
  const own = request("/app/x", { headers: { Origin: BASE }, navigate: true });
  assert.equal(refusal(own, form(first), BASE, first), null);
  assert.equal(refusal(own, form(first.slice(0, -1) + "x"), BASE, first), "token");
  assert.equal(refusal(own, form(), BASE, first), "token");
  assert.equal(refusal(own, null, BASE, first), "token", "not a form");
  assert.equal(refusal(own, form(undefined), BASE, undefined), "token", "no token made yet: nothing matches");
  const evil = request("/app/x", { headers: { Origin: EVIL }, navigate: true });
  assert.equal(refusal(evil, form(first), BASE, first), "origin");
});

test("every post form gets the token, nothing else does", () => {
  const page = `<form method="get" action="/app/"></form><form method="post" action="/app/a" class="x">
<input name="a"></form><form class="inline" method="post" action="/app/b">`;
  const out = withToken(page, "TOKEN");
  assert.equal(out.match(/name="form_token" value="TOKEN"/g).length, 2);
  assert.match(out, /<form method="get" action="\/app\/"><\/form>/);
  assert.match(out, /action="\/app\/b"><input type="hidden" name="form_token" value="TOKEN">/);
});

test("the pages the local server renders carry the token in every form that posts", async () => {
  const { handle, token, store } = await setup();
  await store.save("participant", "p1", { first_name: "Aino", last_name: "Lehtonen" });
  for (const path of ["/app/", "/app/participants/new", "/app/sync", "/app/export"]) {
    const page = await (await handle(request(path, { method: "GET" }))).text();
    const posts = page.match(/<form\b[^>]*method="post"[^>]*>/g) || [];
    assert.ok(posts.length, path);
    const tokens = page.match(new RegExp(`<input type="hidden" name="form_token" value="${await token()}">`, "g")) || [];
    assert.equal(tokens.length, posts.length, path);
  }
});

test("a form posted from another site changes nothing and says so, in the coach's language", async () => {
  const app = await setup();
  const fields = { first_name: "Hyökkääjä", last_name: "Testi", form_token: await app.token() };
  const refused = await app.handle(request("/app/participants", { headers: { Origin: EVIL }, fields, navigate: true }));
  assert.equal(refused.status, 403);
  assert.equal(refused.headers.get("Cache-Control"), "no-store");
  const body = await refused.text();
  assert.match(body, /<h1>Pyyntö hylättiin<\/h1>/);
  assert.match(body, /Pyyntö tuli toiselta sivustolta/);
  assert.match(body, /Mitään ei tallennettu, viety eikä poistettu/);
  assert.equal((await app.store.outbox()).length, 0);

  await app.store.setMeta({ lang: "sv" });
  const hidden = await app.handle(request("/app/logout", { headers: { Origin: "null" }, fields: {}, navigate: true }));
  assert.equal(hidden.status, 403);
  assert.match(await hidden.text(), /Begäran kom från en annan webbplats/);
  await app.store.setMeta({ lang: "en" });
  const tokenless = await app.handle(request("/app/logout", { headers: { Origin: BASE }, fields: {}, navigate: true }));
  assert.equal(tokenless.status, 403);
  assert.match(await tokenless.text(), /The form did not come from Polku on this device/);
  assert.deepEqual(app.calls, [], "no logout, no sync");
  assert.ok((await app.store.meta()).user, "nothing wiped");
});

test("the app's own post, with the token, goes through; the token does not become a field", async () => {
  const app = await setup();
  const fields = { first_name: "Aino", last_name: "Lehtonen", form_token: await app.token() };
  const saved = await app.handle(request("/app/participants", { headers: { Origin: BASE }, fields, navigate: true }));
  assert.equal(saved.status, 303);
  const [entry] = await app.store.outbox();
  assert.equal(entry.mutation.fields.first_name, "Aino");
  assert.equal("form_token" in entry.mutation.fields, false);
  // htmx (fetch from the page, no Origin shown to the worker), with the form's token.
  const htmx = await app.handle(request("/app/sync", { headers: { "HX-Request": "true" }, fields: { form_token: await app.token() } }));
  assert.equal(htmx.status, 200);
  assert.deepEqual(app.calls, ["sync"]);
});

test("exporting is a confirmed post: a GET shows the page and changes nothing", async () => {
  const app = await setup();
  const own = async (path) => app.handle(request(path, { headers: { Origin: BASE }, fields: { form_token: await app.token() }, navigate: true }));
  await app.handle(request("/app/participants", { fields: { first_name: "Aino", last_name: "Lehtonen", form_token: await app.token() } }));
  const confirm = await app.handle(request("/app/export", { method: "GET", navigate: true }));
  assert.equal(confirm.status, 200);
  assert.match(await confirm.text(), /Vie 1 muutosta tiedostoon/);
  assert.equal((await app.handle(request("/app/export.json", { method: "GET", navigate: true }))).status, 404);
  assert.equal((await app.store.meta()).exported, undefined, "GETs export nothing");
  assert.equal((await own("/app/logout")).status, 409, "the logout guard still holds");

  const evil = await app.handle(request("/app/export", { headers: { Origin: EVIL }, fields: { form_token: await app.token() }, navigate: true }));
  assert.equal(evil.status, 403);
  assert.equal((await app.store.meta()).exported, undefined);

  const file = await own("/app/export");
  assert.match(file.headers.get("Content-Disposition"), /attachment/);
  assert.equal((await file.json()).outbox.length, 1);
  const done = await (await app.handle(request("/app/export?done=1", { method: "GET" }))).text();
  assert.match(done, /1 muutosta vietiin tiedostoon/);
  assert.equal((await own("/app/logout")).status, 303);
  assert.deepEqual(app.calls, ["logout"]);
});
