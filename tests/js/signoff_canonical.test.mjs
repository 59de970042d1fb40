// The JS half of the shared canonical-serialization vectors (the Python half:
// tests/unit/test_signoff_canonical.py), plus the sign-off helpers.
// Run: node --test tests/js/signoff_canonical.test.mjs

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { fromBase64url, fromHex, toBase64url, toHex, utf8 } from "../../pwa/js/signoff/bytes.js";
import { canonicalBytes, canonicalText, CanonicalError } from "../../pwa/js/signoff/canonical.js";
import { challengeFor, contentSha256 } from "../../pwa/js/signoff/challenge.js";
import { requestOptions, signDemonstration } from "../../pwa/js/signoff/assertion.js";
import { pickNonce, topUpNonces, fetchSigners } from "../../pwa/js/signoff/api.js";

const VECTORS = JSON.parse(
  readFileSync(new URL("../vectors/signoff_canonical.json", import.meta.url), "utf8"),
);

for (const v of VECTORS.vectors) {
  test(`vector: ${v.name}`, async () => {
    const bytes = canonicalBytes(v.input);
    assert.equal(canonicalText(v.input), v.canonical);
    assert.equal(toHex(bytes), v.canonical_hex);
    assert.equal(await contentSha256(bytes), v.content_sha256);
    const challenge = await challengeFor(bytes, v.nonce);
    assert.equal(toHex(challenge), v.challenge_hex);
    assert.equal(toBase64url(challenge), v.challenge_b64url);
  });
}

for (const v of VECTORS.errors) {
  test(`refused: ${v.name}`, () => {
    assert.throws(() => canonicalBytes(v.input), CanonicalError);
  });
}

test("base64url and hex round trips", () => {
  const bytes = Uint8Array.from([0, 1, 250, 251, 252, 253, 254, 255]);
  assert.deepEqual(fromBase64url(toBase64url(bytes)), bytes);
  assert.equal(toBase64url(bytes), "AAH6-_z9_v8");
  assert.deepEqual(fromHex(toHex(bytes)), bytes);
  assert.throws(() => fromHex("ABCD"), TypeError);
});

test("a nonce must be 64 lower-case hex digits", async () => {
  await assert.rejects(() => challengeFor(utf8("x"), "00"), TypeError);
  await assert.rejects(() => challengeFor(utf8("x"), "AB".repeat(32)), TypeError);
});

test("pickNonce takes the soonest-expiring usable nonce", () => {
  const now = Date.parse("2026-10-15T12:00:00Z");
  const pool = [
    { nonce: "a", expires_at: "2026-11-10T00:00:00Z" },
    { nonce: "b", expires_at: "2026-10-15T18:00:00Z" }, // less than a day left
    { nonce: "c", expires_at: "2026-11-01T00:00:00Z" },
    { nonce: "d", expires_at: "2026-10-20T00:00:00Z" },
  ];
  assert.equal(pickNonce(pool, { now }).nonce, "d");
  assert.equal(pickNonce(pool, { now, used: new Set(["d"]) }).nonce, "c");
  assert.equal(pickNonce([], { now }), null);
});

test("signers and nonces come from the bearer endpoints", async () => {
  const calls = [];
  const request = async (path, init) => {
    calls.push([path, init.method, init.body]);
    const body = path.endsWith("signers")
      ? { signers: [{ representative_id: "r", credentials: [] }] }
      : { nonces: [{ nonce: "n", expires_at: "2026-11-01T00:00:00Z" }] };
    return { ok: true, status: 200, json: async () => body };
  };
  assert.equal((await fetchSigners(request))[0].representative_id, "r");
  assert.equal((await topUpNonces(request, 5))[0].nonce, "n");
  assert.deepEqual(calls[1], ["/api/sync/nonces", "POST", JSON.stringify({ count: 5 })]);
});

test("signDemonstration asks for exactly the signer's keys with user verification", async () => {
  const v = VECTORS.vectors[0];
  const signer = {
    representative_id: "rep-1",
    credentials: [{ id: "AAH6-_z9_v8", transports: ["usb"] }],
  };
  let asked;
  const credentials = {
    get: async (options) => {
      asked = options;
      return {
        rawId: fromBase64url("AAH6-_z9_v8").buffer,
        response: {
          authenticatorData: Uint8Array.from([1, 2]).buffer,
          clientDataJSON: utf8("{}").buffer,
          signature: Uint8Array.from([3]).buffer,
          userHandle: null,
        },
      };
    },
  };
  const fields = await signDemonstration({
    records: v.input,
    signer,
    nonce: v.nonce,
    credentials,
    now: () => new Date("2026-10-15T09:30:00Z"),
  });
  assert.equal(toHex(asked.publicKey.challenge), v.challenge_hex);
  assert.equal(asked.publicKey.userVerification, "required");
  assert.deepEqual(asked.publicKey.allowCredentials[0].transports, ["usb"]);
  assert.deepEqual(toBase64url(asked.publicKey.allowCredentials[0].id), "AAH6-_z9_v8");
  assert.deepEqual(fields, {
    demonstration_id: v.input.demonstration.id,
    representative_id: "rep-1",
    signed_at: "2026-10-15T09:30:00.000Z",
    content_version: 1,
    content_sha256: v.content_sha256,
    signed_content: v.canonical,
    nonce: v.nonce,
    credential_id: "AAH6-_z9_v8",
    authenticator_data: "AQI",
    client_data_json: "e30",
    signature: "Aw",
    user_handle: null,
  });
  assert.equal(requestOptions({ challenge: new Uint8Array(32), signer, rpId: "localhost" }).publicKey.rpId, "localhost");
});
