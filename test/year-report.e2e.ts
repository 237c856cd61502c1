// The year's report from `npm run report:year` over the real stack on the demo data (January to the
// month before this one): the command's errors, then the DOCX read back with mammoth and the XLSX with
// exceljs, checked against what the graph itself says of each month (every agency's monthly scores,
// who reported late), never numbers typed in.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { numberVi } from "../gateway/web/src/report/month-report.js";
import {
  lastReportedPeriod,
  ON_TIME_SHARE,
  PERSISTENT_MONTHS,
} from "../gateway/web/src/year/year-results.js";
import { repoRoot } from "../scripts/lib/ferretdb.js";
import { launchChromium, signInWith, WatchedPages } from "./support/browser.js";
import { readDocx } from "./support/month-report-check.js";
import { startSystem, type RunningSystem } from "./support/system.js";

const run = promisify(execFile);
const YEAR = 2026;
const tsx = join(repoRoot, "node_modules", ".bin", "tsx");
const command = join(repoRoot, "scripts", "report-year.ts");

let system: RunningSystem;
let out: string;
let stderr = "";
/** Each agency's monthly totals and late months, as the graph gives them month by month. */
const totals = new Map<string, number[]>();
const lateMonths = new Map<string, number>();
const names = new Map<string, string>();
/** Each commune's monthly totals, by its name. */
const communeTotals = new Map<string, number[]>();

beforeAll(async () => {
  system = await startSystem("year_report", { P06_DEMO_DATA: "1", DASHBOARD_TOKEN_PASTE: "1" });
  const last = lastReportedPeriod(YEAR)!;
  const periods = Array.from(
    { length: Number(last.slice(5, 7)) },
    (_, i) => `${YEAR}-${String(i + 1).padStart(2, "0")}`,
  );
  for (const period of periods) {
    const { data, errors } = await system.query<{
      review: {
        agencyScorecards: {
          agency: { code: string; nameVi: string };
          score: { total: number | null };
          reporting: { expected: number; onTime: number };
        }[];
        communes: { unit: { name: string }; monthlyScore: { total: number | null } }[];
      };
    }>(
      `query($period: String!) { review(year: ${YEAR}, period: $period) {
        agencyScorecards { agency { code nameVi } score { total } reporting { expected onTime } }
        communes { unit { name } monthlyScore { total } }
      } }`,
      { period },
    );
    expect(errors).toBeUndefined();
    for (const { unit, monthlyScore } of data!.review.communes) {
      if (monthlyScore.total !== null) {
        communeTotals.set(unit.name, [...(communeTotals.get(unit.name) ?? []), monthlyScore.total]);
      }
    }
    for (const { agency, score, reporting } of data!.review.agencyScorecards) {
      names.set(agency.code, agency.nameVi);
      if (score.total !== null) {
        totals.set(agency.code, [...(totals.get(agency.code) ?? []), score.total]);
      }
      if (reporting.onTime < ON_TIME_SHARE * reporting.expected) {
        lateMonths.set(agency.code, (lateMonths.get(agency.code) ?? 0) + 1);
      }
    }
  }
  out = mkdtempSync(join(tmpdir(), "p06-year-report-"));
}, 180_000);

afterAll(async () => {
  if (out) rmSync(out, { recursive: true, force: true });
  await system?.stop();
});

const mean = (xs: number[]) => Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 10) / 10;

