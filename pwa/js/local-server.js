// The app's local server, run by the service worker: it answers the app's own
// routes by rendering HTML from the store, and turns form posts into a local
// write plus an outbox mutation. It never waits for the network, except to
// log in on the very first start (there is nothing local to show yet).
import { translator } from "./i18n.js";
import { RATERS, get, today, where } from "./queries.js";
import { router } from "./router.js";
import { NeedsLogin } from "./sync-client.js";
import { validate } from "./validate.js";
import { caseload, participantForm, participantPage } from "./views/caseload.js";
import { demonstrationForm, demonstrationPage } from "./views/demonstration.js";
import { contactForm, employerForm, employerList, employerPage } from "./views/employers.js";
import { eventForm, eventList, eventPage } from "./views/events.js";
import { goalForm, periodForm, periodPage } from "./views/period.js";
import { roundForm, roundGoals, roundPage } from "./views/round.js";
import { conflictInbox, logoutRefused, syncPage } from "./views/sync.js";
import { layout, statusBar } from "./views/ui.js";

// The same policy as the server's pages: nothing inline, nothing from elsewhere.
export const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; " +
  "base-uri 'self'; form-action 'self'";

const htmlResponse = (body, status = 200, headers = {}) =>
  new Response(String(body), {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": CSP,
      "Cache-Control": "no-store",
      ...headers,
    },
  });

const redirect = (origin, path) => Response.redirect(new URL(path, origin).href, 303);

// -- form values ---------------------------------------------------------------

const text = (form, name) => {
  const value = form.get(name);
  return typeof value === "string" && value.trim() ? value.trim() : null;
};
const integer = (form, name) => {
  const value = text(form, name);
  return value === null ? null : /^-?\d+$/.test(value) ? Number(value) : value;
};
const flag = (form, name) => form.has(name);

// Only what changed goes into a mutation; a new record sends its set fields.
function changes(current, next) {
  const out = {};
  for (const [name, value] of Object.entries(next)) {
    if (current ? (current[name] ?? null) !== value : value !== null) out[name] = value;
  }
  return out;
}

