import { describe, expect, it } from "vitest";
import { createRandom, hashSeed } from "./random.ts";

describe("seeded PRNG", () => {
  it("gives the same sequence for the same seed and another for another seed", () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const seq = (r: ReturnType<typeof createRandom>) => Array.from({ length: 5 }, () => r.next());
    const first = seq(a);
    expect(seq(b)).toEqual(first);
    expect(seq(c)).not.toEqual(first);
    for (const x of first) expect(x >= 0 && x < 1).toBe(true);
  });

  it("draws v4 UUIDs, ints in range and distinct samples", () => {
    const r = createRandom(1);
    for (let i = 0; i < 50; i++) {
      expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const n = r.int(3, 5);
      expect(n >= 3 && n <= 5).toBe(true);
    }
    const sample = r.sample([1, 2, 3, 4], 3);
    expect(new Set(sample).size).toBe(3);
    expect(() => r.pick([])).toThrow();
  });

  it("hashes strings to stable seeds", () => {
    expect(hashSeed("tsk")).toBe(hashSeed("tsk"));
    expect(hashSeed("a")).not.toBe(hashSeed("b"));
  });
});
