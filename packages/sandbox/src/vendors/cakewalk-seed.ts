import { createRandom, hashSeed, type Random } from "../random.ts";
import { dotnetIso, randomInstant, SEED_EPOCH_MS } from "../time.ts";

export const CAKEWALK_TASK_STATUSES = [
  "Approved",
  "Declined",
  "InProgress",
  "Pending",
  "Blocked",
  "Drafted",
  "NoClaimers",
  "Cancelled",
] as const;
export const CAKEWALK_TASK_TYPES = [
  "StandAloneBrowserExtensionInstallationTask",
  "StandAloneReviewOffboardingTask",
  "StandAloneReviewOnboardingTask",
  "RequestReviewTask",
  "RequestActionTask",
] as const;

/** GET /api/v1/Users/{id}. Role and status names/ids are not documented: these are assumed. */
export interface CakewalkUser {
  id: string;
  name: string;
  email: string;
  roleId: number;
  roleName: string;
  statusId: number;
  statusName: string;
  lastLogin: string | null;
  managerId: string | null;
}

/** UserSimplifiedViewModelV1, as tasks embed people. */
export interface CakewalkUserRef {
  id: string;
  name: string;
  email: string;
  statusId: number;
  statusName: string;
}

/** A task as stored: people by user id (joined when rendered), everything else as the wire has it. */
export interface CakewalkTaskRecord {
  id: string;
  type: string;
  createdAt: string;
  status: string;
  lastUpdatedAt: string;
  isAutoprovisioning: boolean;
  isActionStep: boolean | null;
  assignedUserId: string | null;
  claimerIds: string[] | null;
  executedByUserId: string | null;
  request: Record<string, unknown> | null;
  snoozedTill: string | null;
  offboardingMetadata: Record<string, unknown> | null;
  onboardingMetadata: Record<string, unknown> | null;
  rolledOutByUserId: string | null;
  systemExecutionReason: string | null;
  closedReason: string | null;
}

export interface CakewalkData {
  users: CakewalkUser[];
  tasks: CakewalkTaskRecord[];
  /** Work apps requests point at (not served: there is no endpoint for them here). */
  apps: { id: string; name: string }[];
}

/**
 * Not a documented task id: the vendor publishes no example. This is Swashbuckle's default example GUID,
 * which is what the vendor's own Swagger UI shows for `taskId`, so it is the id people will paste first.
 */
export const CAKEWALK_EXAMPLE_TASK_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

const ROLES = [
  [1, "Owner"],
  [2, "Admin"],
  [3, "Member"],
] as const;
const STATUSES = [
  [1, "Active"],
  [2, "Invited"],
  [3, "Deactivated"],
] as const;

const PEOPLE = [
  "Hannah Becker",
  "Jonas Weber",
  "Amara Nwosu",
  "Lucas Moreau",
  "Mei Tanaka",
  "Oliver Grant",
  "Fatima Haddad",
  "Noah Fischer",
  "Isabella Rossi",
  "Ethan Walsh",
];
const WORK_APPS = [
  "GitHub",
  "Salesforce",
  "Slack",
  "Google Workspace",
  "Jira",
  "Figma",
  "AWS",
  "HubSpot",
  "Notion",
  "1Password",
];
const HR_SYSTEMS = ["BambooHR", "Personio", "HiBob", "Workday"];
const PURPOSES = [
  "Need access for the Q3 pipeline review",
  "Joining the platform team on-call rotation",
  "Contractor engagement ends this month",
  "Required to review design handoffs",
  "Moving to the EMEA sales team",
  null,
];
const CLOSED_REASONS = ["Access granted in the admin console", "Not required for the role", "Duplicate request", null];
const DOMAIN = "northwind-labs.com";
const TASK_COUNT = 60;

export function generateCakewalkData(seed: number): CakewalkData {
  const random = createRandom(seed ^ 0x636b);
  const users: CakewalkUser[] = PEOPLE.map((name, i) => {
    const [statusId, statusName] = i === 8 ? STATUSES[2] : i === 9 ? STATUSES[1] : STATUSES[0];
    const [roleId, roleName] = i === 0 ? ROLES[0] : i < 3 ? ROLES[1] : ROLES[2];
    return {
      id: random.uuid(),
      name,
      email: emailOf(name),
      roleId,
      roleName,
      statusId,
      statusName,
      lastLogin: statusId === 2 ? null : dotnetIso(randomInstant(random, SEED_EPOCH_MS, 28), random.int(0, 9_999_999)),
      managerId: null,
    };
  });
  for (let i = 3; i < users.length; i++) (users[i] as CakewalkUser).managerId = (users[i % 3] as CakewalkUser).id;

  const apps = WORK_APPS.map((name) => ({ name, id: random.uuid() }));
  const tasks: CakewalkTaskRecord[] = [];
  for (let i = 0; i < TASK_COUNT; i++) {
    const id = i === 0 ? CAKEWALK_EXAMPLE_TASK_ID : random.uuid();
    tasks.push(
      generateCakewalkTask(random, id, users, apps, {
        // The example is an open review someone has claimed: the task people try first shows everything.
        status: i === 0 ? "InProgress" : CAKEWALK_TASK_STATUSES[i % CAKEWALK_TASK_STATUSES.length],
        type: i === 0 ? "RequestReviewTask" : CAKEWALK_TASK_TYPES[i % CAKEWALK_TASK_TYPES.length],
      }),
    );
  }
  return { users, tasks, apps };
}

