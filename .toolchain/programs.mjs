// The external programs some root scripts need (`npm test`: redis-server and Chromium), gathered in ONE directory,
// `.toolchain/cache/bin`, which the bootstrap puts on PATH. Each is the system's own when it has one; otherwise
// Debian's package, with whatever packages it depends on that this machine lacks, fetched with `apt-get download`
// and unpacked with `dpkg-deb -x` into `.toolchain/cache/debian/<program>` (no root needed), behind a wrapper that
// sets LD_LIBRARY_PATH. Only node: built-ins: this runs on the system's Node (20 is enough).
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { delimiter, join, relative } from "node:path";

// Chromium, when the browser tests start it (playwright-core's `executablePath`: the `chromium` on this PATH), needs
// on machines of this kind, as root: --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
// --disable-background-networking --disable-component-update --disable-sync, and a fresh --user-data-dir per run.
// Run as another user it also works with its sandbox on (user namespaces). The wrapper adds no flags of its own.
const PROGRAMS = {
  "redis-server": {
    packages: ["redis-server"],
    executable: "usr/bin/redis-server",
    systemNames: ["redis-server"],
    elsewhere: "Redis 7 (e.g. `apt-get install redis-server` or `brew install redis`)",
  },
  chromium: {
    packages: ["chromium"],
    executable: "usr/lib/chromium/chromium",
    systemNames: ["chromium", "chromium-browser", "google-chrome"],
    elsewhere: "Chromium or Google Chrome (e.g. `apt-get install chromium` or `brew install --cask chromium`)",
  },
};

export const PROGRAM_NAMES = Object.keys(PROGRAMS);

/**
 * Makes `<cache>/bin/<name>` a working executable for each name and returns that directory. A program already there
 * is only probed (`--version`), so a second run costs milliseconds; one that fails its probe is brought again.
 */
export function ensurePrograms(names, { cache, log, fail }) {
  const binDir = join(cache, "bin");
  mkdirSync(binDir, { recursive: true });
  const missing = names.filter((name) => !works(join(binDir, name)));
  if (missing.length === 0) return binDir;

  const fromDebian = [];
  for (const name of missing) {
    const system = findOnPath(PROGRAMS[name].systemNames, binDir);
    if (system) {
      log(`using the system's ${name}: ${system}`);
      replace(join(binDir, name), (path) => symlinkSync(system, path));
    } else {
      fromDebian.push(name);
    }
  }
  if (fromDebian.length === 0) return binDir;

  const cannot = whyNotDebian();
  if (cannot) {
    const wanted = fromDebian.map((name) => PROGRAMS[name].elsewhere).join(" and ");
    fail(`${fromDebian.join(" and ")} not found on PATH and cannot be brought here (${cannot}): install ${wanted}.`);
  }
  const started = Date.now();
  const apt = new Apt(join(cache, "apt"), log, fail);
  for (const name of fromDebian) {
    const program = PROGRAMS[name];
    const root = join(cache, "debian", name);
    const packages = apt.missingPackages(program.packages);
    log(`bringing ${name} from Debian's archive: ${packages.length} packages this machine lacks`);
    const staging = stagingDir(join(cache, "debian"), name);
    const unpacked = join(staging, "root");
    apt.downloadAndUnpack(packages, staging);
    writeFileSync(join(unpacked, ".packages"), `${packages.join("\n")}\n`);
    const libraryDirs = sharedLibraryDirs(unpacked);
    checkLinked(join(unpacked, program.executable), libraryDirs, unpacked, fail);
    // Without the system's fontconfig, the unpacked one and its fonts (fonts-dejavu-core) are found by sysroot.
    const ownFontconfig = existsSync(join(unpacked, "etc", "fonts", "fonts.conf"));
    // Another checkout sharing this cache may have finished first: keep what it brought.
    if (!works(join(binDir, name))) {
      rmSync(root, { recursive: true, force: true });
      renameSync(unpacked, root);
      replace(join(binDir, name), (path) => {
        writeFileSync(path, wrapper(name, relative(binDir, root), program.executable, libraryDirs, ownFontconfig));
        chmodSync(path, 0o755);
      });
    }
    rmSync(staging, { recursive: true, force: true });
    if (!works(join(binDir, name))) fail(`${name} was unpacked into ${root} but does not run; see the output above.`);
  }
  log(`brought ${fromDebian.join(", ")} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return binDir;
}

/** A launcher that finds its unpacked package relative to itself, so the cache can move with the checkout. */
function wrapper(name, rootFromBin, executable, libraryDirs, ownFontconfig) {
  const libs = libraryDirs.map((dir) => `$root/${dir}`).join(":");
  return [
    "#!/bin/sh",
    `# ${name} from Debian's packages, unpacked by .toolchain/bootstrap.mjs (see .toolchain/programs.mjs).`,
    ...(name === "chromium"
      ? [
          "# As root here, start it with --headless --no-sandbox --disable-gpu --disable-quic --no-first-run",
          "# --disable-background-networking --disable-component-update --disable-sync and a fresh --user-data-dir.",
        ]
      : []),
    `root="$(cd "$(dirname "$0")" && pwd)/${rootFromBin}"`,
    ...(libs ? [`LD_LIBRARY_PATH="${libs}\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"`, "export LD_LIBRARY_PATH"] : []),
    ...(ownFontconfig ? ['FONTCONFIG_SYSROOT="$root"', "export FONTCONFIG_SYSROOT"] : []),
    `exec "$root/${executable}" "$@"`,
    "",
  ].join("\n");
}

