import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { printedSchema } from "./schema.ts";

/** `pnpm --filter @taskbridge/graphql schema:print` → apps/graphql/schema.graphql */
export const SCHEMA_FILE = fileURLToPath(new URL("../schema.graphql", import.meta.url));

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(SCHEMA_FILE, printedSchema());
  console.log(`wrote ${SCHEMA_FILE}`);
}
