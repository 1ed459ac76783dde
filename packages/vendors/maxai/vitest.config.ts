import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      // Bridge until fast-check is a devDependency of this package (see tsconfig.json).
      "fast-check": fileURLToPath(new URL("../../http/node_modules/fast-check/lib/fast-check.js", import.meta.url)),
    },
  },
});
