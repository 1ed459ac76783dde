import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium: an executable named `chromium` on PATH (the bootstrap puts one there), or /usr/bin/chromium. */
export function findChromium(): string {
  const candidates = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), "/usr/bin"].map((dir) =>
    join(dir, "chromium"),
  );
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {}
  }
  throw new Error(
    "Chromium was not found: the browser tests need an executable named chromium on PATH or at /usr/bin/chromium (npm test's bootstrap brings it; on Debian, apt-get install chromium).",
  );
}

/**
 * Headless Chromium as root on a machine whose network ends at loopback: no sandbox (root), no GPU, and none of
 * the background connections (updates, sync, QUIC) that would be refused. Playwright gives each launch a new
 * empty profile (--user-data-dir).
 */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    chromiumSandbox: false,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
