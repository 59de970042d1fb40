// The coach's device PIN: it opens the app lock and ends hand-over mode. It is
// kept on this device only (IndexedDB meta, never synced, wiped at logout) as
// a salted PBKDF2-SHA-256 hash made with WebCrypto. It guards the screen,
// not the data at rest: anyone who can copy the browser's storage could try
// every PIN offline (docs/pwa.md, threat model).
import { fromHex, toHex, utf8 } from "./signoff/bytes.js";

// A new PIN: 6–12 digits and not trivial (pinProblem). One set before these
// rules (4–5 digits) still opens the device, once: then a new one is asked.
export const PIN_MIN = 6;
export const PIN_MAX = 12;
const ANY_PIN = /^[0-9]{4,12}$/;
const ITERATIONS = 600_000; // OWASP's figure for PBKDF2-HMAC-SHA256

// Among the most used PINs of six digits that neither rule below catches.
const COMMON = new Set([
  "121212", "123123", "112233", "111222", "123321", "131313", "696969", "159753", "147258",
  "258369", "102030", "101010", "010101", "147852", "123654", "789456", "456123", "100000",
  "200000", "520520", "246810", "135790", "007007", "112358", "212121", "232323",
]);

// Why `pin` may not be the new PIN, as a catalog key (handover.pin_*), or null.
export function pinProblem(pin) {
  if (typeof pin !== "string" || !/^[0-9]*$/.test(pin) || pin.length < PIN_MIN || pin.length > PIN_MAX) {
    return "pin_invalid";
  }
  if (/^(.)\1*$/.test(pin)) return "pin_same";
  const steps = new Set([...pin].slice(1).map((d, i) => (Number(d) - Number(pin[i]) + 10) % 10));
  if (steps.size === 1 && (steps.has(1) || steps.has(9))) return "pin_sequence";
  if (COMMON.has(pin)) return "pin_common";
  return null;
}

// A PIN set before the rules above: it opens the device once more, then a new one is asked.
export const needsRenewal = (pin) => typeof pin === "string" && pin.length < PIN_MIN;

async function derive(pin, salt, iterations) {
  const key = await crypto.subtle.importKey("raw", utf8(pin), "PBKDF2", false, ["deriveBits"]);
  return toHex(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256));
}

// What meta.pin holds: {salt, iterations, hash}, hex.
export async function makePin(pin, { iterations = ITERATIONS } = {}) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return { salt: toHex(salt), iterations, hash: await derive(pin, salt, iterations) };
}

export async function checkPin(pin, stored) {
  if (typeof pin !== "string" || !ANY_PIN.test(pin) || !stored) return false;
  const hash = await derive(pin, fromHex(stored.salt), stored.iterations);
  // Every digit compared: the time taken does not tell how much matched.
  let difference = hash.length ^ stored.hash.length;
  for (let i = 0; i < hash.length; i++) difference |= hash.charCodeAt(i) ^ stored.hash.charCodeAt(i);
  return difference === 0;
}

// Wrong tries: FREE_TRIES in a row go without waiting (typos); after that
// many, the next try waits 30 s, doubling with each further wrong one up to
// 15 min. After MAX_TRIES wrong ones in a row the PIN opens nothing: only
// the coach's password, checked by the server, does (online).
export const FREE_TRIES = 3;
export const MAX_TRIES = 10;
export function retryDelayMs(failures) {
  if (failures < FREE_TRIES) return 0;
  return Math.min(30_000 * 2 ** (failures - FREE_TRIES), 15 * 60_000);
}

// The throttle's state, meta.pin_tries = {failures, wait_ms, mark}: wrong tries
// in a row, the part of the current wait not yet served, and where serving it
// was last counted ({run, at}: which run of the service worker, and its
// performance.now()). A wait is served only by time that passes while one run
// of the worker is up, measured on its monotonic clock: the wall clock is
// never read, so moving it (either way) neither skips nor shortens a wait,
// and a restart of the worker (or the phone) starts nothing over either: the
// wait goes on from what was left. The lock screen reloads itself while a
// wait runs, which keeps the worker up. The count only grows until a right
// PIN or the password.
export const NO_TRIES = { failures: 0, wait_ms: 0, mark: null };
// How often a screen with a running wait reloads itself (seconds).
export const WAIT_REFRESH_S = 5;

// `clock` = {run, now()}: the worker's run id and its monotonic time.
export function served(tries = NO_TRIES, clock) {
  const now = clock.now();
  const { mark } = tries;
  const elapsed = mark && mark.run === clock.run ? Math.max(0, now - mark.at) : 0;
  return { ...tries, wait_ms: Math.max(0, (tries.wait_ms || 0) - elapsed), mark: { run: clock.run, at: now } };
}

export function afterWrongTry(tries, clock) {
  const current = served(tries, clock);
  const failures = (current.failures || 0) + 1;
  return { ...current, failures, wait_ms: retryDelayMs(failures) };
}

export const blocked = (tries) => (tries?.failures || 0) >= MAX_TRIES;

// The worker's monotonic clock: a run id made once per start, and performance.now().
export const workerClock = {
  run: globalThis.crypto.randomUUID(),
  now: () => globalThis.performance.now(),
};
