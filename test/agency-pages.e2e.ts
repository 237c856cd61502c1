// The agency's pages in headless Chromium against the real stack (six subgraphs and the gateway, no
// anonymous reading): the Department of Health signs in and lands on its month, enters figures in the
// form (the IOC's overview shows them), uploads a file with a bad row (the page shows the row, the
// graph stored nothing), downloads its template (read with exceljs, as the importer reads it), and
// takes its month through the IOC's review on the pages: submit, returned with a reason, submitted
// again, accepted, locked. Last, a whole month entered and submitted on the page, timed, with its
// GraphQL requests counted (BENCHMARKS.md, "Agency data entry"). No console error, nothing elsewhere.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../scripts/lib/ferretdb.js";
import { launchChromium, signInWith, WatchedPages } from "./support/browser.js";
import { startSystem, type RunningSystem } from "./support/system.js";

const SCREENSHOTS = join(repoRoot, "test-results-web");

/** YYYY-MM, `back` months before this month in Hai Phong. */
function monthsAgo(back: number): string {
  const local = new Date(Date.now() + 7 * 3600 * 1000);
  const month = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - back, 1));
  return `${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, "0")}`;
}
/** The month the agency reports now (the page's default), the one before, and one for the timing. */
const PERIOD = monthsAgo(1);
const PREVIOUS = monthsAgo(2);
const BENCH_PERIOD = monthsAgo(3);

let system: RunningSystem;
let browser: Browser;
let doh: Page;
let ioc: Page;
let pages: WatchedPages;
let units: string[] = [];

const base = () => system.gatewayUrl.replace(/\/graphql$/, "");

const signIn = async (page: Page, who: string, path: string) =>
  signInWith(page, `${base()}${path}`, await system.token(who));

const state = (page: Page) =>
  page.locator('[data-testid="month-state"]').getAttribute("data-state");

interface HealthMonth {
  state: string;
  expected: number;
  received: number;
  obligations: { indicator: string; unit: string }[];
}
async function healthMonth(period = PERIOD): Promise<HealthMonth> {
  const { data, errors } = await system.query<{ healthMonth: HealthMonth }>(
    `query($period: String!) { healthMonth(agency: "DOH", period: $period) { state expected received obligations(limit: 5000) { indicator unit } } }`,
    { period },
    "DOH",
  );
  expect(errors).toBeUndefined();
  return data!.healthMonth;
}

/** Fills one row of the form (the rows are keyed by unit). */
async function fillRow(page: Page, unit: string, fields: Record<string, string>) {
  const row = page.locator(`[data-testid="entry-rows"] tr[data-key="${unit}"]`);
  for (const [field, value] of Object.entries(fields)) {
    await row.locator(`[name="${unit}.${field}"]`).fill(value);
  }
}

async function chooseIndicator(page: Page, code: string) {
  await page.locator('[data-testid="entry-indicator"]').selectOption(code);
  await expect
    .poll(() => page.locator('[data-testid="entry-rows"]').getAttribute("data-indicator"), {
      timeout: 15_000,
    })
    .toBe(code);
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // the developer's way in (a pasted token of DOH's service account, both of the agency's roles):
  // this file is about entering and reviewing a month; people's sign-in is sign-in-pages.e2e.ts's
  system = await startSystem("agency_pages", { GATEWAY_WORKERS: "1", DASHBOARD_TOKEN_PASTE: "1" });
  units = [...new Set((await healthMonth()).obligations.map((o) => o.unit))].filter(
    (unit) => unit !== "31",
  );
  // last month's figure for the template: II.12 of the first commune
  const seeded = await system.query(
    `mutation { submitHealthValue(input: { indicator: "II.12", unit: "${units[0]}", period: "${PREVIOUS}", numerator: 45, denominator: 90 }) { version } }`,
    {},
    "DOH",
  );
  expect(seeded.errors).toBeUndefined();
  browser = await launchChromium();
  pages = new WatchedPages(browser);
  doh = await pages.open();
  ioc = await pages.open();
}, 180_000);

afterAll(async () => {
  await pages?.close();
  await browser?.close();
  await system?.stop();
});

