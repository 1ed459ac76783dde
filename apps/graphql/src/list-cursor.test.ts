import { encodePosition, entryKey, InvalidInputError } from "@taskbridge/model";
import { describe, expect, it } from "vitest";
import { DONE, ListCursors, listingBinding, type Positions, START } from "./list-cursor.ts";

const cursors = new ListCursors("a-test-secret-of-at-least-32-bytes!!");
const binding = listingBinding("tenant-a", { vendors: null, statuses: ["TODO"] });
const positions: Positions = new Map([
  ["maxai", { state: "at", position: '["20",0]' }],
  ["cakewalk", START],
  ["capy", DONE],
  ["maxsight", { state: "at", position: '["tok.en/with+chars=",3]' }],
]);

function refusal(call: () => unknown): InvalidInputError {
  try {
    call();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("ListCursors", () => {
  it("gives back every vendor's progress, in order", () => {
    const cursor = cursors.encode(binding, positions);
    expect(cursor).toMatch(/^v1\.[\w-]+\.[\w-]{43}$/);
    expect([...cursors.decode(cursor, binding)]).toEqual([...positions]);
  });

  it("carries positions with the keys of a long vendor page: a Capy page of 100 threads of 10 tasks each", () => {
    const keys = encodePosition({
      native: "projectId=p&cursor=tok",
      seen: Array.from({ length: 999 }, (_, i) => entryKey(`${i}`)),
    });
    const long: Positions = new Map([...positions, ["capy", { state: "at", position: keys }]]);
    expect([...cursors.decode(cursors.encode(binding, long), binding)]).toEqual([...long]);
  });

  it("refuses a cursor of another listing: another filter or another tenant", () => {
    const cursor = cursors.encode(binding, positions);
    for (const other of [
      listingBinding("tenant-a", { vendors: null, statuses: ["DONE"] }),
      listingBinding("tenant-b", { vendors: null, statuses: ["TODO"] }),
    ]) {
      const error = refusal(() => cursors.decode(cursor, other));
      expect(error.field).toBe("after");
      expect(error.message).toMatch(/another listing/);
    }
  });

  it("refuses any change to a cursor, and cursors signed with another secret", () => {
    const cursor = cursors.encode(binding, positions);
    const [version, payload, signature] = cursor.split(".") as [string, string, string];
    const body = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    body.p.capy = 0;
    const altered = Buffer.from(JSON.stringify(body)).toString("base64url");
    const flipped = signature.slice(0, -1) + (signature.endsWith("A") ? "B" : "A");
    const foreign = new ListCursors("another-secret-of-at-least-32-bytes!!").encode(binding, positions);
    for (const bad of [
      `${version}.${altered}.${signature}`,
      `${version}.${payload}.${flipped}`,
      `v2.${payload}.${signature}`,
      `${cursor}.x`,
      foreign,
      "",
      "garbage",
      "v1..",
      "x".repeat(10_000),
    ]) {
      expect(refusal(() => cursors.decode(bad, binding)).message).toMatch(/not a cursor this API issued/);
    }
  });

  it("needs a secret of at least 32 bytes", () => {
    expect(() => new ListCursors("short")).toThrow(/at least 32 bytes/);
  });

  it("binds a listing to its tenant and filter only", () => {
    expect(listingBinding("t", { a: 1 })).toBe(listingBinding("t", { a: 1 }));
    expect(listingBinding("t", { a: 1 })).not.toBe(listingBinding("t", { a: 2 }));
    expect(listingBinding("t", { a: 1 })).not.toBe(listingBinding("u", { a: 1 }));
  });
});
