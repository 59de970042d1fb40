// pwa/js/hlc.js follows sync/hlc.py: packed format, order, send and receive rules.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Clock, compare, makeStamp, pack, parse } from "../../pwa/js/hlc.js";

const NODE = "5d1f0c9e-3b8a-4a57-9e2e-7f1d2c3b4a50";

test("packs like sync/hlc.py and parses back", () => {
  const stamp = makeStamp(1700000000000, 3, NODE);
  assert.equal(pack(stamp), `1700000000000-00003-${NODE}`);
  assert.deepEqual(parse(pack(stamp)), stamp);
  assert.equal(pack(makeStamp(5, 0, "n")), "0000000000005-00000-n");
});

test("rejects malformed stamps", () => {
  for (const bad of ["", "1700000000000-00003", "1700000000000-0003-x", "17000000000x0-00003-x", 42]) {
    assert.throws(() => parse(bad), SyntaxError);
  }
  assert.throws(() => makeStamp(-1, 0, "n"), RangeError);
  assert.throws(() => makeStamp(0, 100000, "n"), RangeError);
});

test("packed text sorts like the stamps", () => {
  const stamps = [
    makeStamp(2, 0, "a"), makeStamp(1, 5, "b"), makeStamp(1, 5, "a"), makeStamp(10, 0, "a"), makeStamp(1, 40, "a"),
  ];
  const byStamp = [...stamps].sort(compare).map(pack);
  const byText = stamps.map(pack).sort();
  assert.deepEqual(byText, byStamp);
});

test("send: counter rises while the wall stands still, restarts when it moves", () => {
  let now = 1000;
  const clock = new Clock("n", () => now);
  assert.deepEqual(clock.send(), makeStamp(1000, 0, "n"));
  assert.deepEqual(clock.send(), makeStamp(1000, 1, "n"));
  now = 999; // wall clock set backwards: never goes back
  assert.deepEqual(clock.send(), makeStamp(1000, 2, "n"));
  now = 1005;
  assert.deepEqual(clock.send(), makeStamp(1005, 0, "n"));
});

test("receive: later local stamps exceed every stamp seen", () => {
  const now = 1000;
  const clock = new Clock("n", () => now);
  assert.deepEqual(clock.receive(makeStamp(5000, 7, "other")), makeStamp(5000, 8, "n"));
  assert.deepEqual(clock.send(), makeStamp(5000, 9, "n"));
  assert.deepEqual(clock.receive(makeStamp(5000, 20, "other")), makeStamp(5000, 21, "n"));
  assert.deepEqual(clock.receive(makeStamp(10, 99, "other")), makeStamp(5000, 22, "n"));
  const fresh = new Clock("n", () => 9000, makeStamp(5000, 22, "n"));
  assert.deepEqual(fresh.receive(makeStamp(100, 3, "x")), makeStamp(9000, 0, "n"));
});

test("a restored clock never reissues a stamp", () => {
  const first = new Clock("n", () => 1000);
  first.send();
  const last = first.send();
  const restarted = new Clock("n", () => 500, parse(pack(last)));
  assert.equal(compare(restarted.send(), last), 1);
});

test("counter overflow borrows the next millisecond", () => {
  const clock = new Clock("n", () => 1000, makeStamp(1000, 99999, "n"));
  assert.deepEqual(clock.send(), makeStamp(1001, 0, "n"));
});
