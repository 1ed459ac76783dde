import { graphql, type ResultOf } from "./graphql.ts";

/**
 * Canonical fields and each vendor's own fields (a vendor without a type of its own: `details`). No assignees:
 * selecting them can cost vendor calls.
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

/** The fields of TaskError, the same details GraphQL errors carry in `extensions`. */
export const TaskErrorFields = graphql(`
  fragment TaskErrorFields on TaskError {
    code
    message
    vendor
    upstreamStatus
    traceId
    retryAfterSeconds
    limitedBy
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

export type Task = ResultOf<typeof TaskFields>;
export type Assignee = NonNullable<NonNullable<ResultOf<typeof AssigneesQuery>["task"]>["assignedProviders"]>[number];
export type Vendor = Task["vendor"];
export type TaskStatus = Task["status"];
