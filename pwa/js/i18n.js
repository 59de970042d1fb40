// Translations: pwa/locales/<lang>.json, Finnish first, and the labels of the
// domain's vocabularies exactly as the server's pages show them
// (generated/rules.js, from server/translations/). A missing key falls back
// to Finnish, then to the key itself (a test keeps the catalogs complete).
import RULES from "./generated/rules.js";

export const LANGUAGES = ["fi", "sv", "en"];
export const LOCALES = { fi: "fi-FI", sv: "sv-FI", en: "en-GB" };

export function translator(catalogs, lang) {
  const own = { ...catalogs[lang], ...RULES.labels[lang] };
  const fallback = { ...catalogs.fi, ...RULES.labels.fi };
  const t = (key, values) => {
    const text = own[key] ?? fallback[key] ?? key;
    return values ? text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? "")) : text;
  };
  const locale = LOCALES[lang] || LOCALES.fi;
  t.lang = lang;
  t.date = (iso) => (iso ? new Date(`${iso}T12:00:00`).toLocaleDateString(locale) : "");
  t.time = (ms) =>
    ms ? new Date(ms).toLocaleString(locale, { dateStyle: "short", timeStyle: "short" }) : "";
  return t;
}
