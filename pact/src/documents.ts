import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { VENDORS, type Vendor } from "@taskbridge/sandbox";
import { parse } from "yaml";
import { mergeOpenApi } from "./merge-openapi.ts";

/** Every vendor the sandbox simulates is a provider with a pact. */
export const PROVIDERS = VENDORS;
export type Provider = Vendor;

export const pactsDir = fileURLToPath(new URL("../pacts", import.meta.url));
const openapiDir = fileURLToPath(new URL("../openapi", import.meta.url));

export function pactFile(provider: Provider): string {
  return `${pactsDir}/taskbridge-${provider}.json`;
}

export function readPact(provider: Provider): Record<string, unknown> {
  return JSON.parse(readFileSync(pactFile(provider), "utf8"));
}

/**
 * Every document in openapi/ named `<provider>-*` describes that provider: its published specs first, then the
 * `*.transcribed.*` ones written by hand from its docs pages. Merged into the one document the comparator takes.
 */
export function providerDocument(provider: Provider): Record<string, unknown> {
  const files = readdirSync(openapiDir)
    .filter((file) => file.startsWith(`${provider}-`))
    .sort((a, b) => Number(a.includes(".transcribed.")) - Number(b.includes(".transcribed.")) || a.localeCompare(b));
  if (files.length === 0) throw new Error(`no OpenAPI document for ${provider} in ${openapiDir}`);
  return mergeOpenApi(
    files.map((file) => ({
      name: file.replace(/\.(ya?ml|json)$/, ""),
      doc: parse(readFileSync(`${openapiDir}/${file}`, "utf8")),
    })),
  );
}
