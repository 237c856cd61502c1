// The dashboard's pages pass axe-core's WCAG 2.1 A and AA rules in headless Chromium, on the IOC's
// data set: the overview, an indicator, an agency, the communes and a commune, late reporting, tasks,
// the month's review and an agency's month. axe-core runs inside the page from the package's own file
// (nothing from another host).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, signInWith } from "./support/browser.js";
import { seedIocDataSet } from "./support/ioc-data-set.js";
import { startSystem, type RunningSystem } from "./support/system.js";

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);
const VIEW = "nam=2026&thang=2026-10&ngay=2027-01-15";
const PAGES = [
  ["the overview", "/", '[data-testid="indicators"] tbody tr'],
  ["an indicator", "/chi-tieu/II.7", "h1"],
  ["an agency", "/co-quan/POLICE", "h1"],
  ["the communes", "/xa-phuong", "h1"],
  ["a commune", "/xa-phuong/10507", "h1"],
  ["late reporting", "/bao-cao-cham", "h1"],
  ["tasks", "/nhiem-vu", "h1"],
  ["the month's review", "/bao-cao", "h1"],
  ["an agency's month", "/bao-cao/DOH", '[data-testid="month-state"]'],
] as const;

let system: RunningSystem;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  system = await startSystem("a11y", { GATEWAY_WORKERS: "1", DASHBOARD_TOKEN_PASTE: "1" });
  await seedIocDataSet(system);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  const base = system.gatewayUrl.replace(/\/graphql$/, "");
  await signInWith(page, `${base}/`, await system.token("IOC"));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}

describe(
  "the dashboard's pages, by axe-core's WCAG 2.1 A and AA rules",
  { timeout: 60_000 },
  () => {
    it.each(PAGES)("%s (%s) has no violation", async (_name, path, shown) => {
      const base = system.gatewayUrl.replace(/\/graphql$/, "");
      await page.goto(`${base}${path}?${VIEW}`);
      await page.locator(shown).first().waitFor({ timeout: 15_000 });
      await page.evaluate(axeSource);
      const violations = (await page.evaluate(async () => {
        const axe = (
          globalThis as unknown as {
            axe: { run: (o: unknown) => Promise<{ violations: unknown[] }> };
          }
        ).axe;
        const result = await axe.run({
          runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        return result.violations;
      })) as Violation[];
      const summary = violations.map(
        (v) =>
          `${v.id} (${v.impact}, ${v.nodes.length}): ${v.help}; e.g. ${v.nodes[0]?.target.join(" ")}: ${v.nodes[0]?.failureSummary}`,
      );
      expect(summary).toEqual([]);
    });
  },
);
