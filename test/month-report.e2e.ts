// The city's monthly report from `npm run report:month` over the real stack, on the IOC questions' data
// set: the command's errors for a bad month, then the DOCX read back with mammoth and the XLSX with
// exceljs, each checked against what the graph itself says of the same month (the scorecard, the
// targets, the tasks overdue, the agencies' scores, the explanation requests), never numbers typed in.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import mammoth from "mammoth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { numberVi } from "../gateway/web/src/report/month-report.js";
import { STATUSES } from "../gateway/web/src/status-labels.js";
import { repoRoot } from "../scripts/lib/ferretdb.js";
import { seedIocDataSet } from "./support/ioc-data-set.js";
import { startSystem, type RunningSystem } from "./support/system.js";

const run = promisify(execFile);
const PERIOD = "2026-10";
const AS_OF = "2026-11-11";
const tsx = join(repoRoot, "node_modules", ".bin", "tsx");
const command = join(repoRoot, "scripts", "report-month.ts");

let system: RunningSystem;
let out: string;
let stderr: string;
let html: string;
let rawText: string;

/** What the graph says of the month, asked apart from the report's own operations. */
interface Truth {
  review: {
    scorecard: {
      byStatus: { status: keyof typeof STATUSES; count: number }[];
      indicators: {
        indicator: { code: string; unit: string | null };
        progress: {
          status: keyof typeof STATUSES;
          latest: { value: number | null; period: string } | null;
        };
      }[];
    };
    agency: { score: { total: number | null } } | null;
    police: { reporting: { expected: number; received: number; onTime: number } };
  };
  indicators: {
    code: string;
    t2026: { raw: string } | null;
    t2030: { raw: string } | null;
  }[];
  tasks: { code: string; overdue: boolean }[];
}
let truth: Truth;

const TRUTH = `query($period: String!, $asOf: String) {
  review(year: 2026, period: $period) {
    scorecard {
      byStatus { status count }
      indicators { indicator { code unit } progress { status latest { value period } } }
    }
    agency(code: "SBV6", asOf: $asOf) { score { total } }
    police: agency(code: "POLICE", asOf: $asOf) { reporting { expected received onTime } }
  }
  indicators { code t2026: target(year: 2026) { raw } t2030: target(year: 2030) { raw } }
  tasks { code overdue(asOf: $asOf) }
}`;

