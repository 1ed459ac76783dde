import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./e2e-support.ts";
import { sandboxExampleIds } from "./embedded.ts";
import { exampleOperations } from "./examples.ts";

let sandbox: Sandbox;
let stack: Stack;

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({ sandbox, logLevel: "warn" });
});
afterAll(async () => {
  await stack.close();
  await sandbox.close();
});

describe("GraphiQL's example tabs, run against the sandbox as a person would", () => {
  it("every tab answers without errors, in order, each with its own variables", async () => {
    const tabs = exampleOperations(sandboxExampleIds(sandbox));
    expect(tabs.map((tab) => tab.name)).toEqual(
      expect.arrayContaining([
        "TaskList",
        "ApproveTask",
        "DeclineTask",
        "StopTask",
        "MessageTask",
        "AssignTask",
        "UnassignTask",
      ]),
    );
    for (const tab of tabs) {
      const { body } = await stack.gql(tab.query, { variables: JSON.parse(tab.variables ?? "{}") });
      expect({ tab: tab.name, errors: body.errors }).toEqual({ tab: tab.name, errors: undefined });
      if (tab.name.startsWith("TaskList")) expect(body.data.taskList.edges.length).toBeGreaterThan(0);
    }
  });

  it("TaskList pages through all four vendors to the end by putting endCursor in its variables", async () => {
    sandbox.reset();
    const tab = exampleOperations(sandboxExampleIds(sandbox)).find((t) => t.name === "TaskList");
    const variables = JSON.parse(tab?.variables ?? "{}");
    const vendors = new Map<string, number>();
    for (let page = 0; page < 50; page++) {
      const { body } = await stack.gql(tab?.query as string, { variables });
      expect(body.errors).toBeUndefined();
      const list = body.data.taskList;
      expect(list.vendorErrors).toEqual([]);
      for (const { node } of list.edges) vendors.set(node.vendor, (vendors.get(node.vendor) ?? 0) + 1);
      if (!list.pageInfo.hasNextPage) break;
      variables.after = list.pageInfo.endCursor;
    }
    expect(Object.fromEntries(vendors)).toEqual({ MAX_AI: 60, CAKEWALK: 17, CAPY: 14, MAXSIGHT: 60 });
  });
});
