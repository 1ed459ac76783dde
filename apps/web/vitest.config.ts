import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

// The browser tests run the service in-process: as in apps/graphql/vitest.config.ts, give Vite the CommonJS
// graphql that Node gives the service's dependencies, so there is one GraphQLError class.
const graphqlMain = createRequire(import.meta.resolve("@taskbridge/graphql")).resolve("graphql");

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlMain }] },
  // A real browser beside CI's other tasks on two cores: the timeouts only catch a hang. That includes
  // expect.poll's, whose 1 s default a listing across four vendors can pass while the cores are busy.
  test: { testTimeout: 30_000, hookTimeout: 60_000, expect: { poll: { timeout: 10_000 } } },
});
