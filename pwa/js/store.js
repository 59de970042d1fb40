// The device's copy of the coach's records: what the app shows and edits.
// Everything here goes through one backend interface (IndexedDB in the
// browser, memory in the tests), and every read-modify-write happens inside
// one backend transaction, so an edit and its outbox entry land together.
import { Clock, pack, parse } from "./hlc.js";
import { groupByRecord, newMutation, outboxEntry, rebuild, recordKey } from "./outbox.js";
import { uuid7 } from "./uuid7.js";
import { participantsTouched, rebuildSummaries, refreshSummaries } from "./caseload-summary.js";
import { STORE_NAMES, only } from "./store-schema.js";
import { serverMessageKey } from "./validate.js";

export { STORE_NAMES };
const ALL = STORE_NAMES;
const QUEUE_STORES = ["records", "outbox", "meta", "conflicts", "summaries"];
// What a page's view reads besides its records: all small (the outbox is
// what is not yet synced).
const VIEW_STORES = ["records", "outbox", "conflicts", "attention", "meta", "summaries"];

// The snapshot's shape (js/queries.js), from the records a page read.
function shape(records, { outbox, conflicts, attention, meta }, extra = {}) {
  const byType = {};
  for (const record of records) {
    if (record.deleted) continue;
    (byType[record.type] ||= []).push(record);
  }
  return {
    byType,
    byKey: new Map(records.map((r) => [r.key, r])),
    pendingKeys: new Set(outbox.map((entry) => entry.recordKey)),
    pendingCount: outbox.length,
    conflicts,
    attention,
    meta: Object.fromEntries(meta.map((row) => [row.key, row.value])),
    ...extra,
  };
}

export class Store {
  // `uuid` makes mutation ids: time-ordered (js/uuid7.js), for the server's indexes.
  constructor(backend, { now = () => Date.now(), uuid = uuid7 } = {}) {
    this.backend = backend;
    this.now = now;
    this.uuid = uuid;
  }

  read(names, fn) {
    return this.backend.transaction(names, "readonly", fn);
  }

  write(names, fn) {
    return this.backend.transaction(names, "readwrite", fn);
  }

  // -- meta: device session, clock, cursor, sync status -----------------------

  async meta() {
    const rows = await this.read(["meta"], (tx) => tx.getAll("meta"));
    return Object.fromEntries(rows.map((row) => [row.key, row.value]));
  }

  setMeta(values) {
    return this.write(["meta"], async (tx) => {
      for (const [key, value] of Object.entries(values)) await tx.put("meta", { key, value });
    });
  }

  // The device id is made once per install and becomes every stamp's node.
  // It stays a random (version 4) UUID, not js/uuid7.js: one id per install
  // gains nothing from ordering, and it is the device's identity, which the
  // server binds to the first user who registers it.
  async deviceId() {
    return this.write(["meta"], async (tx) => {
      const row = await tx.get("meta", "device_id");
      if (row) return row.value;
      const id = crypto.randomUUID();
      await tx.put("meta", { key: "device_id", value: id });
      return id;
    });
  }

  async clock(tx) {
    const device = await tx.get("meta", "device_id");
    if (!device) throw new Error("no device id yet: register the device first");
    const last = await tx.get("meta", "clock");
    return new Clock(device.value, this.now, last ? parse(last.value) : null);
  }

  // -- reads --------------------------------------------------------------------

  record(type, id) {
    return this.read(["records"], (tx) => tx.get("records", recordKey(type, id)));
  }

  // Every record on the device, in one transaction: the fallback for a route
  // that does not say what it reads (js/reads.js). Its cost grows with the device.
  async snapshot() {
    return this.view(async (tx) => ({ records: await tx.getAll("records") }));
  }

  // What one page reads: `reader(tx)` picks its records (and extras, e.g. the
  // caseload's rows) through the indexes; the outbox, conflicts, attention
  // and meta are small and read whole. The same shape as snapshot().
  async view(reader) {
    return this.read(VIEW_STORES, async (tx) => {
      const [{ records, ...extra }, outbox, conflicts, attention, meta] = await Promise.all([
        reader(tx),
        ...["outbox", "conflicts", "attention", "meta"].map((name) => tx.getAll(name)),
      ]);
      return shape(records, { outbox, conflicts, attention, meta }, extra);
    });
  }

  // The status bar's counts, from the stores' counters: no record is read.
  async counts() {
    return this.read(["outbox", "conflicts", "attention", "meta"], async (tx) => {
      const [pending, conflicts, attention, meta] = await Promise.all([
        tx.count("outbox"), tx.count("conflicts"), tx.count("attention"), tx.getAll("meta"),
      ]);
      return {
        ...shape([], { outbox: [], conflicts: [], attention: [], meta }),
        pendingCount: pending,
        conflictCount: conflicts,
        attentionCount: attention,
      };
    });
  }

