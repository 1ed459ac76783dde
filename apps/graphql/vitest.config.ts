import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

// graphql 16 ships CommonJS (`main`) and ESM (`module`) without an `exports` map. Node loads the CommonJS build
// for every importer, but Vite would give our sources the ESM one: two GraphQLError classes, and yoga would
// mask our own errors. Point Vite at the file Node uses.
const graphqlMain = createRequire(import.meta.url).resolve("graphql");

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlMain }] },
  // These tests run real servers and wait out real Retry-After delays (up to 3 s) while CI runs other packages'
  // tests on the same two cores; the timeouts only catch a hang, so give them room.
  test: { testTimeout: 30_000, hookTimeout: 30_000 },
});
