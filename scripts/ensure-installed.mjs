// Runs `npm install` when node_modules is missing or older than package-lock.json, so that
// `npm start` and `npm test` work on a fresh clone. Plain JavaScript: it runs before tsx exists.
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";

const mtime = (path) => {
  try {
    return statSync(new URL(`../${path}`, import.meta.url)).mtimeMs;
  } catch {
    return 0;
  }
};

if (mtime("node_modules/.package-lock.json") < mtime("package-lock.json")) {
  console.log("installing npm packages (npm install)...");
  const result = spawnSync("npm", ["install", "--no-audit", "--no-fund"], {
    stdio: "inherit",
    cwd: new URL("..", import.meta.url),
  });
  process.exit(result.status ?? 1);
}
