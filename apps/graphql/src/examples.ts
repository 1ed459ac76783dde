/** Ids the GraphiQL examples use: in embedded mode, the sandbox's seed examples. */
export interface ExampleIds {
  maxaiTaskId: string;
  cakewalkTaskId: string;
  capyTaskId: string;
  maxsightTaskId: string;
  maxaiNoteId: string;
  maxaiProviderId: string;
  capyProjectId: string;
  /** Two Cakewalk tasks awaiting a decision (Pending): one to approve, one to decline. */
  cakewalkPendingTaskIds: readonly [string, string];
  /** A Cakewalk user whose tasks to list. */
  cakewalkUserId: string;
  /** A running Capy task (to stop) and another (to message). */
  capyRunningTaskIds: readonly [string, string];
  /** Maxsight: an unassigned task to assign and an assigned one to unassign, with their versions; a team; who acts. */
  maxsightUnassigned: { id: string; version: string };
  maxsightAssigned: { id: string; version: string };
  maxsightTeamId: string;
  maxsightActorId: string;
}

const INTRO = `# Taskbridge: one API over Max AI, Cakewalk, Capy and Maxsight.
# Every request needs \`Authorization: Bearer <api key>\` (see the Headers tab).
# Each tab holds one example: run it with the ▶ button.

`;

/** The common fields every example selects. */
const COMMON = `fragment Common on Task {
  id
  vendor
  vendorId
  title
  description
  status
  vendorStatus
  createdAt
  updatedAt
  assignedProviders {
    kind
    vendorId
    person { displayName email roles }
  }
}`;

/**
 * GraphiQL's example tabs: one operation each, with the fragments it uses (GraphiQL sends a tab's whole text, and
 * a fragment no operation of the document uses fails validation).
 */
