import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Rolldown } from "vite";

/** What the issue allows the browser bundle to weigh, minified and gzipped. */
export const BUNDLE_LIMIT_BYTES = 8 * 1024;

const ENTRY = fileURLToPath(new URL("../src/index.ts", import.meta.url));

/**
 * The client as a browser app would ship it: every export of the package with its dependencies, bundled for
 * browsers and minified as an app's build minifies. Nothing is tree-shaken away, so an app that uses less ships less.
 * Not Vite's library mode: for ES output it keeps the whitespace, which no app ships.
 */
export async function browserBundleSize(): Promise<{ minified: number; gzip: number }> {
  const output = await build({
    configFile: false,
    logLevel: "silent",
    build: {
      write: false,
      minify: true,
      rollupOptions: { input: ENTRY, preserveEntrySignatures: "strict" },
    },
  });
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => (o as Rolldown.RolldownOutput).output);
  const code = chunks.map((chunk) => (chunk.type === "chunk" ? chunk.code : "")).join("");
  return { minified: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).byteLength };
}
