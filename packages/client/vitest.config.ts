import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

// The e2e tests run the service in-process: as in apps/graphql/vitest.config.ts, give Vite the CommonJS graphql
// that Node gives the service's dependencies, so there is one GraphQLError class.
const graphqlMain = createRequire(import.meta.resolve("@taskbridge/graphql")).resolve("graphql");

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlMain }] },
  // Real servers, a real npm install and real Retry-After waits beside CI's other tasks: timeouts only catch a hang.
  test: { testTimeout: 60_000, hookTimeout: 60_000 },
});
