// The app's checks and due dates give the server's verdicts on the shared
// cases (tests/vectors/app_rules.json; the server's side: tests/unit/test_app_rules.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { translator } from "../../pwa/js/i18n.js";
import { addMonths, followUpDue, roundDue } from "../../pwa/js/queries.js";
import { recordErrors, ruleMessage, serverMessageKey, validate } from "../../pwa/js/validate.js";

const CASES = JSON.parse(readFileSync(new URL("../vectors/app_rules.json", import.meta.url), "utf-8"));
const t = (key) => key;

for (const c of CASES.validation) {
  test(`validation: ${c.name}`, () => {
    const errors = validate(t, c.type, c.fields, c.creating);
    assert.deepEqual(Object.keys(errors).sort(), c.errors);
  });
}

test("round due dates", () => {
  for (const c of CASES.round_due) assert.equal(roundDue(c.last), c.due, c.last);
});

test("follow-up due dates", () => {
  for (const c of CASES.follow_up_due) assert.equal(followUpDue(c.end, c.months), c.due, `${c.end} + ${c.months}`);
});

test("calendar months go both ways and across years", () => {
  assert.equal(addMonths("2026-03-31", -1), "2026-02-28");
  assert.equal(addMonths("2026-01-31", 13), "2027-02-28");
  assert.equal(addMonths("2026-12-15", 1), "2027-01-15");
  assert.equal(addMonths("2028-01-31", 1), "2028-02-29");
  assert.equal(addMonths("2026-01-10", -13), "2024-12-10");
});

test("the app shows the server's labels of the vocabularies, over its own catalog", () => {
  const catalogs = { fi: { "contact_kind.meeting_event": "Kohtaamistapahtuma", "nav.home": "Etusivu" }, sv: {} };
  const fi = translator(catalogs, "fi");
  assert.equal(fi("contact_kind.meeting_event"), "Työkohtaamo");
  assert.equal(fi("nav.home"), "Etusivu");
  assert.equal(translator(catalogs, "sv")("contact_kind.meeting_event"), "Arbetsmöte");
  assert.equal(translator(catalogs, "en")("area.wellbeing"), "Wellbeing");
});

// Record rules (server/records/rules.py as data): the same table as the server's test.
const RECORD_CASES = JSON.parse(readFileSync(new URL("../vectors/record_rules.json", import.meta.url), "utf-8"));

for (const c of RECORD_CASES.cases) {
  test(`record rules: ${c.name}`, () => {
    const others = (type) => c.records[type] || [];
    const find = (type, id) => others(type).find((r) => r.id === id)?.fields || null;
    const errors = {
      ...recordErrors(t, c.type, c.current, c.changes, { id: c.id, today: c.today, find, others }),
      ...validate(t, c.type, c.changes, c.current === null),
    };
    assert.deepEqual(Object.keys(errors).sort(), c.errors);
  });
}

test("a rule's message is the user's language, at the field", () => {
  const fi = translator({ fi: JSON.parse(readFileSync(new URL("../../pwa/locales/fi.json", import.meta.url), "utf-8")) }, "fi");
  const errors = recordErrors(fi, "participant", null, { birth_year: 2013 }, { id: "x", today: "2026-12-03" });
  assert.equal(errors.birth_year, "Syntymävuoden on oltava 1900–2012 (vähintään 14-vuotias).");
});

test("the server's rule messages are translated in the attention list; unknown ones stay as written", () => {
  const catalogs = Object.fromEntries(["fi", "sv", "en"].map((l) => [l, JSON.parse(readFileSync(new URL(`../../pwa/locales/${l}.json`, import.meta.url), "utf-8"))]));
  const sv = translator(catalogs, "sv");
  assert.equal(ruleMessage(sv, "unique_employer: another employer already has this business_id", "2026-12-03"),
    "Organisationen har redan en arbetsgivare med detta FO-nummer.");
  assert.equal(ruleMessage(sv, "birth_year_age: must be a year at most 14 years ago (2012)", "2026-12-03"),
    "Födelseåret ska vara 1900–2012 (minst 14 år).");
  assert.equal(ruleMessage(sv, "something the app does not know", "2026-12-03"), "something the app does not know");
});

const SERVER_MESSAGES = JSON.parse(readFileSync(new URL("../vectors/server_messages.json", import.meta.url), "utf-8"));

test("the server's messages to a rejected mutation are said in the user's language", () => {
  const catalogs = Object.fromEntries(["fi", "sv", "en"].map((l) => [l, JSON.parse(readFileSync(new URL(`../../pwa/locales/${l}.json`, import.meta.url), "utf-8"))]));
  for (const lang of ["fi", "sv", "en"]) {
    const tr = translator(catalogs, lang);
    for (const c of SERVER_MESSAGES.cases) {
      assert.equal(serverMessageKey(c.message), c.key, c.message);
      assert.equal(ruleMessage(tr, c.message, "2026-12-03"), tr(c.key, c.values || {}), `${lang}: ${c.message}`);
      assert.notEqual(tr(c.key), c.key, `${lang} lacks ${c.key}`);
    }
  }
});
