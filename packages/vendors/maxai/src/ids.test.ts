import { InvalidInputError } from "@taskbridge/model";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CANONICAL_IDS, ID_PREFIXES, type MaxAiIdKind, toV2Id, toV4Id } from "./ids.ts";

const kinds = Object.keys(ID_PREFIXES) as MaxAiIdKind[];
const kind = fc.constantFrom(...kinds);

describe("Max AI ids", () => {
  it("converts the documented example both ways", () => {
    // Seed 000 (v2) and seed 001 (v4) show the same task under both forms.
    expect(toV4Id("task", "a1b2c3d4-5678-4abc-9def-0123456789ab")).toBe("tsk_a1b2c3d456784abc9def0123456789ab");
    expect(toV2Id("task", "tsk_a1b2c3d456784abc9def0123456789ab")).toBe("a1b2c3d4-5678-4abc-9def-0123456789ab");
    expect(toV4Id("note", "3cc73cb6-9c59-403c-a910-8af6c5693b25")).toBe("nte_3cc73cb69c59403ca9108af6c5693b25");
    expect(toV4Id("provider", "d4e5f6a7-b8c9-4d0e-1f2a-3b4c5d6e7f8a")).toBe("prv_d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8a");
  });

  it("round-trips any uuid: v2 → v4 → v2", () => {
    fc.assert(
      fc.property(fc.uuid(), kind, (uuid, k) => {
        const v4 = toV4Id(k, uuid);
        expect(v4).toMatch(new RegExp(`^${ID_PREFIXES[k]}_[0-9a-f]{32}$`));
        expect(toV2Id(k, v4)).toBe(uuid.toLowerCase());
        expect(toV4Id(k, v4)).toBe(v4);
      }),
    );
  });

  it("round-trips any 32 hex digits: v4 → v2 → v4, upper-case hex normalized to lower", () => {
    const hex = fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEF"), minLength: 32, maxLength: 32 });
    fc.assert(
      fc.property(hex, kind, (digits, k) => {
        const v4 = `${ID_PREFIXES[k]}_${digits}`;
        const v2 = toV2Id(k, v4);
        expect(v2).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(toV4Id(k, v2)).toBe(`${ID_PREFIXES[k]}_${digits.toLowerCase()}`);
      }),
    );
  });

  it("rejects a prefixed id of another kind", () => {
    expect(() => toV2Id("task", "prv_d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8a", "id")).toThrow(
      expect.objectContaining({ name: "InvalidInputError", field: "id" }),
    );
    fc.assert(
      fc.property(fc.uuid(), kind, kind, (uuid, from, to) => {
        fc.pre(from !== to);
        expect(() => toV4Id(to, toV4Id(from, uuid))).toThrow(InvalidInputError);
      }),
    );
  });

  it.each([
    "",
    " ",
    "../admin",
    "%2e%2e",
    "a/b?c=1",
    "tsk_",
    "tsk_a1b2c3d456784abc9def0123456789a", // 31 digits
    "tsk_a1b2c3d456784abc9def0123456789abc", // 33 digits
    "tsk_g1b2c3d456784abc9def0123456789ab", // not hex
    "TSK_a1b2c3d456784abc9def0123456789ab", // the prefix is lower case
    "tsk-a1b2c3d456784abc9def0123456789ab",
    "a1b2c3d456784abc9def0123456789ab", // bare hex: neither dialect
    "a1b2c3d4-5678-4abc-9def-0123456789ab ",
    " a1b2c3d4-5678-4abc-9def-0123456789ab",
    "a1b2c3d4-5678-4abc-9def-0123456789ab\n",
    "a1b2c3d45678-4abc-9def-0123456789ab",
    "{a1b2c3d4-5678-4abc-9def-0123456789ab}",
    "a1b2c3d4-5678-4abc-9def-0123456789ab/../x",
  ])("rejects the malformed id %j", (bad) => {
    for (const k of kinds) {
      expect(() => toV4Id(k, bad)).toThrow(InvalidInputError);
      expect(() => toV2Id(k, bad)).toThrow(InvalidInputError);
    }
  });

  it("rejects arbitrary strings that are in neither dialect, without echoing them", () => {
    const wellFormed = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z]{3}_[0-9a-f]{32})$/i;
    fc.assert(
      fc.property(fc.string({ maxLength: 64 }), kind, (text, k) => {
        fc.pre(!wellFormed.test(text));
        let thrown: unknown;
        try {
          toV2Id(k, text);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(InvalidInputError);
        if (text.length > 12) expect((thrown as Error).message).not.toContain(text);
      }),
    );
  });
});

describe("CANONICAL_IDS", () => {
  it("spells every dialect and case of one id as its v4 id of the kind", () => {
    const hex = "a1b2c3d456784abc9def0123456789ab";
    for (const id of [
      "a1b2c3d4-5678-4abc-9def-0123456789ab",
      `nte_${hex.toUpperCase()}`,
      "A1B2C3D4-5678-4ABC-9DEF-0123456789AB",
    ]) {
      expect(CANONICAL_IDS.note?.(id)).toBe(`nte_${hex}`);
    }
    expect(CANONICAL_IDS.person?.(`prv_${hex.toUpperCase()}`)).toBe(`prv_${hex}`);
    expect(CANONICAL_IDS.task?.(`tsk_${hex}`)).toBe(`tsk_${hex}`);
  });
});
