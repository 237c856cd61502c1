// The 10th of the month on the pages, in headless Chromium against the real stack (six subgraphs and
// the gateway, no anonymous reading) on the IOC questions' data set: the IOC asks the City Social
// Insurance to explain a deteriorating indicator on its page, the agency sees the request on its month
// page and answers, the IOC sees the answer on the month review (and asks about a task there, a wrong
// agency refused); the city's monthly report downloaded from the month review, DOCX and XLSX, read back
// and checked against the graph; the month's DHIS2 data values downloaded, every subgraph's by the IOC
// and an agency's own from its page, equal to the graph's. No console error, nothing from elsewhere.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Download, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../scripts/lib/ferretdb.js";
import { launchChromium, signInWith, WatchedPages } from "./support/browser.js";
import { seedIocDataSet } from "./support/ioc-data-set.js";
import {
  expectDocxMatches,
  expectXlsxMatches,
  monthTruth,
  readDocx,
} from "./support/month-report-check.js";
import { startSystem, type RunningSystem } from "./support/system.js";

const PERIOD = "2026-10";
const SCREENSHOTS = join(repoRoot, "test-results-web");

let system: RunningSystem;
let browser: Browser;
let ioc: Page;
let vss: Page;
let pages: WatchedPages;

const base = () => system.gatewayUrl.replace(/\/graphql$/, "");

const signIn = async (page: Page, who: string, path: string) =>
  signInWith(page, `${base()}${path}`, await system.token(who));

const counts = (page: Page) => page.locator('[data-testid="explanation-counts"]').innerText();
const text = (page: Page, selector: string) => page.locator(selector).innerText();

/** Clicks a button and resolves to the file the browser downloads. */
async function download(page: Page, name: string): Promise<{ file: Download; bytes: Buffer }> {
  const [file] = await Promise.all([
    page.waitForEvent("download", { timeout: 30_000 }),
    page.getByRole("button", { name }).click(),
  ]);
  return { file, bytes: readFileSync((await file.path())!) };
}

/** Subgraphs' data values of the month, as the graph gives them (one field a request: the cost limit). */
async function graphDataValues(fields: string[]) {
  const values: { dataElement: string }[] = [];
  for (const field of fields) {
    const { data, errors } = await system.query<Record<string, { dataElement: string }[]>>(
      `query($period: String!) { ${field}(period: $period) { dataElement period orgUnit categoryOptionCombo value storedBy created lastUpdated comment followup } }`,
      { period: PERIOD },
    );
    expect(errors).toBeUndefined();
    values.push(...data![field]!);
  }
  return values;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // the developer's way in (pasted tokens): this file is about the reports and the explanations
  system = await startSystem("report_pages", { GATEWAY_WORKERS: "1", DASHBOARD_TOKEN_PASTE: "1" });
  await seedIocDataSet(system);
  browser = await launchChromium();
  pages = new WatchedPages(browser);
  ioc = await pages.open({ width: 1366, height: 768 });
  vss = await pages.open({ width: 1366, height: 768 });
}, 180_000);

afterAll(async () => {
  await pages?.close();
  await browser?.close();
  await system?.stop();
});

