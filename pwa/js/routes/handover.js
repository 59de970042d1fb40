// Hand-over mode: the coach hands the device to the employer's representative
// to sign a demonstration. meta.handover = {demonstration_id, stage ("sign",
// "signed", "cancelled"), lang} holds the mode in IndexedDB;
// while it is set, the local server answers every other route with a redirect
// here (local-server.js), so links, the back button, typed addresses, reloads
// and restarts all land on these screens; the worker does the same for the
// server's pages (handover-guard.js). Only the coach's PIN ends it, or, when
// the coach forgot it, the coach's password checked by the server (online;
// the device's token says whose password it must be), after which the coach
// sets a new PIN. Wrong PINs count and wait as at the app lock (meta.pin_tries,
// js/pin.js): one PIN, one count.
//
// The browser's login is ended too when the mode starts, and again whenever
// the screen is shown while someone is logged in (the mode may have started
// offline): the server's pages then ask for a login even without the worker.
// The app syncs on with its device token.
import { LANGUAGES } from "../i18n.js";
import {
  NO_TRIES, WAIT_REFRESH_S, afterWrongTry, blocked, checkPin, makePin, needsRenewal, pinProblem, served,
} from "../pin.js";
import { get } from "../queries.js";
import { signoffFields } from "../signoff/assertion.js";
import { fromBase64url, toBase64url, utf8 } from "../signoff/bytes.js";
import { challengeFor, contentSha256 } from "../signoff/challenge.js";
import { findSigner, readiness, usedNonces } from "../signoff/local.js";
import { satisfactionHandover } from "./satisfaction.js";
import { forgotScreen, newPin, pinSetup, signScreen, unavailable, unlockScreen } from "../views/handover.js";
import { languageForm, lockedLayout } from "../views/ui.js";

const ASSERTION = ["credential_id", "authenticator_data", "client_data_json", "signature"];
// How long starting the mode waits for the logout; offline it fails at once.
const LOGOUT_WAIT_MS = 2000;
// The server's session is the cookie itself: a request sent with it before the
// logout (e.g. a page the browser fetched alongside the worker's answer) sets
// it again as its answer comes back. So the screen checks once more, later.
const RECHECK_MS = 3000;

// A promise that settles within `ms`, never rejects.
function briefly(promise, ms) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([promise.catch(() => {}), timeout]).finally(() => clearTimeout(timer));
}

