import { createRandom, hashSeed, type Random } from "../random.ts";
import { isoSeconds, randomInstant, SEED_EPOCH_MS } from "../time.ts";

/** INCOMPLETE is the only value documented for v5; the two COMPLETED_* come from the legacy API. */
export const MAXSIGHT_TASK_STATUSES = ["INCOMPLETE", "COMPLETED_PASS", "COMPLETED_FAIL"] as const;

export interface MaxsightAssignment {
  assigned_by_id: string;
  assigned_to_id: string;
  assigned_to_type: "USER" | "TEAM";
  assignment_comment: string | null;
}

/** The v5 task object, fields in the documented example's order. */
export interface MaxsightTask {
  assessment_id: string;
  assessment_template_id: string;
  assignment: MaxsightAssignment | null;
  c_name: string;
  created_at: string;
  custom_metadata: Record<string, unknown> | null;
  data_version: number;
  entity_id: string;
  id: string;
  institution_id: string;
  locked_at: string | null;
  microfrontend_id: string;
  name: string | null;
  status: string;
  step_name: string;
  updated_at: string;
  workflow_instance_id: string;
}

export interface MaxsightData {
  tasks: MaxsightTask[];
  /** Ids tasks are assigned to (Maxsight has no people lookup: ids and types only). */
  userIds: string[];
  teamIds: string[];
}

/** Seed 004, verbatim. */
export const MAXSIGHT_EXAMPLE: MaxsightTask = {
  assessment_id: "9f60a03f-b3de-4b19-9361-0380d9aa1e9e",
  assessment_template_id: "af8498c1-32bd-4453-b407-761eb6440e9b",
  assignment: {
    assigned_by_id: "22930149-1fab-4145-94b5-af2031b8de65",
    assigned_to_id: "73c0fde6-eb34-47d5-8ccc-1b1d0aa325b6",
    assigned_to_type: "USER",
    assignment_comment: null,
  },
  c_name: "Review documentation",
  created_at: "2019-08-24T14:15:22Z",
  custom_metadata: null,
  data_version: 0,
  entity_id: "8161163a-f227-466f-bc01-090a01e80165",
  id: "497f6eca-6276-4993-bfeb-53cbbbba6f08",
  institution_id: "c75f2c73-5ae4-4f1c-99c0-fc726cd41798",
  locked_at: "2019-08-24T14:15:22Z",
  microfrontend_id: "f1ea2a19-6836-4b1f-824d-8a04dfae4cc7",
  name: null,
  status: "INCOMPLETE",
  step_name: "Review",
  updated_at: "2019-08-24T14:15:22Z",
  workflow_instance_id: "46ff49d0-5f69-46b0-9de7-5703639a02ce",
};

const STEPS: readonly [string, string][] = [
  ["Review documentation", "Review"],
  ["Check sanctions and PEP matches", "Screening review"],
  ["Verify proof of address", "Document verification"],
  ["Review adverse media hits", "Adverse media review"],
  ["Collect missing UBO information", "Ownership structure"],
  ["Confirm source of funds", "Enhanced due diligence"],
  ["Approve onboarding", "Final approval"],
];
const CASE_NAMES = [
  "Northwind Trading Ltd",
  "Helios Capital GmbH",
  "Maria Jensen",
  "Blue Harbor Logistics",
  "Arjun Mehta",
];
const COMMENTS = [
  "Please pick this up today",
  "Escalated: sanctions hit needs a second pair of eyes",
  "Reassigned while on leave",
];
const TASK_COUNT = 60;

