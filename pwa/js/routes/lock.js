// The app lock's screens (js/lock-gate.js says when it holds) and the screen
// of a device cut off on the server. The coach's PIN opens the lock, with
// waits between wrong tries that no clock change skips (js/pin.js), and after
// MAX_TRIES wrong ones only the password does: the coach's own, checked by the
// server with the device's token (SyncClient.verifyOwner), as in hand-over mode.
// A PIN set before today's rules opens it once more, and a new one is asked.
import { NO_TRIES, WAIT_REFRESH_S, afterWrongTry, blocked, checkPin, needsRenewal, served } from "../pin.js";
import { revokedScreen, unlockScreen } from "../views/lock.js";
import { languageForm, lockedLayout } from "../views/ui.js";

const PASSWORD_NOTICES = {
  offline: "handover.forgot_offline",
  expired: "handover.forgot_expired",
  error: "handover.forgot_error",
  missing: "handover.forgot_missing",
};

export function lockRoutes({ store, client, now, online, back, htmlResponse, pinClock }) {
  const screen = (c, body, headers) =>
    htmlResponse(lockedLayout(c, c.t("lock.title"), body, languageForm(c, "/app/language", "/app/unlock")), 200, headers);

  // Open: the wrong tries start over; a PIN too short for today's rules is replaced.
  const opened = (c, pin, extra = {}) =>
    store.setMeta({
      app_lock: null, pin_tries: NO_TRIES, active_at: now(), ...extra,
      ...(needsRenewal(pin) ? { pin: null, pin_renew: "short" } : {}),
    });

  return {
    "GET /app/unlock": async (c) => {
      if (!c.meta.app_lock) return back(c, "/app/");
      const tries = served(c.meta.pin_tries, pinClock);
      if (tries.wait_ms > 0) await store.setMeta({ pin_tries: tries }); // what was served stays served
      const notice = c.url.searchParams.get("notice");
      const view = {
        name: c.meta.user?.name || "",
        unsynced: c.status.pending + c.status.attention,
        pin: Boolean(c.meta.pin),
        blocked: blocked(tries),
        wait: Math.ceil(tries.wait_ms / 1000),
        wrongPin: notice === "wrong_pin",
        wrong: notice === "wrong" ? c.t("handover.forgot_wrong") : null,
        notice: PASSWORD_NOTICES[notice] ? c.t(PASSWORD_NOTICES[notice])
          : notice === "throttled" ? c.t("handover.forgot_throttled_one") : null,
        offline: !online(),
      };
      return screen(c, unlockScreen(c, view), view.wait ? { Refresh: String(WAIT_REFRESH_S) } : {});
    },

    "POST /app/unlock": async (c, _p, form) => {
      if (!c.meta.app_lock) return back(c, "/app/");
      const tries = served(c.meta.pin_tries, pinClock);
      if (tries.wait_ms > 0 || blocked(tries) || !c.meta.pin) {
        await store.setMeta({ pin_tries: tries });
        return back(c, "/app/unlock");
      }
      const pin = form.get("pin");
      if (await checkPin(pin, c.meta.pin)) {
        await opened(c, pin);
        return back(c, "/app/");
      }
      await store.setMeta({ pin_tries: afterWrongTry(tries, pinClock) });
      return back(c, "/app/unlock?notice=wrong_pin");
    },

    // Sent once to the server, kept nowhere; a redirect follows every try.
    "POST /app/unlock/password": async (c, _p, form) => {
      if (!c.meta.app_lock) return back(c, "/app/");
      const password = form.get("password");
      if (typeof password !== "string" || !password) return back(c, "/app/unlock?notice=missing");
      const { result } = await client.verifyOwner(password);
      if (result === "revoked") return back(c, "/app/revoked");
      if (result !== "ok") {
        const known = result === "wrong" || result === "throttled" || PASSWORD_NOTICES[result];
        return back(c, `/app/unlock?notice=${known ? result : "error"}`);
      }
      // Locked out of the PIN, or none set: a new one is asked before anything else.
      const renew = blocked(c.meta.pin_tries) || !c.meta.pin;
      await opened(c, null, renew ? { pin: null, pin_renew: "password" } : {});
      return back(c, "/app/");
    },

    // -- cut off on the server: the data is already gone; say why --
    "GET /app/revoked": (c) =>
      c.meta.revoked
        ? htmlResponse(lockedLayout(c, c.t("revoked.title"), revokedScreen(c)))
        : back(c, "/app/"),
    "POST /app/revoked": async (c) => {
      if (c.meta.revoked) await store.wipe();
      return back(c, "/login?next=/app/");
    },
  };
}
