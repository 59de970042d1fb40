// Routes that undo and annotate, all offline: delete a record made by mistake
// (with a confirm step; its children go with it), void an assessment round
// with a reason, dated notes and their corrections, and edits of events,
// employer contacts, contact persons, a round's date and note, workplaces.
import { flag, text } from "../forms.js";
import { get } from "../queries.js";
import { DELETABLE, backAfterDelete, deleteRefusal, deletes } from "../undo.js";
import { eventForm } from "../views/events.js";
import {
  contactEditForm, correctionForm, employerNotesSection, notesSection, personForm, removePage, roundEditForm, voidForm, workplaceForm,
} from "../views/undo.js";

export function undoRoutes({ store, afterWrite, uuid, page, notFound, back, invalid, save }) {
  const recordOf = (c, type, id) => (DELETABLE.includes(type) ? get(c.snap, type, id) : null);

  // An edit form of one record: GET shows it, POST saves the changed fields.
  function editing(type, path, title, form, values, after) {
    return {
      [`GET ${path}/edit`]: (c, { id }) => {
        const record = get(c.snap, type, id);
        return record ? page(c, c.t(title), form(c, record, {})) : notFound(c);
      },
      [`POST ${path}`]: async (c, { id }, posted) => {
        const record = get(c.snap, type, id);
        if (!record) return notFound(c);
        const next = values(posted);
        const errors = await save(c, type, id, next, { creating: false });
        if (errors) return invalid(c, c.t(title), form(c, record, { errors, values: next }), `${path.replace(":id", id)}/edit`);
        return back(c, after(record));
      },
    };
  }

  const noteValues = (form) => ({ noted_on: text(form, "noted_on"), body: text(form, "body") });

  return {
    // -- delete, with a confirm step --
    "GET /app/remove/:type/:id": (c, { type, id }) => {
      const record = recordOf(c, type, id);
      return record ? page(c, c.t("remove.title"), removePage(c, record, backAfterDelete(record))) : notFound(c);
    },
    "POST /app/remove/:type/:id": async (c, { type, id }) => {
      const record = recordOf(c, type, id);
      if (!record) return notFound(c);
      if (deleteRefusal(c.snap, record)) return page(c, c.t("remove.title"), removePage(c, record, backAfterDelete(record)), 409);
      // The record and everything under it: one save, one transaction.
      await store.saveAll(deletes(c.snap, record));
      afterWrite();
      return back(c, backAfterDelete(record));
    },

    // -- void an assessment round: kept, marked, out of progress and figures --
    "GET /app/rounds/:id/void": (c, { id }) => {
      const round = get(c.snap, "assessment_round", id);
      return round && !round.fields.void_reason ? page(c, c.t("void.title"), voidForm(c, round)) : notFound(c);
    },
    "POST /app/rounds/:id/void": async (c, { id }, form) => {
      const round = get(c.snap, "assessment_round", id);
      if (!round || round.fields.void_reason) return notFound(c);
      const values = { void_reason: text(form, "void_reason") };
      const errors = values.void_reason ? null : { void_reason: c.t("void.reason_required") };
      const refused = errors || (await save(c, "assessment_round", id, values, { creating: false }));
      if (refused) return invalid(c, c.t("void.title"), voidForm(c, round, refused, values), `/app/rounds/${id}/void`);
      return back(c, `/app/rounds/${id}`);
    },
    ...editing(
      "assessment_round", "/app/rounds/:id", "round.edit",
      (c, round, { errors, values }) => roundEditForm(c, { round, errors, values }),
      (form) => ({ held_on: text(form, "held_on"), is_final: flag(form, "is_final"), note: text(form, "note") }),
      (round) => `/app/rounds/${round.id}`,
    ),

    // -- notes: append-only, corrected by a new note --
    "POST /app/notes": async (c, _p, form) => {
      const participant = get(c.snap, "participant", text(form, "participant_id"));
      if (!participant) return notFound(c);
      const period = get(c.snap, "coaching_period", text(form, "period_id"));
      const values = { ...noteValues(form), participant_id: participant.id, period_id: period?.id || null };
      const path = period ? `/app/periods/${period.id}` : `/app/participants/${participant.id}`;
      const errors = await save(c, "note", uuid(), values, { creating: true });
      if (errors) {
        const body = notesSection(c, { participantId: participant.id, periodId: period?.id, draft: { values, errors } });
        return invalid(c, c.t("notes.title"), body, path);
      }
      return back(c, `${path}#notes`);
    },
    "GET /app/notes/:id/correct": (c, { id }) => {
      const note = get(c.snap, "note", id);
      return note ? page(c, c.t("notes.correct"), correctionForm(c, { note })) : notFound(c);
    },
    "POST /app/notes/:id/correct": async (c, { id }, form) => {
      const note = get(c.snap, "note", id);
      if (!note) return notFound(c);
      const { participant_id: participantId, period_id: periodId } = note.fields;
      const values = { ...noteValues(form), participant_id: participantId, period_id: periodId ?? null, corrects_id: id };
      const errors = await save(c, "note", uuid(), values, { creating: true });
      if (errors) return invalid(c, c.t("notes.correct"), correctionForm(c, { note, errors, values }), `/app/notes/${id}/correct`);
      return back(c, `${periodId ? `/app/periods/${periodId}` : `/app/participants/${participantId}`}#notes`);
    },

    "POST /app/employer-notes": async (c, _p, form) => {
      const employer = get(c.snap, "employer", text(form, "employer_id"));
      if (!employer) return notFound(c);
      const values = { ...noteValues(form), employer_id: employer.id };
      const errors = await save(c, "employer_note", uuid(), values, { creating: true });
      if (errors) {
        const body = employerNotesSection(c, { employerId: employer.id, draft: { values, errors } });
        return invalid(c, c.t("notes.title"), body, `/app/employers/${employer.id}`);
      }
      return back(c, `/app/employers/${employer.id}#notes`);
    },
    "GET /app/employer-notes/:id/correct": (c, { id }) => {
      const note = get(c.snap, "employer_note", id);
      return note ? page(c, c.t("notes.correct"), correctionForm(c, { note })) : notFound(c);
    },
    "POST /app/employer-notes/:id/correct": async (c, { id }, form) => {
      const note = get(c.snap, "employer_note", id);
      if (!note) return notFound(c);
      const values = { ...noteValues(form), employer_id: note.fields.employer_id, corrects_id: id };
      const errors = await save(c, "employer_note", uuid(), values, { creating: true });
      if (errors) return invalid(c, c.t("notes.correct"), correctionForm(c, { note, errors, values }), `/app/employer-notes/${id}/correct`);
      return back(c, `/app/employers/${note.fields.employer_id}#notes`);
    },

    // -- edits of employer work --
    ...editing(
      "meeting_event", "/app/events/:id", "event.edit",
      (c, event, { errors, values }) => eventForm(c, { event, errors, values }),
      (form) => ({ title: text(form, "title"), event_date: text(form, "event_date"), place: text(form, "place"), note: text(form, "note") }),
      (event) => `/app/events/${event.id}`,
    ),
    ...editing(
      "employer_contact", "/app/employer-contacts/:id", "contact.edit",
      (c, contact, { errors, values }) => contactEditForm(c, { contact, errors, values }),
      (form) => ({
        contact_date: text(form, "contact_date"),
        kind: text(form, "kind"),
        informed_of_alternative_recruitment: flag(form, "informed_of_alternative_recruitment"),
        adopted_alternative_recruitment: flag(form, "adopted_alternative_recruitment"),
        adopted_method: text(form, "adopted_method"),
        note: text(form, "note"),
      }),
      (contact) => `/app/employers/${contact.fields.employer_id}#contacts`,
    ),
    ...editing(
      "employer_contact_person", "/app/people/:id", "person.edit",
      (c, person, { errors, values }) => personForm(c, { person, errors, values }),
      (form) => ({ name: text(form, "name"), title: text(form, "title"), phone: text(form, "phone"), email: text(form, "email") }),
      (person) => `/app/employers/${person.fields.employer_id}#people`,
    ),
    ...editing(
      "workplace", "/app/workplaces/:id", "workplace.edit",
      (c, workplace, { errors, values }) => workplaceForm(c, { workplace, errors, values }),
      (form) => ({ name: text(form, "name"), address: text(form, "address") }),
      (workplace) => `/app/employers/${workplace.fields.employer_id}#workplaces`,
    ),
    "GET /app/employers/:id/workplaces/new": (c, { id }) => {
      const employer = get(c.snap, "employer", id);
      return employer ? page(c, c.t("workplace.new"), workplaceForm(c, { employer })) : notFound(c);
    },
    "POST /app/employers/:id/workplaces": async (c, { id }, form) => {
      const employer = get(c.snap, "employer", id);
      if (!employer) return notFound(c);
      const values = { employer_id: id, name: text(form, "name"), address: text(form, "address") };
      const errors = await save(c, "workplace", uuid(), values, { creating: true });
      if (errors) return invalid(c, c.t("workplace.new"), workplaceForm(c, { employer, errors, values }), `/app/employers/${id}/workplaces/new`);
      return back(c, `/app/employers/${id}#workplaces`);
    },
  };
}
