// Routes of a period's satisfaction answers and its voucher request. The new
// employee answers with the coach; the employer's representative answers on
// the hand-over screen (meta.handover = {period_id, moment, stage:
// "satisfaction" → "answered" | "skipped", lang}), in their own language, and
// hands the device back; the coach's PIN ends the mode (routes/handover.js).
import RULES from "../generated/rules.js";
import { integer, text } from "../forms.js";
import { get } from "../queries.js";
import { pinProblem, makePin } from "../pin.js";
import { pinField } from "../views/handover.js";
import { periodPage } from "../views/period.js";
import { satisfactionScreen } from "../views/satisfaction.js";
import { errorSummary, languageForm, lockedLayout } from "../views/ui.js";
import { html } from "../html.js";

const MOMENTS = RULES.vocabularies.satisfaction_moment;
const LOGOUT_WAIT_MS = 2000;

function briefly(promise, ms) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([promise.catch(() => {}), timeout]).finally(() => clearTimeout(timer));
}

// The hand-over screen for a satisfaction answer, or null when the period is gone.
export function satisfactionHandover(c, handover, errors, values) {
  const period = get(c.snap, "coaching_period", handover.period_id);
  if (period) return satisfactionScreen(c, { period, moment: handover.moment }, errors, values);
  return html`<p class="lead">${c.t("satisfaction.gone")}</p>
    <form method="post" action="/app/handover/satisfaction/skip" class="actions"><button type="submit" class="secondary big">${c.t("satisfaction.skip")}</button></form>`;
}

export function satisfactionRoutes({ store, client, afterWrite, uuid, page, notFound, back, invalid, save, htmlResponse }) {
  const answerValues = (c, period, form, party) => ({
    period_id: period.id,
    moment: text(form, "moment"),
    party,
    rating: integer(form, "rating"),
    comment: text(form, "comment"),
    answered_on: c.today,
    language: c.t.lang,
  });

  function pinSetup(c, period, moment, errors = {}) {
    const { t } = c;
    return html`${errorSummary(c, errors)}
    <p>${t("handover.pin_intro")}</p>
    <form method="post" action="/app/periods/${period.id}/satisfaction/handover" class="stack" hx-boost="false">
      <input type="hidden" name="handover_moment" value="${moment}">
      ${pinField("pin", t("handover.pin"), errors.pin, "new-password")}
      ${pinField("pin_again", t("handover.pin_again"), errors.pin_again, "new-password")}
      <button type="submit">${t("handover.pin_set")}</button>
    </form>`;
  }

  return {
    // The new employee's answer, given with the coach.
    "POST /app/periods/:id/satisfaction": async (c, { id }, form) => {
      const period = get(c.snap, "coaching_period", id);
      if (!period) return notFound(c);
      const values = answerValues(c, period, form, "participant");
      const errors = await save(c, "satisfaction_answer", uuid(), values, { creating: true });
      if (errors) {
        const drafts = { errors, values: Object.fromEntries(form.entries()) };
        return invalid(c, c.t("period.title"), periodPage(c, period, drafts), `/app/periods/${id}`);
      }
      return back(c, `/app/periods/${id}#satisfaction-section`);
    },

    // The coach hands the device to the employer's representative.
    "POST /app/periods/:id/satisfaction/handover": async (c, { id }, form) => {
      const period = get(c.snap, "coaching_period", id);
      const moment = text(form, "handover_moment");
      if (!period || !period.fields.employer_id || !MOMENTS.includes(moment)) return notFound(c);
      if (!c.meta.pin) {
        if (!form.has("pin")) return page(c, c.t("handover.pin_title"), pinSetup(c, period, moment));
        const pin = form.get("pin");
        const problem = pinProblem(pin);
        const errors = problem
          ? { pin: c.t(`handover.${problem}`) }
          : form.get("pin_again") !== pin ? { pin_again: c.t("handover.pin_mismatch") } : null;
        if (errors) return page(c, c.t("handover.pin_title"), pinSetup(c, period, moment, errors), 422);
        await store.setMeta({ pin: await makePin(pin) });
      }
      await store.setMeta({ handover: { period_id: id, moment, stage: "satisfaction", lang: c.t.lang } });
      await briefly(Promise.resolve().then(() => client.endBrowserSession()), LOGOUT_WAIT_MS);
      return back(c, "/app/handover");
    },

    // The representative's answer, in the language of the screen.
    "POST /app/handover/satisfaction": async (c, _p, form) => {
      const handover = c.meta.handover;
      if (handover?.stage !== "satisfaction") return back(c, "/app/handover");
      const period = get(c.snap, "coaching_period", handover.period_id);
      if (!period) return back(c, "/app/handover");
      const values = {
        ...answerValues(c, period, form, "employer"),
        moment: handover.moment,
        language: handover.lang,
        respondent: text(form, "respondent"),
      };
      const errors = await save(c, "satisfaction_answer", uuid(), values, { creating: true });
      if (errors) {
        const body = satisfactionHandover(c, handover, errors, Object.fromEntries(form.entries()));
        return htmlResponse(lockedLayout(c, c.t("satisfaction.handover_title"), body, languageForm(c, "/app/handover/language")), 422);
      }
      await store.setMeta({ handover: { ...handover, stage: "answered" } });
      afterWrite();
      return back(c, "/app/handover");
    },

    "POST /app/handover/satisfaction/skip": async (c) => {
      const handover = c.meta.handover;
      if (handover?.stage === "satisfaction") await store.setMeta({ handover: { ...handover, stage: "skipped" } });
      return back(c, "/app/handover");
    },

    // The coach asks for the voucher; the server's rules decide when it arrives.
    "POST /app/periods/:id/voucher-request": async (c, { id }) => {
      const period = get(c.snap, "coaching_period", id);
      if (!period) return notFound(c);
      await store.save("voucher_request", uuid(), { period_id: id });
      afterWrite();
      return back(c, `/app/periods/${id}#voucher-section`);
    },
  };
}
