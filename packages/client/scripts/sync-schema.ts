/** `pnpm --filter @taskbridge/client schema:sync`: copies the service's SDL and regenerates the types from it. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { packagePath, SERVICE_SDL, schemaFiles } from "./schema-files.ts";

for (const [file, content] of Object.entries(schemaFiles(readFileSync(SERVICE_SDL, "utf8")))) {
  const path = packagePath(file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  console.log(`wrote ${path}`);
}