  // A device whose records came before the caseload's rows (schema 1) gets
  // them once, the first time the caseload is shown.
  async ensureSummaries() {
    const built = await this.read(["meta"], (tx) => tx.get("meta", "summaries_built"));
    if (built) return;
    await this.write(["records", "summaries", "meta"], async (tx) => {
      await rebuildSummaries(tx);
      await tx.put("meta", { key: "summaries_built", value: true });
    });
  }

  outbox() {
    return this.read(["outbox"], (tx) => tx.getAll("outbox"));
  }

  // -- local edits ----------------------------------------------------------------

  // Upsert `fields` of a record: the view changes at once, the mutation waits
  // in the outbox. base_version is the version last pulled (0: never pulled).
  save(type, id, fields, { resolves } = {}) {
    return this.queue(type, id, "upsert", fields, { resolves });
  }

  queue(type, id, op, fields, { resolves, baseVersion, receive = [] } = {}) {
    return this.write(QUEUE_STORES, async (tx) => {
      const clock = await this.clock(tx);
      for (const stamp of receive) clock.receive(parse(stamp));
      const mutation = await this.enqueue(tx, clock, type, id, op, fields, { resolves, baseVersion });
      await tx.put("meta", { key: "clock", value: pack(clock.last) });
      return mutation;
    });
  }

  // Several records as one logical save (a round and its ratings; a record
  // deleted with its children: items with op "delete"): all of them or, when
  // one fails, none.
  saveAll(items) {
    return this.write(QUEUE_STORES, async (tx) => {
      const clock = await this.clock(tx);
      const mutations = [];
      for (const { type, id, fields, op = "upsert" } of items) {
        mutations.push(await this.enqueue(tx, clock, type, id, op, op === "delete" ? {} : fields, {}));
      }
      await tx.put("meta", { key: "clock", value: pack(clock.last) });
      return mutations;
    });
  }

  // One mutation into the outbox and the record's view, inside `tx`.
  async enqueue(tx, clock, type, id, op, fields, { resolves, baseVersion }) {
    const key = recordKey(type, id);
    const record = (await tx.get("records", key)) || { key, type, id, server: null };
    const pulled = record.server?.version ?? 0;
    const mutation = newMutation({
      mutationId: this.uuid(),
      type,
      id,
      op,
      fields,
      stamp: pack(clock.send()),
      baseVersion: Math.max(pulled, baseVersion ?? 0),
      resolves,
    });
    const entry = outboxEntry(mutation);
    await tx.put("outbox", entry);
    const pending = await tx.index("outbox", "record", only(key));
    const view = rebuild(record, pending);
    await tx.put("records", view);
    await refreshSummaries(tx, await participantsTouched(tx, view));
    for (const conflictId of resolves || []) {
      const conflict = await tx.get("conflicts", conflictId);
      if (conflict) await tx.put("conflicts", { ...conflict, resolving: mutation.mutation_id });
    }
    return mutation;
  }

  // Settle a conflict (docs §7): an ordinary mutation stamped after every
  // competing value, with base_version at least the conflict's version.
  async resolve(conflictId, value) {
    const conflict = await this.read(["conflicts"], (tx) => tx.get("conflicts", conflictId));
    if (!conflict) throw new Error(`no open conflict ${conflictId}`);
    const options = {
      resolves: [conflictId],
      baseVersion: conflict.version,
      receive: conflict.values.map((v) => v.stamp).filter(Boolean),
    };
    const { record_type: type, record_id: id, field } = conflict;
    if (field === "_deleted") {
      // A delete conflict: null is "keep it deleted", an object the edit to keep.
      if (value === null) return this.queue(type, id, "delete", {}, options);
      return this.queue(type, id, "upsert", value, options);
    }
    return this.queue(type, id, "upsert", { [field]: value }, options);
  }

  // -- sync support ------------------------------------------------------------------

  // The next push: at most `limit` entries in edit order, ending right after a
  // sign-off. The server decides what is frozen per batch, so an edit made after
  // signing must travel in a later batch to become a "needs a new sign-off"
  // conflict (docs/signoff-canonical.md §7), not be written before the
  // sign-off and make it fail as content_mismatch.
  async outboxBatch(limit) {
    const entries = (await this.outbox()).slice(0, limit);
    const signoff = entries.findIndex((entry) => entry.mutation.record_type === "signoff");
    return signoff === -1 ? entries : entries.slice(0, signoff + 1);
  }

  // The server answered for `batch`: only now do its entries leave the outbox.
  // A rejected mutation goes to the attention list with the server's reasons;
  // one refused because its participant is erased or restricted keeps no
  // content on the device (the coach is told, and cannot send it again).
  async settle(batch, results) {
    if (results.length !== batch.length) {
      throw new Error(`push answered ${results.length} results for ${batch.length} mutations`);
    }
    return this.write(["outbox", "attention"], async (tx) => {
      batch.forEach((entry, i) => {
        const result = results[i];
        if (result.mutation_id && result.mutation_id !== entry.mutation.mutation_id) {
          throw new Error(`push results out of order at ${i}`);
        }
      });
      for (let i = 0; i < batch.length; i++) {
        const { mutation } = batch[i];
        await tx.delete("outbox", batch[i].key);
        if (results[i].status === "rejected") {
          const errors = results[i].errors || {};
          const withheld = frozenRefusal(errors);
          await tx.put("attention", {
            key: mutation.mutation_id,
            mutation: withheld ? { ...mutation, fields: {} } : mutation,
            errors,
            withheld,
            at: this.now(),
          });
        }
      }
    });
  }

