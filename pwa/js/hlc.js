// Hybrid logical clock: the JS twin of sync/hlc.py (docs/sync-protocol.md §2).
// Packed stamps are fixed-width text, so string order is stamp order and the
// server compares ours with its own byte for byte.

export const WALL_DIGITS = 13;
export const COUNTER_DIGITS = 5;
export const MAX_WALL_MS = 10 ** WALL_DIGITS - 1;
export const MAX_COUNTER = 10 ** COUNTER_DIGITS - 1;
const NODE_AT = WALL_DIGITS + 1 + COUNTER_DIGITS + 1;

export function makeStamp(wallMs, counter, node) {
  if (!Number.isInteger(wallMs) || wallMs < 0 || wallMs > MAX_WALL_MS) {
    throw new RangeError(`wall_ms must be between 0 and ${MAX_WALL_MS}`);
  }
  if (!Number.isInteger(counter) || counter < 0 || counter > MAX_COUNTER) {
    throw new RangeError(`counter must be between 0 and ${MAX_COUNTER}`);
  }
  if (!node) throw new RangeError("node must not be empty");
  return { wallMs, counter, node };
}

export function pack(stamp) {
  const wall = String(stamp.wallMs).padStart(WALL_DIGITS, "0");
  const counter = String(stamp.counter).padStart(COUNTER_DIGITS, "0");
  return `${wall}-${counter}-${stamp.node}`;
}

export function parse(text) {
  const wall = typeof text === "string" ? text.slice(0, WALL_DIGITS) : "";
  const counter = typeof text === "string" ? text.slice(WALL_DIGITS + 1, NODE_AT - 1) : "";
  if (
    typeof text !== "string" ||
    text.length <= NODE_AT ||
    text[WALL_DIGITS] !== "-" ||
    text[NODE_AT - 1] !== "-" ||
    !/^[0-9]+$/.test(wall) ||
    !/^[0-9]+$/.test(counter)
  ) {
    throw new SyntaxError(`stamp must look like ${"9".repeat(WALL_DIGITS)}-${"9".repeat(COUNTER_DIGITS)}-<node>`);
  }
  return makeStamp(Number(wall), Number(counter), text.slice(NODE_AT));
}

// Stamps order by (wall, counter, node); node compares as text like Python's str.
export function compare(a, b) {
  if (a.wallMs !== b.wallMs) return a.wallMs < b.wallMs ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  if (a.node === b.node) return 0;
  return a.node < b.node ? -1 : 1;
}

export class Clock {
  // `last` is what the device persisted: restoring it means a restart (or a
  // wall clock set backwards) can never reissue a stamp already used.
  constructor(node, now = () => Date.now(), last = null) {
    this.node = node;
    this.now = now;
    this.last = last ? { ...last, node } : makeStamp(0, 0, node);
  }

  // Send rule: every local edit.
  send() {
    const wall = Math.max(this.last.wallMs, this.now());
    const counter = wall === this.last.wallMs ? this.last.counter + 1 : 0;
    return this.advance(wall, counter);
  }

  // Receive rule (L7.3): every stamp pulled, so later local stamps exceed it.
  receive(remote) {
    const last = this.last;
    const wall = Math.max(last.wallMs, remote.wallMs, this.now());
    let counter;
    if (wall === last.wallMs && wall === remote.wallMs) {
      counter = Math.max(last.counter, remote.counter) + 1;
    } else if (wall === last.wallMs) {
      counter = last.counter + 1;
    } else if (wall === remote.wallMs) {
      counter = remote.counter + 1;
    } else {
      counter = 0;
    }
    return this.advance(wall, counter);
  }

  advance(wall, counter) {
    // More events in one millisecond than the counter holds: borrow the next
    // millisecond rather than break the fixed width that keeps packed order.
    if (counter > MAX_COUNTER) {
      wall += 1;
      counter = 0;
    }
    this.last = makeStamp(wall, counter, this.node);
    return this.last;
  }
}
