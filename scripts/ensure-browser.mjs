// Before `npm test`: the browser tests need headless Chromium (Debian's chromium, or CHROMIUM_PATH).
// On a Debian machine where we are root it is installed here, as CI does; anywhere else the one
// command to run is named. Plain JavaScript: it runs before tsx exists.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const browser = process.env.CHROMIUM_PATH?.trim() || "/usr/bin/chromium";
if (!existsSync(browser)) {
  const root = process.getuid?.() === 0;
  if (process.env.CHROMIUM_PATH?.trim() || !root || !existsSync("/usr/bin/apt-get")) {
    console.error(
      `The browser tests need Chromium at ${browser}: install it (Debian: sudo apt-get install chromium) or set CHROMIUM_PATH.`,
    );
    process.exit(1);
  }
  console.log("installing Chromium for the browser tests (apt-get install chromium)...");
  const started = Date.now();
  const apt = (args) =>
    spawnSync("apt-get", args, {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    }).status === 0;
  if (!apt(["update", "-qq"]) || !apt(["install", "-y", "-qq", "chromium"])) {
    console.error("could not install Chromium: run apt-get install chromium, then npm test again.");
    process.exit(1);
  }
  console.log(`Chromium installed in ${Math.round((Date.now() - started) / 1000)} s`);
}
