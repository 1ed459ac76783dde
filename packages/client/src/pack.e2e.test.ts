/**
 * The packed client as a user outside the workspace gets it: `pnpm pack`, then the machine's own Node 20 and npm
 * install the tarball into an empty folder, typecheck an app against its .d.ts and run the app against a running
 * service. The test command runs on the toolchain's Node 24; the app must not.
 */
import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Stack, startStack, TEST_KEY } from "@taskbridge/graphql/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const PACKAGE_DIR = fileURLToPath(new URL("../", import.meta.url));
const CONSUMER_DIR = fileURLToPath(new URL("../test/consumer/", import.meta.url));

/**
 * The Node a user has: the one the bootstrap ran on (TASKBRIDGE_SYSTEM_NODE), else a Node 20 on PATH (the
 * toolchain's Node 24 comes first there, so it is passed over), with the npm installed beside it.
 */
function systemNode(): { node: string; npm: string; version: string } {
  const given = process.env.TASKBRIDGE_SYSTEM_NODE;
  if (given && !existsSync(given)) throw new Error(`TASKBRIDGE_SYSTEM_NODE is ${given}, which does not exist.`);
  const candidates = given ? [given] : (process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, "node"));
  for (const node of candidates) {
    if (!existsSync(node)) continue;
    const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
    if (!given && !version.startsWith("v20.")) continue;
    const npm = join(dirname(node), "npm");
    if (!existsSync(npm)) throw new Error(`No npm beside ${node}: the pack test installs with the system's own npm.`);
    // npm's bin is a script that would start whichever node comes first on PATH: run it with this one.
    return { node, npm: realpathSync(npm), version };
  }
  throw new Error(
    "No Node 20 found to test the packed client with: set TASKBRIDGE_SYSTEM_NODE to the machine's own node or put a Node 20 on PATH.",
  );
}

const system = systemNode();
/** A user's environment: their Node and npm first, none of pnpm's npm_* variables. */
const userEnv = {
  PATH: [dirname(system.node), "/usr/local/bin", "/usr/bin", "/bin"].join(delimiter),
  HOME: process.env.HOME ?? tmpdir(),
  npm_config_update_notifier: "false",
};
/** Runs a command without blocking: the service under test answers from this same process. */
async function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  return (await promisify(execFile)(command, args, { cwd, env, encoding: "utf8" })).stdout;
}
const npm = (args: string[], cwd: string) => run(system.node, [system.npm, ...args], cwd, userEnv);

let stack: Stack;
let work: string;
let tarball: string;
let app: string;

beforeAll(async () => {
  stack = await startStack();
  work = mkdtempSync(join(tmpdir(), "taskbridge-client-pack-"));
});
afterAll(async () => {
  await stack?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe(`the packed client on the system's ${system.version}`, () => {
  it("packs built JS and .d.ts, with no workspace: or catalog: in its manifest", async () => {
    const out = join(work, "pack");
    // pnpm pack runs the package's prepack (the build) and turns workspace:/catalog: into versions.
    await run("pnpm", ["pack", "--pack-destination", out], PACKAGE_DIR);
    const [name] = readdirSync(out).filter((file) => file.endsWith(".tgz"));
    if (!name) throw new Error(`pnpm pack wrote no tarball into ${out}`);
    tarball = join(out, name);
    const files = (await run("tar", ["-tzf", tarball], work)).split("\n").filter(Boolean);
    const manifestText = await run("tar", ["-xzOf", tarball, "package/package.json"], work);
    const manifest = JSON.parse(manifestText);

    expect(manifestText).not.toMatch(/workspace:|catalog:/);
    expect(manifest.exports).toEqual({ ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } });
    expect(files).toEqual(expect.arrayContaining(["package/dist/index.js", "package/dist/index.d.ts"]));
    expect(files.filter((file) => file.startsWith("package/src/"))).toEqual([]);
    expect(Object.keys(manifest.dependencies).sort()).toEqual(["@0no-co/graphql.web", "gql.tada"]);
  });

  it("installs with plain npm into an empty folder", async () => {
    app = join(work, "app");
    mkdirSync(app);
    await npm(["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, "typescript@5"], app);
    await npm(["pkg", "set", "type=module"], app);
    expect(existsSync(join(app, "node_modules/@taskbridge/client/dist/index.js"))).toBe(true);
  });

  it("typechecks an app against its .d.ts: results typed by selection", async () => {
    for (const file of ["consumer.ts", "tsconfig.json"]) copyFileSync(join(CONSUMER_DIR, file), join(app, file));
    // Type errors fail here with tsc's own report (the consumer has a @ts-expect-error for an unselected field).
    await run(system.node, [join(app, "node_modules/typescript/bin/tsc"), "-p", "."], app, userEnv);
    expect(existsSync(join(app, "consumer.js"))).toBe(true);
  });

  it("runs there against the service: reads, a page of tasks, a batch error, a create, a typed refusal", async () => {
    const { maxai, capy } = stack.sandbox.vendors;
    const ids = [maxai.seed.example.v4TaskId, capy.seed.example.taskId, capy.seed.example.projectId];
    const output = JSON.parse(await run(system.node, ["consumer.js", stack.url, TEST_KEY, ...ids], app, userEnv));
    expect(output).toEqual({
      node: system.version,
      task: {
        vendor: "MAX_AI",
        vendorId: maxai.seed.example.v4TaskId,
        vendorStatus: expect.any(String),
        ehrType: expect.any(String),
      },
      mine: { task: { vendorStatus: expect.any(String), identifier: "SCO-123" } },
      listed: { vendors: ["CAPY", "MAX_AI"], more: true },
      unselected: null,
      itemError: { code: "BAD_USER_INPUT", vendor: "CAKEWALK" },
      created: { vendor: "CAPY", title: "From an app outside the workspace" },
      refused: { code: "UNAUTHENTICATED", status: 401 },
    });
    expect(capy.requests.count({ method: "POST", path: "/api/v1/tasks" })).toBe(1);
  });
});
