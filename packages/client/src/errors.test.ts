import { readFileSync } from "node:fs";
import type { FieldNode, FragmentDefinitionNode } from "@0no-co/graphql.web";
import { buildSchema, type GraphQLObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { packagePath } from "../scripts/schema-files.ts";
import { type ErrorCode, fromGraphQLError, fromTaskError, isRetryableCode, TaskbridgeError } from "./errors.ts";
import type { ResultOf } from "./graphql.ts";
import { TaskErrorFields } from "./operations.ts";

describe("fromGraphQLError", () => {
  it("reads every documented extension, with the schema's spelling of limitedBy", () => {
    expect(
      fromGraphQLError({
        message: "Max AI rate limit reached (HTTP 429). Retry after 30 s.",
        path: ["task"],
        extensions: {
          code: "RATE_LIMITED",
          vendor: "MAX_AI",
          upstreamStatus: 429,
          traceId: "req-1",
          retryAfterSeconds: 30,
          limitedBy: "vendor",
        },
      }),
    ).toEqual({
      code: "RATE_LIMITED",
      message: "Max AI rate limit reached (HTTP 429). Retry after 30 s.",
      path: ["task"],
      vendor: "MAX_AI",
      upstreamStatus: 429,
      traceId: "req-1",
      retryAfterSeconds: 30,
      limitedBy: "VENDOR",
    });
  });

  it("reads the service's request id and OpenTelemetry trace id, for support", () => {
    expect(
      fromGraphQLError({
        message: "Unexpected error.",
        extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "3196d4760de3-8", otelTraceId: "0bba8972" },
      }),
    ).toEqual({
      code: "INTERNAL_SERVER_ERROR",
      message: "Unexpected error.",
      requestId: "3196d4760de3-8",
      otelTraceId: "0bba8972",
    });
  });

  it("reads a conflict's currentVersion, the version to retry a conditional change with", () => {
    expect(
      fromGraphQLError({
        message: "Maxsight reported a conflict (HTTP 412)",
        path: ["assignTask"],
        extensions: { code: "VENDOR_CONFLICT", vendor: "MAXSIGHT", upstreamStatus: 412, currentVersion: "v2" },
      }),
    ).toEqual({
      code: "VENDOR_CONFLICT",
      message: "Maxsight reported a conflict (HTTP 412)",
      path: ["assignTask"],
      vendor: "MAXSIGHT",
      upstreamStatus: 412,
      currentVersion: "v2",
    });
  });

  it("leaves out fields of the wrong type and names a code-less error INTERNAL_SERVER_ERROR", () => {
    expect(
      fromGraphQLError({ message: 5, extensions: { vendor: 1, retryAfterSeconds: "soon", currentVersion: 2 } }),
    ).toEqual({
      code: "INTERNAL_SERVER_ERROR",
      message: "Unexpected error.",
    });
  });
});

describe("fromTaskError", () => {
  it("gives a batch item's error the same shape, without its nulls", () => {
    expect(
      fromTaskError({
        code: "VENDOR_BAD_REQUEST",
        message: "Cakewalk rejected the request",
        vendor: "CAKEWALK",
        upstreamStatus: 400,
        traceId: null,
        retryAfterSeconds: null,
        limitedBy: null,
        field: null,
      }),
    ).toEqual({
      code: "VENDOR_BAD_REQUEST",
      message: "Cakewalk rejected the request",
      vendor: "CAKEWALK",
      upstreamStatus: 400,
    });
  });

  it("reads every TaskError field the schema has, but retryable (the code's: isRetryableCode)", () => {
    const schema = buildSchema(readFileSync(packagePath("schema.graphql"), "utf8"));
    const fields = Object.keys((schema.getType("TaskError") as GraphQLObjectType).getFields())
      .filter((name) => name !== "retryable")
      .sort();
    const [fragment] = TaskErrorFields.definitions as [FragmentDefinitionNode];
    expect(fragment.selectionSet.selections.map((selection) => (selection as FieldNode).name.value).sort()).toEqual(
      fields,
    );
    const error: ResultOf<typeof TaskErrorFields> = {
      code: "BAD_USER_INPUT",
      message: "'id' must be a valid UUID",
      vendor: "CAKEWALK",
      upstreamStatus: 400,
      traceId: "req-1",
      retryAfterSeconds: 1,
      limitedBy: "VENDOR",
      field: "id",
    };
    expect(Object.keys(fromTaskError(error)).sort()).toEqual(fields);
  });
});

describe("isRetryableCode", () => {
  it("is false for a code this client does not know, also one named like an Object method", () => {
    expect(isRetryableCode("RATE_LIMITED")).toBe(true);
    expect(isRetryableCode("VENDOR_CONFLICT")).toBe(false);
    for (const unknown of ["SOMETHING_NEW", "constructor", "toString"]) {
      expect(isRetryableCode(unknown as ErrorCode)).toBe(false);
    }
  });
});

describe("TaskbridgeError", () => {
  it("has the first error's fields, every error, and the longest wait asked for", () => {
    const error = new TaskbridgeError(
      [
        { code: "RATE_LIMITED", message: "a", vendor: "CAPY", retryAfterSeconds: 2 },
        { code: "RATE_LIMITED", message: "b", vendor: "MAX_AI", retryAfterSeconds: 7 },
      ],
      { status: 200, data: { task: null } },
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "TaskbridgeError", message: "a", code: "RATE_LIMITED", vendor: "CAPY" });
    expect(error.errors).toHaveLength(2);
    expect(error.retryAfter).toBe(7);
    expect(error.retryable).toBe(true);
    expect(error.data).toEqual({ task: null });
  });
});
