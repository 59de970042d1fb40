// The app shell: the files the service worker caches at install (its own
// modules it keeps by itself; the page's modules are here, since the worker
// answers the page's requests). The cache is named after VERSION in sw.js.

export const SHELL = [
  "/app/css/app.css",
  "/app/js/app.js",
  "/app/js/handover-page.js",
  "/app/js/signoff/assertion.js",
  "/app/js/signoff/bytes.js",
  "/app/js/signoff/canonical.js",
  "/app/js/signoff/challenge.js",
  "/app/vendor/htmx-2.0.11.min.js",
  "/app/locales/fi.json",
  "/app/locales/sv.json",
  "/app/locales/en.json",
  "/app/manifest.webmanifest",
  "/app/icons/icon.svg",
  "/app/icons/icon-192.png",
  "/app/icons/icon-512.png",
];