  // L7: apply one pulled page, then save its cursor, all in one transaction.
  // In bulk: every read of the page is asked for at once and every write is
  // issued without waiting for the one before (IndexedDB keeps their order);
  // pending mutations are replayed only for the records that have them.
  applyPage(page) {
    return this.write(ALL, async (tx) => {
      const clock = await this.clock(tx);
      const empty = !(await tx.get("meta", "summaries_built")) && (await tx.count("records")) === 0;
      const keyOf = (item) => recordKey(item.record_type, item.record_id);
      const [pending, conflictsByRecord, current, gone] = await Promise.all([
        tx.getAll("outbox").then(groupByRecord),
        tx.getAll("conflicts").then(groupByRecord),
        Promise.all(page.changes.map((change) => tx.get("records", keyOf(change)))),
        Promise.all(page.removals.map((removal) => tx.get("records", keyOf(removal)))),
      ]);
      const writes = [];
      const touched = [];
      const dropConflicts = (key) => {
        for (const c of conflictsByRecord.get(key) || []) writes.push(tx.delete("conflicts", c.key));
      };
      page.changes.forEach((change, i) => {
        const key = keyOf(change);
        const record = current[i] || { key, type: change.record_type, id: change.record_id };
        record.server = {
          fields: change.fields,
          version: change.version,
          deleted: change.deleted,
          stamps: change.stamps,
        };
        const view = rebuild(record, pending.get(key) || []);
        writes.push(tx.put("records", view));
        touched.push(view);
        // L7.1: a change lists every open conflict of its record; none listed, none open.
        dropConflicts(key);
        for (const stamp of Object.values(change.stamps || {})) clock.receive(parse(stamp));
      });
      for (const conflict of page.conflicts) {
        const key = keyOf(conflict);
        writes.push(tx.put("conflicts", { ...conflict, key: conflict.conflict_id, recordKey: key }));
      }
      // Access revoked: the copy goes. Pending edits stay in the outbox (the
      // server will answer them, and a refusal lands in the attention list).
      page.removals.forEach((removal, i) => {
        const key = keyOf(removal);
        writes.push(tx.delete("records", key));
        if (gone[i]) touched.push(gone[i]);
        dropConflicts(key);
      });
      writes.push(tx.put("meta", { key: "clock", value: pack(clock.last) }));
      writes.push(tx.put("meta", { key: "cursor", value: page.cursor }));
      await Promise.all(writes);
      // The caseload's rows of what changed, after the records are in place.
      const ids = await Promise.all(touched.map((record) => participantsTouched(tx, record)));
      await refreshSummaries(tx, ids.flat());
      // A device filled by pulls from empty has every row (ensureSummaries).
      if (empty) await tx.put("meta", { key: "summaries_built", value: true });
    });
  }

  // The coach dismissed a rejected mutation after reading why: the record view
  // goes back to what the server holds (a record it never had disappears).
  dismiss(mutationId) {
    return this.write(["attention", "records", "outbox", "summaries"], async (tx) => {
      const item = await tx.get("attention", mutationId);
      if (!item) return;
      await tx.delete("attention", mutationId);
      const key = recordKey(item.mutation.record_type, item.mutation.record_id);
      const record = await tx.get("records", key);
      if (!record) return;
      const view = rebuild(record, await tx.index("outbox", "record", only(key)));
      if (view) await tx.put("records", view);
      else await tx.delete("records", key);
      await refreshSummaries(tx, await participantsTouched(tx, view || record));
    });
  }

  // Send a rejected edit again, as a new mutation (after the cause was fixed).
  async retry(mutationId) {
    const item = await this.read(["attention"], (tx) => tx.get("attention", mutationId));
    if (!item || item.withheld) return null;
    const { record_type: type, record_id: id, op, fields } = item.mutation;
    const mutation = await this.queue(type, id, op, fields);
    await this.write(["attention"], (tx) => tx.delete("attention", mutationId));
    return mutation;
  }

  // Logout: nothing of the coach's stays on the device.
  wipe() {
    return this.write(ALL, async (tx) => {
      for (const name of ALL) await tx.clear(name);
    });
  }
}

// The server refused a change because the participant's data is erased or its
// processing restricted (server/sync_api/frozen.py REFUSAL).
export const frozenRefusal = (errors) =>
  Object.values(errors).some((reasons) => [].concat(reasons).some((r) => serverMessageKey(r) === "server.restricted"));
