// The coach's device PIN: the only way out of hand-over mode. It is kept on
// this device only (IndexedDB meta, never synced, wiped at logout) as a salted
// PBKDF2-SHA-256 hash made with WebCrypto. A PIN of 4–8 digits guards the
// screen the representative is handed, not the data at rest: anyone who can
// copy the browser's storage could try every PIN.
import { fromHex, toHex, utf8 } from "./signoff/bytes.js";

export const PIN_PATTERN = /^[0-9]{4,8}$/;
const ITERATIONS = 600_000; // OWASP's figure for PBKDF2-HMAC-SHA256

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
  if (typeof pin !== "string" || !PIN_PATTERN.test(pin)) return false;
  const hash = await derive(pin, fromHex(stored.salt), stored.iterations);
  // Every digit compared: the time taken does not tell how much matched.
  let difference = hash.length ^ stored.hash.length;
  for (let i = 0; i < hash.length; i++) difference |= hash.charCodeAt(i) ^ stored.hash.charCodeAt(i);
  return difference === 0;
}

// Wrong tries: FREE_TRIES in a row go without waiting (typos); after that
// many, the next try waits 30 s, doubling with each further wrong one up to
// 15 min. The count lives in IndexedDB with the hand-over, so a reload does
// not reset it. `failures` = wrong tries so far.
export const FREE_TRIES = 3;
export function retryDelayMs(failures) {
  if (failures < FREE_TRIES) return 0;
  return Math.min(30_000 * 2 ** (failures - FREE_TRIES), 15 * 60_000);
}
