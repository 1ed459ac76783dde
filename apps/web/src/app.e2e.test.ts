/**
 * The example app in a real headless Chromium against the real service and sandbox: what a person sees, and
 * what the vendors received. One screenshot per flow in apps/web/test-results/ (not committed).
 */
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ClosableSource } from "@taskbridge/graphql";
import { type Stack, startStack, TEST_KEY } from "@taskbridge/graphql/testing";
import type { Task, Vendor } from "@taskbridge/model";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { findChromium, launchChromium } from "./testing/browser.ts";

const DIST = fileURLToPath(new URL("../dist/", import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL("../test-results/", import.meta.url));
const PROVIDER_LOOKUPS = { path: /^\/v4\/providers\// };
// Looked up while the file loads, so a missing browser fails the file with its one sentence instead of showing
// its tests as skipped.
const CHROMIUM = findChromium();

/**
 * Max AI embeds its people in the task, so the real service never looks one up and the "no lookup before
 * expanding" rule could not show in the sandbox's log. This hands the service tasks whose assignees carry ids
 * only, as a vendor without embedding sends them; every lookup is then a real GET /v4/providers/{id}.
 */
function idsOnly<V extends Vendor>(_tenant: string, source: ClosableSource<V>): ClosableSource<V> {
  return {
    ...source,
    getTask: async (id, options) => {
      const task = (await source.getTask(id, options)) as Task | null;
      return (task && { ...task, assignees: task.assignees?.map((a) => ({ ...a, inline: null })) ?? null }) as never;
    },
    close: () => source.close(),
  };
}

/** How the service serves the app: with the demo key in its config (as `npm start` does), or none. */
const served = (apiKey?: string) => ({
  sources: { decorate: idsOnly },
  webApp: { dir: DIST, config: { graphqlUrl: "/graphql", ...(apiKey ? { apiKey } : {}) } },
});

let sandbox: Sandbox;
/** The service serving the app with the demo key in its config (as `npm start` does). */
let stack: Stack;
/** The same, with no key in the config: the app asks for one. */
let keyless: Stack;
/**
 * The same again, for the task list: a vendor's 429 pauses the service's connection to it for the wait asked,
 * and the flows above leave Maxsight's and Cakewalk's paused for half a minute.
 */
let lists: Stack;
/** The app's URL in the current test. */
let appUrl: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Every URL the page requested during the test. */
let requested: string[];

beforeAll(async () => {
  if (!existsSync(`${DIST}index.html`)) {
    throw new Error("apps/web/dist is missing: build the app first (pnpm --filter @taskbridge/web build).");
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium(CHROMIUM);
  sandbox = await startSandbox();
  stack = await startStack({ sandbox, app: served(TEST_KEY) });
  keyless = await startStack({ sandbox, app: served() });
  lists = await startStack({ sandbox, app: served(TEST_KEY) });
});
afterAll(async () => {
  await browser?.close();
  await lists?.close();
  await keyless?.close();
  await stack?.close();
  await sandbox?.close();
});
beforeEach(async () => {
  sandbox.reset();
  appUrl = `${stack.server.origin}/app/`;
  requested = [];
  context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  page = await context.newPage();
  page.on("request", (request) => requested.push(request.url()));
});
afterEach(async () => {
  await context.close();
  // Nothing but the service, which serves the app and the API: the page works with the network cut off.
  const origins = new Set(requested.map((url) => new URL(url).origin));
  expect([...origins]).toEqual([new URL(appUrl).origin]);
});

const screenshot = (name: string) => page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });

/** Opens a view: loads the app the first time, then moves within it (a reload would forget a typed-in key). */
async function open(view: string) {
  if (page.url().startsWith(appUrl)) await page.evaluate((hash) => (location.hash = hash), view);
  else await page.goto(`${appUrl}#${view}`);
}

async function findTask(vendor: string, id: string) {
  await open("find");
  await page.getByLabel("Vendor").selectOption(vendor);
  await page.getByLabel("Task id").fill(id);
  await page.getByRole("button", { name: "Find", exact: true }).click();
}

/** What the service says of a task, to compare the page with. */
async function expected(vendor: string, id: string) {
  const { body } = await stack.gql(
    `query($id: ID!, $vendor: Vendor!) {
      task(id: $id, vendor: $vendor) { title description status vendorStatus ... on MaxAiTask { ehrType syncStatus } }
    }`,
    { variables: { id, vendor } },
  );
  sandbox.reset();
  return body.data.task;
}

describe("the example app", () => {
  it("finds a task: canonical fields, the vendor's raw status and its own fields", async () => {
    const { v4TaskId } = sandbox.vendors.maxai.seed.example;
    const want = await expected("MAX_AI", v4TaskId);
    await findTask("MAX_AI", v4TaskId);

    const task = page.getByTestId("task");
    await expect.poll(() => task.getByRole("heading", { level: 2 }).textContent()).toBe(want.title ?? "(no title)");
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText: the text as laid out on screen
    const text = await task.innerText();
    expect(text).toContain(`Status\n${want.status}`);
    expect(text).toContain(`Vendor status\n${want.vendorStatus} (as Max AI sent it)`);
    expect(text).toContain(`Vendor id\n${v4TaskId}`);
    expect(text).toContain(`Description\n${want.description}`);
    expect(text).toContain("Max AI fields");
    expect(text).toContain(`ehr type\n${want.ehrType}`);
    expect(text).toContain(`sync status\n${want.syncStatus}`);
    await screenshot("find-task");
  });

  it("shows a field the vendor sent unreadably as unreadable, with the rest of the task", async () => {
    const { taskId } = sandbox.vendors.maxsight.seed.example;
    const { body } = await stack.gql(`query($id: ID!) { task(id: $id, vendor: MAXSIGHT) { title raw } }`, {
      variables: { id: taskId },
    });
    // Maxsight's document allows any string in locked_at; a thirteenth month is not a time the model can read.
    sandbox.vendors.maxsight.faults.set({
      match: { method: "GET", path: `/v5/tasks/${taskId}` },
      answer: {
        status: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...body.data.task.raw, locked_at: "2019-13-24T14:15:22Z" }),
      },
    });
    await findTask("MAXSIGHT", taskId);

    const task = page.getByTestId("task");
    await expect.poll(() => task.getByRole("heading", { level: 2 }).textContent()).toBe(body.data.task.title);
    const lockedAt = task.locator("[data-problem]");
    expect(await lockedAt.getAttribute("data-problem")).toBe("VENDOR_CONTRACT_VIOLATION");
    expect(await lockedAt.getAttribute("title")).toContain("locked_at");
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText: the text as laid out on screen
    expect(await task.innerText()).toContain("locked at\nunreadable");
    await expect.poll(() => page.getByRole("alert").count()).toBe(0);
    await screenshot("unreadable-field");
  });

  it("loads assignees only when expanded: no person lookup before, one per person after", async () => {
    const { v4TaskId } = sandbox.vendors.maxai.seed.example;
    await findTask("MAX_AI", v4TaskId);
    await page.getByRole("button", { name: "Show assignees" }).waitFor();
    expect(sandbox.vendors.maxai.requests.count({ path: /^\/v2\/tasks\// })).toBe(1);
    expect(sandbox.vendors.maxai.requests.count(PROVIDER_LOOKUPS)).toBe(0);

    await page.getByRole("button", { name: "Show assignees" }).click();
    await expect
      .poll(() => page.getByTestId("assignee").allInnerTexts())
      .toEqual([expect.stringMatching(/James Wilson.* PROVIDER/)]);
    expect(sandbox.vendors.maxai.requests.count(PROVIDER_LOOKUPS)).toBe(1);
    await screenshot("assignees");
  });

  it("creates a Capy task from the form; a double click creates one task", async () => {
    const { projectId } = sandbox.vendors.capy.seed.example;
    await open("create");
    await page.getByLabel("Vendor").selectOption({ label: "Capy" });
    await page.getByLabel("project id").fill(projectId);
    await page.getByLabel("prompt").fill("Add a health endpoint.");
    await page.getByLabel("title").fill("Health endpoint");
    await page.getByRole("button", { name: "Create Capy task" }).dblclick();

    await expect
      .poll(() => page.getByTestId("created-task").allInnerTexts())
      .toEqual([expect.stringMatching(/^Capy · Health endpoint · /)]);
    await page.getByRole("button", { name: "Create Capy task" }).waitFor(); // enabled again: nothing in flight
    expect(await page.getByTestId("created-task").count()).toBe(1);
    expect(sandbox.vendors.capy.requests.count({ method: "POST", path: "/api/v1/tasks" })).toBe(1);
    await screenshot("create-task");
  });

  it("sends a Capy prompt as typed, indented and over several lines; an id with spaces is trimmed", async () => {
    const { projectId } = sandbox.vendors.capy.seed.example;
    const creates = { method: "POST", path: "/api/v1/tasks" };
    const prompt = page.getByLabel("prompt");
    const create = page.getByRole("button", { name: "Create Capy task" });
    await open("create");
    await page.getByLabel("Vendor").selectOption({ label: "Capy" });
    await page.getByLabel("project id").fill(`  ${projectId} `);
    // A blank prompt passes the form's required check; the service refuses it, naming the field, before Capy.
    await prompt.pressSequentially(" \n");
    await create.click();
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.getAttribute("data-code")).toBe("BAD_USER_INPUT");
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText: the text as laid out on screen
    expect(await alert.innerText()).toContain("prompt");
    expect(sandbox.vendors.capy.requests.count(creates)).toBe(0);

    // Typed key by key, as a person types it: Enter starts a new line, and the indentation stays.
    const typed = "    await login();\n    expect(page).toBeOk();\n\nThis hangs on CI.\n";
    await prompt.fill("");
    await prompt.pressSequentially(typed);
    await create.click();
    await expect.poll(() => page.getByTestId("created-task").count()).toBe(1);
    expect(await alert.count()).toBe(0);
    const posts = sandbox.vendors.capy.requests.entries(creates);
    expect(posts.map((post) => JSON.parse(post.body ?? "{}"))).toEqual([{ projectId, prompt: typed }]);
    await screenshot("create-typed-text");
  });

  it("creates a Max AI task: list fields from the input type", async () => {
    const { noteId, providerId } = sandbox.vendors.maxai.seed.example;
    await open("create");
    await page.getByLabel("Vendor").selectOption({ label: "Max AI" });
    await page.getByLabel("note id").fill(noteId);
    await page.getByLabel("provider id").fill(providerId);
    await page.getByLabel("notes").fill("Follow up on biopsy results");
    await page.getByLabel("assignee ids").fill(providerId);
    await page.getByRole("button", { name: "Create Max AI task" }).click();

    await expect
      .poll(() => page.getByTestId("created-task").allInnerTexts())
      .toEqual([expect.stringMatching(/^Max AI · .* · tsk_[0-9a-f]{32}/)]);
    const [post] = sandbox.vendors.maxai.requests.entries({ method: "POST", path: "/v4/tasks" });
    expect(JSON.parse(post?.body ?? "{}")).toMatchObject({ noteId, providerId, assigneeIds: [providerId] });
    await screenshot("create-maxai-task");
  });

  describe("a create whose outcome is unknown", () => {
    const creates = { method: "POST", path: "/api/v1/tasks" };
    const create = () => page.getByRole("button", { name: "Create Capy task" });

    async function fillCapyForm() {
      await open("create");
      await page.getByLabel("Vendor").selectOption({ label: "Capy" });
      await page.getByLabel("project id").fill(sandbox.vendors.capy.seed.example.projectId);
      await page.getByLabel("prompt").fill("Add a health endpoint.");
    }

    it("an answer lost after Capy created it: may exist, no same-key resend; created anyway, once", async () => {
      const { capy } = sandbox.vendors;
      await fillCapyForm();
      capy.faults.set({ match: creates, lostResponseRate: 1 });
      await create().click();

      const alert = page.getByRole("alert");
      await expect.poll(() => alert.getAttribute("data-code")).toBe("IDEMPOTENCY_OUTCOME_UNKNOWN");
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText: the text as laid out on screen
      expect(await alert.innerText()).toContain("Capy may have created the task: look for it there");
      // The unchanged form would carry the same key and only bring the same answer: not offered.
      expect(await create().isDisabled()).toBe(true);
      await screenshot("create-outcome-unknown");

      // The person looked and found none: a new create, with a key of its own; a double click sends it once.
      capy.faults.clear();
      await page.getByRole("button", { name: "Create it anyway" }).dblclick();
      await expect
        .poll(() => page.getByTestId("created-task").allInnerTexts())
        .toEqual([expect.stringMatching(/^Capy · Add a health endpoint\. · /)]);
      expect(await alert.count()).toBe(0);
      expect(await create().isEnabled()).toBe(true);
      expect(capy.requests.entries(creates).map((entry) => entry.fault ?? null)).toEqual(["lost_response", null]);
    });

    it("a network error between the page and the service: sent again, the same key, one task", async () => {
      const { capy } = sandbox.vendors;
      await fillCapyForm();
      // The service gets each create and answers it; the page sees every answer lost (the client's retries too).
      await page.route("**/graphql", async (route) => {
        await route.fetch();
        await route.abort("connectionreset");
      });
      await create().click();
      await expect.poll(() => page.getByRole("alert").getAttribute("data-code")).toBe("NETWORK_ERROR");
      expect(capy.requests.count(creates)).toBe(1);
      await screenshot("create-network-error");

      await page.unroute("**/graphql");
      await create().click();
      await expect.poll(() => page.getByTestId("created-task").count()).toBe(1);
      expect(capy.requests.count(creates)).toBe(1);
    });
  });

  it("reads a batch: tasks, not found, and per-item errors with code, vendor and retry hint", async () => {
    const { maxai, capy, maxsight } = sandbox.vendors;
    maxsight.faults.set({
      match: { path: `/v5/tasks/${maxsight.seed.example.taskId}` },
      rateLimit: { count: 1, retryAfter: "30" },
    });
    await open("batch");
    await page
      .getByLabel(/One task per line/)
      .fill(
        [
          `MAX_AI ${maxai.seed.example.v4TaskId}`,
          `CAPY ${capy.seed.example.taskId}`,
          "CAPY 00000000-0000-4000-8000-000000000000",
          "CAKEWALK not-a-uuid",
          `MAXSIGHT ${maxsight.seed.example.taskId}`,
        ].join("\n"),
      );
    await page.getByRole("button", { name: "Read", exact: true }).click();

    const rows = page.getByTestId("batch-item");
    await expect.poll(() => rows.count()).toBe(5);
    const [maxaiRow, capyRow, missing, invalid, limited] = await rows.allInnerTexts();
    expect(maxaiRow).toMatch(/^Max AI\ttsk_\w+\t.+ · [A-Z_]+ · .+$/);
    expect(capyRow).toMatch(/^Capy\t.+\t.+ · [A-Z_]+ · .+$/);
    expect(missing).toMatch(/\tNot found$/);
    expect(invalid).toContain("BAD_USER_INPUT · Cakewalk");
    expect(invalid).toContain("id: expected a UUID"); // the message names the field that is wrong
    expect(invalid).toContain("Retrying will not help: the request must change.");
    expect(limited).toContain("RATE_LIMITED · Maxsight · vendor answered HTTP 429");
    expect(limited).toContain("Retry after 30 s.");
    await screenshot("batch");
  });

  it("shows a failed read as a typed error: code, vendor, status and retry hint", async () => {
    const { cakewalk } = sandbox.vendors;
    cakewalk.faults.set({ rateLimit: { count: 1, retryAfter: "45" } });
    const answered = page.waitForResponse("**/graphql");
    await findTask("CAKEWALK", cakewalk.seed.example.taskId);
    const requestId = (await answered).headers()["x-request-id"];

    const alert = page.getByRole("alert");
    await expect.poll(() => alert.getAttribute("data-code")).toBe("RATE_LIMITED");
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText: the text as laid out on screen
    const text = await alert.innerText();
    expect(text).toContain("RATE_LIMITED · Cakewalk · vendor answered HTTP 429");
    expect(text).toContain("Retry after 45 s.");
    // What a person quotes to support: the id the service logged the request under.
    expect(requestId).toEqual(expect.any(String));
    expect(text).toContain(`Request id: ${requestId}`);
    // The client returned the long wait to the app instead of sleeping through it: one request reached Cakewalk.
    expect(cakewalk.requests.count()).toBe(1);
    await screenshot("error");
  });

  it("a vendor that is down: its error and wait at once, not a spinner through the client's retries", async () => {
    const { maxai } = sandbox.vendors;
    const id = maxai.seed.example.v4TaskId;
    // A service of its own, whose circuit breaker for Max AI opens on the failures below and answers with its cooldown.
    const own = await startStack({ sandbox, app: served(TEST_KEY) });
    try {
      appUrl = `${own.server.origin}/app/`;
      maxai.faults.set({ errorRate: 1 });
      const read = () => own.gql(`{ task(vendor: MAX_AI, id: "${id}") { id } }`);
      for (let n = 0; (await read()).body.errors[0].extensions.retryAfterSeconds === undefined; n++) {
        if (n === 20) throw new Error("Max AI's circuit did not open");
      }

      const asked = () => requested.filter((url) => url.endsWith("/graphql")).length;
      await findTask("MAX_AI", id);
      const alert = page.getByRole("alert");
      await expect.poll(() => alert.getAttribute("data-code")).toBe("VENDOR_UNAVAILABLE");
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText: the text as laid out on screen
      expect(await alert.innerText()).toMatch(/Retry after \d+ s\./);
      expect(asked()).toBe(1);
      await screenshot("vendor-down");
    } finally {
      await own.close();
    }
  });

  it("asks for an API key when the config has none, and says when the key is wrong", async () => {
    appUrl = `${keyless.server.origin}/app/`;
    await open("find");
    await page.getByLabel("API key").fill("tb_not_the_key_000");
    await page.getByRole("button", { name: "Use this key" }).click();
    await findTask("CAPY", sandbox.vendors.capy.seed.example.taskId);
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.getAttribute("data-code")).toBe("UNAUTHENTICATED");
    // The key is what must change, and the error offers to change it where the person reads it.
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText: the text as laid out on screen
    expect(await alert.innerText()).toContain("Taskbridge did not accept this API key.");

    await alert.getByRole("button", { name: "Use another API key" }).click();
    await page.getByLabel("API key").fill(TEST_KEY);
    await page.getByRole("button", { name: "Use this key" }).click();
    await findTask("CAPY", sandbox.vendors.capy.seed.example.taskId);
    await expect.poll(() => page.getByTestId("task").getByText("Capy fields").count()).toBe(1);
    await screenshot("api-key");
  });
});

