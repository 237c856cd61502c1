// A temporary working copy of the repository for a test that changes it (a generated subgraph, a
// moved indicator): the files git knows (committed or not), and node_modules as links to this
// checkout's installed packages, with the workspace packages linked to the copy's own folders.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readlink, rm, symlink } from "node:fs/promises";
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

export async function workingCopy(): Promise<WorkingCopy> {
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
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}
