/**
 * Zod transcriptions of the vendors' published shapes, used by the tests to check the simulators' answers.
 * Strict objects where the spec says `additionalProperties: false` (Cakewalk, Capy) or lists every field.
 */
import { z } from "zod";

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const isoZ = z.iso.datetime({ offset: false });
/** Postgres text: space separator, 0–6 fraction digits, `+00`. */
const postgresText = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00$/);

// Max AI — specs/maxai-v2.yaml (ExternalTaskResponse) and seed 001 for v4.
export const maxAiProvider = (id: z.ZodType<string>) =>
  z.strictObject({
    id,
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    displayFirstName: z.string().nullable(),
    displayLastName: z.string().nullable(),
    username: z.string().nullable(),
    roles: z.array(z.string()),
    individualNpi: z.string().nullable(),
    canFinalize: z.boolean(),
    canCosign: z.boolean(),
  });
export const maxAiTask = (ids: { task: z.ZodType<string>; note: z.ZodType<string>; provider: z.ZodType<string> }) =>
  z.strictObject({
    id: ids.task,
    status: z.enum(["new", "not_started", "in_progress", "completed", "cancelled", "deleted"]),
    syncStatus: z.enum(["pending", "syncing", "synced", "failed"]),
    notes: z.string(),
    noteId: ids.note.optional(),
    ehrType: z.enum(["modmed", "ezderm"]),
    assignedProviders: z.array(maxAiProvider(ids.provider)),
    createdAt: postgresText,
    updatedAt: postgresText,
  });