/** A realistic access-governance task at `id`; approvers are mostly the first (admin) users, so people repeat. */
export function generateCakewalkTask(
  random: Random,
  id: string,
  users: readonly CakewalkUser[],
  apps: readonly { id: string; name: string }[],
  shape: { status?: string; type?: string } = {},
): CakewalkTaskRecord {
  const status = shape.status ?? random.pick(CAKEWALK_TASK_STATUSES);
  const type = shape.type ?? random.pick(CAKEWALK_TASK_TYPES);
  const approvers = users.slice(0, 5);
  const app = random.pick(apps);
  const created = randomInstant(random, SEED_EPOCH_MS, 25);
  const updated = created + random.int(0, 4 * 86_400) * 1000;
  const stamp = (ms: number) => dotnetIso(ms, random.int(0, 9_999_999));
  const claimerIds =
    status === "NoClaimers" || status === "Drafted"
      ? []
      : random.sample(approvers.length > 0 ? approvers : users, random.int(1, 3)).map((u) => u.id);
  const claimed = status === "InProgress" || status === "Blocked" || (status === "Pending" && random.chance(0.4));
  const closedByPerson = status === "Approved" || status === "Declined";
  const auto = status === "Approved" && random.chance(0.25);
  const requester = users.length > 0 ? random.pick(users) : undefined;
  const target = users.length > 0 ? random.pick(users) : undefined;

  const task: CakewalkTaskRecord = {
    id,
    type,
    createdAt: stamp(created),
    status,
    lastUpdatedAt: stamp(updated),
    isAutoprovisioning: auto,
    isActionStep: type === "RequestActionTask" ? true : type === "RequestReviewTask" ? false : null,
    assignedUserId: claimed ? (claimerIds[0] ?? null) : null,
    claimerIds: type === "StandAloneBrowserExtensionInstallationTask" && claimerIds.length === 0 ? null : claimerIds,
    executedByUserId: closedByPerson && !auto ? (claimerIds[0] ?? null) : null,
    request: null,
    snoozedTill: status === "Pending" && random.chance(0.3) ? stamp(updated + random.int(1, 7) * 86_400_000) : null,
    offboardingMetadata: null,
    onboardingMetadata: null,
    rolledOutByUserId: null,
    systemExecutionReason: auto ? "CakewalkAutoprovisioning" : status === "Cancelled" ? "RequestCancelled" : null,
    closedReason: closedByPerson && !auto ? random.pick(CLOSED_REASONS) : null,
  };

  if (type === "RequestReviewTask" || type === "RequestActionTask") {
    const requestCreated = created - random.int(60, 86_400) * 1000;
    task.request = {
      id: random.uuid(),
      requestType: random.pick(["GrantAccess", "GrantAccess", "RevokeAccess", "ChangePermissionLevel"]),
      requestStatus: requestStatusFor(status),
      requestedByUserId: requester?.id ?? random.uuid(),
      cancelledByUserId: status === "Cancelled" ? (requester?.id ?? null) : null,
      workAppId: app.id,
      permissionLevelId: random.chance(0.6) ? random.uuid() : null,
      targetUserId: random.chance(0.8) ? (target?.id ?? null) : null,
      requestPurpose: random.pick(PURPOSES),
      sourceId: random.uuid(),
      createdAt: stamp(requestCreated),
      updatedAt: stamp(updated),
    };
  } else if (type === "StandAloneReviewOffboardingTask") {
    const name = `${random.pick(["Liam", "Zoe", "Ravi", "Clara"])} ${random.pick(["Novak", "Osei", "Lindqvist", "Duarte"])}`;
    task.offboardingMetadata = {
      targetUser: { id: random.uuid(), name, email: emailOf(name), statusId: 3, statusName: "Deactivated" },
      externalIntegrationAppName: random.pick(HR_SYSTEMS),
      terminationDate: random.chance(0.8)
        ? dotnetIso(Math.floor(created / 86_400_000) * 86_400_000 + 14 * 86_400_000, 0)
        : null,
    };
  } else if (type === "StandAloneReviewOnboardingTask") {
    const name = `${random.pick(["Maya", "Felix", "Ines", "Tomás"])} ${random.pick(["Schmidt", "Achebe", "Kowalski", "Ortega"])}`;
    task.onboardingMetadata = {
      onboardingUserFullName: name,
      onboardingUserEmail: emailOf(name),
      externalIntegrationAppName: random.pick(HR_SYSTEMS),
      externalConnectionAppIsEmailProvider: random.chance(0.3),
      startingDate: random.chance(0.8)
        ? dotnetIso(Math.floor(created / 86_400_000) * 86_400_000 + 10 * 86_400_000, 0)
        : null,
    };
  } else {
    task.rolledOutByUserId = users[0]?.id ?? null;
  }
  return task;
}

/** A user at `id` for the "user {id} exists" state: the same id always gives the same person. */
export function userFor(id: string): CakewalkUser {
  const random = createRandom(hashSeed(id));
  const name = `${random.pick(["Ada", "Brian", "Chloe", "Diego", "Elif"])} ${random.pick(["Lovelace", "Okoro", "Martin", "Silva", "Yilmaz"])}`;
  return {
    id,
    name,
    email: emailOf(name),
    roleId: 3,
    roleName: "Member",
    statusId: 1,
    statusName: "Active",
    lastLogin: dotnetIso(randomInstant(random, SEED_EPOCH_MS, 28), random.int(0, 9_999_999)),
    managerId: null,
  };
}

function requestStatusFor(taskStatus: string): string {
  switch (taskStatus) {
    case "Approved":
      return "Completed";
    case "Declined":
      return "Declined";
    case "Cancelled":
      return "Cancelled";
    case "Drafted":
      return "Draft";
    default:
      return "Pending";
  }
}

function emailOf(name: string): string {
  return `${name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s+/g, ".")}@${DOMAIN}`;
}
