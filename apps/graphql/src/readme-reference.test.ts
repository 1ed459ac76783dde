import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { collectDefaultMetrics, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "./errors.ts";
import { Metrics } from "./telemetry/metrics.ts";
import { VENDORS } from "./vendors.ts";

/** What the READMEs state about the code's fixed sets (error codes, metrics, variables), checked against the code. */
const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8");
const ROOT_README = read("README.md");
const SERVICE_README = read("apps/graphql/README.md");
const READMES = [
  ROOT_README,
  SERVICE_README,
  read("apps/web/README.md"),
  read("packages/client/README.md"),
  read("packages/http/README.md"),
];

/** The text of a README's `## <title>` section, up to the next `## ` heading. */
function section(readme: string, title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  expect(start, `no "## ${title}" section`).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** The codes in the first column of a section's table (a cell may name several: `A`, `B`). */
function tableCodes(text: string): string[] {
  return [...text.matchAll(/^\| ((?:`[A-Z_]+`(?:, )?)+) +\|/gm)]
    .flatMap(([, cell]) => [...(cell ?? "").matchAll(/`([A-Z_]+)`/g)].map(([, code]) => code ?? ""))
    .sort();
}

describe("the error codes", () => {
  it.each([
    ["README.md", ROOT_README],
    ["apps/graphql/README.md", SERVICE_README],
  ])("%s: its Errors table lists every code of ERROR_CODES, and no other", (_, readme) => {
    expect(tableCodes(section(readme, "Errors"))).toEqual([...ERROR_CODES].sort());
  });
});

describe("the metrics list (apps/graphql/README.md, Operating it)", () => {
  /** Each `name{label,…}` the Metrics bullet names, as name → labels. */
  function documented(): Record<string, string[]> {
    const bullet = /^- \*\*Metrics\*\*[\s\S]*?(?=^- \*\*)/m.exec(SERVICE_README)?.[0] ?? "";
    return Object.fromEntries(
      [...bullet.matchAll(/`((?:taskbridge|graphql_envelop)_[a-z_]+)(?:\{([A-Za-z,]+)\})?`/g)].map(
        ([, name, labels]) => [name, labels ? labels.split(",") : []],
      ),
    );
  }

  /** Each metric the service registers beyond Node's defaults, as name → labels. */
  function registered(): Record<string, string[]> {
    const defaults = new Registry();
    collectDefaultMetrics({ register: defaults });
    const isDefault = new Set(defaults.getMetricsAsArray().map((metric) => metric.name));
    const metrics = new Metrics().registry.getMetricsAsArray().filter((metric) => !isDefault.has(metric.name));
    return Object.fromEntries(
      metrics.map((metric) => [metric.name, [...((metric as { labelNames?: string[] }).labelNames ?? [])]]),
    );
  }

  it("names every metric registered with its labels, and no other", () => {
    expect(documented()).toEqual(registered());
  });
});

describe("the environment variables the READMEs name", () => {
  const example = parseEnv(read(".env.example"));
  /** Read by a test only (packages/client/src/pack.e2e.test.ts), documented where it is used. */
  const TEST_ONLY = new Set(["TASKBRIDGE_SYSTEM_NODE"]);

  it("are each in .env.example (with its default and meaning)", () => {
    const named = READMES.flatMap((readme) =>
      [...readme.matchAll(/\b(TASKBRIDGE_[A-Z_]+)\b/g)].map(([, v]) => v ?? ""),
    );
    expect([...new Set(named)].filter((name) => !(name in example) && !TEST_ONLY.has(name))).toEqual([]);
  });
});

describe("each vendor package's Config table", () => {
  it.each(VENDORS.map((vendor) => [vendor.id, vendor] as const))(
    "packages/vendors/%s/README.md: the connection's fields, and which are secret",
    (id, vendor) => {
      const config = section(
        read(`packages/vendors/${id}/README.md`),
        "Config (`ConnectionConfig`, the descriptor's `config`)",
      );
      const rows = [...config.matchAll(/^\| `(\w+)` +\|.*\| (yes|no|—) +\|$/gm)];
      const documented = Object.fromEntries(rows.map(([, field, secret]) => [field, secret === "yes"]));
      const fields = [...Object.keys(vendor.config.shape), "http"];
      const secrets: readonly string[] = vendor.secrets;
      expect(documented).toEqual(Object.fromEntries(fields.map((field) => [field, secrets.includes(field)])));
    },
  );
});

describe("the example tenants file as the root README shows it", () => {
  const example = JSON.parse(read("apps/graphql/taskbridge.example.json"));

  /** Whether every field of `part` is in `whole` with the same value (arrays: item by item). */
  function within(part: unknown, whole: unknown): boolean {
    if (typeof part !== "object" || part === null) return part === whole;
    if (typeof whole !== "object" || whole === null) return false;
    if (Array.isArray(part)) {
      return Array.isArray(whole) && part.length === whole.length && part.every((item, i) => within(item, whole[i]));
    }
    return Object.entries(part).every(([key, value]) => within(value, (whole as Record<string, unknown>)[key]));
  }

  it("shows the file's tenant in short: only fields the file has, with the file's values", () => {
    const block = /```json\n(\{\n {2}"tenants"[\s\S]*?)^```/m.exec(section(ROOT_README, "Configuration"))?.[1];
    expect(block, "no tenants JSON in the root README's Configuration").toBeDefined();
    expect(within(JSON.parse(block ?? "null"), example)).toBe(true);
  });

  it("accepts the caller key the root README names", () => {
    const key = /accepts the caller key\s+`([^`]+)`/.exec(ROOT_README)?.[1] ?? "";
    expect(example.tenants[0].apiKeySha256).toContain(createHash("sha256").update(key).digest("hex"));
  });
});
