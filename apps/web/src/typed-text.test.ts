import { createTaskInputs, type InputFieldSpec } from "@taskbridge/client";
import { describe, expect, it } from "vitest";
import { textKindOf, typedList, typedText } from "./typed-text.ts";

const allFields: readonly InputFieldSpec[] = Object.values(createTaskInputs).flatMap(
  (branch): readonly InputFieldSpec[] => branch.fields,
);
const textFields = allFields.filter((field) => field.type === "String" || field.type === "ID");
const field = (branch: keyof typeof createTaskInputs, name: string) =>
  (createTaskInputs[branch].fields as readonly InputFieldSpec[]).find((f) => f.name === name) as InputFieldSpec;

describe("textKindOf", () => {
  it("reads each create field's kind from what its description says of white space", () => {
    for (const f of textFields) {
      const kept = f.description?.includes("Sent to the vendor as given") ?? false;
      const trimmed = f.description?.includes("Trimmed of surrounding white space.") ?? false;
      // A reworded sentence fails here instead of sending an id untrimmed or a prompt trimmed.
      expect(kept !== trimmed, `${f.name}: its description says neither, or both`).toBe(true);
      expect(textKindOf(f), f.name).toBe(kept ? "kept" : "id");
    }
  });

  it("keeps a prompt, notes, a title and labels; trims ids and Capy's model, a String from Capy's list", () => {
    expect(["prompt", "title", "labels"].map((name) => textKindOf(field("capy", name)))).toEqual([
      "kept",
      "kept",
      "kept",
    ]);
    expect(textKindOf(field("maxAi", "notes"))).toBe("kept");
    expect(["projectId", "model"].map((name) => textKindOf(field("capy", name)))).toEqual(["id", "id"]);
    expect(["noteId", "providerId", "assigneeIds"].map((name) => textKindOf(field("maxAi", name)))).toEqual([
      "id",
      "id",
      "id",
    ]);
  });
});

describe("typedText", () => {
  it("sends kept text as typed, indentation and trailing newline included; trims an id", () => {
    expect(typedText("    await login();\n\nThis hangs.\n", "kept")).toBe("    await login();\n\nThis hangs.\n");
    expect(typedText(" \n", "kept")).toBe(" \n"); // blank: the service answers BAD_USER_INPUT naming the field
    expect(typedText("  prj_1\n", "id")).toBe("prj_1");
    expect(typedText(null, "kept")).toBe("");
  });
});

describe("typedList", () => {
  it("splits ids by line or comma and trims them; kept text by line only, each as typed", () => {
    expect(typedList(" a, b\n\n c \n", "id")).toEqual(["a", "b", "c"]);
    expect(typedList(" needs review, soon\n\nbackend \n", "kept")).toEqual([" needs review, soon", "backend "]);
    expect(typedList("", "kept")).toEqual([]);
  });
});