const prefixed = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9a-f]{32}$`));
export const MaxAiV2TaskResponse = z.strictObject({
  code: z.literal("success"),
  data: maxAiTask({ task: uuid, note: uuid, provider: uuid }),
});
export const MaxAiV4TaskResponse = z.strictObject({
  code: z.literal("success"),
  data: maxAiTask({ task: prefixed("tsk"), note: prefixed("nte"), provider: prefixed("prv") }),
});
export const MaxAiV4ProviderResponse = z.strictObject({
  code: z.literal("success"),
  data: maxAiProvider(prefixed("prv")),
});
export const MaxAiError = z.strictObject({ code: z.string(), message: z.string(), trace_id: z.string().min(1) });

// Cakewalk — specs/cakewalk-v1.json (all objects additionalProperties: false).
const CakewalkUserRef = z.strictObject({
  id: uuid,
  name: z.string().min(1),
  email: z.string().min(1),
  statusId: z.number().int().optional(),
  statusName: z.string().min(1),
});
const CakewalkRequest = z.strictObject({
  id: uuid,
  requestType: z.string().min(1),
  requestStatus: z.string().min(1),
  requestedByUserId: uuid,
  cancelledByUserId: uuid.nullable().optional(),
  workAppId: uuid,
  permissionLevelId: uuid.nullable().optional(),
  targetUserId: uuid.nullable().optional(),
  requestPurpose: z.string().nullable().optional(),
  sourceId: uuid,
  createdAt: isoZ,
  updatedAt: isoZ,
});
export const CAKEWALK_STATUSES = [
  "Approved",
  "Declined",
  "InProgress",
  "Pending",
  "Blocked",
  "Drafted",
  "NoClaimers",
  "Cancelled",
] as const;
export const CakewalkTask = z.strictObject({
  id: uuid,
  type: z.enum([
    "StandAloneBrowserExtensionInstallationTask",
    "StandAloneReviewOffboardingTask",
    "StandAloneReviewOnboardingTask",
    "RequestReviewTask",
    "RequestActionTask",
  ]),
  createdAt: isoZ,
  status: z.enum(CAKEWALK_STATUSES),
  lastUpdatedAt: isoZ,
  isAutoprovisioning: z.boolean().optional(),
  isActionStep: z.boolean().nullable().optional(),
  assignedUser: CakewalkUserRef.nullable().optional(),
  claimers: z.array(CakewalkUserRef).nullable().optional(),
  executedByUser: CakewalkUserRef.nullable().optional(),
  request: CakewalkRequest.nullable().optional(),
  snoozedTill: isoZ.nullable().optional(),
  offboardingMetadata: z
    .strictObject({
      targetUser: CakewalkUserRef,
      externalIntegrationAppName: z.string().min(1),
      terminationDate: isoZ.nullable().optional(),
    })
    .nullable()
    .optional(),
  onboardingMetadata: z
    .strictObject({
      onboardingUserFullName: z.string().min(1),
      onboardingUserEmail: z.string().min(1),
      externalIntegrationAppName: z.string().min(1),
      externalConnectionAppIsEmailProvider: z.boolean().optional(),
      startingDate: isoZ.nullable().optional(),
    })
    .nullable()
    .optional(),
  rolledOutByUser: CakewalkUserRef.nullable().optional(),
  systemExecutionReason: z.string().nullable().optional(),
  closedReason: z.string().nullable().optional(),
});
export const CakewalkTaskResponse = z.strictObject({
  data: CakewalkTask,
  links: z.strictObject({ self: z.string().min(1), next: z.string().nullable().optional() }),
});
export const CakewalkUserResponse = z.strictObject({
  data: z.strictObject({
    id: uuid,
    name: z.string(),
    email: z.string(),
    roleId: z.number().int(),
    roleName: z.string(),
    statusId: z.number().int(),
    statusName: z.string(),
    lastLogin: isoZ.nullable(),
    managerId: uuid.nullable(),
  }),
  links: z.strictObject({ self: z.string().min(1) }),
});
export const CakewalkProblem = z.looseObject({
  type: z.string().nullable(),
  title: z.string().nullable(),
  status: z.number().int().nullable(),
  detail: z.string().nullable(),
  instance: z.string().nullable(),
  traceId: z.string().regex(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/),
});

// Capy — specs/capy-v1.yaml (Task and ErrorResponse are additionalProperties: false).
export const CAPY_STATUSES = [
  "backlog",
  "queued",
  "in_progress",
  "needs_review",
  "completed",
  "error",
  "archived",
] as const;
export const CapyTask = z.strictObject({
  id: z.string(),
  projectId: z.string(),
  threadIndex: z.number().int().nullable(),
  identifier: z.string(),
  title: z.string(),
  prompt: z.string(),
  status: z.enum(CAPY_STATUSES),
  pullRequest: z.null(),
  slackThreads: z.array(
    z.strictObject({ teamId: z.string(), channelId: z.string(), threadTs: z.string(), url: z.string() }),
  ),
  currentJamId: z.string().nullable(),
  createdAt: isoZ,
  updatedAt: isoZ,
  threadId: z.string().nullable(),
});
export const CapyCreated = z.strictObject({
  id: uuid,
  projectId: z.string(),
  identifier: z.string(),
  title: z.string(),
  status: z.string(),
  createdAt: isoZ,
});
export const CapyError = z.strictObject({
  error: z.strictObject({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

// Maxsight — seed 004 (docs.maxsight.com, "Retrieve a task").
export const MaxsightTask = z.strictObject({
  assessment_id: uuid,
  assessment_template_id: uuid,
  assignment: z
    .strictObject({
      assigned_by_id: uuid,
      assigned_to_id: uuid,
      assigned_to_type: z.enum(["USER", "TEAM"]),
      assignment_comment: z.string().nullable(),
    })
    .nullable(),
  c_name: z.string(),
  created_at: isoZ,
  custom_metadata: z.record(z.string(), z.unknown()).nullable(),
  data_version: z.number().int(),
  entity_id: uuid,
  id: uuid,
  institution_id: uuid,
  locked_at: isoZ.nullable(),
  microfrontend_id: uuid,
  name: z.string().nullable(),
  status: z.enum(["INCOMPLETE", "COMPLETED_PASS", "COMPLETED_FAIL"]),
  step_name: z.string(),
  updated_at: isoZ,
  workflow_instance_id: uuid,
});
export const MaxsightMessage = z.strictObject({ message: z.string() });

// Lists: Max AI docs list-tasks, Cakewalk docs get-tasks-userid (TaskSimplifiedViewModelV1 seen only in part), Capy
// docs list-threads, Maxsight docs search-tasks.
export const MaxAiV4TaskList = z.strictObject({
  code: z.literal("success"),
  data: z.strictObject({
    tasks: z.array(maxAiTask({ task: prefixed("tsk"), note: prefixed("nte"), provider: prefixed("prv") })),
    pagination: z.strictObject({
      page: z.number().int(),
      pageSize: z.number().int(),
      totalCount: z.number().int(),
      totalPages: z.number().int(),
    }),
  }),
});
export const CakewalkTaskList = z.strictObject({
  data: z.array(
    CakewalkTask.omit({ request: true, offboardingMetadata: true, onboardingMetadata: true, rolledOutByUser: true }),
  ),
  links: z.strictObject({ self: z.string().startsWith("/api/v1/Tasks?"), next: z.string().nullable() }),
});
export const CapyThreadList = z.strictObject({
  items: z.array(
    z.strictObject({
      id: z.string(),
      projectId: z.string(),
      title: z.string().nullable(),
      status: z.enum(["active", "idle", "archived"]),
      tasks: z.array(
        z.strictObject({
          id: z.string(),
          threadIndex: z.number().int().nullable(),
          identifier: z.string(),
          title: z.string(),
          status: z.enum(CAPY_STATUSES),
        }),
      ),
      pullRequests: z.array(z.unknown()),
      slackThreads: z.array(z.unknown()),
      createdAt: isoZ,
      updatedAt: isoZ,
    }),
  ),
  nextCursor: z.string().nullable(),
  hasMore: z.boolean(),
});
export const CapyStopped = z.strictObject({ id: z.string(), identifier: z.string(), status: z.enum(CAPY_STATUSES) });
export const MaxsightSearch = z.strictObject({ items: z.array(MaxsightTask), next_page_token: z.string().nullable() });
