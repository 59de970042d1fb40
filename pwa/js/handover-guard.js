// Hand-over mode beyond the app's own pages. The worker's scope is the whole
// origin, so that while the device is handed over, a typed address of the
// server's pages (/vouchers/, /review/…, open with the browser's login) leads
// to the hand-over screen like every address under /app/. Otherwise nothing
// outside /app/ is answered: the browser fetches it as if there were no worker.
//
// A fetch event must be answered (or not) at once, so the mode is kept in
// memory: read when the worker starts and again after each write of the app
// (sw.js). A navigation that comes before that read has ended (typically
// the very one that started the worker) waits for it, and is then either
// sent to the hand-over screen or fetched unchanged.

export function handoverGuard(store, { fetch = (request) => globalThis.fetch(request) } = {}) {
  let active; // true / false; undefined while being read
  let reading;

  function refresh() {
    active = undefined;
    const read = store.meta().then((meta) => Boolean(meta.handover));
    reading = read;
    read.then(
      (value) => { if (reading === read) active = value; },
      () => { if (reading === read) reading = null; }, // unknown: the next navigation reads again
    );
    return read.catch(() => false);
  }

  const toScreen = (request) => Response.redirect(new URL("/app/handover", request.url).href, 303);

  // For a request the app does not answer itself: a promise of the response,
  // or null to leave the request to the browser. Only navigations (typed
  // addresses, links, forms) are ever answered; fetch/XHR go on untouched.
  function answer(request) {
    if (request.mode !== "navigate" || active === false) return null;
    if (active === true) return Promise.resolve(toScreen(request));
    if (!reading) refresh();
    // The mode cannot be read at all (nor can the app's own pages): let it through.
    return reading.then((on) => (on ? toScreen(request) : fetch(request)), () => fetch(request));
  }

  refresh();
  return { answer, refresh, state: () => active };
}
