// Signing a demonstration with WebAuthn, offline: the challenge is computed
// here from the content and a nonce the server issued to this device earlier
// (no round trip); the result is the fields of an append-only `signoff` record
// for the outbox. The server verifies it when the device syncs.

import { canonicalText, CONTENT_VERSION } from "./canonical.js";
import { challengeFor, contentSha256 } from "./challenge.js";
import { fromBase64url, toBase64url, utf8 } from "./bytes.js";

// The options for navigator.credentials.get: exactly this signer's keys,
// user verification (PIN or biometrics) required.
export function requestOptions({ challenge, signer, rpId, timeout = 120000, userVerification = "required" }) {
  const publicKey = {
    challenge,
    allowCredentials: signer.credentials.map((c) => ({
      type: "public-key",
      id: fromBase64url(c.id),
      ...(c.transports && c.transports.length ? { transports: c.transports } : {}),
    })),
    userVerification,
    timeout,
  };
  if (rpId) publicKey.rpId = rpId;
  return { publicKey };
}

// The fields of the `signoff` record for an assertion over `contentText` with `nonce`.
export async function signoffFields({ demonstrationId, signer, contentText, nonce, assertion, signedAt }) {
  const response = assertion.response;
  return {
    demonstration_id: demonstrationId,
    representative_id: signer.representative_id,
    signed_at: signedAt.toISOString(),
    content_version: CONTENT_VERSION,
    content_sha256: await contentSha256(utf8(contentText)),
    signed_content: contentText,
    nonce,
    credential_id: toBase64url(assertion.rawId),
    authenticator_data: toBase64url(response.authenticatorData),
    client_data_json: toBase64url(response.clientDataJSON),
    signature: toBase64url(response.signature),
    user_handle: response.userHandle && response.userHandle.byteLength ? toBase64url(response.userHandle) : null,
  };
}

// Asks the signer's authenticator to sign the demonstration and returns the
// signoff record's fields. `records` = {demonstration, tasks, participant,
// employer} as stored locally; `signer` = one entry of fetchSigners();
// `nonce` = pickNonce(...).nonce. Throws what navigator.credentials.get throws
// (NotAllowedError when the person cancels or the key is not theirs).
export async function signDemonstration({
  records,
  signer,
  nonce,
  credentials = globalThis.navigator && globalThis.navigator.credentials,
  now = () => new Date(),
  rpId,
  timeout,
  userVerification,
}) {
  if (!signer.credentials || !signer.credentials.length) {
    throw new Error("the signer has no registered security key");
  }
  const contentText = canonicalText(records);
  const challenge = await challengeFor(utf8(contentText), nonce);
  const assertion = await credentials.get(
    requestOptions({ challenge, signer, rpId, timeout, userVerification }),
  );
  return signoffFields({
    demonstrationId: records.demonstration.id,
    signer,
    contentText,
    nonce,
    assertion,
    signedAt: now(),
  });
}
