// Finnish business ID (Y-tunnus) NNNNNNN-C: the same rule as server/ytunnus.py,
// checked on the device so an employer created offline is valid when it syncs.
// Both are tested on tests/vectors/ytunnus.json.

const FORMAT = /^([0-9]{7})-([0-9])$/;
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2];

// The check digit for seven digits, or null when none exists (r = 1 is never issued).
export function checkDigit(digits) {
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += Number(digits[i]) * WEIGHTS[i];
  const r = sum % 11;
  if (r === 0) return 0;
  if (r === 1) return null;
  return 11 - r;
}

// Why `value` is not a Y-tunnus ("format", "no_check_digit", "check_digit"), or null.
export function ytunnusError(value) {
  const match = FORMAT.exec(value || "");
  if (!match) return "format";
  const expected = checkDigit(match[1]);
  if (expected === null) return "no_check_digit";
  if (Number(match[2]) !== expected) return "check_digit";
  return null;
}
