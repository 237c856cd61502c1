// The dashboard's pages pass axe-core's WCAG 2.1 A and AA rules in headless Chromium, on the IOC's
// data set: the overview, an indicator, an agency, the communes, a commune and their league table,
// late reporting, tasks, the month's review, an agency's month and a commune's month (as the IOC reads
// it, and on a phone as its data officer enters it). axe-core runs inside the page from the package's
// own file (nothing from another host).
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
  ["the communes' league table", "/xep-hang-xa", '[data-testid="league-table"] tbody tr'],
  ["late reporting", "/bao-cao-cham", "h1"],
  ["tasks", "/nhiem-vu", "h1"],
  ["the year's results", "/ket-qua-nam", '[data-testid="year-ranking"] tbody tr'],
  ["the month's review", "/bao-cao", "h1"],
  ["an agency's month", "/bao-cao/DOH", '[data-testid="month-state"]'],
  ["a commune's month", "/bao-cao-xa/10525", '[data-testid="obligation"]'],
  ["opening a commune's month", "/bao-cao-xa", "h1"],
] as const;
/** A commune's data officer on a phone: the month with its data entry. */
const COMMUNE_OFFICER = {
  agency: "COMMUNE",
  commune: "10525",
  person: { id: "haiduong.canbo", name: "Nguyễn Thị Thu" },
  roles: ["commune-officer" as const],
};

let system: RunningSystem;
let browser: Browser;
let page: Page;
let phone: Page;

beforeAll(async () => {
  system = await startSystem("a11y", { GATEWAY_WORKERS: "1", DASHBOARD_TOKEN_PASTE: "1" });
  await seedIocDataSet(system);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  const base = system.gatewayUrl.replace(/\/graphql$/, "");
  await signInWith(page, `${base}/`, await system.token("IOC"));
  phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signInWith(phone, `${base}/`, await system.token(COMMUNE_OFFICER));
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
      expect(await violationsOf(page)).toEqual([]);
    });

    it("a commune's month on a phone, with its data entry, has no violation", async () => {
      const base = system.gatewayUrl.replace(/\/graphql$/, "");
      // the month reported now, open for figures
      await phone.goto(`${base}/bao-cao-xa/10525`);
      await phone.locator('[data-testid="figure-entry"]').waitFor({ timeout: 15_000 });
      // a figure's problem shown on its field is part of what is checked
      await phone.locator(".entry-inputs input").first().fill("");
      await phone.locator('[data-testid="entry-save"]').click();
      await phone.locator('[data-testid="entry-problem"]').waitFor({ timeout: 15_000 });
      expect(await violationsOf(phone)).toEqual([]);
    });
  },
);

/** axe-core's WCAG 2.1 A and AA violations on the page as it stands, one line each. */
async function violationsOf(page: Page): Promise<string[]> {
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
  return violations.map(
    (v) =>
      `${v.id} (${v.impact}, ${v.nodes.length}): ${v.help}; e.g. ${v.nodes[0]?.target.join(" ")}: ${v.nodes[0]?.failureSummary}`,
  );
}
