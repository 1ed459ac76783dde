import { createRandom, hashSeed, type Random } from "../random.ts";
import { postgresText, randomInstant, randomMicros, SEED_EPOCH_MS } from "../time.ts";

export const MAXAI_TASK_STATUSES = ["new", "not_started", "in_progress", "completed", "cancelled", "deleted"] as const;
export const MAXAI_SYNC_STATUSES = ["pending", "syncing", "synced", "failed"] as const;
export const MAXAI_EHR_TYPES = ["modmed", "ezderm"] as const;

/** ExternalTaskAssignedProvider, ids stored as dashed v2 UUIDs. */
export interface MaxAiProvider {
  id: string;
  firstName: string | null;
  lastName: string | null;
  displayFirstName: string | null;
  displayLastName: string | null;
  username: string | null;
  roles: string[];
  individualNpi: string | null;
  canFinalize: boolean;
  canCosign: boolean;
}

/** A visit note tasks can be anchored to. */
export interface MaxAiNote {
  id: string;
  ehrType: string;
  patientId: string;
}

/** A task as stored: v2 ids, assignees by provider id (joined when rendered, as the vendor does). */
export interface MaxAiTaskRecord {
  id: string;
  status: string;
  syncStatus: string;
  notes: string;
  noteId?: string;
  ehrType: string;
  assigneeIds: string[];
  createdAt: string;
  updatedAt: string;
}

export interface MaxAiData {
  providers: MaxAiProvider[];
  notes: MaxAiNote[];
  tasks: MaxAiTaskRecord[];
}

/** The documented examples (seeds 000/001), kept at their documented ids and values. */
export const MAXAI_EXAMPLE = {
  taskId: "a1b2c3d4-5678-4abc-9def-0123456789ab",
  providerId: "d4e5f6a7-b8c9-4d0e-1f2a-3b4c5d6e7f8a",
  noteId: "3cc73cb6-9c59-403c-a910-8af6c5693b25",
} as const;

const JAMES_WILSON: MaxAiProvider = {
  id: MAXAI_EXAMPLE.providerId,
  firstName: "James",
  lastName: "Wilson",
  displayFirstName: "Dr. James",
  displayLastName: "Wilson, MD",
  username: "jwilson",
  roles: ["Physician"],
  individualNpi: "1234567890",
  canFinalize: true,
  canCosign: false,
};

const EXAMPLE_TASK: MaxAiTaskRecord = {
  id: MAXAI_EXAMPLE.taskId,
  status: "not_started",
  syncStatus: "synced",
  notes: "Review missing plan for Impression #3",
  noteId: MAXAI_EXAMPLE.noteId,
  ehrType: "modmed",
  assigneeIds: [MAXAI_EXAMPLE.providerId],
  createdAt: "2026-03-20 18:35:10.209452+00",
  updatedAt: "2026-03-23 03:15:47.285+00",
};

/** [first, last, role, credential suffix] — the clinic's staff, shared across many tasks. */
const STAFF: readonly [string, string, string, string][] = [
  ["Priya", "Raman", "Physician", "MD"],
  ["Marcus", "Chen", "Physician Assistant", "PA-C"],
  ["Elena", "Petrova", "Nurse Practitioner", "NP"],
  ["Aisha", "Okafor", "Physician", "MD, FAAD"],
  ["Daniel", "Kim", "Physician Assistant", "PA-C"],
  ["Sofia", "Alvarez", "Medical Assistant", ""],
  ["Tyler", "Brooks", "Scribe", ""],
];

const DIAGNOSES: readonly [string, string][] = [
  ["Irritant Contact Dermatitis", "L24.9"],
  ["Seborrheic Keratosis", "L82.1"],
  ["Actinic Keratosis", "L57.0"],
  ["Basal Cell Carcinoma", "C44.311"],
  ["Psoriasis Vulgaris", "L40.0"],
  ["Atopic Dermatitis", "L20.9"],
  ["Acne Vulgaris", "L70.0"],
  ["Rosacea", "L71.9"],
  ["Melanocytic Nevus", "D22.5"],
  ["Squamous Cell Carcinoma in situ", "D04.5"],
  ["Tinea Corporis", "B35.4"],
  ["Hidradenitis Suppurativa", "L73.2"],
];
const SITES = [
  "left forearm",
  "right scapula",
  "scalp vertex",
  "left nasal ala",
  "right shin",
  "upper back",
  "left cheek",
  "dorsal right hand",
];
const DRUGS = [
  "dupilumab 300 mg",
  "tretinoin 0.05% cream",
  "clobetasol 0.05% ointment",
  "isotretinoin 40 mg",
  "methotrexate 15 mg weekly",
  "tacrolimus 0.1% ointment",
  "spironolactone 100 mg",
];
const PROCEDURES = ["shave biopsy", "punch biopsy", "cryotherapy", "ED&C", "intralesional triamcinolone injection"];

