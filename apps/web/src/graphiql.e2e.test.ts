/**
 * The service's GraphiQL in a real headless Chromium, configured as `npm start` configures it in embedded mode:
 * the page and everything it loads come from the service itself, and each built-in example runs and shows data.
 */
import { fileURLToPath } from "node:url";
import { exampleOperations, sandboxExampleIds } from "@taskbridge/graphql";
import { type Stack, startStack, TEST_KEY } from "@taskbridge/graphql/testing";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium, launchChromium } from "./testing/browser.ts";

const SCREENSHOTS = fileURLToPath(new URL("../test-results/", import.meta.url));
// Looked up while the file loads, so a missing browser fails the file with its one sentence.
const CHROMIUM = findChromium();

let sandbox: Sandbox;
let stack: Stack;
let browser: Browser;
let page: Page;
let examples: { name: string; query: string; variables?: string }[];
const requested: string[] = [];
const failed: string[] = [];

beforeAll(async () => {
  browser = await launchChromium(CHROMIUM);
  sandbox = await startSandbox();
  examples = exampleOperations(sandboxExampleIds(sandbox));
  // What main.ts passes in embedded mode, with the test's key as the demo key.
  stack = await startStack({
    sandbox,
    app: {
      graphiql: {
        tabs: examples.map(({ name: _name, ...tab }) => tab),
        headers: JSON.stringify({ Authorization: `Bearer ${TEST_KEY}` }),
      },
    },
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("request", (request) => requested.push(request.url()));
  page.on("requestfailed", (request) => failed.push(request.url()));
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await sandbox?.close();
});

/**
 * Presses ▶ and returns the service's answer to the selected tab's operation. Right after a tab switch GraphiQL may
 * still hold the previous tab's operation name: it then shows "Cannot infer operation …" and sends nothing, and a
 * second press runs the tab.
 */
async function run(page: Page, name: string): Promise<{ data?: Record<string, unknown>; errors?: unknown }> {
  const sent = new RegExp(`(query|mutation) ?${name}\\b`);
  const answered = page.waitForResponse(
    (response) => response.url() === stack.url && sent.test(response.request().postData() ?? ""),
  );
  const stale = page.locator(".graphiql-response", { hasText: "Cannot infer operation" });
  await page.locator(".graphiql-execute-button").click();
  const first = await Promise.race([answered, stale.waitFor().then(() => "stale" as const)]);
  if (first !== "stale") return first.json();
  await page.locator(".graphiql-execute-button").click();
  return (await answered).json();
}

describe("GraphiQL", () => {
  it("loads with every request going to the service itself", async () => {
    await page.goto(stack.url);
    await page.locator(".graphiql-execute-button").waitFor();
    expect(requested.length).toBeGreaterThan(1);
    expect(new Set(requested.map((url) => new URL(url).origin))).toEqual(new Set([stack.server.origin]));
    expect(failed).toEqual([]);
  });

  it("runs each built-in example, which shows data without errors", async () => {
    expect(examples.map((e) => e.name)).toContain("Batch");
    for (const { name } of examples) {
      // By keyboard: in headless Chromium a mouse click on a GraphiQL tab does not select it (on focus the tab
      // takes an inline translateX from its drag-to-reorder animation and moves out from under the pointer).
      await page.getByRole("button", { name, exact: true }).press("Enter");
      await expect
        .poll(() => page.getByRole("tab", { selected: true }).locator(".graphiql-tab-button").textContent())
        .toBe(name);
      const body = await run(page, name);
      expect({ name, errors: body.errors }).toEqual({ name, errors: undefined });
      const fields = Object.values(body.data ?? {});
      expect(fields.length, name).toBeGreaterThan(0);
      expect(fields, name).not.toContain(null);
      await expect.poll(() => page.locator(".graphiql-response").textContent()).toMatch(/"data":\s*\{/);
      expect(await page.locator(".graphiql-response").textContent()).not.toContain('"errors"');
      if (name === "Batch") await page.screenshot({ path: `${SCREENSHOTS}graphiql.png` });
    }
    expect(new Set(requested.map((url) => new URL(url).origin))).toEqual(new Set([stack.server.origin]));
  });
});
