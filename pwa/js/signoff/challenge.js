// The WebAuthn challenge of a sign-off (docs/signoff-canonical.md §4):
// SHA-256(canonical content bytes ‖ the nonce's 32 bytes). The nonce travels
// as 64 lower-case hex digits and is signed as the bytes they spell.

import { concat, fromHex, toHex } from "./bytes.js";

export const NONCE_BYTES = 32;

export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

export function nonceBytes(nonce) {
  if (typeof nonce !== "string" || nonce.length !== 2 * NONCE_BYTES) {
    throw new TypeError("a nonce is 64 hex digits");
  }
  return fromHex(nonce);
}

// content_sha256 of the sign-off record: lower-case hex of SHA-256(content).
export async function contentSha256(contentBytes) {
  return toHex(await sha256(contentBytes));
}

// The 32-byte challenge to hand to navigator.credentials.get.
export async function challengeFor(contentBytes, nonce) {
  return sha256(concat(contentBytes, nonceBytes(nonce)));
}
