/** `pnpm --filter @taskbridge/client build` (also run by `pnpm pack`): dist/ with JS and .d.ts, and the bundle size. */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BUNDLE_LIMIT_BYTES, browserBundleSize } from "./bundle-size.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
execFileSync("tsc", ["-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });

const { minified, gzip } = await browserBundleSize();
const verdict = gzip <= BUNDLE_LIMIT_BYTES ? "within" : "OVER";
console.log(
  `@taskbridge/client browser bundle: ${minified} B minified, ${gzip} B gzip (${verdict} the ${BUNDLE_LIMIT_BYTES} B limit)`,
);
if (gzip > BUNDLE_LIMIT_BYTES) process.exitCode = 1;