describe("the agency's pages", { timeout: 90_000 }, () => {
  it("an agency's token lands on its month; a figure entered in the form shows on the IOC's overview", async () => {
    await signIn(doh, "DOH", "/");
    await expect.poll(() => new URL(doh.url()).pathname, { timeout: 15_000 }).toBe("/bao-cao/DOH");
    await expect.poll(() => state(doh), { timeout: 15_000 }).toBe("DRAFT");
    const month = await healthMonth();
    expect(await doh.locator('[data-testid="owes-counts"]').innerText()).toContain(
      `Phải báo cáo ${month.expected} số liệu`,
    );
    // II.12 (people whose health record is linked, %): two communes, 80/100 and 60/100
    await chooseIndicator(doh, "II.12");
    await fillRow(doh, units[0]!, { numerator: "80", denominator: "100" });
    await fillRow(doh, units[1]!, { numerator: "60", denominator: "100", comment: "Số liệu quý" });
    await doh.locator('[data-testid="save-figures"]').click();
    await expect
      .poll(() => doh.locator('[data-testid="entry-message"]').innerText(), { timeout: 15_000 })
      .toBe("Đã lưu 2 số liệu (2 mới, 0 thay thế).");
    expect((await healthMonth()).received).toBe(2);
    await doh.screenshot({ path: join(SCREENSHOTS, "agency-month.png") });

    // the city figure is the communes' sum of numerators over the sum of denominators: 140/200
    await signIn(ioc, "IOC", `/?nam=2026&thang=${PERIOD}`);
    const row = ioc.locator(`[data-testid="indicators"] tbody tr[data-key="II.12"]`);
    await expect
      .poll(() => row.locator("th, td").nth(4).innerText(), { timeout: 15_000 })
      .toBe("70%");
    expect(await row.locator("td").last().innerText()).toBe("Tạm tính");
  });

  it("an upload lists every bad row by line and column, a cell that is not a number with the rest, and stores nothing", async () => {
    const csv = [
      "indicator,unit,numerator,denominator,value,met,category,comment",
      `II.12,${units[2]},30,100,,,,`,
      `II.12,${units[3]},130,100,,,,`,
      `II.12,${units[4]},many,100,,,,`,
    ].join("\n");
    await doh.locator('[data-testid="upload-file"]').setInputFiles({
      name: "bao-cao.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    await doh.locator('[data-testid="upload-send"]').click();
    const rows = doh.locator('[data-testid="upload-problems"] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    const cells = (line: number) =>
      doh
        .locator(`[data-testid="upload-problems"] tbody tr[data-key="${line}"] td`)
        .allInnerTexts();
    expect(await cells(3)).toEqual([
      "3",
      "numerator",
      expect.stringMatching(/exceeds denominator/),
    ]);
    expect(await cells(4)).toEqual(["4", "numerator", 'numerator "many" is not a number']);
    expect(await doh.locator('[data-testid="upload-message"]').innerText()).toBe(
      "Tệp không được lưu: 2 dòng có lỗi.",
    );
    // nothing stored: not even line 2's good row
    expect((await healthMonth()).received).toBe(2);
    const { data } = await system.query<{ indicator: { values: unknown[] } }>(
      `{ indicator(code: "II.12") { ... on HealthIndicator { values(unit: "${units[2]}", from: "${PERIOD}", to: "${PERIOD}") { period } } } }`,
    );
    expect(data!.indicator.values).toEqual([]);
    await doh.screenshot({ path: join(SCREENSHOTS, "agency-upload-refused.png") });
  });

  it("the template downloads as XLSX with the importer's columns, the agency's units and indicators and last month's figures", async () => {
    const [download] = await Promise.all([
      doh.waitForEvent("download"),
      doh.locator('[data-testid="template"]').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`mau-bao-cao-DOH-${PERIOD}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync((await download.path())!) as never);
    const sheet = workbook.worksheets[0]!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1).slice(0, 8)).toEqual([
      "indicator",
      "unit",
      "numerator",
      "denominator",
      "value",
      "met",
      "category",
      "comment",
    ]);
    const month = await healthMonth();
    const rows = Array.from({ length: sheet.rowCount - 1 }, (_, i) => values(i + 2));
    expect(rows.map((r) => `${r[0]}|${r[1]}`).sort()).toEqual(
      month.obligations.map((o) => `${o.indicator}|${o.unit}`).sort(),
    );
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(["II.5", "II.12", "II.13", "II.14"]));
    // last month's figure, and the commune's name beside it for people
    const seeded = rows.find((r) => r[0] === "II.12" && r[1] === units[0])!;
    expect(seeded.slice(2, 4)).toEqual([45, 90]);
    expect(typeof seeded[8]).toBe("string");
  });

  it("takes the month through the review: submitted, returned with a reason, submitted again, accepted and locked", async () => {
    // a denominator that falls by more than half from last month raises a warning: Submit waits
    const shifted = units[4]!;
    const seeded = await system.query(
      `mutation { submitHealthValue(input: { indicator: "II.12", unit: "${shifted}", period: "${PREVIOUS}", numerator: 50, denominator: 100 }) { version } }`,
      {},
      "DOH",
    );
    expect(seeded.errors).toBeUndefined();
    await doh.reload();
    await chooseIndicator(doh, "II.12");
    await fillRow(doh, shifted, { numerator: "20", denominator: "30" });
    await doh.locator('[data-testid="save-figures"]').click();
    await expect
      .poll(() => doh.locator('[data-testid="entry-message"]').innerText(), { timeout: 15_000 })
      .toMatch(/có 1 cảnh báo/);
    const warning = doh.locator(`[data-testid="warning"][data-key="II.12|${shifted}"]`);
    await expect.poll(() => warning.count(), { timeout: 15_000 }).toBe(1);
    expect(await warning.innerText()).toContain("Mẫu số thay đổi lớn");
    const submit = doh.locator('[data-testid="submit-month"]');
    expect(await submit.isDisabled()).toBe(true);
    expect(await doh.locator('[data-testid="submit-why"]').innerText()).toBe(
      "Chưa gửi được: còn 1 cảnh báo chưa xác nhận hoặc sửa.",
    );
    // confirmed with an explanation: the figure stays, the warning closes
    await warning.locator("button", { hasText: "Xác nhận số liệu" }).click();
    expect(await warning.locator('[role="status"]').innerText()).toBe("Cần nhập giải trình.");
    await warning.locator('[data-testid="warning-comment"]').fill("Xã tách trạm y tế trong tháng");
    await warning.locator("button", { hasText: "Xác nhận số liệu" }).click();
    await expect.poll(() => warning.count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => submit.isEnabled(), { timeout: 15_000 }).toBe(true);
    await submit.click();
    await expect.poll(() => state(doh), { timeout: 15_000 }).toBe("SUBMITTED");
    expect(await submit.isDisabled()).toBe(true);
    expect(await doh.locator('[data-testid="submit-why"]').innerText()).toBe(
      "Đã gửi, đang chờ IOC duyệt.",
    );
    expect(await doh.locator('[data-testid="save-figures"]').isDisabled()).toBe(true);

    // the IOC's list of months, then DOH's page
    await ioc.goto(`${base()}/bao-cao?thang=${PERIOD}`);
    const dohRow = ioc.locator('[data-testid="month-review"] tbody tr[data-key="DOH"]');
    await expect
      .poll(() => dohRow.locator("td").first().innerText(), { timeout: 15_000 })
      .toBe("Đã gửi, chờ duyệt");
    await ioc.screenshot({ path: join(SCREENSHOTS, "month-review.png") });
    await dohRow.locator("a").click();
    await expect.poll(() => state(ioc), { timeout: 15_000 }).toBe("SUBMITTED");
    // returning needs a reason
    await ioc.locator('[data-testid="review-return"]').click();
    await expect
      .poll(() => ioc.locator('[data-testid="review-month"] [role="status"]').innerText())
      .toBe("Cần nhập lý do.");
    const reason = `Thiếu số liệu II.5 của ${units.length} xã`;
    await ioc.locator('[data-testid="review-reason"]').fill(reason);
    await ioc.locator('[data-testid="review-return"]').click();
    await expect.poll(() => state(ioc), { timeout: 15_000 }).toBe("RETURNED");

    await doh.reload();
    await expect.poll(() => state(doh), { timeout: 15_000 }).toBe("RETURNED");
    expect(await doh.locator('[data-testid="return-reason"]').innerText()).toBe(
      `IOC trả lại báo cáo: ${reason}`,
    );
    expect(await doh.locator('[data-testid="steps"] tbody tr').count()).toBe(2);
    await doh.locator('[data-testid="submit-month"]').click();
    await expect.poll(() => state(doh), { timeout: 15_000 }).toBe("SUBMITTED");

    await ioc.reload();
    await expect.poll(() => state(ioc), { timeout: 15_000 }).toBe("SUBMITTED");
    await ioc.locator('[data-testid="review-accept"]').click();
    await expect.poll(() => state(ioc), { timeout: 15_000 }).toBe("ACCEPTED");
    expect(await ioc.locator('[data-testid="review-reopen"]').isVisible()).toBe(true);

    await doh.reload();
    await expect.poll(() => state(doh), { timeout: 15_000 }).toBe("ACCEPTED");
    expect(await doh.locator('[data-testid="entry-locked"]').innerText()).toBe(
      "Không nhập được: Tháng đã được duyệt; số liệu bị khóa.",
    );
    // the form's inputs and buttons, and the upload, are disabled (in a disabled fieldset)
    expect(await doh.locator(`[name="${units[0]}.numerator"]`).isDisabled()).toBe(true);
    expect(await doh.locator('[data-testid="save-figures"]').isDisabled()).toBe(true);
    expect(await doh.locator('[data-testid="upload-file"]').isDisabled()).toBe(true);
    expect(await doh.locator('[data-testid="submit-month"]').isDisabled()).toBe(true);
    // and the graph refuses a figure behind the page's back
    const refused = await system.query(
      `mutation { submitHealthValue(input: { indicator: "II.12", unit: "${units[0]}", period: "${PERIOD}", numerator: 1, denominator: 2 }) { version } }`,
      {},
      "DOH",
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe("MONTH_LOCKED");
    await doh.screenshot({ path: join(SCREENSHOTS, "agency-month-accepted.png") });

    // the overview: II.12's latest month is accepted, its figures final
    await ioc.goto(`${base()}/?nam=2026&thang=${PERIOD}`);
    const row = ioc.locator(`[data-testid="indicators"] tbody tr[data-key="II.12"]`);
    await expect
      .poll(() => row.locator("td").last().innerText(), { timeout: 15_000 })
      .toBe("Đã duyệt");
  });

  it(
    "enters and submits a whole month on the page (timed, requests counted)",
    { timeout: 240_000 },
    async () => {
      const requests: string[] = [];
      const count = (request: { url(): string; method(): string; postData(): string | null }) => {
        if (request.url().endsWith("/graphql") && request.method() === "POST")
          requests.push(/"operationName":"(\w+)"/.exec(request.postData() ?? "")?.[1] ?? "?");
      };
      doh.on("request", count);
      const started = performance.now();
      await doh.goto(`${base()}/bao-cao/DOH?thang=${BENCH_PERIOD}`);
      // signed in already when the file runs whole; alone, it signs in here
      const token = doh.locator("textarea#token");
      await expect
        .poll(async () => (await token.isVisible()) || (await state(doh)) !== null)
        .toBe(true);
      if (await token.isVisible()) {
        await token.fill(await system.token("DOH"));
        await doh.locator("form.sign-in button[type=submit]").click();
      }
      await expect.poll(() => state(doh), { timeout: 15_000 }).toBe("DRAFT");
      let figures = 0;
      let typing = 0;
      for (const code of ["II.5", "II.12", "II.13", "II.14"]) {
        await chooseIndicator(doh, code);
        const rows = doh.locator('[data-testid="entry-rows"] tbody tr[data-key]');
        const keys = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-key")!));
        const first = keys[0]!;
        const typed = performance.now();
        if ((await doh.locator(`[name="${first}.met"]`).count()) > 0) {
          for (const unit of keys) await doh.locator(`[name="${unit}.met"]`).selectOption("true");
        } else {
          // typed as a person types down the table: numerator, Tab, denominator, Tab past the comment
          const ratio = (await doh.locator(`[name="${first}.numerator"]`).count()) > 0;
          await doh.locator(`[name="${first}.${ratio ? "numerator" : "value"}"]`).focus();
          for (const [index] of keys.entries()) {
            await doh.keyboard.type(String(ratio ? 50 + (index % 40) : 100 + index));
            await doh.keyboard.press("Tab");
            if (ratio) {
              await doh.keyboard.type("100");
              await doh.keyboard.press("Tab");
            }
            await doh.keyboard.press("Tab");
          }
        }
        typing += performance.now() - typed;
        figures += keys.length;
        await doh.locator('[data-testid="save-figures"]').click();
        await expect
          .poll(() => doh.locator('[data-testid="entry-message"]').innerText(), { timeout: 15_000 })
          .toMatch(/^Đã lưu \d+ số liệu/);
      }
      const month = await healthMonth(BENCH_PERIOD);
      expect(month.received).toBe(month.expected);
      expect(figures).toBe(month.expected);
      await expect.poll(() => doh.locator('[data-testid="submit-month"]').isEnabled()).toBe(true);
      await doh.locator('[data-testid="submit-month"]').click();
      await expect.poll(() => state(doh), { timeout: 15_000 }).toBe("SUBMITTED");
      const seconds = (performance.now() - started) / 1000;
      doh.off("request", count);
      const byOperation = Object.entries(
        requests.reduce<Record<string, number>>(
          (n, name) => ({ ...n, [name]: (n[name] ?? 0) + 1 }),
          {},
        ),
      )
        .map(([name, n]) => `${name} ${n}`)
        .join(", ");
      console.log(
        `[agency data entry] DOH, ${BENCH_PERIOD}: ${figures} figures entered and the month submitted on the page in ${seconds.toFixed(1)} s (${(typing / 1000).toFixed(1)} s of it the browser typing), ${requests.length} GraphQL requests: ${byOperation}`,
      );
    },
  );

  it("logs no console error and asks no other host", () => {
    expect(pages.consoleErrors).toEqual([]);
    expect(pages.requestsElsewhere()).toEqual([]);
  });
});
