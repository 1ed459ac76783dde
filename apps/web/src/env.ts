/**
 * The only reader of process.env in apps/web, and only Node reads it (vite.config.ts, for the dev server): the app
 * in the browser learns where the service is from config.json.
 */

/**
 * Where `npm run web` forwards /graphql: TASKBRIDGE_URL, else where `npm start` listens given the same environment
 * (127.0.0.1, port PORT or 4000). Empty values count as unset, as in .env.example.
 */
export function devServiceOrigin(env: Record<string, string | undefined> = process.env): string {
  if (env.TASKBRIDGE_URL) {
    if (!URL.canParse(env.TASKBRIDGE_URL)) {
      throw new Error("TASKBRIDGE_URL must be the service's origin, e.g. http://127.0.0.1:4000.");
    }
    return new URL(env.TASKBRIDGE_URL).origin;
  }
  const port = Number(env.PORT || 4000);
  // PORT=0 lets the service take any free port, which only it knows.
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error("PORT names no port the dev server can reach: set TASKBRIDGE_URL to the service's origin.");
  }
  return `http://127.0.0.1:${port}`;
}
