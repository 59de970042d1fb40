// The sync client (docs/sync-protocol.md D1–D3, §4 push, §5 pull/L7).
// It talks HTTP through an injected fetch and keeps all state in the Store,
// so it survives the service worker being stopped between any two steps.
import { sessionPatch } from "./lock-gate.js";
import RULES from "./generated/rules.js";
import { fetchSigners, topUpNonces } from "./signoff/api.js";

// The most mutations the server takes in one push (sync/protocol.py).
export const MAX_BATCH = RULES.sync.max_push_batch;
// Unused nonces the device keeps: each offline sign-off takes one, so this
// many sign-offs can be collected between two syncs.
export const NONCE_POOL = 10;
// How long the owner's password check waits for the server.
const VERIFY_TIMEOUT_MS = 15_000;

export class NeedsLogin extends Error {}
export class WrongUser extends Error {}
// The device was cut off on the server (/devices/): its data is wiped.
export class DeviceRevoked extends Error {}
// A failure worth trying again later: no network, server down or busy.
export class Retryable extends Error {}

export class SyncClient {
  constructor({ store, fetch, now = () => Date.now(), sleep, random = Math.random, label = "Polku" }) {
    this.store = store;
    this.fetch = fetch;
    this.now = now;
    this.sleep = sleep || ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = random;
    this.label = label;
    this.batchSize = MAX_BATCH;
    this.queue = Promise.resolve();
  }

  // Syncs and logout run one at a time: a sync running into a logout could
  // otherwise register the device again right after the wipe.
  serial(fn) {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }

  async request(path, init = {}) {
    let response;
    try {
      // Never from or into the browser's HTTP cache: the answers are personal data.
      response = await this.fetch(path, { credentials: "same-origin", cache: "no-store", ...init });
    } catch (error) {
      throw new Retryable(`network: ${error.message}`);
    }
    if (response.status >= 500 || response.status === 409 || response.status === 429) {
      throw new Retryable(`server answered ${response.status}`);
    }
    return response;
  }

  async authorized(path, init = {}) {
    const { token } = await this.store.meta();
    if (!token) throw new NeedsLogin("no device session");
    const response = await this.request(path, {
      // The token alone: without the cookie, an answer cannot set the browser's
      // login again after it was ended (hand-over mode; the cookie is the session).
      credentials: "omit",
      ...init,
      headers: { ...(init.headers || {}), Authorization: `Bearer ${token}` },
    });
    if (response.status === 401) {
      if (await this.revokedBy(await response.json().catch(() => null))) {
        throw new DeviceRevoked("this device was cut off");
      }
      // D2: the device session ended. Keep everything; ask to log in again.
      await this.store.setMeta({ needs_login: true });
      throw new NeedsLogin("device session expired");
    }
    return response;
  }

  // A 401 body that says the device was cut off (D2, "device_revoked"): everything
  // on the device is wiped at once, unsynced work too, which a stolen phone
  // must not push (the server takes nothing from it any more anyway). What
  // stays is why, for the screen that says so, in the coach's language.
  async revokedBy(body) {
    if (body?.error?.code !== "device_revoked") return false;
    const { lang } = await this.store.meta();
    await this.store.wipe();
    await this.store.setMeta({ revoked: { at: this.now(), lang: lang || "fi" } });
    return true;
  }

  // Who is logged in in this browser, and the CSRF token for posting as them.
  async browserSession() {
    return (await this.request("/app/session.json")).json();
  }

  // The browser's login names who is using the device now. Another user's
  // login locks this device's data (meta.other_user: the app shows only a lock
  // screen, and nothing is pushed under that login) until its owner logs in again.
  async checkUser() {
    const session = await this.browserSession();
    const meta = await this.store.meta();
    const patch = sessionPatch(meta, session, this.now());
    if (patch) await this.store.setMeta(patch);
    const { user, other_user: locked = false } = meta;
    if (session.logged_in && user) {
      const other = user.id !== session.user.id;
      if (other !== locked) await this.store.setMeta({ other_user: other });
      if (other) throw new WrongUser(`this device holds ${user.name}'s data`);
    }
    return session;
  }

