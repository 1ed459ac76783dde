/**
 * An app outside the workspace: the pack test installs the packed client next to this file with plain npm,
 * typechecks it with that folder's TypeScript and runs it on the machine's own Node against a running service.
 */
import { createTaskbridgeClient, graphql, TaskbridgeError } from "@taskbridge/client";

// The client's types need only the DOM's fetch, not Node's: this app declares the little of Node it uses.
declare const process: { argv: string[]; version: string };

const [url = "", apiKey = "", maxaiTaskId = "", capyTaskId = "", capyProjectId = ""] = process.argv.slice(2);
const client = createTaskbridgeClient({ url, apiKey });

const task = await client.getTask({ vendor: "MAX_AI", id: maxaiTaskId });
const ehrType = task?.__typename === "MaxAiTask" ? task.ehrType : null;

const CapyIdentifier = graphql(`
  query CapyIdentifier($id: ID!) { task(vendor: CAPY, id: $id) { vendorStatus ... on CapyTask { identifier } } }
`);
const mine = await client.request(CapyIdentifier, { id: capyTaskId });
// @ts-expect-error: `title` was not selected, so the result type has no such field
const unselected: unknown = mine.task?.title;

const page = await client.listTasks({ first: 4, filter: { vendors: ["MAX_AI", "CAPY"] } });
const listed = { vendors: [...new Set(page.tasks.map((t) => t.vendor))].sort(), more: page.pageInfo.hasNextPage };

const [item] = await client.getTasks([{ vendor: "CAKEWALK", id: "not-a-uuid" }]);
const created = await client.createTask({
  capy: { projectId: capyProjectId, title: "From an app outside the workspace", prompt: "Say hello." },
});

let refused: unknown;
try {
  await createTaskbridgeClient({ url, apiKey: "tb_not_a_key_0000" }).getTask({ vendor: "CAPY", id: capyTaskId });
} catch (error) {
  refused = error instanceof TaskbridgeError ? { code: error.code, status: error.status } : String(error);
}

console.log(
  JSON.stringify({
    node: process.version,
    task: task && { vendor: task.vendor, vendorId: task.vendorId, vendorStatus: task.vendorStatus, ehrType },
    mine,
    listed,
    unselected: unselected ?? null,
    itemError: item?.error && { code: item.error.code, vendor: item.error.vendor },
    created: { vendor: created.vendor, title: created.title },
    refused,
  }),
);
