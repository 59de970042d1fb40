// Which screen holds the device, and the app lock's own rules (docs/pwa.md).
//
// Four states close the caseload, each with its own screen: the device cut
// off on the server (meta.revoked: its data already wiped), another user's
// login (meta.other_user), hand-over mode (meta.handover) and the app lock
// (meta.app_lock, or a PIN that must be renewed: meta.pin_renew). While one
// holds, only its own screens answer (local-server.js).
//
// The app lock closes the device after IDLE_MS without use (a cold start, or
// the page's status poll of a page left open), when the device clock went
// back by more than CLOCK_BACK_MS (idle cannot be measured then), and at once
// when the browser's login of the device's user was ended on the server
// (logout on any server page, deactivation, a device cut off). The coach's
// PIN opens it (routes/lock.js), or the password: on the lock screen, or a
// new login on the server's login page.
export const IDLE_MS = 15 * 60_000;
const TOUCH_EVERY_MS = 30_000;
const CLOCK_BACK_MS = 60_000;

export function lockOf(meta) {
  if (meta.revoked) return "/app/revoked";
  if (meta.other_user) return "/app/locked";
  if (meta.handover) return "/app/handover";
  if (meta.app_lock) return "/app/unlock";
  if (meta.pin_renew) return "/app/pin";
  return null;
}

// The lock, remembering the last login seen: only a later one opens it.
// Unknown (a device from before the lock): no login opens it, the PIN does.
const locked = (meta, reason) => ({
  app_lock: { reason, after_login: meta.login_seen === undefined ? Number.MAX_SAFE_INTEGER : meta.login_seen ?? 0 },
});

// What a use of the app at `now` (device time, ms) changes: the lock when it
// was idle too long, else the time of use (written at most every 30 s).
export function usePatch(meta, now, touch = true) {
  if (!meta.user || lockOf(meta)) return null;
  const last = meta.active_at;
  const idle = meta.lock_idle_ms || IDLE_MS;
  if (last && (now - last > idle || last - now > CLOCK_BACK_MS)) return { ...locked(meta, "idle"), active_at: null };
  if (touch && (!last || Math.abs(now - last) >= TOUCH_EVERY_MS)) return { active_at: now };
  return null;
}

export async function noteUse(store, meta, now, touch = true) {
  const patch = usePatch(meta, now, touch);
  if (!patch) return meta;
  await store.setMeta(patch);
  return { ...meta, ...patch };
}

// What the browser's login (/app/session.json) changes. `session.login` is
// its server id (increasing), `session.ended` says this browser's last login
// was ended on the server, `session.lock_idle_minutes` the lock's idle time.
export function sessionPatch(meta, session, now) {
  const patch = {};
  const idle = session.lock_idle_minutes * 60_000;
  if (idle > 0 && idle !== meta.lock_idle_ms) patch.lock_idle_ms = idle;
  if (meta.user && !meta.handover && !meta.revoked) {
    const own = session.logged_in && session.user?.id === meta.user.id;
    if (own && session.login !== meta.login_seen) {
      patch.login_seen = session.login;
      // A new login of the owner (the password typed on the login page) is
      // use of the app, and opens a lock that came before it.
      if (meta.login_seen !== undefined) patch.active_at = now;
      if (meta.app_lock && session.login > meta.app_lock.after_login) patch.app_lock = null;
    } else if (!session.logged_in && session.ended && meta.login_seen != null) {
      Object.assign(patch, { login_seen: null }, meta.app_lock ? {} : locked(meta, "logout"));
    }
  }
  return Object.keys(patch).length ? patch : null;
}
