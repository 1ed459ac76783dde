import { createRandom, hashSeed, type Random } from "../random.ts";
import { isoMillis, randomInstant, SEED_EPOCH_MS } from "../time.ts";

export const CAPY_TASK_STATUSES = [
  "backlog",
  "queued",
  "in_progress",
  "needs_review",
  "completed",
  "error",
  "archived",
] as const;

/** The Task schema of the v1 spec: exactly these 13 fields, in this order (additionalProperties: false). */
export interface CapyTask {
  id: string;
  projectId: string;
  threadIndex: number | null;
  identifier: string;
  title: string;
  prompt: string;
  status: string;
  pullRequest: null;
  slackThreads: { teamId: string; channelId: string; threadTs: string; url: string }[];
  currentJamId: string | null;
  createdAt: string;
  updatedAt: string;
  threadId: string | null;
}

export interface CapyProject {
  id: string;
  /** Prefix of task identifiers (`SCO-123`). */
  key: string;
  name: string;
  /** Next identifier number. */
  next: number;
}

export interface CapyData {
  projects: CapyProject[];
  tasks: CapyTask[];
}

/** The seed's documented example id (seed 003), shown here as SCO-123. */
export const CAPY_EXAMPLE_TASK_ID = "550e8400-e29b-41d4-a716-446655440000";

const WORK: readonly [string, string][] = [
  [
    "Fix flaky retry test in http client",
    "The `retries with backoff` test in packages/http fails about 1 in 20 runs on CI. Find the race and fix it without adding sleeps.",
  ],
  [
    "Add pagination to the invoices endpoint",
    "GET /v1/invoices returns everything at once. Add cursor pagination (limit, cursor) and update the OpenAPI spec and tests.",
  ],
  [
    "Upgrade React Router to v7",
    "Migrate the web app from react-router 6 to 7. Keep all routes working and fix the type errors.",
  ],
  [
    "Replace moment with date-fns",
    "Remove moment.js from the dashboard bundle; use date-fns equivalents and keep the formatting identical.",
  ],
  [
    "Add rate limiting to the public API",
    "Add a token-bucket limiter (100 req/min per key) to the public API and return 429 with Retry-After.",
  ],
  [
    "Write a migration for the audit_log table",
    "Add an index on (org_id, created_at) to audit_log and a backfill for the new actor_type column.",
  ],
  ["Fix N+1 query on the projects page", "The projects list issues one query per project for member counts. Batch it."],
  ["Add dark mode to settings", "Add a theme toggle to the settings page that persists to the user profile."],
  ["Investigate memory leak in the worker", "The queue worker's RSS grows ~50 MB/hour. Profile it and fix the leak."],
  [
    "Add OpenTelemetry tracing",
    "Instrument the API with OpenTelemetry: HTTP server spans, Postgres spans, and propagate trace context to the worker.",
  ],
  [
    "Remove deprecated feature flags",
    "Delete the flags `new_billing`, `beta_export` and `legacy_search` and the code paths behind them.",
  ],
  [
    "Speed up the CI pipeline",
    "CI takes 18 minutes. Cache dependencies, split the test job, and get it under 8 minutes.",
  ],
];

const PROJECTS: readonly [string, string][] = [
  ["SCO", "scope-web"],
  ["API", "platform-api"],
  ["INF", "infrastructure"],
];

const TASK_COUNT = 60;

export function generateCapyData(seed: number): CapyData {
  const random = createRandom(seed ^ 0x6361);
  const projects: CapyProject[] = PROJECTS.map(([key, name]) => ({ id: random.uuid(), key, name, next: 100 }));
  const tasks: CapyTask[] = [];
  for (let i = 0; i < TASK_COUNT; i++) {
    const project = projects[i % projects.length] as CapyProject;
    const id = i === 0 ? CAPY_EXAMPLE_TASK_ID : random.uuid();
    // The example is SCO-123; the other SCO tasks take 104…122, so new ones start after it.
    if (i === 0) project.next = 123;
    tasks.push(generateCapyTask(random, id, project, CAPY_TASK_STATUSES[i % CAPY_TASK_STATUSES.length]));
    if (i === 0) project.next = 104;
  }
  for (const project of projects) {
    const used = tasks.filter((t) => t.projectId === project.id).map((t) => Number(t.identifier.split("-")[1]));
    project.next = Math.max(project.next, ...used) + 1;
  }
  groupIntoThreads(tasks);
  return { projects, tasks };
}

/** A realistic task at `id` in `project` (takes the project's next identifier). */
export function generateCapyTask(random: Random, id: string, project: CapyProject, status?: string): CapyTask {
  const [title, prompt] = random.pick(WORK);
  const created = randomInstant(random, SEED_EPOCH_MS, 25) + random.int(0, 999);
  const updated = created + random.int(0, 3 * 86_400_000);
  const started = status !== "backlog" && status !== "queued";
  const threadTs = `${Math.floor(created / 1000)}.${String(random.int(0, 999_999)).padStart(6, "0")}`;
  const channelId = `C0${random.hex(8).toUpperCase()}`;
  const slack = random.chance(0.3)
    ? [
        {
          teamId: "T04NWLABS",
          channelId,
          threadTs,
          url: `https://northwind-labs.slack.com/archives/${channelId}/p${threadTs.replace(".", "")}`,
        },
      ]
    : [];
  return {
    id,
    projectId: project.id,
    threadIndex: started ? random.int(0, 4) : null,
    identifier: `${project.key}-${project.next++}`,
    title,
    prompt,
    status: status ?? random.pick(CAPY_TASK_STATUSES),
    pullRequest: null,
    slackThreads: slack,
    currentJamId: status === "in_progress" ? random.uuid() : null,
    createdAt: isoMillis(created),
    updatedAt: isoMillis(updated),
    threadId: started ? random.uuid() : null,
  };
}

/** A project at `id` for the "project {projectId} exists" state. */
export function projectFor(id: string): CapyProject {
  const random = createRandom(hashSeed(id));
  return { id, key: random.pick(["APP", "WEB", "OPS"]), name: "sandbox-project", next: 1 };
}

/**
 * A captain thread holds one or more tasks (threadIndex 0, 1, …): every third started task of a project continues
 * the project's previous thread instead of opening its own. Tasks that were never started belong to no thread.
 */
function groupIntoThreads(tasks: CapyTask[]): void {
  const lastOfProject = new Map<string, CapyTask>();
  let started = 0;
  for (const task of tasks) {
    if (task.threadId === null) continue;
    const previous = lastOfProject.get(task.projectId);
    if (previous && ++started % 3 === 0) {
      task.threadId = previous.threadId;
      task.threadIndex = (previous.threadIndex ?? 0) + 1;
    } else {
      task.threadIndex = 0;
    }
    lastOfProject.set(task.projectId, task);
  }
}