  // D1: register this device with the browser's login session. Needed on the
  // first start and after the device session expired (needs_login).
  async ensureDevice() {
    const session = await this.checkUser();
    const meta = await this.store.meta();
    if (meta.token && !meta.needs_login) return;
    if (!session.logged_in) throw new NeedsLogin("not logged in");
    const deviceId = await this.store.deviceId();
    const response = await this.request("/api/sync/devices", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": session.csrf_token },
      body: JSON.stringify({ device_id: deviceId, label: this.label }),
    });
    if (response.status === 401) throw new NeedsLogin("not logged in");
    if (response.status !== 201) throw new Error(`device registration answered ${response.status}`);
    const body = await response.json();
    await this.store.setMeta({
      token: body.token,
      user: body.user,
      needs_login: false,
      ...(meta.lang ? {} : { lang: body.user.language || "fi" }),
    });
  }

  // Push the outbox in batches (at most 500, each ending after a sign-off: see
  // store.outboxBatch) until it is empty.
  async push() {
    for (;;) {
      const batch = await this.store.outboxBatch(this.batchSize);
      if (batch.length === 0) return;
      const response = await this.authorized("/api/sync/push", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ mutations: batch.map((entry) => entry.mutation) }),
      });
      if (response.status === 413 && this.batchSize > 1) {
        this.batchSize = Math.max(1, Math.floor(this.batchSize / 2)); // body too large: smaller batches
        continue;
      }
      if (response.status !== 200) throw new Error(`push answered ${response.status}`);
      const body = await response.json();
      await this.store.settle(batch, body.results);
    }
  }

  // Pull every page after the saved cursor (L7.4: saved only with its page).
  async pull() {
    for (;;) {
      const { cursor } = await this.store.meta();
      const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
      const response = await this.authorized(`/api/sync/pull${query}`);
      if (response.status === 422 && cursor) {
        // Not a cursor of this server (e.g. a restored database): start over.
        await this.store.setMeta({ cursor: null });
        continue;
      }
      if (response.status !== 200) throw new Error(`pull answered ${response.status}`);
      const page = await response.json();
      await this.store.applyPage(page);
      if (!page.more) return;
    }
  }

  async sync() {
    await this.ensureDevice();
    try {
      await this.push();
      await this.pull();
    } catch (error) {
      if (!(error instanceof NeedsLogin)) throw error;
      // The device session ended, but the browser may still be logged in:
      // register again (D1) and carry on; otherwise the coach is asked to log in.
      await this.ensureDevice();
      await this.push();
      await this.pull();
    }
    await this.store.setMeta({ last_sync_ok: this.now(), last_error: null });
    await this.prepareSigning();
  }

  // What signing offline needs, fetched while online (docs/signoff-canonical.md
  // §6): the signers of the caseload's employers with their key ids, and the
  // nonce pool topped up. Secondary to the records: a failure is recorded for
  // the status and the sign-off screen, never thrown.
  async prepareSigning() {
    const request = (path, init) => this.authorized(path, init);
    try {
      const [signers, nonces] = await Promise.all([fetchSigners(request), topUpNonces(request, NONCE_POOL)]);
      await this.store.setMeta({ signers, nonces, signing_ready_at: this.now(), signing_error: null });
    } catch (error) {
      await this.store.setMeta({ signing_error: { message: error.message, at: this.now() } });
    }
  }

  // D3 and the server's logout: end the device session, wipe the device, end
  // the browser session. The caller has made sure nothing unsynced is lost.
  logout() {
    return this.serial(() => this.endSession());
  }

  async endSession() {
    try {
      await this.authorized("/api/sync/logout", { method: "POST" });
    } catch {
      // Offline or already expired: the token ends with its expiry anyway.
    }
    await this.store.wipe();
    try {
      await this.endBrowserSession();
    } catch {
      // Offline: the cookie session ends at its expiry; the device holds nothing now.
    }
  }

  // The browser's login (the server's cookie session) ended, as its logout
  // button does. The device session (the token) does not depend on it; only
  // registering the device again (D1) will need a login. Throws offline.
  async endBrowserSession() {
    const session = await this.browserSession();
    if (!session.logged_in) return false;
    // Ended on purpose: not a logout that locks the app (lock-gate.js).
    await this.store.setMeta({ login_seen: null });
    await this.request("/logout", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `csrf_token=${encodeURIComponent(session.csrf_token)}`,
      redirect: "manual",
    });
    return true;
  }

  // Hand-over mode when the coach forgot the PIN: the server checks the
  // password of this device's own user (the token says who; no cookie is
  // sent). One try, never retried, and the password is not kept anywhere.
  // Answers {result}: "ok"; "wrong" (the password); "throttled" with
  // `retryAfter` seconds (the login throttle); "expired" (the device session
  // ended: needs_login, as a sync would find); "offline"; "error".
  async verifyOwner(password) {
    const { token } = await this.store.meta();
    if (!token) return { result: "expired" };
    let response;
    try {
      response = await this.fetch("/app/device/verify-owner", {
        method: "POST",
        credentials: "omit",
        cache: "no-store",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify({ password }),
        signal: AbortSignal.timeout(VERIFY_TIMEOUT_MS),
      });
    } catch {
      return { result: "offline" };
    }
    if (response.ok) return { result: "ok" };
    if (response.status === 429) {
      const seconds = Number(response.headers?.get("Retry-After"));
      return { result: "throttled", retryAfter: seconds > 0 ? seconds : 60 };
    }
    if (response.status === 401) {
      const body = await response.json().catch(() => ({}));
      if (await this.revokedBy(body)) return { result: "revoked" };
      if (body?.error?.fields?.password) return { result: "wrong" };
      await this.store.setMeta({ needs_login: true });
      return { result: "expired" };
    }
    return { result: "error" };
  }

  // One sync with retries and exponential backoff (1 s, 2 s, 4 s … ≤ 60 s,
  // with jitter). Errors are recorded for the status bar, never thrown: the
  // coach keeps working, and the next trigger (timer, online, start) tries again.
  syncWithRetry(options) {
    return this.serial(() => this.retrying(options));
  }

  async retrying({ attempts = 4, baseDelayMs = 1000 } = {}) {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.sync();
        return { ok: true };
      } catch (error) {
        if (error instanceof DeviceRevoked) return { ok: false, kind: "revoked" };
        const kind = error instanceof NeedsLogin ? "login" : error instanceof WrongUser ? "wrong_user"
          : error instanceof Retryable ? "offline" : "error";
        await this.store.setMeta({ last_error: { kind, message: error.message, at: this.now() } });
        if (!(error instanceof Retryable) || attempt + 1 >= attempts) return { ok: false, kind };
        const delay = Math.min(baseDelayMs * 2 ** attempt, 60_000);
        await this.pause(delay * (0.5 + this.random() / 2));
      }
    }
  }

  // A wait between tries that wake() ends early: reconnecting starts the next
  // try at once, however long the backoff had still to run.
  pause(ms) {
    return new Promise((resolve) => {
      this.waking = resolve;
      this.sleep(ms).then(resolve);
    }).finally(() => {
      this.waking = null;
    });
  }

  wake() {
    this.waking?.();
  }
}
