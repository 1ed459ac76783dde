/** Ids the GraphiQL examples use: in embedded mode, the sandbox's seed examples. */
export interface ExampleIds {
  maxaiTaskId: string;
  cakewalkTaskId: string;
  capyTaskId: string;
  maxsightTaskId: string;
  maxaiNoteId: string;
  maxaiProviderId: string;
  capyProjectId: string;
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
export function exampleOperations(ids: ExampleIds): { name: string; query: string }[] {
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
  return operations.map((operation, i) => ({
    name: /(?:query|mutation) (\w+)/.exec(operation)?.[1] ?? "Example",
    query: `${i === 0 ? INTRO : ""}${operation}\n${operation.includes("...Common") ? `\n${COMMON}\n` : ""}`,
  }));
}