describe("the task list", () => {
  beforeEach(() => {
    appUrl = `${lists.server.origin}/app/`;
  });

  const rows = () => page.getByTestId("task-row");
  const rowIds = () => rows().evaluateAll((els) => els.map((el) => el.getAttribute("data-task-id") ?? ""));
  const vendorsOf = (ids: string[]) => new Set(ids.map((id) => id.split(":")[0]));
  const pageNumber = () => page.locator(".task-page h2").textContent();

  /** The service's own listing, page by page, as the app asks for it (pages of 20). */
  async function servicePages(filter?: Record<string, unknown>): Promise<string[][]> {
    const pages: string[][] = [];
    let after: string | null = null;
    do {
      const { body } = await lists.gql(
        `query($after: String, $filter: TaskListFilter) {
          taskList(first: 20, after: $after, filter: $filter) { edges { node { id } } pageInfo { hasNextPage endCursor } }
        }`,
        { variables: { after, filter } },
      );
      pages.push(body.data.taskList.edges.map((edge: { node: { id: string } }) => edge.node.id));
      after = body.data.taskList.pageInfo.hasNextPage ? body.data.taskList.pageInfo.endCursor : null;
    } while (after);
    sandbox.reset();
    return pages;
  }

  /** Lists one vendor's tasks (the form's vendor filter) and waits until the page shows only theirs. */
  async function listVendor(label: string, prefix: string) {
    await open("list");
    await expect.poll(pageNumber).toBe("Page 1");
    await page.getByRole("checkbox", { name: label, exact: true }).check();
    await page.getByRole("button", { name: "List", exact: true }).click();
    await expect.poll(async () => [...vendorsOf(await rowIds())]).toEqual([prefix]);
  }

  /** The first row offering `action`, found again by its task id (a row keeps its place on the page). */
  async function rowOffering(action: string) {
    const id = await rows()
      .filter({ has: page.getByRole("button", { name: action, exact: true }) })
      .first()
      .getAttribute("data-task-id");
    if (!id) throw new Error(`no listed task offers ${action}`);
    return { id, vendorId: id.slice(id.indexOf(":") + 1), row: page.locator(`[data-task-id="${id}"]`) };
  }

  it("pages through all four vendors' tasks to the end, as the service lists them", async () => {
    const expected = await servicePages();
    await open("list");
    const shown: string[][] = [];
    for (let number = 1; ; number++) {
      await expect.poll(pageNumber).toBe(`Page ${number}`);
      shown.push(await rowIds());
      const next = page.getByRole("button", { name: "Next page" });
      if ((await next.count()) === 0) break;
      await next.click();
    }
    expect(shown).toEqual(expected);
    expect(vendorsOf(shown.flat())).toEqual(new Set(["maxai", "cakewalk", "capy", "maxsight"]));
    expect(await page.getByTestId("page-summary").textContent()).toContain("The last page.");
    await screenshot("task-list");
  });

  it("shows a vendor failing mid-paging with its code, vendor and retry hint, while the others list", async () => {
    const search = { method: "POST", path: "/v5/tasks/search" };
    sandbox.vendors.maxsight.faults.set({ match: search, afterRequests: 1, errorRate: 1 });
    await open("list");
    await expect.poll(pageNumber).toBe("Page 1");
    expect(await page.getByTestId("vendor-errors").count()).toBe(0);
    expect(vendorsOf(await rowIds())).toContain("maxsight");

    await page.getByRole("button", { name: "Next page" }).click();
    await expect.poll(pageNumber).toBe("Page 2");
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText: the text as laid out on screen
    const text = await page.getByTestId("vendor-errors").innerText();
    expect(text).toContain("VENDOR_UNAVAILABLE · Maxsight · vendor answered HTTP 503");
    expect(text).toContain("Retrying later may help.");
    expect(text).toContain("The next page asks Maxsight again");
    expect(vendorsOf(await rowIds())).toEqual(new Set(["maxai", "cakewalk", "capy"]));
    await screenshot("task-list-vendor-error");
  });

  it("approves a Cakewalk task: the row shows it approved, and approve is offered no more", async () => {
    await listVendor("Cakewalk", "cakewalk");
    const { vendorId, row } = await rowOffering("Approve");
    await row.getByRole("button", { name: "Approve", exact: true }).click();

    await expect.poll(() => row.locator(".vendor-status").textContent()).toBe("Approved");
    expect(await row.locator(".status").textContent()).toBe("DONE");
    expect(await row.getByRole("button", { name: /^(Approve|Decline)$/ }).count()).toBe(0);
    expect(await row.getByText("No actions").count()).toBe(1);
    expect(sandbox.vendors.cakewalk.requests.count({ method: "POST", path: /\/Approve$/i })).toBe(1);

    // Listed again, the service offers no approve either: there is no way to approve it twice.
    const listings = () => sandbox.vendors.cakewalk.requests.count({ method: "GET", path: /^\/api\/v1\/Tasks$/i });
    const before = listings();
    await page.getByRole("button", { name: "List", exact: true }).click();
    await expect.poll(listings).toBe(before + 1);
    await expect.poll(() => page.locator("[aria-busy]").count()).toBe(0);
    expect(await row.locator(".vendor-status").textContent()).toBe("Approved");
    expect(await row.getByRole("button", { name: "Approve", exact: true }).count()).toBe(0);
    const { body } = await lists.gql(`{ task(vendor: CAKEWALK, id: "${vendorId}") { availableActions } }`);
    expect(body.data.task.availableActions).toEqual([]);
    await screenshot("task-list-approve");
  });

  it("a double click on an action sends one request to the vendor", async () => {
    await listVendor("Capy", "capy");
    const { row } = await rowOffering("Stop");
    await row.getByRole("button", { name: "Stop", exact: true }).dblclick();

    // While the stop is in flight its button reads "Stop…": only once that is gone too has the answer arrived.
    await expect.poll(() => row.getByRole("button", { name: /^Stop/ }).count()).toBe(0);
    expect(await row.getByRole("button", { name: "Message", exact: true }).isEnabled()).toBe(true);
    expect(sandbox.vendors.capy.requests.count({ method: "POST", path: /\/stop$/ })).toBe(1);
    await screenshot("task-list-double-click");
  });

  it("sends a message as typed, over several lines", async () => {
    await listVendor("Capy", "capy");
    const { row } = await rowOffering("Message");
    await row.getByRole("button", { name: "Message", exact: true }).click();
    const typed = "  Please rebase first:\n    git rebase main\n";
    await row.getByLabel("Message", { exact: true }).pressSequentially(typed);
    await row.getByRole("button", { name: "Message task" }).click();

    await expect.poll(() => row.getByRole("button", { name: "Message task" }).count()).toBe(0);
    expect(await row.getByRole("alert").count()).toBe(0);
    const sent = sandbox.vendors.capy.requests.entries({ method: "POST", path: /\/message$/ });
    expect(sent.map((entry) => JSON.parse(entry.body ?? "{}"))).toEqual([{ message: typed }]);
    await screenshot("task-list-message");
  });

  describe("a stop whose outcome is unknown", () => {
    const stops = { method: "POST", path: "/api/v1/tasks/:id/stop" };
    const stop = (row: Locator) => row.getByRole("button", { name: "Stop", exact: true });

    it("an answer lost after Capy stopped: may have happened, read again to see; it had, Stop is gone", async () => {
      const { capy } = sandbox.vendors;
      await listVendor("Capy", "capy");
      const { row } = await rowOffering("Stop");
      capy.faults.set({ match: stops, lostResponseRate: 1 });
      await stop(row).click();

      const alert = row.getByRole("alert");
      await expect.poll(() => alert.getAttribute("data-code")).toBe("IDEMPOTENCY_OUTCOME_UNKNOWN");
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText: the text as laid out on screen
      const text = await alert.innerText();
      expect(text).toContain("Stopping may have happened: read the task again to see.");
      expect(text).not.toContain("creating");
      // The row may show a state the task has left: nothing is offered until it is read again.
      expect(await stop(row).isDisabled()).toBe(true);
      await screenshot("task-list-outcome-unknown");

      await row.getByRole("button", { name: "Read the task again" }).click();
      await expect.poll(() => stop(row).count()).toBe(0);
      expect(await row.getByRole("alert").count()).toBe(0);
      expect(await row.getByRole("button", { name: "Message", exact: true }).isEnabled()).toBe(true);
      expect(capy.requests.count({ method: "POST", path: /\/stop$/ })).toBe(1);
    });

    it("a stop that never reached Capy: read again, Stop is offered and sent anew, and it stops", async () => {
      const { capy } = sandbox.vendors;
      await listVendor("Capy", "capy");
      const { row } = await rowOffering("Stop");
      capy.faults.set({ match: stops, resetRate: 1 });
      await stop(row).click();
      await expect.poll(() => row.getByRole("alert").getAttribute("data-code")).toBe("IDEMPOTENCY_OUTCOME_UNKNOWN");

      capy.faults.clear();
      await row.getByRole("button", { name: "Read the task again" }).click();
      await expect.poll(() => row.getByRole("alert").count()).toBe(0);
      expect(await stop(row).isEnabled()).toBe(true);
      // The person decides on the task as it is now: a new action, with a key of its own, which Capy receives.
      await stop(row).click();
      await expect.poll(() => stop(row).count()).toBe(0);
      expect(await row.getByRole("alert").count()).toBe(0);
      const sent = capy.requests.entries({ method: "POST", path: /\/stop$/ });
      expect(sent.map((entry) => entry.status)).toEqual([0, 200]);
    });
  });

  it("read again after a lost answer, the task is gone: the row says so and offers no action", async () => {
    const { capy } = sandbox.vendors;
    await listVendor("Capy", "capy");
    const { vendorId, row } = await rowOffering("Stop");
    capy.faults.set({ match: { method: "POST", path: "/api/v1/tasks/:id/stop" }, lostResponseRate: 1 });
    await row.getByRole("button", { name: "Stop", exact: true }).click();
    await expect.poll(() => row.getByRole("alert").getAttribute("data-code")).toBe("IDEMPOTENCY_OUTCOME_UNKNOWN");

    // Capy no longer has the task: its own answer for a task it does not have.
    const missing = await fetch(`${capy.url}/v1/tasks/00000000-0000-4000-8000-000000000000`, {
      headers: { authorization: `Bearer ${capy.credentials.token}` },
    });
    expect(missing.status).toBe(404);
    capy.faults.set({
      match: { method: "GET", path: `/api/v1/tasks/${vendorId}` },
      answer: {
        status: 404,
        headers: { "content-type": missing.headers.get("content-type") ?? "application/json" },
        body: await missing.text(),
      },
    });
    await row.getByRole("button", { name: "Read the task again" }).click();

    await expect.poll(() => row.getByTestId("gone").textContent()).toBe("Capy no longer has this task.");
    expect(await row.getByRole("alert").count()).toBe(0);
    expect(await row.locator(".task-actions button").count()).toBe(0);
    await screenshot("task-list-gone");
  });

  it("assigning a Maxsight task under a stale version shows VENDOR_CONFLICT; read again, it assigns", async () => {
    const { personIds, teamIds } = sandbox.vendors.maxsight.seed;
    await listVendor("Maxsight", "maxsight");
    const { vendorId, row } = await rowOffering("Assign");
    // Someone else reassigns the task after the page was listed: the page's version is stale.
    const read = await lists.gql(`{ task(vendor: MAXSIGHT, id: "${vendorId}") { version } }`);
    const moved = await lists.gql(
      "mutation($input: AssignTaskInput!) { assignTask(input: $input) { task { version } } }",
      {
        variables: {
          input: {
            vendor: "MAXSIGHT",
            id: vendorId,
            assignee: { id: teamIds[1], kind: "TEAM" },
            expectedVersion: read.body.data.task.version,
            actorId: personIds[0],
          },
        },
      },
    );
    const current: string = moved.body.data.assignTask.task.version;
    sandbox.vendors.maxsight.requests.clear();

    await row.getByRole("button", { name: "Assign", exact: true }).click();
    await row.getByLabel("Assignee id").fill(` ${teamIds[0]}  `); // an id pasted with spaces around it
    await row.getByLabel("Assignee kind").selectOption("TEAM");
    await row.getByLabel("Acting user id").fill(personIds[0] as string);
    await row.getByRole("button", { name: "Assign task" }).click();

    await expect.poll(() => row.getByRole("alert").getAttribute("data-code")).toBe("VENDOR_CONFLICT");
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText: the text as laid out on screen
    expect(await row.getByRole("alert").innerText()).toContain("VENDOR_CONFLICT · Maxsight · vendor answered HTTP 412");
    expect(await row.getByTestId("conflict").textContent()).toContain(`its version is now ${current}`);
    await screenshot("task-list-conflict");

    await row.getByRole("button", { name: "Read the task again" }).click();
    await expect.poll(() => row.locator(".version code").textContent()).toBe(current);
    await row.getByRole("button", { name: "Assign task" }).click();
    await expect.poll(() => row.getByRole("button", { name: "Assign task" }).count()).toBe(0);
    expect(await row.getByRole("alert").count()).toBe(0);
    const puts = sandbox.vendors.maxsight.requests.entries({ method: "PUT" });
    expect(puts.map((put) => put.status)).toEqual([412, 200]);
  });
});
