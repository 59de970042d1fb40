// In-memory storage backend with the same transaction interface as
// backend-idb.js: used by the fast tests (node --test), no browser needed.
// Transactions run one at a time and roll back on error, like IndexedDB's;
// indexes (js/store-schema.js) are answered by a scan in IndexedDB's key order.
import { STORES, compareKeys, keyOf } from "./store-schema.js";

const clone = (value) => (value === undefined ? undefined : structuredClone(value));

const within = (key, query) =>
  query === undefined || (compareKeys(key, query.lower) >= 0 && compareKeys(key, query.upper) <= 0);

export function memoryBackend(storeNames) {
  let data = Object.fromEntries(storeNames.map((name) => [name, new Map()]));
  let queue = Promise.resolve();

  function api(stores) {
    const open = (name) => {
      const store = stores[name];
      if (!store) throw new Error(`store ${name} is not part of this transaction`);
      return store;
    };
    function entries(name, index, query) {
      const { keyPath, multiEntry } = STORES[name][index];
      const out = [];
      for (const [primary, value] of open(name)) {
        const key = keyOf(value, keyPath);
        if (key === undefined || key === null) continue;
        for (const k of multiEntry && Array.isArray(key) ? [...new Set(key)] : [key]) {
          if (within(k, query)) out.push([k, primary, value]);
        }
      }
      return out.sort(([a, p], [b, q]) => compareKeys(a, b) || compareKeys(p, q));
    }
    return {
      get: async (name, key) => clone(open(name).get(key)),
      getAll: async (name, prefix = "") =>
        [...open(name).entries()]
          .filter(([key]) => key.startsWith(prefix))
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([, value]) => clone(value)),
      count: async (name) => open(name).size,
      put: async (name, value) => void open(name).set(value.key, clone(value)),
      delete: async (name, key) => void open(name).delete(key),
      clear: async (name) => open(name).clear(),
      index: async (name, index, query, { offset = 0, limit } = {}) =>
        entries(name, index, query)
          .slice(offset, limit === undefined ? undefined : offset + limit)
          .map(([, , value]) => clone(value)),
      countIndex: async (name, index, query) => entries(name, index, query).length,
    };
  }

  return {
    transaction(names, _mode, fn) {
      const run = async () => {
        const working = Object.fromEntries(names.map((name) => [name, new Map(data[name])]));
        const result = await fn(api(working));
        data = { ...data, ...working }; // commit only when fn finished without error
        return result;
      };
      const done = queue.then(run, run);
      queue = done.catch(() => {});
      return done;
    },
  };
}
