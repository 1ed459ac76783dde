import {
  type CapyCreateTaskInput,
  type CapyTask,
  canonicalStatus,
  type FieldReader,
  fieldReader,
  type UnreadableField,
  type VendorAnswer,
  VendorContractViolationError,
} from "@taskbridge/model";
import { answeredTaskId } from "./ids.ts";
import type { CapyCreatedTaskWire, CapyTaskWire } from "./wire.ts";

/**
 * Capy task → canonical Task. `description` is the prompt: it is the task's body text (Capy has no other),
 * and `details.prompt` repeats it so the Capy-specific view is complete on its own.
 * Capy tasks have no assignee, so `assignees` is always empty. The spec types timestamps as plain strings: one we
 * cannot read costs its field only (`problems`). The id comes back canonical (answeredTaskId). `answer` is the HTTP
 * answer the task came in.
 */
export function mapTask(wire: CapyTaskWire, raw: Record<string, unknown>, answer: VendorAnswer): CapyTask {
  const read = reader(answer);
  return read.finish({
    vendor: "capy",
    id: answeredTaskId(wire.id),
    title: wire.title,
    description: wire.prompt,
    status: canonicalStatus("capy", wire.status),
    vendorStatus: wire.status,
    createdAt: read.timestamp("createdAt", wire.createdAt, "createdAt"),
    updatedAt: read.timestamp("updatedAt", wire.updatedAt, "updatedAt"),
    assignees: [],
    raw,
    details: {
      projectId: wire.projectId,
      identifier: wire.identifier,
      prompt: wire.prompt,
      pullRequest: wire.pullRequest,
      slackThreads: wire.slackThreads.map(({ teamId, channelId, threadTs, url }) => ({
        teamId,
        channelId,
        threadTs,
        url,
      })),
      threadId: wire.threadId,
    },
  });
}

/**
 * The create response (`{id, projectId, identifier, title, status, createdAt}`) plus what we sent → a canonical
 * Task, for when the follow-up GET is not available. What Capy did not send is taken from the input (prompt,
 * projectId) or is the state of a task that was just created: updatedAt = createdAt, no Slack threads, no pull
 * request, no thread. A field that neither source has is a contract violation that says the task was created.
 */
export function mapCreatedTask(
  wire: CapyCreatedTaskWire,
  input: CapyCreateTaskInput,
  raw: Record<string, unknown>,
  answer: VendorAnswer,
): CapyTask {
  const missing = (field: string) =>
    new VendorContractViolationError(
      "capy",
      `capy createTask: task ${wire.id} was created, but the response lacks ${field} and the task could not be read back`,
      { detail: `missing ${field}`, field, status: answer.status, traceId: answer.traceId },
    );
  if (wire.identifier === undefined) throw missing("identifier");
  if (wire.status === undefined) throw missing("status");
  if (wire.createdAt === undefined) throw missing("createdAt");
  const read = reader(answer);
  return read.finish({
    vendor: "capy",
    id: answeredTaskId(wire.id),
    title: wire.title ?? input.title ?? null,
    description: input.prompt,
    status: canonicalStatus("capy", wire.status),
    vendorStatus: wire.status,
    createdAt: read.timestamp("createdAt", wire.createdAt, "createdAt"),
    // Nothing happened to the task since it was created.
    updatedAt: read.timestamp("updatedAt", wire.createdAt, "createdAt"),
    assignees: [],
    raw,
    details: {
      projectId: wire.projectId ?? input.projectId,
      identifier: wire.identifier,
      prompt: input.prompt,
      pullRequest: null,
      slackThreads: [],
      threadId: null,
    },
  });
}

const reader = (answer: VendorAnswer): FieldReader<UnreadableField<CapyTask>> => fieldReader("capy", answer);
