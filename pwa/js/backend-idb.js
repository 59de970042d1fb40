// IndexedDB storage backend (through the vendored idb wrapper). Every store is
// keyed by a string `key`, so prefix ranges ("goal:") list one record type.
// A transaction's function must only await this API: IndexedDB commits a
// transaction as soon as it sits idle, so no fetch or timer may happen inside.
import { openDB } from "../vendor/idb-8.0.4.js";

const DB_NAME = "polku";
const DB_VERSION = 1;

export function idbBackend(storeNames) {
  let opening = null;
  const database = () =>
    (opening ||= openDB(DB_NAME, DB_VERSION, {
      upgrade(db) {
        for (const name of storeNames) {
          if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath: "key" });
        }
      },
      // A newer app version wants to upgrade the schema: let it.
      blocking() {
        opening?.then((db) => db.close());
        opening = null;
      },
    }));

  return {
    async transaction(names, mode, fn) {
      const db = await database();
      const tx = db.transaction(names, mode);
      const range = (prefix) => (prefix ? IDBKeyRange.bound(prefix, `${prefix}\uffff`) : undefined);
      const api = {
        get: (name, key) => tx.objectStore(name).get(key),
        getAll: (name, prefix = "") => tx.objectStore(name).getAll(range(prefix)),
        count: (name) => tx.objectStore(name).count(),
        put: (name, value) => tx.objectStore(name).put(value),
        delete: (name, key) => tx.objectStore(name).delete(key),
        clear: (name) => tx.objectStore(name).clear(),
      };
      try {
        const result = await fn(api);
        await tx.done;
        return result;
      } catch (error) {
        try {
          tx.abort();
        } catch {
          // already finished or aborted: nothing was committed by us
        }
        throw error;
      }
    },
  };
}
