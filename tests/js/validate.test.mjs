// pwa/js/validate.js: the device checks what the server's schemas check.
import assert from "node:assert/strict";
import { test } from "node:test";

import { validate } from "../../pwa/js/validate.js";

const t = (key, values) => (values ? `${key} ${JSON.stringify(values)}` : key);

test("a new employer needs a name and a valid Y-tunnus", () => {
  assert.deepEqual(validate(t, "employer", { name: "Konepaja Oy", business_id: "2456789-6" }, true), {});
  assert.deepEqual(validate(t, "employer", { business_id: "2456789-5" }, true), {
    name: "error.required",
    business_id: "error.ytunnus_check_digit",
  });
  assert.deepEqual(validate(t, "employer", { name: "X", business_id: "3141592-0" }, true), {
    business_id: "error.ytunnus_no_check_digit",
  });
});

test("an edit checks only the fields it changes", () => {
  assert.deepEqual(validate(t, "goal", { status: "achieved" }, false), {});
  assert.deepEqual(validate(t, "goal", { title: null }, false), { title: "error.required" });
});

test("lengths, dates, e-mail addresses and ranges", () => {
  const errors = validate(t, "participant", {
    coach_id: 3, first_name: "A".repeat(101), last_name: "B", email: "not-an-address", birth_year: 1800, consent_date: "1.1.2026",
  }, true);
  assert.deepEqual(Object.keys(errors).sort(), ["birth_year", "consent_date", "email", "first_name"]);
  assert.equal(errors.first_name, 'error.max {"max":100}');
});

test("a choice outside the vocabulary, a whole number and a cleared required field", () => {
  assert.deepEqual(validate(t, "goal", { area: "health", status: null }, false), {
    area: "error.choice",
    status: "error.required",
  });
  assert.deepEqual(validate(t, "event_attendance", { meetings_held: "3" }, false), {
    meetings_held: 'error.range {"min":0,"max":100}',
  });
  assert.deepEqual(validate(t, "participant", { coach_id: "me" }, false), { coach_id: "error.integer" });
});
