import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { mergeOpenApi } from "./merge-openapi.ts";

export const pactsDir = fileURLToPath(new URL("../pacts", import.meta.url));
const openapiDir = fileURLToPath(new URL("../openapi", import.meta.url));

/** The providers of the pact files in `dir` (`taskbridge-<provider>.json`), in name order. */
export function pactProviders(dir = pactsDir): string[] {
  return readdirSync(dir)
    .flatMap((file) => /^taskbridge-([a-z][a-z0-9]*)\.json$/.exec(file)?.[1] ?? [])
    .sort();
}

/**
 * Every pact the consumer tests wrote is checked, a new vendor's included: against its provider's OpenAPI documents
 * and its simulator, which must therefore exist.
 */
export const PROVIDERS = pactProviders();
export type Provider = string;

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
  if (files.length === 0) {
    throw new Error(`no OpenAPI document for ${provider} in pact/openapi: add ${provider}-*.yaml (pact/README.md)`);
  }
  return mergeOpenApi(
    files.map((file) => ({
      name: file.replace(/\.(ya?ml|json)$/, ""),
      doc: parse(readFileSync(`${openapiDir}/${file}`, "utf8")),
    })),
  );
}