describe(
  "explanation requests, the monthly report and data values on the pages",
  { timeout: 60_000 },
  () => {
    it("the IOC asks the tracking agency to explain a deteriorating indicator on its page", async () => {
      await signIn(ioc, "IOC", `/chi-tieu/V.2?nam=2026&thang=${PERIOD}`);
      await expect
        .poll(() => counts(ioc), { timeout: 20_000 })
        .toBe("Đang mở: 0 · Quá hạn: 0 · Đã trả lời: 0");
      const form = ioc.locator('[data-testid="ask-explanation"]');
      await form.locator('[name="agency"]').selectOption("VSS");
      await form.locator('[name="question"]').fill("Vì sao V.2 đang xấu đi, và biện pháp là gì?");
      await form.getByRole("button", { name: "Gửi yêu cầu" }).click();
      await expect
        .poll(() => form.locator('[role="status"]').innerText(), { timeout: 15_000 })
        .toBe("Đã gửi yêu cầu giải trình tới Bảo hiểm xã hội thành phố.");
      await expect
        .poll(() => counts(ioc), { timeout: 15_000 })
        .toBe("Đang mở: 1 · Quá hạn: 0 · Đã trả lời: 0");
      const row = ioc.locator('[data-testid="explanation-list"] tbody tr').first();
      expect(await row.innerText()).toContain("Vì sao V.2 đang xấu đi");
      expect(await row.locator("[data-status]").getAttribute("data-status")).toBe("OPEN");
    });

    it("the agency sees the request on its month page and answers with its explanation and remedy", async () => {
      await signIn(vss, "VSS", "/");
      await expect
        .poll(() => new URL(vss.url()).pathname, { timeout: 15_000 })
        .toBe("/bao-cao/VSS");
      await expect
        .poll(() => counts(vss), { timeout: 20_000 })
        .toBe("Đang mở: 1 · Quá hạn: 0 · Đã trả lời: 0");
      const form = vss.locator('[data-testid="answer-explanation"]');
      expect(await form.locator("h3").innerText()).toBe("Trả lời yêu cầu về Chỉ tiêu V.2");
      // both are needed
      await form.locator('[name="explanation"]').fill("Nhiều người hưởng mới chưa cập nhật VNeID.");
      await form.getByRole("button", { name: "Gửi giải trình" }).click();
      expect(await form.locator('[role="status"]').innerText()).toBe("Cần điền đủ các ô.");
      await form.locator('[name="remedy"]').fill("Rà soát và cập nhật trước 15/12/2026.");
      await form.getByRole("button", { name: "Gửi giải trình" }).click();
      await expect
        .poll(() => counts(vss), { timeout: 15_000 })
        .toBe("Đang mở: 0 · Quá hạn: 0 · Đã trả lời: 1");
      expect(await vss.locator('[data-testid="answer-explanation"]').count()).toBe(0);
      await vss.screenshot({
        path: join(SCREENSHOTS, "agency-month-explanations.png"),
        fullPage: true,
      });
      // an agency has no form to ask
      expect(await vss.locator('[data-testid="ask-explanation"]').count()).toBe(0);
    });

    it("the IOC sees the answer on the month review, and asks about a task there", async () => {
      await ioc.goto(`${base()}/bao-cao?nam=2026&thang=${PERIOD}`);
      await expect
        .poll(() => counts(ioc), { timeout: 20_000 })
        .toBe("Đang mở: 0 · Quá hạn: 0 · Đã trả lời: 1");
      const row = ioc.locator('[data-testid="explanation-list"] tbody tr').first();
      expect(await row.innerText()).toContain("Nhiều người hưởng mới chưa cập nhật VNeID.");
      expect(await row.innerText()).toContain("Rà soát và cập nhật trước 15/12/2026.");
      expect(await row.locator("[data-status]").getAttribute("data-status")).toBe("ANSWERED");

      const { data } = await system.query<{
        tasks: { code: string; leadAgencies: { code: string }[] }[];
      }>(`{ tasks { code leadAgencies { code } } }`);
      const task = data!.tasks.find((t) => t.leadAgencies.some((a) => a.code === "POLICE"))!;
      const form = ioc.locator('[data-testid="ask-explanation"]');
      await form.locator('[name="subject"]').selectOption("TASK");
      await form.locator('[name="code"]').fill(task.code);
      await form.locator('[name="question"]').fill(`Nhiệm vụ ${task.code} đang ở đâu?`);
      // an agency that does not lead it is refused by the graph, and the page says why
      await form.locator('[name="agency"]').selectOption("DOH");
      await form.getByRole("button", { name: "Gửi yêu cầu" }).click();
      await expect
        .poll(() => form.locator('[role="status"]').innerText(), { timeout: 15_000 })
        .toMatch(/^Không lưu: Dữ liệu nhập không hợp lệ \(.+\)$/);
      await form.locator('[name="agency"]').selectOption("POLICE");
      await form.getByRole("button", { name: "Gửi yêu cầu" }).click();
      await expect
        .poll(() => form.locator('[role="status"]').innerText(), { timeout: 15_000 })
        .toBe("Đã gửi yêu cầu giải trình tới Công an thành phố.");
      await expect
        .poll(() => counts(ioc), { timeout: 15_000 })
        .toBe("Đang mở: 1 · Quá hạn: 0 · Đã trả lời: 1");
      expect(await text(ioc, '[data-testid="explanation-list"]')).toContain(
        `Nhiệm vụ ${task.code}`,
      );
      await ioc.screenshot({
        path: join(SCREENSHOTS, "month-review-explanations.png"),
        fullPage: true,
      });
    });

    it("the IOC asks a lead agency to explain a task from its row on the tasks page", async () => {
      await ioc.goto(`${base()}/nhiem-vu?nam=2026`);
      const row = ioc.locator('[data-testid="tasks-due"] tbody tr').first();
      await row.getByRole("button", { name: "Yêu cầu giải trình" }).click({ timeout: 20_000 });
      const code = await row.getAttribute("data-key");
      const form = ioc.locator('[data-testid="ask-explanation"]');
      // the task's lead agencies to choose from, no subject or code to type
      expect(await form.locator('[name="code"]').count()).toBe(0);
      const lead = await form.locator('[name="agency"] option').first().innerText();
      expect(await row.innerText()).toContain(lead);
      await form.locator('[name="question"]').fill(`Vì sao nhiệm vụ ${code} quá hạn?`);
      await form.getByRole("button", { name: "Gửi yêu cầu" }).click();
      await expect
        .poll(() => form.locator('[role="status"]').innerText(), { timeout: 15_000 })
        .toBe(`Đã gửi yêu cầu giải trình tới ${lead}.`);
      await expect
        .poll(() => text(ioc, '[data-testid="explanation-list"]'), { timeout: 15_000 })
        .toContain(`Vì sao nhiệm vụ ${code} quá hạn?`);
      // only this task's requests (the month review asked about one too, perhaps the same)
      expect(await counts(ioc)).toMatch(/^Đang mở: [12] · Quá hạn: 0 · Đã trả lời: 0$/);
    });

    it("the monthly report downloads from the month review, DOCX and XLSX, matching the graph", async () => {
      const truth = await monthTruth(system, PERIOD);
      await ioc.goto(`${base()}/bao-cao?nam=2026&thang=${PERIOD}`);
      await ioc.getByRole("button", { name: "Tải báo cáo tháng (DOCX)" }).waitFor();
      const docx = await download(ioc, "Tải báo cáo tháng (DOCX)");
      expect(docx.file.suggestedFilename()).toBe("bao-cao-thang-2026-10.docx");
      const read = await readDocx(docx.bytes);
      expect(read.text).toContain("BÁO CÁO KẾT QUẢ THỰC HIỆN ĐỀ ÁN 06 THÁNG 10/2026");
      expectDocxMatches(read, truth);
      // the two task requests asked above are waiting
      const explanations = read.tables[4]!;
      expect(explanations.slice(1).map((r) => r[5])).toEqual(["Đang mở", "Đang mở"]);
      expect(explanations.slice(1).map((r) => r[0])).toContain("Công an thành phố");
      expect(await text(ioc, '[data-testid="month-report"]')).toMatch(
        /Đã lập báo cáo tháng 10\/2026 trong \d+ ms\./,
      );
      const xlsx = await download(ioc, "Tải báo cáo tháng (XLSX)");
      expect(xlsx.file.suggestedFilename()).toBe("bao-cao-thang-2026-10.xlsx");
      await expectXlsxMatches(xlsx.bytes, truth);
    });

    it("the month's DHIS2 data values download: every subgraph's for the IOC, its own for an agency", async () => {
      const all = await graphDataValues([
        "identityDataValues",
        "proceduresDataValues",
        "healthDataValues",
        "educationDataValues",
        "socialSecurityDataValues",
        "planDataValues",
      ]);
      expect(all.length).toBeGreaterThan(10);
      const json = await download(ioc, "Tải số liệu DHIS2 (JSON)");
      expect(json.file.suggestedFilename()).toBe("so-lieu-dhis2-2026-10.json");
      expect(JSON.parse(json.bytes.toString("utf8"))).toEqual({ dataValues: all });
      const csv = await download(ioc, "Tải số liệu DHIS2 (CSV)");
      const [header, ...lines] = csv.bytes.toString("utf8").trim().split("\n");
      expect(header).toBe(
        "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup",
      );
      expect(lines).toHaveLength(all.length);

      // the City Social Insurance's page: its own indicators' figures of its subgraph (V.2)
      await vss.goto(`${base()}/bao-cao/VSS?thang=${PERIOD}`);
      await expect.poll(() => counts(vss), { timeout: 20_000 }).toMatch(/^Đang mở/);
      const own = await download(vss, "Tải số liệu DHIS2 (JSON)");
      expect(own.file.suggestedFilename()).toBe("so-lieu-dhis2-VSS-2026-10.json");
      const socialSecurity = await graphDataValues(["socialSecurityDataValues"]);
      expect(JSON.parse(own.bytes.toString("utf8")).dataValues).toEqual(
        socialSecurity.filter((v) => v.dataElement.startsWith("V.2.")),
      );
    });

    it("switches to English", async () => {
      await ioc.getByTestId("language-switch").click();
      expect(await text(ioc, "#explanations-title")).toBe("Explanation requests");
      expect(await counts(ioc)).toMatch(/^Open: \d · Overdue: 0 · Answered: \d$/);
      expect(
        await ioc.getByRole("button", { name: "Download the monthly report (DOCX)" }).isVisible(),
      ).toBe(true);
      await ioc.getByTestId("language-switch").click();
    });

    it("logs no console error and asks nothing of another host", () => {
      expect(pages.consoleErrors).toEqual([]);
      expect(pages.requestsElsewhere()).toEqual([]);
    });
  },
);
