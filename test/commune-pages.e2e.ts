// The communes in the city's picture, in headless Chromium at a phone's width (390×844) against the
// real stack on the IOC's data set, with one commune's implementation plan recorded: the league table
// (each commune's monthly score, its parts, its ranks over the months), a commune's score parts and
// plan, and the communes missing or late on the late-reporting page, every number the graph's; no
// horizontal scrolling, the English switch, no console error and no request elsewhere.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, requestsElsewhere, signInWith } from "./support/browser.js";
import { A, B, seedIocDataSet } from "./support/ioc-data-set.js";
import { startSystem, type RunningSystem } from "./support/system.js";

const VIEW = "nam=2026&thang=2026-10&ngay=2027-01-15";

let system: RunningSystem;
let browser: Browser;
let page: Page;
let elsewhere: string[];
const consoleErrors: string[] = [];

const base = () => system.gatewayUrl.replace(/\/graphql$/, "");
const open = (path: string) => page.goto(`${base()}${path}?${VIEW}`);
const text = (selector: string) => page.locator(selector).innerText();
const cells = async (table: string, key: string) =>
  (
    await page
      .locator(`[data-testid="${table}"] tbody tr[data-key="${key}"]`)
      .locator("th, td")
      .allInnerTexts()
  ).map((cell) => cell.replace(/\s+/g, " ").trim());
const tableKeys = (table: string) =>
  page
    .locator(`[data-testid="${table}"] tbody tr[data-key]`)
    .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key")!));
/**
 * Whether the page scrolls sideways at the phone's width (a table scrolls in its own box), with
 * what sticks out past it when it does, to name in the failure.
 */
const sidewaysScroll = () =>
  page.evaluate(() => {
    type Element = {
      tagName: string;
      className: unknown;
      getBoundingClientRect(): { right: number };
      closest(selector: string): unknown;
    };
    const { document } = globalThis as unknown as {
      document: {
        documentElement: { scrollWidth: number; clientWidth: number };
        querySelectorAll(selector: string): Element[];
      };
    };
    const { scrollWidth, clientWidth } = document.documentElement;
    if (scrollWidth <= clientWidth) return [];
    const outside = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > clientWidth)
      .map((e) => `${e.tagName.toLowerCase()}.${String(e.className)}`);
    return [`${scrollWidth} px wide`, ...outside.slice(0, 10)];
  });
const vi = (x: number | null) =>
  x === null ? "–" : new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 }).format(x);

interface Standing {
  unit: { code: string; name: string };
  rank: number | null;
  score: number | null;
  monthlyScore: { indicators: number | null; tasks: number | null; reporting: number | null };
  reporting: { missing: { code: string }[]; late: { code: string }[] };
}

/** The graph's standings of a month, by commune. */
async function standings(period: string): Promise<Map<string, Standing>> {
  const { data, errors } = await system.query<{ review: { communes: Standing[] } }>(
    `query ($period: String) { review(year: 2026, period: $period) { communes {
      unit { code name } rank score monthlyScore { indicators tasks reporting }
      reporting { missing { code } late { code } } } } }`,
    { period },
  );
  expect(errors).toBeUndefined();
  return new Map(data!.review.communes.map((c) => [c.unit.code, c]));
}

beforeAll(async () => {
  system = await startSystem("communes-web", { GATEWAY_WORKERS: "1", DASHBOARD_TOKEN_PASTE: "1" });
  await seedIocDataSet(system);
  const recorded = await system.query(
    `mutation { recordCommunePlan(input: { unit: "${B}", issuedOn: "2026-06-12", documentNumber: "52/KH-UBND" }) { onTime } }`,
  );
  expect(recorded.errors).toBeUndefined();
  browser = await launchChromium();
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: "vi-VN",
    timezoneId: "Asia/Ho_Chi_Minh",
  });
  page = await context.newPage();
  elsewhere = requestsElsewhere(page);
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  await signInWith(page, `${base()}/`, `Bearer ${await system.token("IOC")}`);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

