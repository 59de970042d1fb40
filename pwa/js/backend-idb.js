// IndexedDB storage backend (through the vendored idb wrapper). Every store is
// keyed by a string `key`, so prefix ranges ("goal:") list one record type;
// the indexes of js/store-schema.js find records by type and parent.
// A transaction's function must only await this API: IndexedDB commits a
// transaction as soon as it sits idle, so no fetch or timer may happen inside.
import { openDB } from "../vendor/idb-8.0.4.js";
import { SCHEMA_VERSION, STORES } from "./store-schema.js";

const DB_NAME = "polku";

const keyRange = (query) =>
  query === undefined ? undefined
    : query.lower === query.upper ? IDBKeyRange.only(query.lower)
      : IDBKeyRange.bound(query.lower, query.upper);

export function idbBackend(storeNames) {
  let opening = null;
  const database = () =>
    (opening ||= openDB(DB_NAME, SCHEMA_VERSION, {
      // Version 2 added the indexes and the summaries: existing stores keep
      // their data, and IndexedDB fills a new index from it.
      upgrade(db, _old, _new, tx) {
        for (const name of storeNames) {
          const store = db.objectStoreNames.contains(name)
            ? tx.objectStore(name)
            : db.createObjectStore(name, { keyPath: "key" });
          for (const [index, { keyPath, multiEntry = false }] of Object.entries(STORES[name] || {})) {
            if (!store.indexNames.contains(index)) store.createIndex(index, keyPath, { multiEntry });
          }
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
        // Values of an index's entries in `query` (js/store-schema.js), in key
        // order; `offset`/`limit` page through them without reading the rest.
        async index(name, index, query, { offset = 0, limit } = {}) {
          const source = tx.objectStore(name).index(index);
          if (!offset) return source.getAll(keyRange(query), limit);
          const out = [];
          let cursor = await source.openCursor(keyRange(query));
          if (cursor) cursor = await cursor.advance(offset);
          while (cursor && (limit === undefined || out.length < limit)) {
            out.push(cursor.value);
            cursor = await cursor.continue();
          }
          return out;
        },
        countIndex: (name, index, query) => tx.objectStore(name).index(index).count(keyRange(query)),
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