export function createLocalServer({ store, client, catalogs, afterWrite = () => {}, now = () => Date.now(), uuid = () => crypto.randomUUID() }) {
  async function context(url, meta) {
    const snap = await store.snapshot();
    const t = translator(await catalogs(), meta.lang || "fi");
    const status = {
      pending: snap.pendingCount,
      attention: snap.attention.length,
      conflicts: snap.conflicts.length,
      lastSyncOk: meta.last_sync_ok ?? null,
      lastError: meta.last_error ?? null,
      needsLogin: Boolean(meta.needs_login),
    };
    return { t, snap, meta, status, url, path: url.pathname + url.search, today: today(now()) };
  }

  const page = (c, title, body, status = 200) => htmlResponse(layout(c, title, body), status);
  const notFound = (c) => page(c, c.t("error.not_found"), "", 404);
  const back = (c, path) => redirect(c.url.origin, path);

  // Save a record locally (outbox + view) after checking it like the server would.
  async function save(c, type, id, values, { creating }) {
    const current = creating ? null : (await store.record(type, id))?.fields;
    const fields = changes(current, values);
    const errors = validate(c.t, type, fields, creating);
    if (Object.keys(errors).length) return errors;
    if (Object.keys(fields).length) {
      await store.save(type, id, fields);
      afterWrite();
    }
    return null;
  }

  // A form whose values failed the checks is shown again with the reasons.
  const invalid = (c, title, body) => page(c, title, body, 422);

  const participantValues = (form) => ({
    first_name: text(form, "first_name"),
    last_name: text(form, "last_name"),
    birth_year: integer(form, "birth_year"),
    municipality: text(form, "municipality"),
    phone: text(form, "phone"),
    email: text(form, "email"),
    consent_given: flag(form, "consent_given"),
    consent_date: text(form, "consent_date"),
  });
  const periodValues = (form, editing) => ({
    measure_type: text(form, "measure_type"),
    employer_id: text(form, "employer_id"),
    workplace_id: text(form, "workplace_id"),
    phase: text(form, "phase"),
    start_date: text(form, "start_date"),
    planned_end_date: text(form, "planned_end_date"),
    end_date: text(form, "end_date"),
    ...(editing
      ? {
          outcome_at_end: text(form, "outcome_at_end"),
          outcome_3_months: text(form, "outcome_3_months"),
          outcome_6_months: text(form, "outcome_6_months"),
        }
      : {}),
  });
  const goalValues = (form) => ({
    area: text(form, "area"),
    title: text(form, "title"),
    description: text(form, "description"),
    success_criteria: text(form, "success_criteria"),
    target_date: text(form, "target_date"),
  });
  const employerValues = (form) => ({
    name: text(form, "name"),
    business_id: text(form, "business_id"),
    industry: text(form, "industry"),
    address: text(form, "address"),
    municipality: text(form, "municipality"),
  });
  const demoValues = (form, editing) => ({
    title: text(form, "title"),
    employer_id: text(form, "employer_id"),
    period_id: text(form, "period_id"),
    demonstration_date: text(form, "demonstration_date"),
    ...(editing ? { overall_result: text(form, "overall_result"), recommendation: text(form, "recommendation") } : {}),
  });

  const routes = router({
    "GET /app/": (c) => page(c, c.t("caseload.title"), caseload(c, c.url.searchParams.get("q") || "")),
    "GET /app/status": (c) => htmlResponse(statusBar(c)),

    // -- participants --
    "GET /app/participants/new": (c) => page(c, c.t("participant.new"), participantForm(c, null)),
    "POST /app/participants": async (c, _p, form) => {
      const id = uuid();
      const values = { ...participantValues(form), coach_id: c.meta.user.id };
      const errors = await save(c, "participant", id, values, { creating: true });
      if (errors) return invalid(c, c.t("participant.new"), participantForm(c, { fields: values }, errors));
      return back(c, `/app/participants/${id}`);
    },
    "GET /app/participants/:id": (c, { id }) => {
      const p = get(c.snap, "participant", id);
      return p ? page(c, `${p.fields.first_name} ${p.fields.last_name}`, participantPage(c, p)) : notFound(c);
    },
    "GET /app/participants/:id/edit": (c, { id }) => {
      const p = get(c.snap, "participant", id);
      return p ? page(c, c.t("participant.edit"), participantForm(c, p)) : notFound(c);
    },
    "POST /app/participants/:id": async (c, { id }, form) => {
      const p = get(c.snap, "participant", id);
      if (!p) return notFound(c);
      const values = participantValues(form);
      const errors = await save(c, "participant", id, values, { creating: false });
      if (errors) return invalid(c, c.t("participant.edit"), participantForm(c, { ...p, fields: values }, errors));
      return back(c, `/app/participants/${id}`);
    },

    // -- coaching periods and goals --
    "GET /app/participants/:id/periods/new": (c, { id }) =>
      get(c.snap, "participant", id) ? page(c, c.t("period.new"), periodForm(c, { participantId: id })) : notFound(c),
    "POST /app/periods": async (c, _p, form) => {
      const id = uuid();
      const participantId = text(form, "participant_id");
      if (!get(c.snap, "participant", participantId)) return notFound(c);
      const values = { ...periodValues(form, false), participant_id: participantId, coach_id: c.meta.user.id };
      const errors = await save(c, "coaching_period", id, values, { creating: true });
      if (errors) return invalid(c, c.t("period.new"), periodForm(c, { participantId, errors, values }));
      return back(c, `/app/periods/${id}`);
    },
    "GET /app/periods/:id": (c, { id }) => {
      const period = get(c.snap, "coaching_period", id);
      return period ? page(c, c.t("period.title"), periodPage(c, period)) : notFound(c);
    },
    "GET /app/periods/:id/edit": (c, { id }) => {
      const period = get(c.snap, "coaching_period", id);
      return period ? page(c, c.t("period.edit"), periodForm(c, { period })) : notFound(c);
    },
    "POST /app/periods/:id": async (c, { id }, form) => {
      const period = get(c.snap, "coaching_period", id);
      if (!period) return notFound(c);
      const values = periodValues(form, true);
      const errors = await save(c, "coaching_period", id, values, { creating: false });
      if (errors) return invalid(c, c.t("period.edit"), periodForm(c, { period, errors, values }));
      return back(c, `/app/periods/${id}`);
    },
    "GET /app/periods/:id/goals/new": (c, { id }) =>
      get(c.snap, "coaching_period", id)
        ? page(c, c.t("goal.new"), goalForm(c, { periodId: id, area: c.url.searchParams.get("area") }))
        : notFound(c),
    "POST /app/goals": async (c, _p, form) => {
      const id = uuid();
      const periodId = text(form, "period_id");
      if (!get(c.snap, "coaching_period", periodId)) return notFound(c);
      const values = { ...goalValues(form), period_id: periodId, status: "open" };
      const errors = await save(c, "goal", id, values, { creating: true });
      if (errors) return invalid(c, c.t("goal.new"), goalForm(c, { periodId, errors, values }));
      return back(c, `/app/periods/${periodId}#goal-${id}`);
    },
    "GET /app/goals/:id/edit": (c, { id }) => {
      const goal = get(c.snap, "goal", id);
      return goal ? page(c, c.t("goal.edit"), goalForm(c, { goal })) : notFound(c);
    },
    "POST /app/goals/:id": async (c, { id }, form) => {
      const goal = get(c.snap, "goal", id);
      if (!goal) return notFound(c);
      const values = goalValues(form);
      const errors = await save(c, "goal", id, values, { creating: false });
      if (errors) return invalid(c, c.t("goal.edit"), goalForm(c, { goal, errors, values }));
      return back(c, `/app/periods/${goal.fields.period_id}#goal-${id}`);
    },
    "POST /app/goals/:id/status": async (c, { id }, form) => {
      const goal = get(c.snap, "goal", id);
      const status = text(form, "status");
      if (!goal || !["open", "achieved", "dropped"].includes(status)) return notFound(c);
      await save(c, "goal", id, { status }, { creating: false });
      return back(c, `/app/periods/${goal.fields.period_id}#goal-${id}`);
    },

    // -- assessment rounds: a round and its (append-only) assessments --
    "GET /app/periods/:id/rounds/new": (c, { id }) => {
      const period = get(c.snap, "coaching_period", id);
      return period ? page(c, c.t("round.new"), roundForm(c, { period })) : notFound(c);
    },
    "POST /app/rounds": async (c, _p, form) => {
      const period = get(c.snap, "coaching_period", text(form, "period_id"));
      if (!period) return notFound(c);
      const values = Object.fromEntries(form.entries());
      const round = { period_id: period.id, held_on: text(form, "held_on"), is_final: flag(form, "is_final"), note: text(form, "note") };
      const ratings = collectRatings(c, period, form);
      const errors = validate(c.t, "assessment_round", round, true);
      if (!ratings.length) errors.ratings = c.t("round.rate_something");
      if (Object.keys(errors).length) {
        return invalid(c, c.t("round.new"), roundForm(c, { period, errors, values }));
      }
      const roundId = uuid();
      await store.save("assessment_round", roundId, changes(null, round));
      await saveRatings(roundId, ratings);
      afterWrite();
      return back(c, `/app/rounds/${roundId}`);
    },
    "GET /app/rounds/:id": (c, { id }) => {
      const round = get(c.snap, "assessment_round", id);
      return round ? page(c, c.t("round.title"), roundPage(c, round)) : notFound(c);
    },
    "POST /app/rounds/:id/assessments": async (c, { id }, form) => {
      const round = get(c.snap, "assessment_round", id);
      const period = round && get(c.snap, "coaching_period", round.fields.period_id);
      if (!period) return notFound(c);
      const rated = new Set(where(c.snap, "assessment", "round_id", id).map((a) => `${a.fields.goal_id}/${a.fields.rater}`));
      const ratings = collectRatings(c, period, form).filter((r) => !rated.has(`${r.goal_id}/${r.rater}`));
      await saveRatings(id, ratings);
      if (ratings.length) afterWrite();
      return back(c, `/app/rounds/${id}`);
    },

    // -- work demonstrations --
    "GET /app/participants/:id/demonstrations/new": (c, { id }) =>
      get(c.snap, "participant", id) ? page(c, c.t("demo.new"), demonstrationForm(c, { participantId: id })) : notFound(c),
    "POST /app/demonstrations": async (c, _p, form) => {
      const id = uuid();
      const participantId = text(form, "participant_id");
      if (!get(c.snap, "participant", participantId)) return notFound(c);
      const values = { ...demoValues(form, false), participant_id: participantId };
      const errors = await save(c, "work_demonstration", id, values, { creating: true });
      if (errors) return invalid(c, c.t("demo.new"), demonstrationForm(c, { participantId, errors, values }));
      return back(c, `/app/demonstrations/${id}`);
    },
    "GET /app/demonstrations/:id": (c, { id }) => {
      const demo = get(c.snap, "work_demonstration", id);
      return demo ? page(c, demo.fields.title, demonstrationPage(c, demo)) : notFound(c);
    },
    "POST /app/demonstrations/:id": async (c, { id }, form) => {
      const demo = get(c.snap, "work_demonstration", id);
      if (!demo) return notFound(c);
      const values = demoValues(form, true);
      const errors = await save(c, "work_demonstration", id, values, { creating: false });
      if (errors) return invalid(c, demo.fields.title, demonstrationForm(c, { demo, errors, values }));
      return back(c, `/app/demonstrations/${id}`);
    },
    "POST /app/demonstrations/:id/tasks": async (c, { id }, form) => {
      const demo = get(c.snap, "work_demonstration", id);
      if (!demo) return notFound(c);
      const position = where(c.snap, "demonstration_task", "demonstration_id", id).length;
      const values = { demonstration_id: id, position, task: text(form, "task"), criteria: text(form, "criteria") };
      const errors = await save(c, "demonstration_task", uuid(), values, { creating: true });
      if (errors) return invalid(c, demo.fields.title, demonstrationPage(c, demo, errors));
      return back(c, `/app/demonstrations/${id}#tasks`);
    },
    "POST /app/tasks/:id": async (c, { id }, form) => {
      const task = get(c.snap, "demonstration_task", id);
      if (!task) return notFound(c);
      const values = { criteria: text(form, `criteria-${id}`), result: text(form, `result-${id}`), note: text(form, `note-${id}`) };
      await save(c, "demonstration_task", id, values, { creating: false });
      return back(c, `/app/demonstrations/${task.fields.demonstration_id}#tasks`);
    },

    // -- employers, contact persons, employer work --
    "GET /app/employers": (c) => page(c, c.t("employer.list"), employerList(c)),
    "GET /app/employers/new": (c) => page(c, c.t("employer.new"), employerForm(c, {})),
    "POST /app/employers": async (c, _p, form) => {
      const id = uuid();
      const values = employerValues(form);
      const errors = await save(c, "employer", id, values, { creating: true });
      if (errors) return invalid(c, c.t("employer.new"), employerForm(c, { errors, values }));
      return back(c, `/app/employers/${id}`);
    },
    "GET /app/employers/:id": (c, { id }) => {
      const employer = get(c.snap, "employer", id);
      return employer ? page(c, employer.fields.name, employerPage(c, employer)) : notFound(c);
    },
    "GET /app/employers/:id/edit": (c, { id }) => {
      const employer = get(c.snap, "employer", id);
      return employer ? page(c, c.t("employer.edit"), employerForm(c, { employer })) : notFound(c);
    },
    "POST /app/employers/:id": async (c, { id }, form) => {
      const employer = get(c.snap, "employer", id);
      if (!employer) return notFound(c);
      const values = employerValues(form);
      const errors = await save(c, "employer", id, values, { creating: false });
      if (errors) return invalid(c, c.t("employer.edit"), employerForm(c, { employer, errors, values }));
      return back(c, `/app/employers/${id}`);
    },
    "POST /app/employers/:id/people": async (c, { id }, form) => {
      if (!get(c.snap, "employer", id)) return notFound(c);
      const values = { employer_id: id, name: text(form, "name"), title: text(form, "title"), phone: text(form, "phone"), email: text(form, "email") };
      await save(c, "employer_contact_person", uuid(), values, { creating: true });
      return back(c, `/app/employers/${id}#people`);
    },
    "GET /app/employers/:id/contacts/new": (c, { id }) => {
      const employer = get(c.snap, "employer", id);
      return employer ? page(c, c.t("contact.new"), contactForm(c, { employer })) : notFound(c);
    },
    "POST /app/employer-contacts": async (c, _p, form) => {
      const employer = get(c.snap, "employer", text(form, "employer_id"));
      if (!employer) return notFound(c);
      const values = {
        employer_id: employer.id,
        coach_id: c.meta.user.id,
        contact_date: text(form, "contact_date"),
        kind: text(form, "kind"),
        informed_of_alternative_recruitment: flag(form, "informed_of_alternative_recruitment"),
        adopted_alternative_recruitment: flag(form, "adopted_alternative_recruitment"),
        adopted_method: text(form, "adopted_method"),
        note: text(form, "note"),
      };
      const errors = await save(c, "employer_contact", uuid(), values, { creating: true });
      if (errors) return invalid(c, c.t("contact.new"), contactForm(c, { employer, errors, values }));
      return back(c, `/app/employers/${employer.id}#contacts`);
    },

    // -- meeting events and attendance --
    "GET /app/events": (c) => page(c, c.t("event.list"), eventList(c)),
    "GET /app/events/new": (c) => page(c, c.t("event.new"), eventForm(c, {})),
    "POST /app/events": async (c, _p, form) => {
      const id = uuid();
      const values = { title: text(form, "title"), event_date: text(form, "event_date"), place: text(form, "place"), note: text(form, "note") };
      const errors = await save(c, "meeting_event", id, values, { creating: true });
      if (errors) return invalid(c, c.t("event.new"), eventForm(c, { errors, values }));
      return back(c, `/app/events/${id}`);
    },
    "GET /app/events/:id": (c, { id }) => {
      const event = get(c.snap, "meeting_event", id);
      return event ? page(c, event.fields.title, eventPage(c, event)) : notFound(c);
    },
    "POST /app/events/:id/attendance": async (c, { id }, form) => {
      const participantId = text(form, "participant_id");
      if (!get(c.snap, "meeting_event", id) || !get(c.snap, "participant", participantId)) return notFound(c);
      // One attendance per event and participant (a unique pair on the server).
      const existing = where(c.snap, "event_attendance", "event_id", id).find((a) => a.fields.participant_id === participantId);
      const values = {
        attended: flag(form, `attended-${participantId}`),
        meetings_held: integer(form, `meetings_held-${participantId}`) ?? 0,
        got_work: flag(form, `got_work-${participantId}`),
        employer_id: text(form, `employer_id-${participantId}`),
      };
      const fields = existing ? values : { ...values, event_id: id, participant_id: participantId };
      await save(c, "event_attendance", existing?.id || uuid(), fields, { creating: !existing });
      return back(c, `/app/events/${id}`);
    },

    // -- supervisor returns: the coach answers --
    "POST /app/returns/:id": async (c, { id }, form) => {
      const answer = text(form, "answer");
      if (!get(c.snap, "review_return", id)) return notFound(c);
      if (answer) {
        await store.save("review_return", id, { status: "answered", answer });
        afterWrite();
      }
      return back(c, safeNext(form));
    },

    // -- sync, attention, conflicts --
    "GET /app/sync": (c) => page(c, c.t("sync.title"), syncPage(c, c.url.searchParams.get("result"))),
    "POST /app/sync": async (c) => {
      const result = await client.syncWithRetry({ attempts: 1 });
      return back(c, `/app/sync?result=${result.ok ? "ok" : result.kind}`);
    },
    "POST /app/attention/:id/retry": async (c, { id }) => {
      await store.retry(id);
      afterWrite();
      return back(c, "/app/sync");
    },
    "POST /app/attention/:id/dismiss": async (c, { id }) => {
      await store.dismiss(id);
      return back(c, "/app/sync");
    },
    "GET /app/conflicts": (c) => page(c, c.t("conflict.title"), conflictInbox(c)),
    "POST /app/conflicts/:id": async (c, { id }, form) => {
      const conflict = c.snap.conflicts.find((x) => x.conflict_id === id);
      if (!conflict) return notFound(c);
      const choice = form.get("choice");
      const value = choice === "merged" ? (form.get("merged") ?? "") : conflict.values[Number(choice)]?.value;
      if (value === undefined) return back(c, "/app/conflicts");
      await store.resolve(id, value);
      afterWrite();
      return back(c, "/app/conflicts");
    },

    // -- language, export, logout --
    "POST /app/language": async (c, _p, form) => {
      const lang = form.get("lang");
      if (["fi", "sv", "en"].includes(lang)) await store.setMeta({ lang });
      return back(c, safeNext(form));
    },
    "GET /app/export.json": async (c) => {
      const body = {
        exported_at: new Date(now()).toISOString(),
        device_id: c.meta.device_id,
        user: c.meta.user,
        outbox: (await store.outbox()).map((e) => e.mutation),
        attention: c.snap.attention.map(({ mutation, errors, at }) => ({ mutation, errors, at })),
      };
      await store.setMeta({ exported: unsyncedIds(body.outbox, c.snap.attention) });
      return new Response(JSON.stringify(body, null, 2), {
        headers: {
          "Content-Type": "application/json",
          "Content-Disposition": 'attachment; filename="polku-outbox.json"',
          "Cache-Control": "no-store",
        },
      });
    },
    "POST /app/logout": async (c) => {
      const outbox = (await store.outbox()).map((e) => e.mutation);
      const ids = unsyncedIds(outbox, c.snap.attention);
      const exported = new Set(c.meta.exported || []);
      if (ids.some((m) => !exported.has(m))) return page(c, c.t("logout.title"), logoutRefused(c, ids.length), 409);
      await client.logout();
      return back(c, "/login");
    },
  });

  const unsyncedIds = (outbox, attention) => [
    ...outbox.map((m) => m.mutation_id),
    ...attention.map((a) => a.mutation.mutation_id),
  ];

  // Only the app's own pages: never an open redirect.
  const safeNext = (form) => {
    const next = form.get("next");
    return typeof next === "string" && next.startsWith("/app/") ? next : "/app/";
  };

  // Ratings from the round form: "rating-<goal>-<rater>" and "comment-<goal>-<rater>".
  function collectRatings(c, period, form) {
    const out = [];
    for (const goal of roundGoals(c.snap, period.id)) {
      for (const rater of RATERS) {
        const rating = integer(form, `rating-${goal.id}-${rater}`);
        if (![1, 2, 3, 4, 5].includes(rating)) continue;
        out.push({ goal_id: goal.id, rater, rating, comment: text(form, `comment-${goal.id}-${rater}`) });
      }
    }
    return out;
  }

  async function saveRatings(roundId, ratings) {
    for (const r of ratings) await store.save("assessment", uuid(), changes(null, { round_id: roundId, ...r }));
  }

  // First start on this device: register and pull before there is anything to show.
  async function firstStart(url) {
    try {
      await client.ensureDevice();
      await client.pull();
      await store.setMeta({ last_sync_ok: now() });
      return null;
    } catch (error) {
      if (error instanceof NeedsLogin) return redirect(url.origin, "/login?next=/app/");
      const t = translator(await catalogs(), "fi");
      return htmlResponse(`<!doctype html><html lang="fi"><head><meta charset="utf-8"><title>Polku</title>
<link rel="stylesheet" href="/app/css/app.css"></head><body><main><h1>Polku</h1><p>${t("start.offline")}</p>
<p><a href="/app/">${t("start.retry")}</a></p></main></body></html>`, 503);
    }
  }

  async function handle(request) {
    const url = new URL(request.url);
    const found = routes(request.method, url.pathname);
    let meta = await store.meta();
    if (!meta.user) {
      const stop = await firstStart(url);
      if (stop) return stop;
      meta = await store.meta();
    }
    const c = await context(url, meta);
    if (!found) return notFound(c);
    const form = request.method === "POST" ? await request.formData() : null;
    const response = await found.handler(c, found.params, form);
    if (response.status === 303 && request.headers.get("HX-Request")) {
      // htmx (boosted form): answer with the page the post leads to, and the
      // URL for the address bar, rather than leaving the redirect to the XHR.
      const location = new URL(response.headers.get("Location"));
      if (location.pathname.startsWith("/app/")) {
        const next = await handle(new Request(location.href, { headers: { "HX-Request": "true" } }));
        const headers = new Headers(next.headers);
        headers.set("HX-Push-Url", location.pathname + location.search + location.hash);
        return new Response(next.body, { status: next.status, headers });
      }
    }
    return response;
  }

  return handle;
}
