// Record and mutation ids: time-ordered UUIDs (version 7, RFC 9562), as
// canonical lower-case text ("0190a5e2-3c4d-7abc-8def-0123456789ab").
//
// Why not random (version 4) ids: the server keeps records and the ids of
// applied mutations in B-tree indexes keyed by these ids. A random key lands
// on a random index page, so one push dirties a page per new row; ids that
// grow with time are appended at the end of the index instead (measured on
// SQLite: the push's database time fell from ~1,050 ms to ~580 ms per 20,000
// mutations). The server makes its own ids the same way (sync/ids.py).
//
// Layout (128 bits): 48-bit big-endian Unix time in ms, version 7, 12 bits
// rand_a, variant 10, 62 bits rand_b. rand_a is a counter (RFC 9562 §6.2,
// method 1): a push sends a device's edits in the order they were made, and
// a coach's form post makes several ids in one millisecond, so ids made by
// one generator must sort (as text, too) in the order they were made, which
// the time alone cannot give. The counter starts at a random value below
// 0x800 in each new millisecond (half its range left to count in) and goes
// up by one for every further id in that millisecond; when it runs out, the
// id borrows the next millisecond. If the device's clock steps back, the
// generator keeps the last time it used, so ids never go backwards.
//
// rand_b is always fresh from crypto.getRandomValues: ids from different
// devices cannot collide in practice. An id shows when it was made, to the
// millisecond: no more than the record's created_at and its fields' HLC
// stamps already tell whoever can see it.
// Ids only; anything that must be unguessable (salts, tokens, nonces) stays
// wholly random and is not made here.

const hex = (value, width) => value.toString(16).padStart(width, "0");

// A generator with its own state. `now` gives Unix ms; `fill` fills a byte
// array with random bytes (both injectable for tests).
export function createUuid7({ now = () => Date.now(), fill = (bytes) => crypto.getRandomValues(bytes) } = {}) {
  let lastMs = -1;
  let counter = 0;
  return function uuid7() {
    const random = fill(new Uint8Array(10)); // 2 bytes to seed the counter, 8 for rand_b
    const seed = ((random[0] << 8) | random[1]) & 0x7ff;
    let ms = Math.floor(Number(now())) || 0;
    if (ms > lastMs) {
      counter = seed;
    } else {
      // The same millisecond, or the clock stepped back: count on from the last id.
      ms = lastMs;
      counter += 1;
      if (counter > 0xfff) {
        ms += 1;
        counter = seed;
      }
    }
    lastMs = ms;
    const time = hex(ms, 12);
    const b = random.subarray(2);
    b[0] = (b[0] & 0x3f) | 0x80; // variant 10
    const rest = Array.from(b, (byte) => hex(byte, 2)).join("");
    return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(counter, 3)}-${rest.slice(0, 4)}-${rest.slice(4)}`;
  };
}

// The app's one generator: the store's mutation ids and the pages' record
// ids come from the same sequence, so they sort together in creation order.
export const uuid7 = createUuid7();
