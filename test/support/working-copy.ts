// A temporary working copy of the repository for a test that changes it (a generated subgraph, a
// moved indicator): the files git knows (committed or not), and node_modules as links to this
// checkout's installed packages, with the workspace packages linked to the copy's own folders. The
// built FerretDB (.tools) is linked too, so that `npm start` there does not build it again.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, cp, mkdir, mkdtemp, readdir, readlink, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../../scripts/lib/ferretdb.js";

const run = promisify(execFile);

/** Folders whose own node_modules hold versions other than the root's. */
const NESTED_MODULES = ["gateway", "subgraphs/kit", "gateway/web"];

export interface WorkingCopy {
  root: string;
  remove(): Promise<void>;
}

export interface WorkingCopyOptions {
  /**
   * A node_modules `npm install` may run in (a command that installs, `npm start` after it): this
   * checkout's, hard-linked file by file, instead of links to its packages, which npm would replace.
   * A file rewritten in place would change this checkout's too: npm's record of the tree
   * (node_modules/.package-lock.json) is the copy's own, and the tools' caches (.vite, ...) are left
   * out.
   */
  installable?: boolean;
}

export async function workingCopy(options: WorkingCopyOptions = {}): Promise<WorkingCopy> {
  const root = await mkdtemp(join(tmpdir(), "p06-copy-"));
  const { stdout } = await run("git", ["ls-files", "-co", "--exclude-standard", "-z"], {
    cwd: repoRoot,
    maxBuffer: 16 * 1024 * 1024,
  });
  const files = stdout.split("\0").filter(Boolean);
  for (const file of files) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await cp(join(repoRoot, file), join(root, file), { force: true }).catch((error: unknown) => {
      // a file deleted but not yet staged is listed and absent
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    });
  }
  if (existsSync(join(repoRoot, ".tools"))) {
    await symlink(join(repoRoot, ".tools"), join(root, ".tools"));
  }
  if (options.installable) await linkModulesInstallable(root);
  else await linkModules(root);
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

async function linkModules(root: string): Promise<void> {
  const modules = join(repoRoot, "node_modules");
  await mkdir(join(root, "node_modules", "@p06"), { recursive: true });
  for (const entry of await readdir(modules)) {
    if (entry !== "@p06") await symlink(join(modules, entry), join(root, "node_modules", entry));
  }
  // the workspace packages: the copy's own folders, linked as npm links them
  for (const entry of await readdir(join(modules, "@p06"))) {
    const target = await readlink(join(modules, "@p06", entry));
    await symlink(target, join(root, "node_modules", "@p06", entry));
  }
  for (const dir of NESTED_MODULES) {
    const nested = join(repoRoot, dir, "node_modules");
    if (existsSync(nested)) await symlink(nested, join(root, dir, "node_modules"));
  }
}

async function linkModulesInstallable(root: string): Promise<void> {
  // the workspace links are relative (../../subgraphs/...): in the copy they name its own folders
  for (const dir of ["", ...NESTED_MODULES]) {
    const nested = join(repoRoot, dir, "node_modules");
    if (!existsSync(nested)) continue;
    const copied = join(root, dir, "node_modules");
    await run("cp", ["-al", nested, copied]);
    for (const entry of await readdir(copied)) {
      if (entry.startsWith(".") && entry !== ".bin" && entry !== ".package-lock.json") {
        await rm(join(copied, entry), { recursive: true, force: true });
      }
    }
  }
  // after package-lock.json was copied: newer, so `npm start` finds the packages installed
  const record = join(root, "node_modules", ".package-lock.json");
  await rm(record, { force: true });
  if (existsSync(join(repoRoot, "node_modules", ".package-lock.json"))) {
    await copyFile(join(repoRoot, "node_modules", ".package-lock.json"), record);
  }
}
