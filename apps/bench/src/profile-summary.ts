/**
 * `node src/profile-summary.ts <file.cpuprofile> [--top N]`: self time by function and by package.
 * Self time of a node = the sampling intervals during which it was on top of the stack.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  share: number;
}

export function summarizeProfile(
  profile: CpuProfile,
  top: number,
): { total: number; functions: SelfTime[]; packages: SelfTime[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const functions = new Map<string, SelfTime>();
  const packages = new Map<string, SelfTime>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    totalUs += us;
    if (frame.functionName === "(idle)") idleUs += us;
    const name = frame.functionName || "(anonymous)";
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : "";
    const fKey = `${name} ${where}`;
    const f = functions.get(fKey) ?? { name, where, ms: 0, share: 0 };
    f.ms += us / 1000;
    functions.set(fKey, f);
    const pkg = packageOf(frame.url, frame.functionName);
    const p = packages.get(pkg) ?? { name: pkg, where: "", ms: 0, share: 0 };
    p.ms += us / 1000;
    packages.set(pkg, p);
  }
  // Shares of busy time: idle is when the process waited (on the network, here), not what it cost.
  const busyMs = (totalUs - idleUs) / 1000;
  const rank = (m: Map<string, SelfTime>) =>
    [...m.values()]
      .filter((t) => t.name !== "(idle)")
      .map((t) => ({ ...t, ms: Math.round(t.ms), share: Math.round((t.ms / busyMs) * 1000) / 10 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top);
  return { total: Math.round(busyMs), functions: rank(functions), packages: rank(packages) };
}

/**
 * Inclusive ("total") time: every sample counts once for each distinct function on its stack. Shows what a call
 * costs with everything it calls (e.g. a logger call with serialisation and the write).
 */
export function inclusiveTimes(profile: CpuProfile, top: number, match?: RegExp): SelfTime[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const totals = new Map<string, SelfTime>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const leaf = byId.get(id)?.callFrame.functionName;
    if (leaf === "(idle)" || leaf === "(program)") continue;
    busyUs += us;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame || frame.functionName === "(root)") continue;
      const name = frame.functionName || "(anonymous)";
      const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : "";
      const key = `${name} ${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const t = totals.get(key) ?? { name, where, ms: 0, share: 0 };
      t.ms += us / 1000;
      totals.set(key, t);
    }
  }
  return [...totals.values()]
    .filter((t) => !match || match.test(`${t.name} ${t.where}`))
    .map((t) => ({ ...t, ms: Math.round(t.ms), share: Math.round((t.ms / (busyUs / 1000)) * 1000) / 10 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
}

/** `file:///…/node_modules/.pnpm/graphql@16…/node_modules/graphql/execution/execute.js` → `graphql/execution/execute.js`. */
function shortUrl(url: string): string {
  const nm = url.lastIndexOf("node_modules/");
  if (nm !== -1) return url.slice(nm + "node_modules/".length);
  const repo = url.search(/\/(apps|packages)\//);
  return repo === -1 ? url : url.slice(repo + 1);
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native/V8)";
  if (url.startsWith("node:")) return "node core";
  const nm = url.lastIndexOf("node_modules/");
  if (nm !== -1) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  const m = /\/(apps|packages)\/((?:vendors\/)?[^/]+)\//.exec(url);
  return m ? `${m[1]}/${m[2]}` : url;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: "string" }, inclusive: { type: "string" }, requests: { type: "string" } },
  });
  const file = positionals[0];
  if (!file) {
    process.stderr.write(
      "Usage: node src/profile-summary.ts <file.cpuprofile> [--top N] [--requests N] [--inclusive RE]\n",
    );
    process.exit(2);
  }
  const top = Number(values.top ?? 10);
  // --requests N (the count the bench logs beside each profile): every figure also as µs per request.
  const requests = Number(values.requests ?? 0);
  const perRequest = requests > 0 ? (ms: number) => ((ms * 1000) / requests).toFixed(1) : undefined;
  const us = (ms: number) => (perRequest ? ` ${perRequest(ms)} |` : "");
  const usHead = perRequest ? " µs/request |" : "";
  const usRule = perRequest ? "---:|" : "";
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const summary = summarizeProfile(profile, top);
  const perRequestTotal = perRequest ? `, ${perRequest(summary.total)} µs per request` : "";
  const lines = [`Busy CPU time: ${summary.total} ms (idle excluded)${perRequestTotal}`];
  lines.push("", `Top ${top} functions by self time:`, "");
  lines.push(`| # | function | where | self ms | % of busy |${usHead}`, `|---:|---|---|---:|---:|${usRule}`);
  summary.functions.forEach((f, i) => {
    lines.push(`| ${i + 1} | ${f.name} | ${f.where} | ${f.ms} | ${f.share}% |${us(f.ms)}`);
  });
  lines.push("", "Self time by package:", "", `| package | self ms | % of busy |${usHead}`, `|---|---:|---:|${usRule}`);
  for (const p of summary.packages) lines.push(`| ${p.name} | ${p.ms} | ${p.share}% |${us(p.ms)}`);
  if (values.inclusive !== undefined) {
    // --inclusive REGEX: total time of the matching functions (with everything they call).
    lines.push("", `Inclusive time of functions matching /${values.inclusive}/:`, "");
    lines.push(`| function | where | total ms | % of busy |${usHead}`, `|---|---|---:|---:|${usRule}`);
    for (const t of inclusiveTimes(profile, top, new RegExp(values.inclusive))) {
      lines.push(`| ${t.name} | ${t.where} | ${t.ms} | ${t.share}% |${us(t.ms)}`);
    }
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}
