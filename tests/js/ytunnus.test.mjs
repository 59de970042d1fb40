// pwa/js/ytunnus.js on the vectors that tests/unit/test_ytunnus.py runs on the server's rule.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { checkDigit, ytunnusError } from "../../pwa/js/ytunnus.js";

const vectors = JSON.parse(readFileSync(new URL("../vectors/ytunnus.json", import.meta.url), "utf8"));

test("valid Y-tunnus vectors pass", () => {
  for (const value of vectors.valid) assert.equal(ytunnusError(value), null, value);
});

test("invalid Y-tunnus vectors fail with the server's reason", () => {
  for (const { value, reason } of vectors.invalid) assert.equal(ytunnusError(value), reason, JSON.stringify(value));
});

test("check digits match the server's", () => {
  for (const [digits, expected] of Object.entries(vectors.check_digits)) assert.equal(checkDigit(digits), expected, digits);
});