/** A fresh directory to unpack into; leftovers of runs interrupted over an hour ago go. */
function stagingDir(parent, name) {
  mkdirSync(parent, { recursive: true });
  for (const entry of readdirSync(parent)) {
    const path = join(parent, entry);
    if (entry.startsWith(`.${name}-`) && Date.now() - statSync(path).mtimeMs > 3_600_000) {
      rmSync(path, { recursive: true, force: true });
    }
  }
  return mkdtempSync(join(parent, `.${name}-`));
}

function works(path) {
  if (!existsSync(path)) return false;
  const probe = spawnSync(path, ["--version"], { stdio: "ignore", timeout: 30_000 });
  return probe.status === 0;
}

function findOnPath(names, except) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir || dir === except) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      if (works(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Writes a file or link under a temporary name and renames it into place, so no run sees half of it. */
function replace(path, write) {
  const temporary = `${path}.${process.pid}`;
  rmSync(temporary, { force: true });
  write(temporary);
  renameSync(temporary, path);
}

function whyNotDebian() {
  if (process.platform !== "linux") return `this is ${process.platform}, not Debian`;
  for (const tool of ["apt-get", "dpkg-deb", "ldd"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" }).status !== 0) return `no ${tool}`;
  }
  return undefined;
}

/** Every directory of the unpacked tree holding a shared library (including those only loaded with dlopen). */
function sharedLibraryDirs(root) {
  const dirs = [];
  const walk = (dir) => {
    let holdsLibrary = false;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (/^lib.*\.so(\.\d+)*$/.test(entry.name)) holdsLibrary = true;
    }
    if (holdsLibrary) dirs.push(relative(root, dir));
  };
  walk(root);
  return dirs.sort();
}

/** ldd resolves every library the program links against, from the system or the unpacked tree. */
function checkLinked(executable, libraryDirs, root, fail) {
  const env = { ...process.env, LD_LIBRARY_PATH: libraryDirs.map((dir) => join(root, dir)).join(":") };
  const ldd = spawnSync("ldd", [executable], { encoding: "utf8", env });
  const unresolved = (ldd.stdout ?? "")
    .split("\n")
    .filter((line) => line.includes("not found"))
    .map((line) => line.trim().split(" ")[0]);
  if (ldd.status !== 0 || unresolved.length > 0) {
    fail(`${executable} cannot load ${unresolved.join(", ") || "its libraries"}: ${ldd.stderr ?? ""}`.trim());
  }
}

/**
 * apt with package lists of its own under `.toolchain/cache/apt` (refreshed with an unprivileged `apt-get update`),
 * falling back to the system's lists when the archive cannot be reached. Installed packages are the system's.
 */
class Apt {
  constructor(dir, log, fail) {
    this.fail = fail;
    mkdirSync(join(dir, "lists", "partial"), { recursive: true });
    mkdirSync(join(dir, "cache"), { recursive: true });
    const common = [
      "-q",
      "-o",
      "Acquire::Retries=3",
      "-o",
      "Acquire::http::Timeout=30",
      "-o",
      `Dir::Cache=${join(dir, "cache")}`,
      // As root apt would download as the _apt user, who cannot write into the cache.
      ...(process.getuid?.() === 0 ? ["-o", "APT::Sandbox::User=root"] : []),
    ];
    const own = [...common, "-o", `Dir::State::Lists=${join(dir, "lists")}`];
    const update = this.run(["update", ...own]);
    if (update.status !== 0) log(`apt-get update into the cache reported:\n${update.stderr.trim()}`);
    // One unreachable source fails the update but leaves the others' lists, which are enough.
    const fetched = readdirSync(join(dir, "lists")).some((file) => file.includes("_Packages"));
    if (!fetched) log("no package lists could be fetched; trying the system's own");
    this.options = fetched ? own : common;
  }

  run(args, cwd) {
    return spawnSync("apt-get", args, { cwd, encoding: "utf8", env: { ...process.env, LC_ALL: "C" } });
  }

  /** `name=version` of the given packages and every package they depend on that is not installed here. */
  missingPackages(packages) {
    const plan = this.run(["--simulate", "--no-install-recommends", ...this.options, "install", ...packages]);
    if (plan.status !== 0) this.fail(`apt cannot resolve ${packages.join(", ")}:\n${plan.stdout}${plan.stderr}`);
    // "Inst libfoo1 (1.2-3 Debian:12.15/oldstable [amd64])", or "Inst libfoo1 [1.2-2] (1.2-3 …)" for an upgrade.
    const wanted = [...plan.stdout.matchAll(/^Inst (\S+) (?:\[\S+\] )?\((\S+)/gm)].map(([, name, v]) => `${name}=${v}`);
    // A package dpkg lists as installed but whose program is not on PATH is fetched anyway.
    for (const name of packages) if (!wanted.some((spec) => spec.startsWith(`${name}=`))) wanted.push(name);
    return wanted;
  }

  downloadAndUnpack(packages, staging) {
    const debs = join(staging, "debs");
    mkdirSync(debs);
    const download = this.run(["download", ...this.options, ...packages], debs);
    if (download.status !== 0) this.fail(`apt-get download failed:\n${download.stdout}${download.stderr}`);
    for (const deb of readdirSync(debs)) {
      const unpack = spawnSync("dpkg-deb", ["-x", join(debs, deb), join(staging, "root")], { encoding: "utf8" });
      if (unpack.status !== 0) this.fail(`dpkg-deb could not unpack ${deb}: ${unpack.stderr}`);
    }
    rmSync(debs, { recursive: true, force: true });
  }
}
