export {
  type CallOptions,
  type CreateTaskInput,
  createTaskbridgeClient,
  newIdempotencyKey,
  type TaskbridgeClient,
  type TaskbridgeClientOptions,
  type TaskListArgs,
  type TaskPage,
  type TaskRef,
  type TaskResult,
  type WithProblems,
  type WriteOptions,
} from "./client.ts";
export { TASK_STATUSES, VENDORS } from "./enums.ts";
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
  type ApproveTaskInput,
  ApproveTaskMutation,
  type Assignee,
  AssigneesQuery,
  type AssignTaskInput,
  AssignTaskMutation,
  CreateTaskMutation,
  type DeclineTaskInput,
  DeclineTaskMutation,
  type MessageTaskInput,
  MessageTaskMutation,
  type StopTaskInput,
  StopTaskMutation,
  type Task,
  type TaskAction,
  TaskErrorFields,
  TaskFields,
  type TaskListFilter,
  TaskListQuery,
  TaskQuery,
  type TaskStatus,
  TasksQuery,
  type UnassignTaskInput,
  UnassignTaskMutation,
  type Vendor,
} from "./operations.ts";
export type { RetryOptions } from "./retry.ts";