describe("npm run report:year", () => {
  it("says what is wrong with a bad year, and exits 2", async () => {
    const cases = [
      [["2025"], /the year must be one of the plan's, 2026 to 2030/],
      [["twenty"], /the year must be one of the plan's/],
      [["2026", "--format", "pdf"], /--format must be docx or xlsx/],
      [["2030"], /no month of 2030 is reported yet/],
      [[], /which year/],
    ] as const;
    const failures = await Promise.all(
      cases.map(([args]) => run(tsx, [command, ...args]).catch((e: unknown) => e)),
    );
    for (const [i, [, message]] of cases.entries()) {
      expect(failures[i]).toMatchObject({ code: 2, stderr: expect.stringMatching(message) });
    }
  });

  it("writes the year's DOCX and XLSX through the gateway as the IOC", async () => {
    const result = await run(
      tsx,
      [command, String(YEAR), "--out", out, "--url", system.gatewayUrl],
      {
        env: { ...process.env, P06_TOKEN: await system.token("IOC") },
      },
    );
    stderr = result.stderr;
    expect(stderr).toMatch(/\[report\] read \d+ months: \d+ agencies/);
    expect(stderr).toMatch(/wrote .*bao-cao-nam-2026\.docx/);
    expect(stderr).toMatch(/wrote .*bao-cao-nam-2026\.xlsx/);
  }, 120_000);

  it("the DOCX: agencies ranked by the mean of the graph's monthly scores; commendation and accountability", async () => {
    const docx = await readDocx(readFileSync(join(out, "bao-cao-nam-2026.docx")));
    expect(docx.text).toContain("BÁO CÁO KẾT QUẢ THỰC HIỆN ĐỀ ÁN 06 NĂM 2026");
    expect(docx.text).toContain("DỮ LIỆU MẪU");
    const [ranking, commendation, accountability] = docx.tables;
    const rows = ranking!.slice(1);
    expect(rows.length).toBe(names.size);
    for (const [code, monthly] of totals) {
      const row = rows.find((r) => r[1] === names.get(code))!;
      expect(row[2], code).toBe(numberVi(mean(monthly)));
      expect(row[6], code).toBe(String(monthly.length));
      expect(row[9], code).toBe(String(lateMonths.get(code) ?? 0));
    }
    const scores = rows
      .map((r) => r[2])
      .filter((s) => s !== "–")
      .map((s) => Number(s!.replace(/\./g, "").replace(",", ".")));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    // those proposed for accountability are late (or behind) three months or more; none is commended
    const accountable = accountability!.slice(1).map((r) => r[0]);
    const persistentlyLate = [...lateMonths]
      .filter(([, n]) => n >= PERSISTENT_MONTHS)
      .map(([c]) => names.get(c));
    expect(accountable).toEqual(expect.arrayContaining(persistentlyLate));
    const commended = commendation!.slice(1).map((r) => r[1]);
    expect(commended.length).toBeGreaterThan(0);
    expect(commended.filter((name) => accountable.includes(name))).toEqual([]);
    // the commended are the best of the rest, in the ranking's order
    const rest = rows.filter((r) => r[2] !== "–" && !accountable.includes(r[1]!)).map((r) => r[1]);
    expect(commended).toEqual(rest.slice(0, commended.length));

    // the communes' league of the year: each commune's mean of the graph's monthly scores
    const communeRows = docx.tables[3]!.slice(1);
    expect(communeRows.length).toBeGreaterThanOrEqual(114);
    expect(communeTotals.size).toBeGreaterThan(100);
    for (const [name, monthly] of communeTotals) {
      expect(communeRows.find((r) => r[1] === name)?.[2], name).toBe(numberVi(mean(monthly)));
    }

    // its first page, for the closing note
    const lines = docx.text.split(/\n+/);
    mkdirSync(join(repoRoot, "test-results-web"), { recursive: true });
    writeFileSync(
      join(repoRoot, "test-results-web", "year-report-first-page.txt"),
      `${[...lines.slice(0, lines.indexOf("Hạng")), ...ranking!.slice(0, 8).map((r) => r.join(" | "))].join("\n")}\n`,
    );
  });

  it("the XLSX: the same three tables, the scores as numbers", async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(join(out, "bao-cao-nam-2026.xlsx")) as never);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      "Tóm tắt",
      "Xếp hạng năm",
      "Khen thưởng",
      "Trách nhiệm",
      "Xếp hạng xã",
      "Khen thưởng xã",
      "Trách nhiệm xã",
    ]);
    const sheet = workbook.getWorksheet("Xếp hạng năm")!;
    for (const [code, monthly] of totals) {
      const row = sheet
        .getRows(2, sheet.rowCount - 1)!
        .find((r) => r.getCell(2).value === names.get(code))!;
      expect(row.getCell(3).value, code).toBe(mean(monthly));
    }
  });
});

describe("the year's page (Kết quả năm)", () => {
  it(
    "shows the same ranking and proposals as the report, at desktop and phone width",
    { timeout: 90_000 },
    async () => {
      const browser = await launchChromium();
      const pages = new WatchedPages(browser);
      try {
        const docx = await readDocx(readFileSync(join(out, "bao-cao-nam-2026.docx")));
        const [, commendation, , , communeCommendation] = docx.tables;
        const base = system.gatewayUrl.replace(/\/graphql$/, "");
        for (const width of [1280, 390]) {
          const page = await pages.open({ width, height: 900 });
          await signInWith(page, `${base}/ket-qua-nam`, await system.token("IOC"));
          const rows = page.locator('[data-testid="year-ranking"] tbody tr');
          await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(names.size);
          // each row's agency and year score, as shown
          const shown = new Map<string, string>();
          for (const row of await rows.all()) {
            shown.set(
              await row.locator("th").innerText(),
              await row.locator("td").nth(1).innerText(),
            );
          }
          for (const [code, monthly] of totals) {
            expect(shown.get(names.get(code)!), code).toBe(numberVi(mean(monthly)));
          }
          expect(
            await page.locator('[data-testid="year-commendation"] li a').allInnerTexts(),
          ).toEqual(commendation!.slice(1).map((r) => r[1]));
          // the communes' proposals, as the report's
          expect(
            await page.locator('[data-testid="year-commune-commendation"] li a').allInnerTexts(),
          ).toEqual(communeCommendation!.slice(1).map((r) => r[1]));
          // no sideways scrolling
          const sideways = await page.evaluate(() => {
            const root = (
              globalThis as unknown as {
                document: { documentElement: { scrollWidth: number; clientWidth: number } };
              }
            ).document.documentElement;
            return root.scrollWidth - root.clientWidth;
          });
          expect(sideways, `sideways at ${width}`).toBeLessThanOrEqual(0);
        }
        expect(pages.consoleErrors).toEqual([]);
        expect(pages.requestsElsewhere()).toEqual([]);
      } finally {
        await pages.close();
        await browser.close();
      }
    },
  );
});
