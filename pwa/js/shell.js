// The app shell: what the service worker caches at install, under a cache
// named after VERSION. Bump VERSION with every release so the new worker
// installs, is announced, and takes over on reload (IndexedDB is untouched).
export const VERSION = "2026.11.22-1";

export const SHELL = [
  "/app/css/app.css",
  "/app/js/app.js",
  "/app/vendor/htmx-2.0.11.min.js",
  "/app/locales/fi.json",
  "/app/locales/sv.json",
  "/app/locales/en.json",
  "/app/manifest.webmanifest",
  "/app/icons/icon.svg",
  "/app/icons/icon-192.png",
  "/app/icons/icon-512.png",
];