export function exampleOperations(ids: ExampleIds): { name: string; query: string; variables?: string }[] {
  const operations = [
    `query MaxAiTask {
  task(vendor: MAX_AI, id: "${ids.maxaiTaskId}") {
    ...Common
    ... on MaxAiTask { syncStatus ehrType noteId }
  }
}`,
    `query CakewalkTask {
  task(vendor: CAKEWALK, id: "${ids.cakewalkTaskId}") {
    ...Common
    ... on CakewalkTask {
      type
      request { id type status purpose }
      claimers { id displayName email }
      executedBy { displayName }
      snoozedTill
    }
  }
}`,
    `query CapyTask {
  task(vendor: CAPY, id: "${ids.capyTaskId}") {
    ...Common
    ... on CapyTask { identifier projectId prompt pullRequest slackThreads { url } threadId }
  }
}`,
    `query MaxsightTask {
  task(vendor: MAXSIGHT, id: "${ids.maxsightTaskId}") {
    ...Common
    ... on MaxsightTask { stepName workflowInstanceId assessmentId entityId institutionId lockedAt dataVersion }
  }
}`,
    `# Up to 100 refs, read concurrently; each item has its task or its error.
query Batch {
  tasks(refs: [
    { vendor: MAX_AI, id: "${ids.maxaiTaskId}" }
    { vendor: CAPY, id: "${ids.capyTaskId}" }
    { vendor: MAXSIGHT, id: "00000000-0000-4000-8000-000000000000" }
    { vendor: CAKEWALK, id: "not-a-uuid" }
  ]) {
    ref { vendor id }
    task { id status }
    error { code message }
  }
}`,
    `# The raw vendor payload, for what the canonical model does not cover.
query Raw {
  task(vendor: MAXSIGHT, id: "${ids.maxsightTaskId}") { id raw }
}`,
    `# Tasks across every vendor of the tenant, 20 a page. Run it, put pageInfo.endCursor in the
# variables as "after" and run it again, until hasNextPage is false. Cakewalk lists one user's tasks
# and Capy one project's: the demo tenant's connections name them (listScope).
query TaskList($after: String) {
  taskList(first: 20, after: $after) {
    edges { node { ...Common version availableActions } }
    pageInfo { hasNextPage endCursor }
    vendorErrors { vendor code message retryable retryAfterSeconds }
  }
}`,
    `# Filters: each vendor applies what it can, Taskbridge the rest (see apps/graphql/README.md).
query TaskListFiltered($after: String) {
  taskList(first: 10, after: $after, filter: {
    vendors: [MAX_AI, CAKEWALK, MAXSIGHT]
    statuses: [TODO, IN_PROGRESS]
    updatedSince: "2026-01-01T00:00:00Z"
    scopes: [{ vendor: CAKEWALK, id: "${ids.cakewalkUserId}" }]
  }) {
    edges { cursor node { id vendor status updatedAt availableActions } }
    pageInfo { hasNextPage endCursor }
    vendorErrors { vendor code message }
  }
}`,
    `# Cakewalk: approve a pending task. Again, it is VENDOR_CONFLICT (no longer pending).
mutation ApproveTask {
  approveTask(input: { vendor: CAKEWALK, id: "${ids.cakewalkPendingTaskIds[0]}", comment: "Access is justified" },
    idempotencyKey: "example-approve-1") {
    task { id status vendorStatus availableActions }
  }
}`,
    `mutation DeclineTask {
  declineTask(input: { vendor: CAKEWALK, id: "${ids.cakewalkPendingTaskIds[1]}", comment: "Not needed any more" }) {
    task { id status vendorStatus availableActions }
  }
}`,
    `# Capy: stop a running task.
mutation StopTask {
  stopTask(input: { vendor: CAPY, id: "${ids.capyRunningTaskIds[0]}", reason: "Wrong branch" }) {
    task { id status vendorStatus availableActions }
  }
}`,
    `mutation MessageTask {
  messageTask(input: { vendor: CAPY, id: "${ids.capyRunningTaskIds[1]}", text: "Please add a test for the empty case." }) {
    task { id status updatedAt }
  }
}`,
    `# Maxsight: assign under the task's version (If-Match: Task.version as last read). Run it twice: the
# second time the version is stale, and VENDOR_CONFLICT carries the current one in extensions.currentVersion.
mutation AssignTask {
  assignTask(input: {
    vendor: MAXSIGHT, id: "${ids.maxsightUnassigned.id}"
    assignee: { id: "${ids.maxsightTeamId}", kind: TEAM }
    expectedVersion: "${ids.maxsightUnassigned.version}"
    actorId: "${ids.maxsightActorId}"
  }) {
    task { id version availableActions assignedProviders { vendorId kind } }
  }
}`,
    `mutation UnassignTask {
  unassignTask(input: {
    vendor: MAXSIGHT, id: "${ids.maxsightAssigned.id}"
    expectedVersion: "${ids.maxsightAssigned.version}"
    actorId: "${ids.maxsightActorId}"
  }) {
    task { id version availableActions }
  }
}`,
    `mutation CreateMaxAiTask {
  createTask(input: { maxAi: {
    noteId: "${ids.maxaiNoteId}"
    providerId: "${ids.maxaiProviderId}"
    notes: "Follow up on biopsy results"
    assigneeIds: ["${ids.maxaiProviderId}"]
  } }) {
    task { ...Common }
  }
}`,
    `mutation CreateCapyTask {
  createTask(input: { capy: {
    projectId: "${ids.capyProjectId}"
    title: "Add a health endpoint"
    prompt: "Add GET /healthz that answers 200 with {\\"status\\":\\"ok\\"} and a test for it."
  } }) {
    task { ...Common ... on CapyTask { identifier } }
  }
}`,
  ];
  return operations.map((operation, i) => {
    const name = /(?:query|mutation) (\w+)/.exec(operation)?.[1] ?? "Example";
    const variables = VARIABLES[name]?.(ids);
    return {
      name,
      query: `${i === 0 ? INTRO : ""}${operation}\n${operation.includes("...Common") ? `\n${COMMON}\n` : ""}`,
      ...(variables ? { variables: JSON.stringify(variables, null, 2) } : {}),
    };
  });
}

/** The variables a tab starts with. */
const VARIABLES: Record<string, (ids: ExampleIds) => Record<string, unknown>> = {
  TaskList: () => ({ after: null }),
  TaskListFiltered: () => ({ after: null }),
};
