// The IOC's dashboard in headless Chromium against the real stack (six subgraphs and the gateway, no
// anonymous reading) on the small data set of the IOC's questions: each page shows the numbers worked
// out by hand, a download holds the rows of its table, the English switch changes the labels, the
// page refreshes itself cheaply (304s) and shows a change, and an agency's subgraph stopped mid-test
// leaves a page that names the agency and shows the rest. No console error, no request elsewhere.
// Screenshots of every page go to test-results-web/ (ignored by git).
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogue } from "@p06/catalogue";
import { definitions as identityDefinitions } from "@p06/identity";
import { repoRoot } from "../scripts/lib/ferretdb.js";
import { launchChromium, requestsElsewhere } from "./support/browser.js";
import { A, B, seedIocDataSet } from "./support/ioc-data-set.js";
import { startSystem, type RunningSystem } from "./support/system.js";

const SCREENSHOTS = join(repoRoot, "test-results-web");
/** The review the data set is worked out for, and a day that makes the tasks' counts known. */
const VIEW = "nam=2026&thang=2026-10&ngay=2027-01-15";

let system: RunningSystem;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let elsewhere: string[];
const consoleErrors: string[] = [];
const statuses: { url: string; status: number }[] = [];

const base = () => system.gatewayUrl.replace(/\/graphql$/, "");
const open = (path: string) =>
  page.goto(`${base()}${path}${path.includes("?") ? "&" : "?"}${VIEW}`);
const shot = (name: string) =>
  page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
const text = (selector: string) => page.locator(selector).innerText();
const row = (table: string, key: string) =>
  page.locator(`[data-testid="${table}"] tbody tr[data-key="${key}"]`);
const cells = async (table: string, key: string) =>
  (await row(table, key).locator("th, td").allInnerTexts()).map((cell) =>
    cell.replace(/\s+/g, " ").trim(),
  );
const tableKeys = (table: string) =>
  page
    .locator(`[data-testid="${table}"] tbody tr[data-key]`)
    .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key")!));
const light = (status: string) =>
  text(`[data-testid="traffic-lights"] li[data-status="${status}"] .light-count`);

/** A downloaded file's text, from the table's download button. */
async function download(table: string, label: RegExp): Promise<Buffer> {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.locator(`[data-testid="${table}"] .table-toolbar button`, { hasText: label }).click(),
  ]);
  return readFileSync((await file.path())!);
}

