export {
  type CallOptions,
  type CreateTaskInput,
  type CreateTaskOptions,
  createTaskbridgeClient,
  newIdempotencyKey,
  type TaskbridgeClient,
  type TaskbridgeClientOptions,
  type TaskRef,
  type TaskResult,
} from "./client.ts";
export {
  type ErrorCode,
  type ErrorDetail,
  isRetryableCode,
  type RateLimitedBy,
  type ServiceErrorCode,
  TaskbridgeError,
} from "./errors.ts";
export { createTaskInputs, type InputFieldSpec } from "./generated/create-task-inputs.ts";
export { type FragmentOf, graphql, type ResultOf, type TadaDocumentNode, type VariablesOf } from "./graphql.ts";
export {
  type Assignee,
  AssigneesQuery,
  CreateTaskMutation,
  type Task,
  TaskErrorFields,
  TaskFields,
  TaskQuery,
  type TaskStatus,
  TasksQuery,
  type Vendor,
} from "./operations.ts";
export type { RetryOptions } from "./retry.ts";
export { TASK_STATUSES, VENDORS } from "./enums.ts";
