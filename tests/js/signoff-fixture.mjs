// A store holding a demonstration ready to sign, with the signers and the
// nonce pool a sync would have fetched (tests of pwa/js/signoff/local.js and
// of hand-over mode).
import { memoryBackend } from "../../pwa/js/backend-memory.js";
import { STORE_NAMES, Store } from "../../pwa/js/store.js";

export const NOW = Date.parse("2026-10-15T12:00:00Z");
export const DEMO = "5d1f0c9e-3b8a-4a57-9e2e-7f1d2c3b4a50";
export const nonce = (c) => c.repeat(64);
const expiring = (days) => new Date(NOW + days * 86_400_000).toISOString();

export const change = (type, id, fields, version = 1) => ({ record_type: type, record_id: id, version, deleted: false, fields, stamps: {} });

export async function signableStore() {
  let n = 0;
  const store = new Store(memoryBackend(STORE_NAMES), {
    now: () => NOW,
    uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
  });
  await store.setMeta({
    device_id: "00000000-0000-4000-8000-00000000000d",
    signers: [
      { representative_id: "rep-1", name: "Jari Mäkelä", employer_id: "emp-1", credentials: [{ id: "AAEC", transports: ["usb"] }] },
      { representative_id: "rep-2", name: "Eeva Mäkelä", employer_id: "emp-1", credentials: [] },
    ],
    // The server lists the pool soonest-expiring first; "c" has less than a day left.
    nonces: [{ nonce: nonce("c"), expires_at: expiring(0.5) }, { nonce: nonce("a"), expires_at: expiring(10) }, { nonce: nonce("b"), expires_at: expiring(20) }],
  });
  await store.applyPage({
    changes: [
      change("participant", "p-1", { first_name: "Aino", last_name: "Lehtonen" }),
      change("employer", "emp-1", { name: "Puutarha Mäkelä Oy", business_id: "1572860-0" }),
      change("work_demonstration", DEMO, {
        participant_id: "p-1", employer_id: "emp-1", title: "Kasvihuonetyö", demonstration_date: "2026-10-15",
        overall_result: "passed", recommendation: "Suosittelemme", status: "ready",
      }),
      change("demonstration_task", "t-1", { demonstration_id: DEMO, position: 0, task: "Koulinta", criteria: "Ohjeen mukaan", result: "met" }),
    ],
    removals: [], conflicts: [], cursor: "c1", more: false,
  });
  return store;
}