/** The tables of mammoth's HTML, each a list of rows of cell texts. */
function tablesOf(document: string): string[][][] {
  const decode = (s: string) =>
    s
      .replace(/<[^>]+>/g, "")
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">")
      .replaceAll("&quot;", '"')
      .replaceAll("&amp;", "&")
      .trim();
  return [...document.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((table) =>
    [...table[1]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
      [...row[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((cell) => decode(cell[1]!)),
    ),
  );
}

beforeAll(async () => {
  system = await startSystem("report", { GATEWAY_WORKERS: "1" });
  await seedIocDataSet(system);
  const due = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
  const ask = `mutation($input: ExplanationRequestInput!) { requestExplanation(input: $input) { id } }`;
  const asked = await system.query<{ requestExplanation: { id: string } }>(ask, {
    input: {
      subject: "INDICATOR",
      code: "V.2",
      agency: "VSS",
      question: "V.2 đang xấu đi: vì sao, và giải pháp?",
      dueDate: due,
    },
  });
  expect(asked.errors).toBeUndefined();
  // a second request, answered: the report lists only those waiting
  const answered = await system.query<{ requestExplanation: { id: string } }>(ask, {
    input: {
      subject: "INDICATOR",
      code: "III.3",
      agency: "POLICE",
      question: "III.3?",
      dueDate: due,
    },
  });
  const answer = await system.query(
    `mutation($input: ExplanationAnswerInput!) { answerExplanation(input: $input) { status } }`,
    {
      input: {
        id: answered.data!.requestExplanation.id,
        explanation: "Đã rõ",
        remedy: "Đẩy nhanh",
      },
    },
    "POLICE",
  );
  expect(answer.errors).toBeUndefined();
  const { data, errors } = await system.query<Truth>(TRUTH, { period: PERIOD, asOf: AS_OF });
  expect(errors).toBeUndefined();
  truth = data!;
  out = mkdtempSync(join(tmpdir(), "p06-report-"));
}, 180_000);

afterAll(async () => {
  if (out) rmSync(out, { recursive: true, force: true });
  await system?.stop();
});

describe("npm run report:month", () => {
  it("says what is wrong with a bad month, and exits 2", async () => {
    const cases = [
      [["2026-13"], /must be YYYY-MM/],
      [["2025-12"], /from 2026-01 to 2030-12/],
      [["2026-10", "--format", "pdf"], /--format must be docx or xlsx/],
      [[], /which month/],
    ] as const;
    const failures = await Promise.all(
      cases.map(([args]) => run(tsx, [command, ...args]).catch((e: unknown) => e)),
    );
    for (const [i, [, message]] of cases.entries()) {
      expect(failures[i]).toMatchObject({ code: 2, stderr: expect.stringMatching(message) });
    }
  });

  it("writes the month's DOCX and XLSX through the gateway as the IOC, with progress lines", async () => {
    const result = await run(
      tsx,
      [command, PERIOD, "--out", out, "--as-of", AS_OF, "--url", system.gatewayUrl],
      { env: { ...process.env, P06_TOKEN: await system.token("IOC") } },
    );
    stderr = result.stderr;
    expect(stderr).toMatch(/\[report\] read the scorecard \(56 indicators\), 54 tasks/);
    expect(stderr).toMatch(/wrote .*bao-cao-thang-2026-10\.docx/);
    expect(stderr).toMatch(/wrote .*bao-cao-thang-2026-10\.xlsx/);
    const docx = readFileSync(join(out, "bao-cao-thang-2026-10.docx"));
    html = (await mammoth.convertToHtml({ buffer: docx })).value;
    rawText = (await mammoth.extractRawText({ buffer: docx })).value;
    // the report's opening as text, its tables' rows as cells between bars (for the closing note)
    const opening = rawText.split(/\n+/).slice(0, rawText.split(/\n+/).indexOf("Mã"));
    const firstRows = tablesOf(html)[0]!
      .slice(0, 12)
      .map((row) => row.join(" | "));
    mkdirSync(join(repoRoot, "test-results-web"), { recursive: true });
    writeFileSync(
      join(repoRoot, "test-results-web", "month-report-first-page.txt"),
      `${[...opening, ...firstRows].join("\n")}\n`,
    );
  }, 60_000);

  it("the DOCX: the Appendix I table is the graph's scorecard of the month, with both targets", () => {
    expect(rawText).toContain("BÁO CÁO KẾT QUẢ THỰC HIỆN ĐỀ ÁN 06 THÁNG 10/2026");
    const counts = truth.review.scorecard.byStatus
      .map((c) => `${STATUSES[c.status].vi} ${c.count}`)
      .join(", ");
    expect(rawText).toContain(`56 chỉ tiêu; ${counts}.`);
    const [indicators] = tablesOf(html);
    const [header, ...rows] = indicators!;
    expect(header).toEqual([
      "Mã",
      "Chỉ tiêu",
      "Đơn vị tính",
      "Mục tiêu 2026",
      "Mục tiêu 2030",
      "Kết quả",
      "Kỳ",
      "Trạng thái (mục tiêu 2026)",
      "Đơn vị theo dõi",
    ]);
    expect(rows.map((r) => r[0])).toEqual(
      truth.review.scorecard.indicators.map((i) => i.indicator.code),
    );
    const targets = new Map(truth.indicators.map((i) => [i.code, i]));
    let withFigures = 0;
    for (const [i, row] of rows.entries()) {
      const { indicator, progress } = truth.review.scorecard.indicators[i]!;
      const target = targets.get(indicator.code)!;
      expect(row.slice(2, 5), indicator.code).toEqual([
        indicator.unit ?? "",
        target.t2026?.raw ?? "",
        target.t2030?.raw ?? "",
      ]);
      expect(row[5], indicator.code).toBe(numberVi(progress.latest?.value));
      expect(row[7], indicator.code).toBe(STATUSES[progress.status].vi);
      if (progress.latest) withFigures += 1;
    }
    // the data set's six indicators, e.g. III.3 at 60% (120 of 200) in October, needing acceleration
    expect(withFigures).toBe(6);
    expect(rows.find((r) => r[0] === "III.3")!.slice(5, 8)).toEqual([
      "60",
      "10/2026",
      "Cần đẩy nhanh",
    ]);
  });

  it("the DOCX: tasks overdue first, agencies ranked by the graph's scores, requests not yet answered", () => {
    const [, tasks, reporting, scores, explanations] = tablesOf(html);
    const overdue = truth.tasks.filter((t) => t.overdue).map((t) => t.code);
    expect(overdue.length).toBeGreaterThan(0);
    const taskRows = tasks!.slice(1);
    expect(taskRows).toHaveLength(truth.tasks.length);
    expect(taskRows.slice(0, overdue.length).map((r) => r[6])).toEqual(
      overdue.map(() => "Quá hạn"),
    );
    expect(new Set(taskRows.slice(0, overdue.length).map((r) => r[0]))).toEqual(new Set(overdue));
    expect(taskRows.slice(overdue.length).every((r) => r[6] === "")).toBe(true);
    // II.4 done by the police
    expect(taskRows.find((r) => r[0] === "II.4")![5]).toBe("Đã hoàn thành");

    // the police's reporting of the month as the graph counts it (entered today: after the 10th)
    expect(reporting![0]).toContain("Nộp chậm");
    const { expected, received, onTime } = truth.review.police.reporting;
    expect(reporting!.find((r) => r[0] === "Công an thành phố")!.slice(1, 6)).toEqual(
      [expected, received, onTime, received - onTime, expected - received].map((n) => numberVi(n)),
    );

    const scoreRows = scores!.slice(1);
    const totals = scoreRows.map((r) => Number(r[2]!.replace(/\./g, "").replace(",", ".")));
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    expect(scoreRows[0]![0]).toBe("1");
    const sbv = scoreRows.find((r) => r[1] === "Ngân hàng Nhà nước khu vực 6")!;
    expect(sbv[2]).toBe(numberVi(truth.review.agency!.score.total));

    expect(explanations!.slice(1)).toEqual([
      [
        "Bảo hiểm xã hội thành phố",
        "Chỉ tiêu V.2",
        "V.2 đang xấu đi: vì sao, và giải pháp?",
        expect.stringMatching(/^\d\d\/\d\d\/\d{4}$/),
        expect.stringMatching(/^\d\d\/\d\d\/\d{4}$/),
        "Đang mở",
      ],
    ]);
    expect(rawText).toContain("Yêu cầu giải trình: 1 đang mở, 0 quá hạn, 1 đã trả lời.");
  });

  it("the XLSX: the same tables, the figures as numbers equal to the graph's", async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(out, "bao-cao-thang-2026-10.xlsx"));
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      "Tóm tắt",
      "Phụ lục I - Chỉ tiêu",
      "Phụ lục II - Nhiệm vụ",
      "Báo cáo chậm",
      "Xếp hạng cơ quan",
      "Yêu cầu giải trình",
    ]);
    const sheet = workbook.getWorksheet("Phụ lục I - Chỉ tiêu")!;
    const rows = sheet.getSheetValues().slice(2) as unknown[][];
    expect(rows.map((r) => r[1])).toEqual(
      truth.review.scorecard.indicators.map((i) => i.indicator.code),
    );
    for (const [i, row] of rows.entries()) {
      const { indicator, progress } = truth.review.scorecard.indicators[i]!;
      expect(row[6] ?? null, indicator.code).toBe(progress.latest?.value ?? null);
      expect(row[8], indicator.code).toBe(STATUSES[progress.status].vi);
    }
    const scores = workbook
      .getWorksheet("Xếp hạng cơ quan")!
      .getSheetValues()
      .slice(2) as unknown[][];
    const sbv = scores.find((r) => r[2] === "Ngân hàng Nhà nước khu vực 6")!;
    expect(sbv[3]).toBe(truth.review.agency!.score.total);
    const summary = workbook.getWorksheet("Tóm tắt")!.getColumn(1).values;
    expect(summary).toContain("BÁO CÁO KẾT QUẢ THỰC HIỆN ĐỀ ÁN 06 THÁNG 10/2026");
  });
});