/** CSV rows (RFC 4180 quoting), without the byte-order mark. */
function parseCsv(source: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const input = source.replace(/^\uFEFF/, "");
  for (let i = 0; i < input.length; i++) {
    const char = input[i]!;
    if (quoted) {
      if (char === '"' && input[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') {
      quoted = true;
    } else if (char === ",") {
      row.push(cell);
      cell = "";
    } else if (char === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else if (char !== "\r") {
      cell += char;
    }
  }
  return rows;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // one gateway process: the browser adds enough load beside the other end-to-end files
  // the developer's way in (a pasted token): this file is about what the pages show, not signing in
  system = await startSystem("web", {
    SUBGRAPH_TIMEOUT_MS: "2000",
    GATEWAY_WORKERS: "1",
    DASHBOARD_TOKEN_PASTE: "1",
  });
  await seedIocDataSet(system);
  // the State Bank checks its October figure again: the city figure gets a second version
  const corrected = await system.query<{ submitPlanValue: { version: number } }>(
    `mutation { submitPlanValue(input: { indicator: "II.7", unit: "31", period: "2026-10", numerator: 58, denominator: 100, comment: "Đã đối chiếu" }) { version } }`,
    {},
    "SBV6",
  );
  expect(corrected.data?.submitPlanValue.version).toBe(2);
  browser = await launchChromium();
  context = await browser.newContext({
    viewport: { width: 1920, height: 1080 },
    acceptDownloads: true,
    locale: "vi-VN",
    timezoneId: "Asia/Ho_Chi_Minh",
  });
  page = await context.newPage();
  elsewhere = requestsElsewhere(page);
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  page.on("response", (response) => {
    if (response.url().endsWith("/graphql"))
      statuses.push({ url: response.url(), status: response.status() });
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

describe("the IOC's dashboard", { timeout: 60_000 }, () => {
  it("asks to sign in where anonymous reading is off; a developer's pasted token is kept for the tab", async () => {
    await open("/");
    await expect.poll(() => page.locator("textarea#token").isVisible()).toBe(true);
    // no request went out without a token: the page knew anonymous reading is off
    expect(statuses).toEqual([]);
    await shot("sign-in");
    await page.locator("textarea#token").fill(`Bearer ${await system.token("IOC")}`);
    await page.locator("form.sign-in button[type=submit]").click();
    await expect.poll(() => light("ACHIEVED"), { timeout: 15_000 }).toBe("1");
    expect(
      await page.evaluate(() =>
        (
          globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }
        ).sessionStorage.getItem("p06.token"),
      ),
    ).toMatch(/^eyJ/);
  });

  it("overview: status counts as traffic lights, by group and agency, every indicator with its figures", async () => {
    // worked out in test/ioc-questions.e2e.ts: I.5 achieved, II.7 on track, III.3 and II.5 need
    // acceleration, III.9 limited, V.2 deteriorating, the other 50 not assessable
    expect(
      await Promise.all(
        [
          "ACHIEVED",
          "ON_TRACK",
          "NEEDS_ACCELERATION",
          "LIMITED_PROGRESS",
          "DETERIORATING",
          "NOT_ACHIEVED",
          "NOT_ASSESSABLE",
        ].map(light),
      ),
    ).toEqual(["1", "1", "2", "1", "1", "0", "50"]);
    expect(await tableKeys("indicators")).toHaveLength(56);
    // III.3: 60% in October against ≥80, 73% of the pace required, needs acceleration
    const iii3 = await cells("indicators", "III.3");
    expect(iii3[0]).toBe("III.3");
    expect(iii3.slice(3, 6)).toEqual(["≥80", "60%", "10/2026"]);
    // the review of October is not accepted: its figures are provisional
    expect(iii3.slice(-3)).toEqual(["73%", "⚠ Cần đẩy nhanh", "Tạm tính"]);
    expect((await cells("indicators", "V.2")).at(-2)).toBe("↘ Đang xấu đi");
    // group I: 9 indicators, one achieved; the police track indicators two of which need acceleration
    const groupI = await cells("by-group", "I");
    expect(groupI[1]).toBe("9");
    const police = await cells("by-agency", "POLICE");
    expect(police[0]).toBe("Công an thành phố");
    expect(police[1]).toBe(
      String(catalogue.indicators.filter((i) => i.trackingAgencies.includes("POLICE")).length),
    );
    expect(police[5]).toBe("2");
    expect(await page.locator('[data-testid="demo-mark"]').count()).toBe(0);
    await shot("overview");
    await page.setViewportSize({ width: 1366, height: 768 });
    await shot("overview-1366x768");
    await page.setViewportSize({ width: 1920, height: 1080 });
  });

  it("overview: filters by status, group and agency, and sorts from the keyboard", async () => {
    await page.locator('select[name="status"]').selectOption("NEEDS_ACCELERATION");
    expect(await tableKeys("indicators")).toEqual(["II.5", "III.3"]);
    await page.locator('select[name="agency"]').selectOption("DOH");
    expect(await tableKeys("indicators")).toEqual(["II.5"]);
    await page.locator('select[name="status"]').selectOption("");
    await page.locator('select[name="agency"]').selectOption("");
    await page.locator('select[name="group"]').selectOption("V");
    const groupV = await tableKeys("indicators");
    expect(groupV).toEqual(catalogue.indicators.filter((i) => i.group === "V").map((i) => i.code));
    await page.locator('select[name="group"]').selectOption("");
    // the pace column's header is a button: Enter sorts by it, highest first on the second press
    const pace = page.locator('[data-testid="indicators"] thead th', { hasText: "Tốc độ" });
    await pace.locator("button").focus();
    await page.keyboard.press("Enter");
    expect(await pace.getAttribute("aria-sort")).toBe("ascending");
    await page.keyboard.press("Enter");
    expect(await pace.getAttribute("aria-sort")).toBe("descending");
    // II.7 (110% of the pace) first, then II.5 (87%), III.3 (73%), III.9 (3%)
    expect((await tableKeys("indicators")).slice(0, 4)).toEqual(["II.7", "II.5", "III.3", "III.9"]);
  });

  it("a table's CSV and XLSX downloads hold the rows shown, in order, with Vietnamese headers", async () => {
    const shown = await tableKeys("indicators");
    const csv = parseCsv((await download("indicators", /CSV/)).toString("utf8"));
    expect(csv[0]).toEqual([
      "Mã",
      "Chỉ tiêu",
      "Đơn vị tính",
      "Mục tiêu",
      "Số liệu mới nhất",
      "Kỳ",
      "Tốc độ so với yêu cầu",
      "Trạng thái",
      "Tình trạng duyệt",
    ]);
    expect(csv.slice(1).map((r) => r[0])).toEqual(shown);
    expect(csv.find((r) => r[0] === "III.3")!.slice(3)).toEqual([
      "≥80",
      "60",
      "2026-10",
      "0.7333",
      "Cần đẩy nhanh",
      "Tạm tính",
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await download("indicators", /XLSX/)) as never);
    const sheet = workbook.worksheets[0]!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(csv[0]);
    expect(sheet.rowCount).toBe(shown.length + 1);
    const iii3 = shown.indexOf("III.3") + 2;
    expect(values(iii3)).toEqual([
      "III.3",
      csv.find((r) => r[0] === "III.3")![1],
      "%",
      "≥80",
      60,
      "2026-10",
      0.7333,
      "Cần đẩy nhanh",
      "Tạm tính",
    ]);
  });

  it("indicator: the series with target and projection, the communes ranked, the versions, the agencies", async () => {
    await page.locator('[data-testid="indicators"] a', { hasText: /^III\.3$/ }).click();
    await expect.poll(() => text("h1"), { timeout: 15_000 }).toMatch(/^III\.3\. /);
    // 60 + 2 months × 3.33 = 66.67 projected for December; gap 20
    expect(await text('[data-testid="latest"]')).toBe("60% (10/2026)");
    expect(await text('[data-testid="projection"]')).toBe("66,67%");
    expect(await text('[data-testid="indicator-facts"]')).toContain("Công an thành phố");
    // A's 70% first, B's 50% second
    expect(await tableKeys("communes")).toEqual([A, B]);
    expect(await cells("communes", A)).toEqual(["1", "Phường Thành Đông", "70%", "v1"]);
    expect(await cells("communes", B)).toEqual(["2", "Phường Hải Dương", "50%", "v1"]);
    await expect
      .poll(() => page.locator('[data-testid="series-chart"] svg path').count())
      .toBeGreaterThan(2);
    // the series up to the month shown, as its latest and projection are
    expect(await page.locator("section h2").first().textContent()).toBe(
      "Diễn biến hằng tháng của toàn thành phố đến tháng 10/2026",
    );
    // the projection is dashed
    expect(
      await page.locator('[data-testid="series-chart"] svg path[stroke-dasharray]').count(),
    ).toBeGreaterThan(0);
    await shot("indicator");
    await page.locator('[data-testid="communes"] button', { hasText: "v1" }).first().click();
    await expect.poll(() => cells("figure-versions", "1"), { timeout: 15_000 }).toContain("70%");
    await shot("indicator-versions");
    await page.locator(".dialog-close").click();
    // II.7: reported by the city, its October figure in two versions
    await open("/chi-tieu/II.7");
    await expect.poll(() => tableKeys("city-versions"), { timeout: 15_000 }).toEqual(["1", "2"]);
    expect((await cells("city-versions", "2")).slice(0, 3)).toEqual(["2", "58%", "SBV6"]);
    expect((await cells("city-versions", "2")).at(-1)).toBe("Đã đối chiếu");
  });

  it("agency: its score and parts, indicators, tasks, reporting, and the communes late or missing", async () => {
    await open("/co-quan/POLICE");
    await expect.poll(() => text("h1"), { timeout: 15_000 }).toBe("Cơ quan: Công an thành phố");
    // indicators 60 (two needing acceleration); tasks 100 × (1 − 1 overdue ÷ 2 due or done) = 50
    expect(await text('[data-testid="score-indicators"] .score-value')).toBe("60");
    expect(await text('[data-testid="score-tasks"] .score-value')).toBe("50");
    // every commune for a commune-level identity indicator, the city for the others; two received
    // late (after 10 November)
    const expected = identityDefinitions.reduce((n, d) => n + (d.level === "COMMUNE" ? 114 : 1), 0);
    // the gateway rounds to two decimals, the page shows one
    const completeness = Math.round((2 / expected) * 10000) / 100;
    const reporting = (completeness + 0) / 2;
    expect(await text('[data-testid="timeliness"] .score-value')).toBe("0");
    expect(await text('[data-testid="completeness"] .score-value')).toBe(
      new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 }).format(completeness),
    );
    expect(await text('[data-testid="reporting"]')).toContain(
      `Đã nhận 2/${expected} báo cáo, 0 đúng hạn`,
    );
    const total = 0.4 * 60 + 0.3 * 50 + 0.3 * reporting;
    expect(
      Number((await text('[data-testid="score-total"] .score-value')).replace(",", ".")),
    ).toBeCloseTo(total, 0);
    expect(await tableKeys("tasks-overdue")).toEqual(["VIII.1"]);
    expect((await cells("tasks-overdue", "VIII.1")).slice(-2)).toEqual(["-15", "Chưa bắt đầu"]);
    expect(await tableKeys("tasks-done")).toEqual(["II.4"]);
    expect(await tableKeys("tasks-due-soon")).toEqual([]);
    // A and B reported III.3, late; every other commune-level identity indicator is missing
    const communeLevel = identityDefinitions
      .filter((d) => d.level === "COMMUNE")
      .map((d) => d.code);
    expect(await cells("late-units", A)).toEqual([
      "Phường Thành Đông",
      communeLevel.filter((code) => code !== "III.3").join(", "),
      "III.3",
    ]);
    // every commune, and the city for the city-level indicators
    expect(await tableKeys("late-units")).toHaveLength(115);
    await shot("agency");
  });

  it("communes: the heat grid of every commune against every commune-level indicator, with its monthly score and rank", async () => {
    await open("/xa-phuong");
    await expect.poll(() => tableKeys("heat-grid"), { timeout: 15_000 }).toHaveLength(114);
    // A first (first on everything it reported), B second (last on its only one, but it reported)
    const keys = await tableKeys("heat-grid");
    expect(keys.slice(0, 2)).toEqual([A, B]);
    const { data } = await system.query<{
      review: { communes: { unit: { code: string }; rank: number; score: number }[] };
    }>(`{ review(year: 2026, period: "2026-10") { communes { unit { code } rank score } } }`);
    const graph = new Map(data!.review.communes.map((c) => [c.unit.code, c]));
    const vi = (x: number) =>
      new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 }).format(x);
    const a = await cells("heat-grid", A);
    expect(a.slice(0, 4)).toEqual(["1", "Phường Thành Đông", "Phường", vi(graph.get(A)!.score)]);
    expect((await cells("heat-grid", B)).slice(0, 4)).toEqual([
      "2",
      "Phường Hải Dương",
      "Phường",
      vi(graph.get(B)!.score),
    ]);
    const header = (await page.locator('[data-testid="heat-grid"] thead th').allInnerTexts()).map(
      (h) => h.replace(/[▲▼⇅]/g, "").trim(),
    );
    expect(a[header.indexOf("III.3")]).toBe("70%");
    expect(a[header.indexOf("V.2")]).toBe("20%");
    await shot("communes");
    await page.locator('[data-testid="heat-grid"] a', { hasText: "Phường Hải Dương" }).click();
    await expect.poll(() => text("h1"), { timeout: 15_000 }).toBe("Phường Hải Dương");
    expect(await text('[data-testid="commune-rank"]')).toBe("Hạng 2/114");
    // B's 50% against the city's 60%, second of two
    expect(await cells("commune-indicators", "III.3")).toEqual(
      expect.arrayContaining(["50%", "60%", "2/2"]),
    );
    await shot("commune");
  });

  it("late reporting: a filterable table of who has not reported the month", async () => {
    await open("/bao-cao-cham");
    await expect
      .poll(() => text("h1"), { timeout: 15_000 })
      .toBe("Báo cáo chậm, thiếu: tháng 10/2026");
    await page.locator('select[name="agency"]').selectOption("POLICE");
    await page.locator('input[name="commune-search"]').fill("Thành Đông");
    expect(await tableKeys("late-reporting")).toEqual([`POLICE|${A}`]);
    const communeLevel = identityDefinitions
      .filter((d) => d.level === "COMMUNE")
      .map((d) => d.code);
    expect((await cells("late-reporting", `POLICE|${A}`)).slice(2)).toEqual([
      communeLevel.filter((code) => code !== "III.3").join(", "),
      "III.3",
    ]);
    await page.locator('input[name="commune-search"]').fill("");
    await page.locator('select[name="agency"]').selectOption("SBV6");
    // the State Bank reported II.7 late; its other plan-held indicators are missing at the city
    expect((await cells("late-reporting", "SBV6|31")).slice(2)).toEqual(["II.9, II.11", "II.7"]);
    const csv = parseCsv((await download("late-reporting", /CSV/)).toString("utf8"));
    expect(csv.length - 1).toBe((await tableKeys("late-reporting")).length);
    expect(csv[0]).toEqual(["Cơ quan", "Xã, phường, đặc khu", "Chưa báo cáo", "Báo cáo muộn"]);
    await page.locator('select[name="agency"]').selectOption("");
    await shot("late-reporting");
  });

  it("tasks due: overdue and coming due within the chosen days, filterable", async () => {
    await open("/nhiem-vu");
    await page.locator('select[name="within-days"]').selectOption("45");
    // worked out in test/ioc-questions.e2e.ts for 15 January 2027, 45 days
    await expect
      .poll(() => tableKeys("tasks-due"), { timeout: 15_000 })
      .toEqual(["II.1", "IV.4", "IV.8", "I.2", "II.2", "II.8", "VI.4", "VIII.1", "IV.6", "VII.5"]);
    expect((await cells("tasks-due", "VIII.1")).slice(3, 5)).toEqual([
      "31/12/2026",
      "! quá 15 ngày",
    ]);
    await page.locator('input[name="only-overdue"]').check();
    expect(await tableKeys("tasks-due")).toHaveLength(8);
    await page.locator('select[name="agency"]').selectOption("DOHA");
    expect(await tableKeys("tasks-due")).toEqual(expect.not.arrayContaining(["VII.5"]));
    await page.locator('input[name="only-overdue"]').uncheck();
    expect(await tableKeys("tasks-due")).toContain("VII.5");
    await page.locator('select[name="agency"]').selectOption("");
    await shot("tasks");
  });

  it("switches to English and back", async () => {
    await open("/");
    await expect.poll(() => light("ACHIEVED"), { timeout: 15_000 }).toBe("1");
    await page.locator('[data-testid="language-switch"]').click();
    expect(await page.locator("nav a").allInnerTexts()).toEqual([
      "Overview",
      "Communes",
      "Commune league",
      "Late reporting",
      "Tasks due",
      "Year results",
      "Monthly reports",
      "Commune's month",
    ]);
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect((await cells("indicators", "III.3")).at(-2)).toBe("⚠ Needs acceleration");
    expect(
      await text('[data-testid="traffic-lights"] li[data-status="ON_TRACK"] .light-label'),
    ).toBe("On track");
    // the download's headers follow the language shown
    const csv = parseCsv((await download("indicators", /CSV/)).toString("utf8"));
    expect(csv[0]![0]).toBe("Code");
    await shot("overview-english");
    await page.locator('[data-testid="language-switch"]').click();
    expect(await page.locator("nav a").first().innerText()).toBe("Tổng quan");
  });

  it("refreshes on its own: unchanged data cost a 304, a new figure shows without a reload", async () => {
    statuses.length = 0;
    // the next ask comes within 10 s and finds nothing changed
    await expect.poll(() => statuses.some((s) => s.status === 304), { timeout: 15_000 }).toBe(true);
    // V.2 reaches 60% in October: achieved
    const result = await system.query(
      `mutation { submitSocialSecurityValue(input: { indicator: "V.2", unit: "${A}", period: "2026-10", numerator: 60, denominator: 100 }) { version } }`,
      {},
      "VSS",
    );
    expect(result.errors).toBeUndefined();
    await expect.poll(() => light("ACHIEVED"), { timeout: 20_000, interval: 500 }).toBe("2");
    expect(await light("DETERIORATING")).toBe("0");
  });

  it("keeps its last answer, with its age, while the gateway is too busy, and recovers by itself", async () => {
    const achieved = await light("ACHIEVED");
    // the gateway refuses every read as a saturated subgraph makes it (503, SUBGRAPH_BUSY, Retry-After)
    let refused = 0;
    await page.route("**/graphql", (route) => {
      refused += 1;
      return route.fulfill({
        status: 503,
        headers: { "content-type": "application/json", "retry-after": "1" },
        body: JSON.stringify({
          errors: [
            {
              message: "subgraph plan is busy (no slot within 1000 ms): retry in 1 s",
              extensions: { code: "SUBGRAPH_BUSY", subgraph: "plan", retryAfterSeconds: 1 },
            },
          ],
        }),
      });
    });
    try {
      await expect
        .poll(() => page.locator('[data-testid="busy"]').count(), { timeout: 15_000 })
        .toBe(1);
      const note = await text('[data-testid="busy"]');
      expect(note).toMatch(/Hệ thống đang bận\. Đang hiển thị số liệu lúc .+ \(\d+ giây trước\)/);
      // what was shown stays, numbers and all
      expect(await light("ACHIEVED")).toBe(achieved);
      await shot("overview-busy");
      // it backs off: a second refusal waits longer than the first
      await expect.poll(() => refused, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    } finally {
      await page.unroute("**/graphql");
    }
    // the refusals were the page's own requests, answered 503 on purpose: not errors of the page
    for (let i = consoleErrors.length - 1; i >= 0; i--) {
      if (consoleErrors[i]!.includes("503")) consoleErrors.splice(i, 1);
    }
    await expect
      .poll(() => page.locator('[data-testid="busy"]').count(), { timeout: 20_000 })
      .toBe(0);
    expect(await light("ACHIEVED")).toBe(achieved);
  });

  it("names the agency whose subgraph stopped, and shows the rest", async () => {
    await system.services.identity!.stop();
    const police = catalogue.agencies.filter((a) => a.subgraph === "identity").map((a) => a.nameVi);
    // the page's own refresh finds it gone
    await expect
      .poll(() => page.locator('[data-testid="missing-agencies"]').count(), { timeout: 25_000 })
      .toBe(1);
    const note = await text('[data-testid="missing-agencies"]');
    for (const name of police) expect(note).toContain(name);
    expect(note).toContain("identity");
    // the others' indicators still stand; the police's are not assessable
    expect((await cells("indicators", "I.5")).at(-2)).toBe("✔ Đã đạt");
    expect((await cells("indicators", "III.3")).at(-2)).toBe("? Chưa đánh giá được");
    await shot("overview-identity-down");
    await open("/co-quan/DOH");
    await expect.poll(() => text("h1"), { timeout: 15_000 }).toBe("Cơ quan: Sở Y tế");
    expect(await page.locator('[data-testid="missing-agencies"]').innerText()).toContain(
      police[0]!,
    );
  });

  it("sent no request to another host and logged no console error", () => {
    expect(elsewhere).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
