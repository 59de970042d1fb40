// The caseload's compact rows (store "summaries", one per participant): the
// name, the current period, what its due items are computed from, open
// returns. Kept up to date in the same transaction as every local write and
// every pulled page, so the caseload reads a page of rows, not the device.
import { fullName } from "./queries.js";
import { only } from "./store-schema.js";

const CLOSED = ["ended", "cancelled"];
const PERIOD_FIELDS = [
  "measure_type", "phase", "start_date", "planned_end_date", "end_date",
  "outcome_at_end", "outcome_3_months", "outcome_6_months",
];

// Lower case without accents: "Mäki" is found by "maki" and by "mäki".
export const normalise = (text) =>
  String(text ?? "").toLocaleLowerCase("fi").normalize("NFD").replace(/[\u0300-\u036f]/g, "").trim();

const words = (text) => normalise(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

const live = (records, type) => records.filter((r) => r.type === type && !r.deleted);
const byStart = (a, b) => String(a.fields.start_date ?? "").localeCompare(String(b.fields.start_date ?? ""));

// The participants whose row a changed record touches.
export async function participantsTouched(tx, record) {
  const f = record.fields || {};
  switch (record.type) {
    case "participant":
      return [record.id];
    case "coaching_period":
    case "review_return":
      return f.participant_id ? [f.participant_id] : [];
    case "assessment_round": {
      const period = f.period_id && (await tx.get("records", `coaching_period:${f.period_id}`));
      return period?.fields?.participant_id ? [period.fields.participant_id] : [];
    }
    case "employer": {
      const periods = live(await tx.index("records", "employer", only(record.id)), "coaching_period");
      return periods.map((p) => p.fields.participant_id);
    }
    default:
      return [];
  }
}

// Write (or remove) the row of each participant in `ids`, inside `tx`.
export async function refreshSummaries(tx, ids) {
  await Promise.all([...new Set(ids)].map((id) => refreshOne(tx, id)));
}

async function refreshOne(tx, id) {
  const participant = await tx.get("records", `participant:${id}`);
  if (!participant || participant.deleted) return tx.delete("summaries", id);
  const children = await tx.index("records", "participant", only(id));
  const periods = live(children, "coaching_period").sort(byStart);
  const current = periods.findLast((p) => !CLOSED.includes(p.fields.phase)) || periods.at(-1) || null;
  const [employer, rounds] = current
    ? await Promise.all([
      current.fields.employer_id ? tx.get("records", `employer:${current.fields.employer_id}`) : null,
      tx.index("records", "period", only(current.id)),
    ])
    : [null, []];
  const held = live(rounds, "assessment_round").map((r) => r.fields.held_on).filter(Boolean).sort();
  const employerName = employer && !employer.deleted ? employer.fields.name || null : null;
  const name = fullName(participant);
  const f = participant.fields;
  return tx.put("summaries", {
    key: id,
    id,
    name,
    sort: normalise(name),
    terms: [...new Set([...words(name), ...words(f.municipality), ...words(employerName)])],
    // Active: a period still running, or none yet (a participant just added).
    active: !current || !CLOSED.includes(current.fields.phase) ? 1 : 0,
    period: current && {
      id: current.id,
      ...Object.fromEntries(PERIOD_FIELDS.map((k) => [k, current.fields[k] ?? null])),
    },
    employer: employerName,
    lastRound: held.at(-1) || null,
    returns: live(children, "review_return")
      .filter((r) => r.fields.status === "open")
      .map((r) => ({ id: r.id, comment: r.fields.comment })),
    // For the "conflicted" filter: the records whose conflicts show on the row.
    keys: [participant.key, ...periods.map((p) => p.key)],
  });
}

// Every row again (a device from before the summaries, or after a repair).
export async function rebuildSummaries(tx) {
  await tx.clear("summaries");
  const participants = await tx.index("records", "type", only("participant"));
  await refreshSummaries(tx, participants.map((p) => p.id));
}

// -- the caseload list ---------------------------------------------------------

export const PAGE_SIZE = 50;
// Active participants by default; ended ones are found by search too.
export const FILTERS = ["active", "due", "returned", "conflicted", "ended", "all"];

const byName = (a, b) => a.sort.localeCompare(b.sort, "fi") || a.id.localeCompare(b.id);

// What the caseload page shows: one page of rows of the chosen filter or
// search, with the total. `dueOf(row)` says what is due on a row (views).
export function caseloadRead(url, dueOf) {
  const query = (url.searchParams.get("q") || "").trim();
  const terms = words(query);
  const asked = url.searchParams.get("show");
  // A search looks through everyone unless a filter was chosen with it.
  const show = FILTERS.includes(asked) ? asked : terms.length ? "all" : "active";
  const page = Math.max(1, Number.parseInt(url.searchParams.get("page"), 10) || 1);
  const offset = (page - 1) * PAGE_SIZE;
  const reader = async (tx) => {
    let rows;
    let total;
    if (!terms.length && (show === "active" || show === "ended")) {
      // Straight from the index in name order: only this page is read.
      const flag = show === "active" ? 1 : 0;
      const range = { lower: [flag, ""], upper: [flag, "\uffff"] };
      [rows, total] = await Promise.all([
        tx.index("summaries", "list", range, { offset, limit: PAGE_SIZE }),
        tx.countIndex("summaries", "list", range),
      ]);
    } else {
      const found = terms.length
        ? await tx.index("summaries", "terms", { lower: terms[0], upper: `${terms[0]}\uffff` })
        : await tx.index("summaries", "list");
      const conflicted = show === "conflicted" ? new Set((await tx.getAll("conflicts")).map((c) => c.recordKey)) : null;
      const keep = {
        all: () => true,
        active: (r) => r.active === 1,
        ended: (r) => r.active === 0,
        due: (r) => dueOf(r).length > 0,
        returned: (r) => r.returns.length > 0,
        conflicted: (r) => r.keys.some((k) => conflicted.has(k)),
      }[show];
      const matches = (r) => terms.slice(1).every((w) => r.terms.some((term) => term.startsWith(w)));
      const unique = [...new Map(found.map((r) => [r.id, r])).values()];
      const all = unique.filter((r) => matches(r) && keep(r)).sort(byName);
      [rows, total] = [all.slice(offset, offset + PAGE_SIZE), all.length];
    }
    return { records: [], caseload: { rows, total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), show, query } };
  };
  reader.needsSummaries = true;
  return reader;
}