export function generateMaxsightData(seed: number): MaxsightData {
  const random = createRandom(seed ^ 0x6d73);
  const example = MAXSIGHT_EXAMPLE.assignment as MaxsightAssignment;
  const userIds = [example.assigned_to_id, example.assigned_by_id];
  while (userIds.length < 6) userIds.push(random.uuid());
  const teamIds = [random.uuid(), random.uuid()];
  const context = contextFor(random, userIds, teamIds);
  const tasks: MaxsightTask[] = [structuredClone(MAXSIGHT_EXAMPLE)];
  for (let i = 1; i < TASK_COUNT; i++) {
    const status =
      i < 3 ? MAXSIGHT_TASK_STATUSES[i] : random.chance(0.7) ? "INCOMPLETE" : random.pick(MAXSIGHT_TASK_STATUSES);
    const assignment = i % 7 === 3 ? "none" : i % 5 === 2 ? "TEAM" : "USER";
    tasks.push(generateMaxsightTask(random, random.uuid(), context, { status, assignment }));
  }
  return { tasks, userIds, teamIds };
}

interface Context {
  userIds: string[];
  teamIds: string[];
  institutionId: string;
  templates: string[];
  microfrontends: string[];
  /** Entities with their assessment and workflow, so several tasks share one case. */
  cases: { entityId: string; assessmentId: string; workflowInstanceId: string; name: string | null }[];
}

function contextFor(random: Random, userIds: string[], teamIds: string[]): Context {
  return {
    userIds,
    teamIds,
    institutionId: MAXSIGHT_EXAMPLE.institution_id,
    templates: [MAXSIGHT_EXAMPLE.assessment_template_id, random.uuid(), random.uuid()],
    microfrontends: [MAXSIGHT_EXAMPLE.microfrontend_id, random.uuid()],
    cases: Array.from({ length: 20 }, () => ({
      entityId: random.uuid(),
      assessmentId: random.uuid(),
      workflowInstanceId: random.uuid(),
      name: random.chance(0.5) ? random.pick(CASE_NAMES) : null,
    })),
  };
}

export function generateMaxsightTask(
  random: Random,
  id: string,
  context: Context,
  shape: { status?: string; assignment?: "USER" | "TEAM" | "none" } = {},
): MaxsightTask {
  const [cName, step] = random.pick(STEPS);
  const kase = random.pick(context.cases);
  const created = randomInstant(random, SEED_EPOCH_MS, 25);
  const updated = created + random.int(0, 5 * 86_400) * 1000;
  const status = shape.status ?? "INCOMPLETE";
  const kind = shape.assignment ?? "USER";
  const assignment: MaxsightAssignment | null =
    kind === "none"
      ? null
      : {
          assigned_by_id: random.pick(context.userIds.slice(0, 3)),
          assigned_to_id: kind === "TEAM" ? random.pick(context.teamIds) : random.pick(context.userIds),
          assigned_to_type: kind,
          assignment_comment: random.chance(0.3) ? random.pick(COMMENTS) : null,
        };
  return {
    assessment_id: kase.assessmentId,
    assessment_template_id: random.pick(context.templates),
    assignment,
    c_name: cName,
    created_at: isoSeconds(created),
    custom_metadata: random.chance(0.3)
      ? {
          risk_level: random.pick(["LOW", "MEDIUM", "HIGH"]),
          case_reference: `KYC-2026-${String(random.int(1, 999)).padStart(4, "0")}`,
        }
      : null,
    data_version: random.int(0, 6),
    entity_id: kase.entityId,
    id,
    institution_id: context.institutionId,
    locked_at: status === "INCOMPLETE" && random.chance(0.3) ? isoSeconds(updated) : null,
    microfrontend_id: random.pick(context.microfrontends),
    name: kase.name,
    status,
    step_name: step,
    updated_at: isoSeconds(updated),
    workflow_instance_id: kase.workflowInstanceId,
  };
}

/** A task at `id` for the "task {id} exists" state: the same id always gives the same task. */
export function maxsightTaskFor(
  id: string,
  data: MaxsightData,
  shape: { status?: string; assignment?: "USER" | "TEAM" | "none" } = {},
): MaxsightTask {
  const random = createRandom(hashSeed(id));
  return generateMaxsightTask(random, id, contextFor(random, data.userIds, data.teamIds), shape);
}
