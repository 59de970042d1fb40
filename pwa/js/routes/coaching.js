// Routes of the caseload: participants, coaching periods, goals, assessment
// rounds and work demonstrations.
import { changes, demoValues, flag, goalValues, integer, named, participantValues, periodValues, text } from "../forms.js";
import { html } from "../html.js";
import { RATERS, get, where } from "../queries.js";
import { validate } from "../validate.js";
import { caseload, participantForm, participantPage } from "../views/caseload.js";
import { demonstrationForm, demonstrationPage } from "../views/demonstration.js";
import { goalForm, periodForm, periodPage } from "../views/period.js";
import { roundForm, roundGoals, roundPage } from "../views/round.js";
import { SUMMARY_VERSIONS, summaryPage } from "../views/summary.js";
import { errorSummary, statusBar } from "../views/ui.js";

export function coachingRoutes({ store, afterWrite, uuid, page, notFound, back, invalid, save, htmlResponse }) {
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

  // The period form shown again with what was typed, when its employer changed
  // (the workplace list follows the employer): the values come as a query.
  const typedPeriod = (c, editing) => {
    const query = c.url.searchParams;
    return query.has("employer_id") ? periodValues(query, editing) : undefined;
  };

  // Assessments are append-only records: one per goal and party, never edited.
  const assessments = (roundId, ratings) =>
    ratings.map((r) => ({ type: "assessment", id: uuid(), fields: changes(null, { round_id: roundId, ...r }) }));

  return {
    "GET /app/": (c) => page(c, c.t("caseload.title"), caseload(c)),
    "GET /app/status": (c) => htmlResponse(statusBar(c)),

    // -- participants --
    "GET /app/participants/new": (c) => page(c, c.t("participant.new"), participantForm(c, null)),
    "POST /app/participants": async (c, _p, form) => {
      const id = uuid();
      const values = { ...participantValues(form), coach_id: c.meta.user.id };
      const errors = await save(c, "participant", id, values, { creating: true });
      if (errors) return invalid(c, c.t("participant.new"), participantForm(c, { fields: values }, errors), "/app/participants/new");
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
      if (errors) return invalid(c, c.t("participant.edit"), participantForm(c, { ...p, fields: values }, errors), `/app/participants/${id}/edit`);
      return back(c, `/app/participants/${id}`);
    },

    // -- coaching periods and goals --
    "GET /app/participants/:id/periods/new": (c, { id }) =>
      get(c.snap, "participant", id) ? page(c, c.t("period.new"), periodForm(c, { participantId: id, values: typedPeriod(c, false) })) : notFound(c),
    "POST /app/periods": async (c, _p, form) => {
      const id = uuid();
      const participantId = text(form, "participant_id");
      if (!get(c.snap, "participant", participantId)) return notFound(c);
      const values = { ...periodValues(form, false), participant_id: participantId, coach_id: c.meta.user.id };
      const errors = await save(c, "coaching_period", id, values, { creating: true });
      if (errors) return invalid(c, c.t("period.new"), periodForm(c, { participantId, errors, values }), `/app/participants/${participantId}/periods/new`);
      return back(c, `/app/periods/${id}`);
    },
    "GET /app/periods/:id": (c, { id }) => {
      const period = get(c.snap, "coaching_period", id);
      return period ? page(c, c.t("period.title"), periodPage(c, period)) : notFound(c);
    },
    "GET /app/periods/:id/summary": (c, { id }) => {
      const period = get(c.snap, "coaching_period", id);
      const version = c.url.searchParams.get("version") || "employee";
      if (!period || !SUMMARY_VERSIONS.includes(version)) return notFound(c);
      return page(c, c.t(`summary.title.${version}`), summaryPage(c, period, version));
    },
    "GET /app/periods/:id/edit": (c, { id }) => {
      const period = get(c.snap, "coaching_period", id);
      return period ? page(c, c.t("period.edit"), periodForm(c, { period, values: typedPeriod(c, true) })) : notFound(c);
    },
    "POST /app/periods/:id": async (c, { id }, form) => {
      const period = get(c.snap, "coaching_period", id);
      if (!period) return notFound(c);
      const values = periodValues(form, true);
      const errors = await save(c, "coaching_period", id, values, { creating: false });
      if (errors) return invalid(c, c.t("period.edit"), periodForm(c, { period, errors, values }), `/app/periods/${id}/edit`);
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
      if (errors) return invalid(c, c.t("goal.new"), goalForm(c, { periodId, errors, values }), `/app/periods/${periodId}/goals/new`);
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
      if (errors) return invalid(c, c.t("goal.edit"), goalForm(c, { goal, errors, values }), `/app/goals/${id}/edit`);
      return back(c, `/app/periods/${goal.fields.period_id}#goal-${id}`);
    },
    "POST /app/goals/:id/status": async (c, { id }, form) => {
      const goal = get(c.snap, "goal", id);
      const status = text(form, "status");
      if (!goal || !["open", "achieved", "dropped"].includes(status)) return notFound(c);
      const errors = await save(c, "goal", id, { status }, { creating: false });
      if (errors) {
        const period = get(c.snap, "coaching_period", goal.fields.period_id);
        const body = html`${errorSummary(c, errors)}<ul class="errors">${Object.values(errors).map((e) => html`<li>${e}</li>`)}</ul>${periodPage(c, period)}`;
        return invalid(c, c.t("period.title"), body, `/app/periods/${period.id}`);
      }
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
        return invalid(c, c.t("round.new"), roundForm(c, { period, errors, values }), `/app/periods/${period.id}/rounds/new`);
      }
      const roundId = uuid();
      // The round and its ratings: one save, one transaction.
      await store.saveAll([{ type: "assessment_round", id: roundId, fields: changes(null, round) }, ...assessments(roundId, ratings)]);
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
      if (ratings.length) {
        await store.saveAll(assessments(id, ratings));
        afterWrite();
      }
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
      if (errors) return invalid(c, c.t("demo.new"), demonstrationForm(c, { participantId, errors, values }), `/app/participants/${participantId}/demonstrations/new`);
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
      if (errors) return invalid(c, demo.fields.title, demonstrationForm(c, { demo, errors, values }), `/app/demonstrations/${id}`);
      return back(c, `/app/demonstrations/${id}`);
    },
    "POST /app/demonstrations/:id/tasks": async (c, { id }, form) => {
      const demo = get(c.snap, "work_demonstration", id);
      if (!demo) return notFound(c);
      const position = where(c.snap, "demonstration_task", "demonstration_id", id).length;
      const values = { demonstration_id: id, position, task: text(form, "task"), criteria: text(form, "criteria") };
      const errors = await save(c, "demonstration_task", uuid(), values, { creating: true });
      if (errors) {
        const draft = { form: "new_task", values: { task: form.get("task"), criteria: form.get("criteria") }, errors };
        return invalid(c, demo.fields.title, demonstrationPage(c, demo, draft), `/app/demonstrations/${id}`);
      }
      return back(c, `/app/demonstrations/${id}#tasks`);
    },
    "POST /app/tasks/:id": async (c, { id }, form) => {
      const task = get(c.snap, "demonstration_task", id);
      if (!task) return notFound(c);
      const values = {
        task: text(form, `task-${id}`), criteria: text(form, `criteria-${id}`), result: text(form, `result-${id}`), note: text(form, `note-${id}`),
      };
      const errors = await save(c, "demonstration_task", id, values, { creating: false });
      if (errors) {
        const draft = { form: id, values: Object.fromEntries(form.entries()), errors: named(errors, id) };
        const demo = get(c.snap, "work_demonstration", task.fields.demonstration_id);
        return invalid(c, demo.fields.title, demonstrationPage(c, demo, draft), `/app/demonstrations/${demo.id}`);
      }
      return back(c, `/app/demonstrations/${task.fields.demonstration_id}#tasks`);
    },
  };
}
