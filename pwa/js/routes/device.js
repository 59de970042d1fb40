// Routes of the device itself: supervisor returns, sync and its attention
// list, the conflict inbox, language, export, logout, and the lock another
// user's login puts on the device.
import { text } from "../forms.js";
import { get } from "../queries.js";
import { choiceRefusal, isFreeText } from "../conflict-choices.js";
import { conflictInbox, exportPage, logoutRefused, otherUserLock, syncPage } from "../views/sync.js";
import { lockedLayout } from "../views/ui.js";

export function deviceRoutes({ store, client, afterWrite, now, page, notFound, back, htmlResponse }) {
  const unsyncedIds = (outbox, attention) => [
    ...outbox.map((m) => m.mutation_id),
    ...attention.map((a) => a.mutation.mutation_id),
  ];

  // Only the app's own pages: never an open redirect.
  const safeNext = (form) => {
    const next = form.get("next");
    return typeof next === "string" && next.startsWith("/app/") ? next : "/app/";
  };

  return {
    // -- supervisor returns: the coach answers --
    "POST /app/returns/:id": async (c, { id }, form) => {
      const answer = text(form, "answer");
      if (!get(c.snap, "review_return", id)) return notFound(c);
      if (answer) {
        await store.save("review_return", id, { status: "answered", answer });
        afterWrite();
      }
      return back(c, safeNext(form));
    },

    // -- sync, attention, conflicts --
    "GET /app/sync": (c) => page(c, c.t("sync.title"), syncPage(c, c.url.searchParams.get("result"))),
    "POST /app/sync": async (c) => {
      const result = await client.syncWithRetry({ attempts: 1 });
      return back(c, `/app/sync?result=${result.ok ? "ok" : result.kind}`);
    },
    "POST /app/attention/:id/retry": async (c, { id }) => {
      await store.retry(id);
      afterWrite();
      return back(c, "/app/sync");
    },
    "POST /app/attention/:id/dismiss": async (c, { id }) => {
      await store.dismiss(id);
      return back(c, "/app/sync");
    },
    "GET /app/conflicts": (c) => page(c, c.t("conflict.title"), conflictInbox(c)),
    "POST /app/conflicts/:id": async (c, { id }, form) => {
      const conflict = c.snap.conflicts.find((x) => x.conflict_id === id);
      if (!conflict) return notFound(c);
      const choice = form.get("choice");
      // Signed content: only the signed value is a resolution; the new one needs a new signature.
      if (conflict.kind === "signed" && choice !== "0") return back(c, "/app/conflicts");
      const merged = choice === "merged" && isFreeText(conflict.record_type, conflict.field);
      const value = merged ? (form.get("merged") ?? "") : conflict.values[Number(choice)]?.value;
      // Only what the inbox offers: a listed value the server would accept, or merged text.
      if (value === undefined || choiceRefusal(c, conflict, value)) return back(c, "/app/conflicts");
      await store.resolve(id, value);
      afterWrite({ now: true });
      return back(c, "/app/conflicts");
    },

    // -- another user's login (local-server.js sends every page here meanwhile) --
    "GET /app/locked": (c) =>
      c.meta.other_user ? htmlResponse(lockedLayout(c, c.t("locked.title"), otherUserLock(c))) : back(c, "/app/"),

    // -- language, export, logout --
    "POST /app/language": async (c, _p, form) => {
      const lang = form.get("lang");
      if (["fi", "sv", "en"].includes(lang)) await store.setMeta({ lang });
      return back(c, safeNext(form));
    },
    "GET /app/export": (c) => {
      const done = c.url.searchParams.has("done");
      const count = done ? (c.meta.exported || []).length : c.snap.pendingCount + c.snap.attention.length;
      return page(c, c.t("sync.export"), exportPage(c, count, done));
    },
    "POST /app/export": async (c) => {
      const body = {
        exported_at: new Date(now()).toISOString(),
        device_id: c.meta.device_id,
        user: c.meta.user,
        outbox: (await store.outbox()).map((e) => e.mutation),
        attention: c.snap.attention.map(({ mutation, errors, at }) => ({ mutation, errors, at })),
      };
      await store.setMeta({ exported: unsyncedIds(body.outbox, c.snap.attention) });
      return new Response(JSON.stringify(body, null, 2), {
        headers: {
          "Content-Type": "application/json",
          "Content-Disposition": 'attachment; filename="polku-outbox.json"',
          "Cache-Control": "no-store",
        },
      });
    },
    "POST /app/logout": async (c) => {
      const outbox = (await store.outbox()).map((e) => e.mutation);
      const ids = unsyncedIds(outbox, c.snap.attention);
      const exported = new Set(c.meta.exported || []);
      if (ids.some((m) => !exported.has(m))) return page(c, c.t("logout.title"), logoutRefused(c, ids.length), 409);
      await client.logout();
      return back(c, "/login");
    },
  };
}
