// The app's own routes: "METHOD /app/path/:param" → handler. The service
// worker asks `match` for every request under /app/ that is not a shell file.

export function router(table) {
  const routes = Object.entries(table).map(([spec, handler]) => {
    const [method, pattern] = spec.split(" ");
    const names = [];
    const source = pattern.replace(/:([a-z_]+)/g, (_, name) => {
      names.push(name);
      return "([^/]+)";
    });
    return { spec, method, regex: new RegExp(`^${source}$`), names, handler };
  });
  return function match(method, path) {
    for (const route of routes) {
      const found = route.method === method && route.regex.exec(path);
      if (found) {
        const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(found[i + 1])]));
        return { spec: route.spec, handler: route.handler, params };
      }
    }
    return null;
  };
}
