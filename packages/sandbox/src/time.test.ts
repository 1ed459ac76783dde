import { describe, expect, it } from "vitest";
import { createRandom } from "./random.ts";
import { dotnetIso, isoSeconds, postgresMs, postgresText, randomMicros } from "./time.ts";

describe("vendor timestamp formats", () => {
  const at = Date.UTC(2026, 2, 20, 18, 35, 10, 209);

  it("writes Postgres text with trailing fraction zeros trimmed", () => {
    expect(postgresText(at, 209_452)).toBe("2026-03-20 18:35:10.209452+00");
    expect(postgresText(at, 285_000)).toBe("2026-03-20 18:35:10.285+00");
    expect(postgresText(at, 0)).toBe("2026-03-20 18:35:10+00");
    expect(postgresText(at)).toBe("2026-03-20 18:35:10.209+00");
  });

  it("reads its own Postgres text back to the instant (to order and filter by it)", () => {
    expect(postgresMs(postgresText(at, 209_452))).toBe(at);
    expect(postgresMs(postgresText(at, 0))).toBe(at - 209);
  });

  it("writes .NET and second-precision ISO", () => {
    expect(dotnetIso(at, 2_094_520)).toBe("2026-03-20T18:35:10.209452Z");
    expect(dotnetIso(at, 0)).toBe("2026-03-20T18:35:10Z");
    expect(isoSeconds(at)).toBe("2026-03-20T18:35:10Z");
  });

  it("draws microseconds with exactly the requested number of digits", () => {
    const random = createRandom(3);
    for (let digits = 0; digits <= 6; digits++) {
      const text = postgresText(at, randomMicros(random, digits));
      expect(/\.(\d+)\+/.exec(text)?.[1]?.length ?? 0).toBe(digits);
    }
  });
});
