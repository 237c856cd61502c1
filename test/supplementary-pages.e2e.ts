// An agency's supplementary indicators on the IOC's dashboard, in headless Chromium against the real
// stack (six subgraphs and the gateway, no anonymous reading): DOET submits an EDU-S1 figure for one
// commune through the gateway; its agency page shows EDU-S1 and EDU-S2 in a section of their own,
// apart from the plan's indicators and their reporting, and an agency without any shows no such
// section; the late-reporting page lists them, tagged, beside the plan's. No console error, nothing
// from elsewhere.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../scripts/lib/ferretdb.js";
import { launchChromium, signInWith, WatchedPages } from "./support/browser.js";
import { startSystem, type RunningSystem } from "./support/system.js";

const PERIOD = "2026-10";
const VIEW = `nam=2026&thang=${PERIOD}`;
/** The commune that reports EDU-S1 (after the due date: the system runs on today's clock). */
const REPORTED = "10507";
const SILENT = "10525";
const SCREENSHOTS = join(repoRoot, "test-results-web");

let system: RunningSystem;
let browser: Browser;
let pages: WatchedPages;
let page: Page;

const base = () => system.gatewayUrl.replace(/\/graphql$/, "");
const text = (selector: string) => page.locator(selector).innerText();
const tableKeys = (table: string) =>
  page
    .locator(`[data-testid="${table}"] tbody tr[data-key]`)
    .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key")!));
const cells = async (table: string, key: string) =>
  (
    await page
      .locator(`[data-testid="${table}"] tbody tr[data-key="${key}"]`)
      .locator("th, td")
      .allInnerTexts()
  ).map((cell) => cell.replace(/\s+/g, " ").trim());

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // the developer's way in (a pasted token): this file is about what the agency's page shows
  system = await startSystem("supplementary_pages", {
    GATEWAY_WORKERS: "1",
    DASHBOARD_TOKEN_PASTE: "1",
  });
  const { errors } = await system.query(
    `mutation { submitEducationValue(input: { indicator: "EDU-S1", unit: "${REPORTED}", period: "${PERIOD}", numerator: 450, denominator: 600 }) { value } }`,
    {},
    "DOET",
  );
  expect(errors).toBeUndefined();
  browser = await launchChromium();
  pages = new WatchedPages(browser);
  page = await pages.open({ width: 1366, height: 768 });
}, 180_000);

afterAll(async () => {
  await pages?.close();
  await browser?.close();
  await system?.stop();
});

describe("supplementary indicators on the dashboard", { timeout: 60_000 }, () => {
  it("shows DOET's supplementary indicators in their own section, not in its plan statistics", async () => {
    await signInWith(page, `${base()}/co-quan/DOET?${VIEW}`, await system.token("IOC"));
    await expect
      .poll(() => tableKeys("supplementary-indicators"), { timeout: 20_000 })
      .toEqual(["EDU-S1", "EDU-S2"]);
    expect(await text("#supplementary-title")).toBe("Chỉ tiêu bổ sung của cơ quan");
    // 450 of 600 in one commune; 1 of the 114 communes' reports received, after the due date
    expect(await cells("supplementary-indicators", "EDU-S1")).toEqual([
      "EDU-S1",
      "Tỷ lệ học sinh có học bạ số",
      "%",
      "75%",
      "10/2026",
      "1",
      "114",
      "0",
    ]);
    expect((await cells("supplementary-indicators", "EDU-S2")).slice(3)).toEqual([
      "–",
      "–",
      "0",
      "1",
      "0",
    ]);
    expect(await text('[data-testid="supplementary-reporting"]')).toBe(
      "Báo cáo tháng 10/2026: Đã nhận 1/115 báo cáo, 0 đúng hạn",
    );
    // the plan's section and its reporting are the plan's: no EDU-S1, nothing received
    expect((await tableKeys("agency-indicators")).sort()).toEqual(["II.5", "III.9"]);
    expect(await text('[data-testid="reporting"]')).toMatch(/Đã nhận 0\/\d+ báo cáo/);
    await page.locator("#supplementary-title").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, "agency-supplementary.png") });

    await page.locator('[data-testid="language-switch"]').click();
    await expect
      .poll(() => text("#supplementary-title"))
      .toBe("The agency's supplementary indicators");
    expect((await cells("supplementary-indicators", "EDU-S1"))[1]).toBe(
      "Share of students with a digital school record",
    );
    await page.locator('[data-testid="language-switch"]').click();
    await expect.poll(() => text("#supplementary-title")).toBe("Chỉ tiêu bổ sung của cơ quan");
  });

  it("shows no supplementary section for an agency without any", async () => {
    await page.goto(`${base()}/co-quan/POLICE?${VIEW}`);
    await expect.poll(() => text("h1"), { timeout: 20_000 }).toBe("Cơ quan: Công an thành phố");
    await expect.poll(() => tableKeys("agency-indicators")).not.toEqual([]);
    expect(await page.locator('[data-testid="supplementary"]').count()).toBe(0);
  });

  it("lists the supplementary indicators missing or late, tagged, beside the plan's", async () => {
    await page.goto(`${base()}/bao-cao-cham?${VIEW}`);
    await expect
      .poll(() => text("h1"), { timeout: 20_000 })
      .toBe("Báo cáo chậm, thiếu: tháng 10/2026");
    await page.locator('select[name="agency"]').selectOption("DOET");
    // the supplementary codes of a row's missing (second) or late (third) cell, as shown
    const tagged = async (key: string, cell: number) =>
      (
        await page
          .locator(
            `[data-testid="late-reporting"] tbody tr[data-key="${key}"] td:nth-of-type(${cell}) .supplementary`,
          )
          .allInnerTexts()
      ).map((code) => code.replace(/^, /, ""));
    const missing = (key: string) => tagged(key, 2);
    const late = (key: string) => tagged(key, 3);
    // a commune that reported nothing owes EDU-S1 beside the plan's indicators; the city owes EDU-S2
    expect(await missing(`DOET|${SILENT}`)).toEqual(["EDU-S1 bổ sung"]);
    expect(await missing("DOET|31")).toEqual(["EDU-S2 bổ sung"]);
    // the commune that reported EDU-S1 did so after the due date
    expect(await missing(`DOET|${REPORTED}`)).toEqual([]);
    expect(await late(`DOET|${REPORTED}`)).toEqual(["EDU-S1 bổ sung"]);
    // the plan's codes still first in the cell, without the tag
    const silentMissing = (await cells("late-reporting", `DOET|${SILENT}`))[2]!;
    expect(silentMissing).toMatch(/^(II|III)\.\d+.*, EDU-S1 bổ sung$/);
    // 114 communes miss EDU-S1 but one, the city misses EDU-S2; one late
    expect(await text('[data-testid="late-count"]')).toContain(
      "báo cáo muộn (trong đó chỉ tiêu bổ sung: 114 chưa nộp, 1 muộn)",
    );
    await page.screenshot({ path: join(SCREENSHOTS, "late-reporting-supplementary.png") });
    expect(pages.consoleErrors).toEqual([]);
    expect(pages.requestsElsewhere()).toEqual([]);
  });
});
