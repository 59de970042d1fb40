// Routes of employer work: employers (Y-tunnus checked on the device), contact
// persons, contacts with employers, meeting events and attendance.
import { employerValues, flag, integer, named, text } from "../forms.js";
import { get, where } from "../queries.js";
import { contactForm, employerForm, employerList, employerPage } from "../views/employers.js";
import { eventForm, eventList, eventPage } from "../views/events.js";

export function employerWorkRoutes({ uuid, page, notFound, back, invalid, save }) {
  return {
    // -- employers, contact persons, employer work --
    "GET /app/employers": (c) => page(c, c.t("employer.list"), employerList(c)),
    "GET /app/employers/new": (c) => page(c, c.t("employer.new"), employerForm(c, {})),
    "POST /app/employers": async (c, _p, form) => {
      const id = uuid();
      const values = employerValues(form);
      const errors = await save(c, "employer", id, values, { creating: true });
      if (errors) return invalid(c, c.t("employer.new"), employerForm(c, { errors, values }), "/app/employers/new");
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
      if (errors) return invalid(c, c.t("employer.edit"), employerForm(c, { employer, errors, values }), `/app/employers/${id}/edit`);
      return back(c, `/app/employers/${id}`);
    },
    "POST /app/employers/:id/people": async (c, { id }, form) => {
      const employer = get(c.snap, "employer", id);
      if (!employer) return notFound(c);
      const values = { employer_id: id, name: text(form, "name"), title: text(form, "title"), phone: text(form, "phone"), email: text(form, "email") };
      const errors = await save(c, "employer_contact_person", uuid(), values, { creating: true });
      if (errors) {
        const person = { values: Object.fromEntries(form.entries()), errors };
        return invalid(c, employer.fields.name, employerPage(c, employer, person), `/app/employers/${id}`);
      }
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
      if (errors) return invalid(c, c.t("contact.new"), contactForm(c, { employer, errors, values }), `/app/employers/${employer.id}/contacts/new`);
      return back(c, `/app/employers/${employer.id}#contacts`);
    },

    // -- meeting events and attendance --
    "GET /app/events": (c) => page(c, c.t("event.list"), eventList(c)),
    "GET /app/events/new": (c) => page(c, c.t("event.new"), eventForm(c, {})),
    "POST /app/events": async (c, _p, form) => {
      const id = uuid();
      const values = { title: text(form, "title"), event_date: text(form, "event_date"), place: text(form, "place"), note: text(form, "note") };
      const errors = await save(c, "meeting_event", id, values, { creating: true });
      if (errors) return invalid(c, c.t("event.new"), eventForm(c, { errors, values }), "/app/events/new");
      return back(c, `/app/events/${id}`);
    },
    "GET /app/events/:id": (c, { id }) => {
      const event = get(c.snap, "meeting_event", id);
      return event ? page(c, event.fields.title, eventPage(c, event)) : notFound(c);
    },
    "POST /app/events/:id/attendance": async (c, { id }, form) => {
      const participantId = text(form, "participant_id");
      const event = get(c.snap, "meeting_event", id);
      if (!event || !get(c.snap, "participant", participantId)) return notFound(c);
      // One attendance per event and participant (a unique pair on the server).
      const existing = where(c.snap, "event_attendance", "event_id", id).find((a) => a.fields.participant_id === participantId);
      const values = {
        attended: flag(form, `attended-${participantId}`),
        meetings_held: integer(form, `meetings_held-${participantId}`) ?? 0,
        got_work: flag(form, `got_work-${participantId}`),
        employer_id: text(form, `employer_id-${participantId}`),
      };
      const fields = existing ? values : { ...values, event_id: id, participant_id: participantId };
      const errors = await save(c, "event_attendance", existing?.id || uuid(), fields, { creating: !existing });
      if (errors) {
        const draft = { participantId, values: Object.fromEntries(form.entries()), errors: named(errors, participantId) };
        return invalid(c, event.fields.title, eventPage(c, event, draft), `/app/events/${id}`);
      }
      return back(c, `/app/events/${id}`);
    },

    // -- the event as it runs: employers taking part, non-client job seekers --
    "POST /app/events/:id/employers": async (c, { id }, form) => {
      const event = get(c.snap, "meeting_event", id);
      if (!event) return notFound(c);
      // The add form names its fields "-new"; an employer's own form, "-<employer id>".
      const employerId = text(form, "employer_id") ?? text(form, "employer_id-new");
      const key = text(form, "employer_id") ? employerId : "new";
      if (employerId && !get(c.snap, "employer", employerId)) return notFound(c);
      // One row per event and employer (a unique pair on the server).
      const existing = employerId && where(c.snap, "meeting_event_employer", "event_id", id).find((x) => x.fields.employer_id === employerId);
      const values = { meetings_held: integer(form, `meetings_held-${key}`) ?? 0 };
      const fields = existing ? values : { ...values, event_id: id, employer_id: employerId };
      const errors = await save(c, "meeting_event_employer", existing?.id || uuid(), fields, { creating: !existing });
      if (errors) {
        const draft = { kind: "employer", key, values: Object.fromEntries(form.entries()), errors: named(errors, key) };
        return invalid(c, event.fields.title, eventPage(c, event, draft), `/app/events/${id}`);
      }
      return back(c, `/app/events/${id}#event-employers`);
    },
    "POST /app/events/:id/guests": async (c, { id }, form) => saveGuest(c, id, null, form),
    "POST /app/events/:id/guests/:guest_id": async (c, { id, guest_id }, form) => saveGuest(c, id, guest_id, form),
  };

  async function saveGuest(c, eventId, guestId, form) {
    const event = get(c.snap, "meeting_event", eventId);
    const guest = guestId && get(c.snap, "event_guest", guestId);
    if (!event || (guestId && guest?.fields.event_id !== eventId)) return notFound(c);
    const key = guestId || "new";
    const { values, errors: consent } = guestValues(c, form, key, guest?.fields.name);
    const fields = guest ? values : { ...values, event_id: eventId };
    const errors = consent || (await save(c, "event_guest", guestId || uuid(), fields, { creating: !guest }));
    if (errors) {
      const draft = { kind: "guest", key, values: Object.fromEntries(form.entries()), errors: named(errors, key) };
      return invalid(c, event.fields.title, eventPage(c, event, draft), `/app/events/${eventId}`);
    }
    return back(c, `/app/events/${eventId}#event-guests`);
  }
}

// A non-client's form: the name is kept only with their consent. Unticking the
// consent of a named guest removes the name; a name newly typed without consent
// is refused (not silently dropped), naming the rule.
export function guestValues(c, form, key, storedName = null) {
  const consent = flag(form, `name_consent-${key}`);
  const name = text(form, `name-${key}`);
  const values = {
    name_consent: consent,
    // Consent withdrawn: the name goes too.
    name: consent ? name : null,
    meetings_held: integer(form, `meetings_held-${key}`) ?? 0,
    got_work: flag(form, `got_work-${key}`),
    employer_id: text(form, `employer_id-${key}`),
  };
  if (name && !consent && name !== storedName) return { values, errors: { name: c.t("error.name_needs_consent") } };
  if (consent && !name) return { values, errors: { name: c.t("error.required") } };
  return { values, errors: null };
}
