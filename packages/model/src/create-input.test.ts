import { describe, expect, it } from "vitest";
import { CapyCreateTaskInput, CreateTaskInput, MaxAiCreateTaskInput, parseCreateInput } from "./create-input.ts";
import { InvalidInputError } from "./errors.ts";

// The seed 001 example body.
const maxai = {
  vendor: "maxai",
  noteId: "nte_3cc73cb69c59403ca9108af6c5693b25",
  providerId: "prv_d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8a",
  notes: "Review missing plan for Impression #3: Irritant Contact Dermatitis",
  assigneeIds: ["prv_d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8a"],
} as const;

const capy = { vendor: "capy", projectId: "prj_01", prompt: "Fix the login redirect loop" } as const;

/** The paths zod reports for a rejected input, e.g. ["assigneeIds"]. */
function failedPaths(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) {
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((issue) => issue.path.join("."));
}

describe("CreateTaskInput", () => {
  it("accepts the seed's Max AI body, and dashed v2 UUIDs (the client converts them)", () => {
    expect(CreateTaskInput.parse(maxai)).toEqual(maxai);
    const dashed = {
      ...maxai,
      noteId: "3cc73cb6-9c59-403c-a910-8af6c5693b25",
      assigneeIds: ["d4e5f6a7-b8c9-4d0e-1f2a-3b4c5d6e7f8a"],
    };
    expect(CreateTaskInput.parse(dashed)).toEqual(dashed);
  });

  it("accepts a minimal and a full Capy body", () => {
    expect(CreateTaskInput.parse(capy)).toEqual(capy);
    const full = { ...capy, title: "Login loop", labels: ["bug"], model: "default", start: true };
    expect(CreateTaskInput.parse(full)).toEqual(full);
  });

  it("trims ids; keeps the text the vendor keeps exactly as given", () => {
    const parsed = MaxAiCreateTaskInput.parse({ ...maxai, notes: "  Review plan \n", assigneeIds: [" prv_1 "] });
    expect(parsed.notes).toBe("  Review plan \n");
    expect(parsed.assigneeIds).toEqual(["prv_1"]);
    // A prompt that starts with an indented code block, and ends with a newline.
    const prompt = "    const x = 1;\n\nWhy does this throw?\n";
    const full = {
      ...capy,
      projectId: " prj_01 ",
      prompt,
      title: " Login loop ",
      labels: [" bug "],
      model: " default ",
    };
    expect(CapyCreateTaskInput.parse(full)).toEqual({
      ...full,
      projectId: "prj_01",
      labels: [" bug "],
      model: "default",
    });
  });

  it("requires at least one Max AI assignee, each non-blank", () => {
    expect(failedPaths(CreateTaskInput.safeParse({ ...maxai, assigneeIds: [] }))).toEqual(["assigneeIds"]);
    expect(failedPaths(CreateTaskInput.safeParse({ ...maxai, assigneeIds: ["  "] }))).toEqual(["assigneeIds.0"]);
    expect(failedPaths(CreateTaskInput.safeParse({ ...maxai, assigneeIds: undefined }))).toEqual(["assigneeIds"]);
  });

  it("rejects blank or missing Max AI notes and ids", () => {
    expect(failedPaths(CreateTaskInput.safeParse({ ...maxai, notes: "" }))).toEqual(["notes"]);
    expect(failedPaths(CreateTaskInput.safeParse({ ...maxai, notes: " \t\n " }))).toEqual(["notes"]);
    expect(failedPaths(CreateTaskInput.safeParse({ ...maxai, noteId: " " }))).toEqual(["noteId"]);
    expect(failedPaths(CreateTaskInput.safeParse({ ...maxai, providerId: undefined }))).toEqual(["providerId"]);
  });

  it("rejects a blank Capy prompt, project or title", () => {
    expect(failedPaths(CreateTaskInput.safeParse({ ...capy, prompt: "   " }))).toEqual(["prompt"]);
    expect(failedPaths(CreateTaskInput.safeParse({ ...capy, projectId: "" }))).toEqual(["projectId"]);
    expect(failedPaths(CreateTaskInput.safeParse({ ...capy, title: "" }))).toEqual(["title"]);
    expect(failedPaths(CreateTaskInput.safeParse({ ...capy, title: "\n\t" }))).toEqual(["title"]);
    expect(failedPaths(CreateTaskInput.safeParse({ ...capy, labels: ["bug", " "] }))).toEqual(["labels.1"]);
  });

  it("enforces Taskbridge's own size caps", () => {
    expect(CreateTaskInput.safeParse({ ...maxai, notes: "x".repeat(10_001) }).success).toBe(false);
    expect(CreateTaskInput.safeParse({ ...maxai, assigneeIds: Array(51).fill("prv_1") }).success).toBe(false);
    expect(CreateTaskInput.safeParse({ ...capy, labels: Array(51).fill("l") }).success).toBe(false);
  });

  it("rejects a body under the wrong vendor tag, an unknown tag, and vendors that cannot create", () => {
    expect(CreateTaskInput.safeParse({ ...maxai, vendor: "capy" }).success).toBe(false);
    expect(CreateTaskInput.safeParse({ ...capy, vendor: "maxai" }).success).toBe(false);
    expect(MaxAiCreateTaskInput.safeParse(capy).success).toBe(false);
    expect(CapyCreateTaskInput.safeParse(maxai).success).toBe(false);
    for (const vendor of ["cakewalk", "maxsight", "jira", undefined]) {
      expect(CreateTaskInput.safeParse({ ...capy, vendor }).success).toBe(false);
    }
  });
});

describe("parseCreateInput", () => {
  it("returns the parsed input", () => {
    expect(parseCreateInput(CapyCreateTaskInput, { ...capy, projectId: " prj_01" })).toEqual(capy);
  });

  it("throws InvalidInputError naming the first bad field by its path", () => {
    const error = (() => {
      try {
        parseCreateInput(MaxAiCreateTaskInput, { ...maxai, assigneeIds: ["prv_1", " "] });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe("assigneeIds.1");
  });

  it("names the input itself when the whole value is wrong", () => {
    expect(() => parseCreateInput(CapyCreateTaskInput, "nope")).toThrow(/^input: /);
  });
});