const TEMPLATES: readonly ((r: Random) => string)[] = [
  (r) => `Review missing plan for Impression #${r.int(1, 5)}: ${r.pick(DIAGNOSES)[0]}`,
  (r) => `Sign and finalize note: ${r.pick(PROCEDURES)} of ${r.pick(SITES)}`,
  (r) => `Pathology result received for ${r.pick(PROCEDURES)} of ${r.pick(SITES)} — call patient with results`,
  (r) => `Prior authorization required for ${r.pick(DRUGS)}`,
  (r) => `Refill request: ${r.pick(DRUGS)}`,
  (r) => `Cosign PA note for ${r.pick(DIAGNOSES)[0]} follow-up`,
  (r) => {
    const [name, code] = r.pick(DIAGNOSES);
    return `Add ICD-10 code for ${name} (${code})`;
  },
  (r) =>
    `Schedule Mohs consult for ${r.pick(["Basal Cell Carcinoma", "Squamous Cell Carcinoma in situ"])} on ${r.pick(SITES)}`,
  (r) => `Patient portal message: question about ${r.pick(DRUGS)} side effects`,
  (r) => `Missing laterality for ${r.pick(PROCEDURES)} on ${r.pick(SITES)}`,
];

const TASK_COUNT = 60;
const NOTE_COUNT = 20;

/** Deterministic seed data: the same `seed` always gives the same providers, notes and tasks. */
export function generateMaxAiData(seed: number): MaxAiData {
  const random = createRandom(seed ^ 0x4d41);
  const providers: MaxAiProvider[] = [structuredClone(JAMES_WILSON)];
  for (const [first, last, role, suffix] of STAFF) providers.push(staffProvider(random, first, last, role, suffix));
  // An EHR service account: names nullable per the spec, and the vendor does send them as null.
  providers.push({
    id: random.uuid(),
    firstName: null,
    lastName: null,
    displayFirstName: null,
    displayLastName: null,
    username: "ehr-sync",
    roles: ["System"],
    individualNpi: null,
    canFinalize: false,
    canCosign: false,
  });

  const notes: MaxAiNote[] = [{ id: MAXAI_EXAMPLE.noteId, ehrType: "modmed", patientId: random.uuid() }];
  while (notes.length < NOTE_COUNT) {
    notes.push({ id: random.uuid(), ehrType: random.chance(0.7) ? "modmed" : "ezderm", patientId: random.uuid() });
  }

  const tasks: MaxAiTaskRecord[] = [structuredClone(EXAMPLE_TASK)];
  for (let i = 1; i < TASK_COUNT; i++) {
    tasks.push(
      generateMaxAiTask(random, random.uuid(), providers, notes, {
        status: MAXAI_TASK_STATUSES[i % MAXAI_TASK_STATUSES.length],
        syncStatus: MAXAI_SYNC_STATUSES[i % MAXAI_SYNC_STATUSES.length],
        withoutNote: i % 12 === 5,
        unassigned: i % 15 === 7,
      }),
    );
  }
  return { providers, notes, tasks };
}

/** A realistic task at `id`; assignees are drawn mostly from the first providers so people repeat across tasks. */
export function generateMaxAiTask(
  random: Random,
  id: string,
  providers: readonly MaxAiProvider[],
  notes: readonly MaxAiNote[],
  shape: { status?: string; syncStatus?: string; withoutNote?: boolean; unassigned?: boolean } = {},
): MaxAiTaskRecord {
  const note = shape.withoutNote || notes.length === 0 ? undefined : random.pick(notes);
  const people = providers.filter((p) => p.firstName !== null);
  const busy = people.slice(0, 4);
  const assignees = shape.unassigned
    ? []
    : random.chance(0.7)
      ? random.sample(busy.length > 0 ? busy : people, random.int(1, 2))
      : random.sample(people, random.int(1, 3));
  const created = randomInstant(random, SEED_EPOCH_MS, 25);
  const updated = random.chance(0.2) ? created : created + random.int(60, 5 * 86_400) * 1000;
  const task: MaxAiTaskRecord = {
    id,
    status: shape.status ?? random.pick(MAXAI_TASK_STATUSES),
    syncStatus: shape.syncStatus ?? random.pick(MAXAI_SYNC_STATUSES),
    notes: random.pick(TEMPLATES)(random),
    ehrType: note?.ehrType ?? random.pick(MAXAI_EHR_TYPES),
    assigneeIds: assignees.map((p) => p.id),
    createdAt: postgresText(created, randomMicros(random)),
    updatedAt: postgresText(updated, randomMicros(random)),
  };
  if (note) task.noteId = note.id;
  return task;
}

/** A provider at `id` for the "provider {id} exists" state: the same id always gives the same person. */
export function providerFor(id: string): MaxAiProvider {
  const random = createRandom(hashSeed(id));
  const [first, last, role, suffix] = random.pick(STAFF);
  return { ...staffProvider(random, first, last, role, suffix), id };
}

export function noteFor(id: string): MaxAiNote {
  const random = createRandom(hashSeed(id));
  return { id, ehrType: "modmed", patientId: random.uuid() };
}

function staffProvider(random: Random, first: string, last: string, role: string, suffix: string): MaxAiProvider {
  const clinician = role !== "Medical Assistant" && role !== "Scribe";
  return {
    id: random.uuid(),
    firstName: first,
    lastName: last,
    displayFirstName: role === "Physician" ? `Dr. ${first}` : first,
    displayLastName: suffix ? `${last}, ${suffix}` : last,
    username: role === "Scribe" ? null : `${first[0]?.toLowerCase()}${last.toLowerCase()}`,
    roles: role === "Physician" && suffix.includes("FAAD") ? ["Physician", "Mohs Surgeon"] : [role],
    individualNpi: clinician ? `1${random.int(100_000_000, 999_999_999)}` : null,
    canFinalize: role === "Physician" || role === "Nurse Practitioner",
    canCosign: role === "Physician" && random.chance(0.6),
  };
}
