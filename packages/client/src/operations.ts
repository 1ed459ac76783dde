import type { ErrorDetail } from "./errors.ts";
import { graphql, type ResultOf, type VariablesOf } from "./graphql.ts";

/**
 * Canonical fields, what the task allows now (`availableActions`, its `version` for conditional changes), and
 * each vendor's own fields (a vendor without a type of its own: `details`). No assignees: selecting them can
 * cost vendor calls.
 */
export const TaskFields = graphql(`
  fragment TaskFields on Task {
    __typename
    id
    vendor
    vendorId
    title
    description
    status
    vendorStatus
    createdAt
    updatedAt
    version
    availableActions
    ... on MaxAiTask { syncStatus ehrType noteId }
    ... on CakewalkTask {
      type
      snoozedTill
      request { id type status purpose workAppId requestedByUserId }
      claimers { id displayName email }
      executedBy { id displayName email }
    }
    ... on CapyTask { identifier projectId prompt pullRequest threadId slackThreads { url } }
    ... on MaxsightTask {
      stepName workflowInstanceId assessmentId entityId institutionId lockedAt dataVersion
    }
    ... on GenericTask { details }
  }
`);

/** The fields of TaskError, the same details GraphQL errors carry in `extensions` (`retryable` is the code's). */
export const TaskErrorFields = graphql(`
  fragment TaskErrorFields on TaskError {
    code
    message
    vendor
    upstreamStatus
    traceId
    retryAfterSeconds
    limitedBy
    field
  }
`);

export const TaskQuery = graphql(
  `
  query Task($id: ID!, $vendor: Vendor!) {
    task(id: $id, vendor: $vendor) { ...TaskFields }
  }
`,
  [TaskFields],
);

export const TasksQuery = graphql(
  `
  query Tasks($refs: [TaskRefInput!]!) {
    tasks(refs: $refs) {
      ref { id vendor }
      task { ...TaskFields }
      error { ...TaskErrorFields }
    }
  }
`,
  [TaskFields, TaskErrorFields],
);

export const AssigneesQuery = graphql(`
  query Assignees($id: ID!, $vendor: Vendor!) {
    task(id: $id, vendor: $vendor) {
      id
      assignedProviders {
        id
        kind
        vendor
        vendorId
        person { id displayName firstName lastName email username roles }
      }
    }
  }
`);

export const CreateTaskMutation = graphql(
  `
  mutation CreateTask($input: CreateTaskInput!, $idempotencyKey: String) {
    createTask(input: $input, idempotencyKey: $idempotencyKey) { task { ...TaskFields } }
  }
`,
  [TaskFields],
);

/** One page of `taskList`: the tasks, where to go on, and the vendors that could not be listed. */
export const TaskListQuery = graphql(
  `
  query TaskList($filter: TaskListFilter, $first: Int, $after: String) {
    taskList(filter: $filter, first: $first, after: $after) {
      edges { node { ...TaskFields } }
      pageInfo { hasNextPage endCursor }
      vendorErrors { ...TaskErrorFields }
      unreadable { ...TaskErrorFields }
    }
  }
`,
  [TaskFields, TaskErrorFields],
);

// One document per action: each takes its own input type, and answers the task as the action left it.
export const ApproveTaskMutation = graphql(
  `
  mutation ApproveTask($input: ApproveTaskInput!, $idempotencyKey: String) {
    approveTask(input: $input, idempotencyKey: $idempotencyKey) { task { ...TaskFields } }
  }
`,
  [TaskFields],
);

export const DeclineTaskMutation = graphql(
  `
  mutation DeclineTask($input: DeclineTaskInput!, $idempotencyKey: String) {
    declineTask(input: $input, idempotencyKey: $idempotencyKey) { task { ...TaskFields } }
  }
`,
  [TaskFields],
);

export const StopTaskMutation = graphql(
  `
  mutation StopTask($input: StopTaskInput!, $idempotencyKey: String) {
    stopTask(input: $input, idempotencyKey: $idempotencyKey) { task { ...TaskFields } }
  }
`,
  [TaskFields],
);

export const MessageTaskMutation = graphql(
  `
  mutation MessageTask($input: MessageTaskInput!, $idempotencyKey: String) {
    messageTask(input: $input, idempotencyKey: $idempotencyKey) { task { ...TaskFields } }
  }
`,
  [TaskFields],
);

export const AssignTaskMutation = graphql(
  `
  mutation AssignTask($input: AssignTaskInput!, $idempotencyKey: String) {
    assignTask(input: $input, idempotencyKey: $idempotencyKey) { task { ...TaskFields } }
  }
`,
  [TaskFields],
);

export const UnassignTaskMutation = graphql(
  `
  mutation UnassignTask($input: UnassignTaskInput!, $idempotencyKey: String) {
    unassignTask(input: $input, idempotencyKey: $idempotencyKey) { task { ...TaskFields } }
  }
`,
  [TaskFields],
);

/**
 * A task as `TaskFields` selects it. A field the vendor answered with a value the service could not read is null,
 * and `problems` holds its VENDOR_CONTRACT_VIOLATION under the field's name (absent when every field was read).
 */
export type Task = ResultOf<typeof TaskFields> & { problems?: Readonly<Record<string, ErrorDetail>> };
export type Assignee = NonNullable<NonNullable<ResultOf<typeof AssigneesQuery>["task"]>["assignedProviders"]>[number];
export type Vendor = Task["vendor"];
export type TaskStatus = Task["status"];
export type TaskAction = Task["availableActions"][number];
export type TaskListFilter = NonNullable<VariablesOf<typeof TaskListQuery>["filter"]>;
export type ApproveTaskInput = VariablesOf<typeof ApproveTaskMutation>["input"];
export type DeclineTaskInput = VariablesOf<typeof DeclineTaskMutation>["input"];
export type StopTaskInput = VariablesOf<typeof StopTaskMutation>["input"];
export type MessageTaskInput = VariablesOf<typeof MessageTaskMutation>["input"];
export type AssignTaskInput = VariablesOf<typeof AssignTaskMutation>["input"];
export type UnassignTaskInput = VariablesOf<typeof UnassignTaskMutation>["input"];