export function handoverRoutes({
  store, client, afterWrite, now, sleep, uuid, online, pinClock, page, invalid, notFound, back, htmlResponse,
}) {
  const endBrowserSession = () => Promise.resolve().then(() => client.endBrowserSession());
  // Now, and once more later if the mode still holds (not after the PIN: the coach may log in again).
  const endBrowserSessionTwice = () =>
    endBrowserSession()
      .then(() => sleep(RECHECK_MS))
      .then(async () => (await store.meta()).handover && endBrowserSession());
  const screen = (c, body, title = c.t("handover.title"), headers = {}) =>
    htmlResponse(lockedLayout(c, title, body, languageForm(c, "/app/handover/language")), 200, headers);

  // The demonstration as it stands now, with the challenge over exactly what is shown.
  async function signPage(c, handover, notice) {
    const demo = get(c.snap, "work_demonstration", handover.demonstration_id);
    const ready = demo ? readiness(c.snap, demo, now()) : { reason: "gone" };
    if (ready.reason) return screen(c, unavailable(c));
    const bytes = utf8(ready.text);
    const view = {
      content: JSON.parse(ready.text),
      signers: ready.signers,
      nonce: ready.nonce,
      sha256: await contentSha256(bytes),
      challenge: toBase64url(await challengeFor(bytes, ready.nonce)),
    };
    return screen(c, signScreen(c, view, notice));
  }

  const waitMessage = (c) => {
    const tries = served(c.meta.pin_tries, pinClock);
    if (blocked(tries)) return c.t("lock.blocked");
    return tries.wait_ms > 0 ? c.t("handover.wait", { seconds: Math.ceil(tries.wait_ms / 1000) }) : null;
  };

  // Every post answers with a redirect to the screen (a message in the query),
  // so reloading the screen never posts a PIN or a signature again.
  const NOTICES = { changed: "handover.changed", failed: "handover.error_failed", wrong_pin: "handover.wrong_pin" };
  const notice = (c) => {
    const key = NOTICES[c.url.searchParams.get("notice")];
    return key ? c.t(key) : null;
  };
  const again = (c, key) => back(c, `/app/handover?notice=${key}`);

  // The forgotten PIN: what the last password try came to (in the query, as above).
  const FORGOT = {
    wrong: "handover.forgot_wrong",
    missing: "handover.forgot_missing",
    offline: "handover.forgot_offline",
    expired: "handover.forgot_expired",
    error: "handover.forgot_error",
  };
  function forgotNotice(c) {
    const kind = c.url.searchParams.get("notice");
    if (kind === "throttled") {
      const minutes = Math.max(1, Math.ceil(Number(c.url.searchParams.get("wait")) / 60) || 1);
      return { alert: c.t(minutes === 1 ? "handover.forgot_throttled_one" : "handover.forgot_throttled", { minutes }) };
    }
    if (kind === "wrong" || kind === "missing") return { wrong: c.t(FORGOT[kind]) };
    return FORGOT[kind] ? { alert: c.t(FORGOT[kind]) } : {};
  }
  const forgotAgain = (c, kind, extra = "") => back(c, `/app/handover/forgot?notice=${kind}${extra}`);
  // Why a new PIN is asked: the password opened the device, or the old PIN is too short.
  const intro = (c) => (c.meta.pin_renew === "short" ? "lock.renew_intro" : "handover.new_pin_intro");
  const demonstrationPage = (id) => (id ? `/app/demonstrations/${encodeURIComponent(id)}` : "/app/");

  function pinErrors(c, form) {
    const pin = form.get("pin");
    const problem = pinProblem(pin);
    if (problem) return { pin: c.t(`handover.${problem}`) };
    if (form.get("pin_again") !== pin) return { pin_again: c.t("handover.pin_mismatch") };
    return null;
  }

  return {
    // The first hand-over on this device asks the coach for a PIN first.
    "GET /app/demonstrations/:id/handover": (c, { id }) => {
      const demo = get(c.snap, "work_demonstration", id);
      if (!demo) return notFound(c);
      return c.meta.pin ? back(c, `/app/demonstrations/${id}`) : page(c, c.t("handover.pin_title"), pinSetup(c, demo));
    },

    // The coach starts it from the demonstration's page.
    "POST /app/demonstrations/:id/handover": async (c, { id }, form) => {
      const demo = get(c.snap, "work_demonstration", id);
      if (!demo) return notFound(c);
      if (readiness(c.snap, demo, now()).reason) return back(c, `/app/demonstrations/${id}`);
      if (!c.meta.pin) {
        if (!form.has("pin")) return back(c, `/app/demonstrations/${id}/handover`);
        const errors = pinErrors(c, form);
        if (errors) return invalid(c, c.t("handover.pin_title"), pinSetup(c, demo, errors));
        await store.setMeta({ pin: await makePin(form.get("pin")) });
      }
      await store.setMeta({ handover: { demonstration_id: id, stage: "sign", lang: c.t.lang } });
      await briefly(endBrowserSession(), LOGOUT_WAIT_MS);
      return back(c, "/app/handover");
    },

    "GET /app/handover": async (c) => {
      const handover = c.meta.handover;
      if (!handover) return back(c, "/app/");
      endBrowserSessionTwice().catch(() => {}); // not waited for: the screen never waits for the network
      if (handover.stage === "sign") return signPage(c, handover, notice(c));
      // The employer's satisfaction answer (routes/satisfaction.js).
      if (handover.stage === "satisfaction") {
        return screen(c, satisfactionHandover(c, handover), c.t("satisfaction.handover_title"));
      }
      // While a wait runs the screen reloads itself, as the app lock's does (routes/lock.js).
      const tries = served(c.meta.pin_tries, pinClock);
      if (tries.wait_ms > 0) await store.setMeta({ pin_tries: tries });
      const refresh = tries.wait_ms > 0 ? { Refresh: String(WAIT_REFRESH_S) } : {};
      const title = handover.period_id ? c.t("satisfaction.handover_title") : undefined;
      return screen(c, unlockScreen(c, handover.stage, waitMessage(c) || notice(c)), title, refresh);
    },

    // The representative signed (the page posts the assertion; handover-page.js).
    "POST /app/handover/sign": async (c, _p, form) => {
      const handover = c.meta.handover;
      if (handover?.stage !== "sign") return back(c, "/app/handover");
      const demo = get(c.snap, "work_demonstration", handover.demonstration_id);
      const ready = demo ? readiness(c.snap, demo, now()) : { reason: "gone" };
      if (ready.reason) return back(c, "/app/handover");
      // Signed what is on the device now, with a nonce still unused? (A sync
      // may have changed the demonstration while the screen was open.)
      const nonce = form.get("nonce");
      const fresh = (c.meta.nonces || []).some((n) => n.nonce === nonce) && !usedNonces(c.snap).has(nonce);
      if (!fresh || form.get("content_sha256") !== (await contentSha256(utf8(ready.text)))) {
        return again(c, "changed");
      }
      const signer = findSigner(c.snap, demo.fields.employer_id, form.get("representative_id"));
      const keyOfSigner = signer?.credentials.some((k) => k.id === form.get("credential_id"));
      if (!keyOfSigner || ASSERTION.some((name) => !form.get(name))) return again(c, "failed");
      let fields;
      try {
        const bytes = (name) => fromBase64url(form.get(name) || "");
        const assertion = {
          rawId: bytes("credential_id"),
          response: {
            authenticatorData: bytes("authenticator_data"),
            clientDataJSON: bytes("client_data_json"),
            signature: bytes("signature"),
            userHandle: bytes("user_handle"),
          },
        };
        fields = await signoffFields({
          demonstrationId: demo.id, signer, contentText: ready.text, nonce, assertion, signedAt: new Date(now()),
        });
      } catch {
        return again(c, "failed");
      }
      await store.save("signoff", uuid(), fields);
      await store.setMeta({ handover: { ...handover, stage: "signed" } });
      afterWrite();
      return back(c, "/app/handover");
    },

    // The representative does not sign: straight to handing the device back.
    "POST /app/handover/cancel": async (c) => {
      const handover = c.meta.handover;
      if (handover?.stage === "sign") await store.setMeta({ handover: { ...handover, stage: "cancelled" } });
      return back(c, "/app/handover");
    },

    "POST /app/handover/unlock": async (c, _p, form) => {
      const handover = c.meta.handover;
      if (!handover) return back(c, "/app/");
      if (handover.stage === "sign") return back(c, "/app/handover");
      const tries = served(c.meta.pin_tries, pinClock);
      if (tries.wait_ms > 0 || blocked(tries)) {
        await store.setMeta({ pin_tries: tries }); // what was served stays served
        return back(c, "/app/handover");
      }
      const pin = form.get("pin");
      if (c.meta.pin && (await checkPin(pin, c.meta.pin))) {
        // A PIN from before today's rules: a new one is asked at once.
        const renew = needsRenewal(pin) ? { pin: null, pin_renew: "short" } : {};
        await store.setMeta({ handover: null, pin_tries: NO_TRIES, active_at: now(), ...renew });
        return back(c, handover.period_id ? `/app/periods/${handover.period_id}` : `/app/demonstrations/${handover.demonstration_id}`);
      }
      await store.setMeta({ pin_tries: afterWrongTry(tries, pinClock) });
      return again(c, "wrong_pin"); // the wait, if one began, shows instead
    },

    // "Forgot the PIN?" on the unlock screen: the coach's password instead.
    "GET /app/handover/forgot": (c) => {
      const handover = c.meta.handover;
      if (!handover) return back(c, "/app/");
      if (handover.stage === "sign") return back(c, "/app/handover");
      const view = { name: c.meta.user?.name || "", offline: !online(), ...forgotNotice(c) };
      return screen(c, forgotScreen(c, view), c.t("handover.forgot_title"));
    },

    // The password goes to the server with the device's token and nowhere
    // else: not to IndexedDB, not into any message. A redirect follows every
    // try, so a reload never sends it again.
    "POST /app/handover/forgot": async (c, _p, form) => {
      const handover = c.meta.handover;
      if (!handover) return back(c, "/app/");
      if (handover.stage === "sign") return back(c, "/app/handover");
      const password = form.get("password");
      if (typeof password !== "string" || !password) return forgotAgain(c, "missing");
      const { result, retryAfter } = await client.verifyOwner(password);
      if (result === "throttled") return forgotAgain(c, "throttled", `&wait=${retryAfter}`);
      if (result !== "ok") return forgotAgain(c, FORGOT[result] ? result : "error");
      // The coach has the device: the mode ends, the forgotten PIN and its wrong tries with it.
      await store.setMeta({ handover: null, pin: null, pin_tries: NO_TRIES, active_at: now() });
      const demo = handover.demonstration_id;
      return back(c, `/app/pin${demo ? `?demonstration=${encodeURIComponent(demo)}` : ""}`);
    },

    // A new PIN after the password (the next hand-over would ask for one anyway).
    "GET /app/pin": (c) => {
      const demo = c.url.searchParams.get("demonstration");
      if (c.meta.pin) return back(c, demonstrationPage(demo));
      return page(c, c.t("handover.new_pin_title"), newPin(c, demo, {}, intro(c)));
    },

    "POST /app/pin": async (c, _p, form) => {
      const demo = form.get("demonstration") || null;
      if (!c.meta.pin) {
        const errors = pinErrors(c, form);
        if (errors) return invalid(c, c.t("handover.new_pin_title"), newPin(c, demo, errors, intro(c)));
        await store.setMeta({ pin: await makePin(form.get("pin")), pin_renew: null });
      }
      return back(c, demonstrationPage(demo));
    },

    // The representative reads in their own language; the coach's app language stays.
    "POST /app/handover/language": async (c, _p, form) => {
      const handover = c.meta.handover;
      const lang = form.get("lang");
      if (handover && LANGUAGES.includes(lang)) await store.setMeta({ handover: { ...handover, lang } });
      return back(c, "/app/handover");
    },
  };
}