describe("the communes' pages on a phone", { timeout: 60_000 }, () => {
  it("the league table: every commune's monthly score, its parts and its ranks over the months, as the graph gives them", async () => {
    await open("/xep-hang-xa");
    await expect.poll(() => tableKeys("league-table"), { timeout: 15_000 }).toHaveLength(114);
    expect(await text("h1")).toBe("Xếp hạng xã, phường, đặc khu theo điểm tháng: tháng 10/2026");
    const october = await standings("2026-10");
    const september = await standings("2026-09");
    expect((await tableKeys("league-table")).slice(0, 2)).toEqual([A, B]);
    for (const code of [A, B]) {
      const graph = october.get(code)!;
      const shown = await cells("league-table", code);
      expect(shown[0]).toBe(String(graph.rank));
      expect(shown[1]).toBe(graph.unit.name);
      expect(shown[2]).toBe(vi(graph.score));
      expect(shown.slice(4, 7)).toEqual([
        vi(graph.monthlyScore.indicators),
        vi(graph.monthlyScore.tasks),
        vi(graph.monthlyScore.reporting),
      ]);
      // the ranks of May to October, the last two the graph's September and October
      expect(shown[7]!.split(" → ").slice(-2)).toEqual([
        String(september.get(code)!.rank),
        String(graph.rank),
      ]);
    }
    // B's plan (on time) put it first in September, when nobody had figures; A overtook it in October
    expect((await cells("league-table", A))[3]).toBe("▲ lên 1");
    expect((await cells("league-table", B))[3]).toBe("▼ xuống 1");
    expect((await cells("league-table", B)).at(-1)).toBe("Số 52/KH-UBND, ngày 12/06/2026");
    expect((await cells("league-table", A)).at(-1)).toBe("chưa ban hành");
    expect(await sidewaysScroll()).toEqual([]);
  });

  it("the communes page and a commune's page: the score's parts and the plan", async () => {
    await open("/xa-phuong");
    await expect.poll(() => tableKeys("heat-grid"), { timeout: 15_000 }).toHaveLength(114);
    const october = await standings("2026-10");
    const b = october.get(B)!;
    expect((await cells("heat-grid", B)).slice(3, 7)).toEqual([
      vi(b.score),
      vi(b.monthlyScore.indicators),
      vi(b.monthlyScore.tasks),
      vi(b.monthlyScore.reporting),
    ]);
    expect(await sidewaysScroll()).toEqual([]);
    await open(`/xa-phuong/${B}`);
    await expect.poll(() => text("h1"), { timeout: 15_000 }).toBe("Phường Hải Dương");
    const value = (part: string) => text(`[data-testid="score-${part}"] .score-value`);
    expect(await value("total")).toBe(vi(b.score));
    expect(await value("tasks")).toBe("100");
    expect(await value("indicators")).toBe(vi(b.monthlyScore.indicators));
    expect(await value("reporting")).toBe(vi(b.monthlyScore.reporting));
    expect(await text('[data-testid="commune-plan"]')).toBe("Số 52/KH-UBND, ngày 12/06/2026");
    expect(await text('[data-testid="commune-reporting"]')).toContain("báo cáo muộn: III.3");
    expect(await sidewaysScroll()).toEqual([]);
  });

  it("late reporting names the communes missing or late, with their counts over every agency", async () => {
    await open("/bao-cao-cham");
    await expect.poll(() => tableKeys("late-communes"), { timeout: 15_000 }).toHaveLength(114);
    const october = await standings("2026-10");
    const missing = [...october.values()].reduce((n, c) => n + c.reporting.missing.length, 0);
    const late = [...october.values()].reduce((n, c) => n + c.reporting.late.length, 0);
    expect(await text('[data-testid="late-communes-count"]')).toBe(
      `114 xã, phường, đặc khu: ${missing} báo cáo chưa nộp, ${late} báo cáo muộn`,
    );
    // B: every commune-level indicator but III.3 missing, III.3 late
    const b = october.get(B)!;
    expect((await cells("late-communes", B)).slice(0, 3)).toEqual([
      "Phường Hải Dương",
      String(b.reporting.missing.length),
      String(b.reporting.late.length),
    ]);
    expect(await sidewaysScroll()).toEqual([]);
  });

  it("switches to English", async () => {
    await open("/xep-hang-xa");
    await expect.poll(() => tableKeys("league-table"), { timeout: 15_000 }).toHaveLength(114);
    await page.locator('[data-testid="language-switch"]').click();
    expect(await text("h1")).toBe("Communes ranked by monthly score: Oct 2026");
    expect((await cells("league-table", B))[3]).toBe("▼ down 1");
    expect((await cells("league-table", A)).at(-1)).toBe("not issued");
    expect(await sidewaysScroll()).toEqual([]);
    await page.locator('[data-testid="language-switch"]').click();
  });

  it("sent no request to another host and logged no console error", () => {
    expect(elsewhere).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
