// The device's copy of the coach's records: what the app shows and edits.
// Everything here goes through one backend interface (IndexedDB in the
// browser, memory in the tests), and every read-modify-write happens inside
// one backend transaction, so an edit and its outbox entry land together.
import { Clock, pack, parse } from "./hlc.js";
import { groupByRecord, newMutation, outboxEntry, rebuild, recordKey } from "./outbox.js";
import { uuid7 } from "./uuid7.js";

export const STORE_NAMES = ["records", "outbox", "conflicts", "attention", "meta"];
const ALL = STORE_NAMES;
const QUEUE_STORES = ["records", "outbox", "meta", "conflicts"];

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

  // Everything a page needs, read in one transaction (a caseload is hundreds
  // of records, not millions: reading them whole keeps the views simple).
  async snapshot() {
    return this.read(ALL, async (tx) => {
      const [records, outbox, conflicts, attention, meta] = await Promise.all(
        ALL.map((name) => tx.getAll(name)),
      );
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
      };
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
    const pending = (await tx.getAll("outbox")).filter((e) => e.recordKey === key);
    await tx.put("records", rebuild(record, pending));
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
  // A rejected mutation goes to the attention list with the server's reasons.
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
          await tx.put("attention", {
            key: mutation.mutation_id,
            mutation,
            errors: results[i].errors || {},
            at: this.now(),
          });
        }
      }
    });
  }

  // L7: apply one pulled page, then save its cursor, all in one transaction.
  applyPage(page) {
    return this.write(ALL, async (tx) => {
      const clock = await this.clock(tx);
      const pending = groupByRecord(await tx.getAll("outbox"));
      const conflictsByRecord = groupByRecord(await tx.getAll("conflicts"));
      const dropConflicts = async (key) => {
        for (const c of conflictsByRecord.get(key) || []) await tx.delete("conflicts", c.key);
      };
      for (const change of page.changes) {
        const key = recordKey(change.record_type, change.record_id);
        const record = (await tx.get("records", key)) || {
          key,
          type: change.record_type,
          id: change.record_id,
        };
        record.server = {
          fields: change.fields,
          version: change.version,
          deleted: change.deleted,
          stamps: change.stamps,
        };
        await tx.put("records", rebuild(record, pending.get(key) || []));
        // L7.1: a change lists every open conflict of its record; none listed, none open.
        await dropConflicts(key);
        for (const stamp of Object.values(change.stamps || {})) clock.receive(parse(stamp));
      }
      for (const conflict of page.conflicts) {
        const key = recordKey(conflict.record_type, conflict.record_id);
        await tx.put("conflicts", { ...conflict, key: conflict.conflict_id, recordKey: key });
      }
      // Access revoked: the copy goes. Pending edits stay in the outbox (the
      // server will answer them, and a refusal lands in the attention list).
      for (const removal of page.removals) {
        const key = recordKey(removal.record_type, removal.record_id);
        await tx.delete("records", key);
        await dropConflicts(key);
      }
      await tx.put("meta", { key: "clock", value: pack(clock.last) });
      await tx.put("meta", { key: "cursor", value: page.cursor });
    });
  }

  // The coach dismissed a rejected mutation after reading why: the record view
  // goes back to what the server holds (a record it never had disappears).
  dismiss(mutationId) {
    return this.write(["attention", "records", "outbox"], async (tx) => {
      const item = await tx.get("attention", mutationId);
      if (!item) return;
      await tx.delete("attention", mutationId);
      const key = recordKey(item.mutation.record_type, item.mutation.record_id);
      const record = await tx.get("records", key);
      if (!record) return;
      const pending = (await tx.getAll("outbox")).filter((e) => e.recordKey === key);
      const view = rebuild(record, pending);
      if (view) await tx.put("records", view);
      else await tx.delete("records", key);
    });
  }

  // Send a rejected edit again, as a new mutation (after the cause was fixed).
  async retry(mutationId) {
    const item = await this.read(["attention"], (tx) => tx.get("attention", mutationId));
    if (!item) return null;
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
