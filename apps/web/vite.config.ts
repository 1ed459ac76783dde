import type { IncomingMessage, ServerResponse } from "node:http";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import { devServiceOrigin } from "./src/env.ts";

/**
 * In dev, answers /app/config.json the way the service does outside embedded mode: the GraphQL URL and no key,
 * so the app asks for one (npm start prints the demo key).
 */
const devConfig: Plugin = {
  name: "taskbridge-dev-config",
  apply: "serve",
  configureServer(server) {
    server.middlewares.use("/app/config.json", (_req: IncomingMessage, res: ServerResponse) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ graphqlUrl: "/graphql" }));
    });
  },
};

// The service serves the built app under /app/ (and /app/config.json beside it). Only the dev server forwards
// /graphql, so a build does not depend on where a service runs.
export default defineConfig(({ command }) => ({
  base: "/app/",
  plugins: [react(), devConfig],
  server: command === "serve" ? { proxy: { "/graphql": devServiceOrigin() } } : {},
  build: { outDir: "dist", emptyOutDir: true },
}));
