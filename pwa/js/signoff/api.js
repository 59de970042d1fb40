// The server calls offline signing needs while online: the signers (and their
// credential ids) of the employers in the coach's caseload, and the device's
// pool of single-use nonces. `request(path, init)` sends a bearer-authorized
// request and returns the Response, e.g. syncClient.authorized.bind(syncClient).

const DAY_MS = 24 * 60 * 60 * 1000;

async function json(response, what) {
  if (!response.ok) throw new Error(`${what}: server answered ${response.status}`);
  return response.json();
}

// [{representative_id, name, employer_id, credentials: [{id, transports}]}]
export async function fetchSigners(request) {
  const body = await json(await request("/api/sync/signers", { method: "GET" }), "signers");
  return body.signers;
}

// Tops the device's pool up to `size` (at most 20) and returns the whole pool
// the server holds for this device: [{nonce, expires_at}]. Nonces used by
// sign-offs still in the outbox are in it too until they are pushed: leave
// them out (see pickNonce's `used`).
export async function topUpNonces(request, size = 10) {
  const body = await json(
    await request("/api/sync/nonces", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ count: size }),
    }),
    "nonces",
  );
  return body.nonces;
}

// The nonce to sign with: unused, and valid for at least `marginMs` more (the
// sign-off must reach the server before the nonce expires), the soonest to
// expire first. null when the pool is empty: sync before signing.
export function pickNonce(pool, { used = new Set(), now = Date.now(), marginMs = DAY_MS } = {}) {
  const usable = pool
    .filter((n) => !used.has(n.nonce) && Date.parse(n.expires_at) - now > marginMs)
    .sort((a, b) => Date.parse(a.expires_at) - Date.parse(b.expires_at));
  return usable.length ? usable[0] : null;
}
