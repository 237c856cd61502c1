// The city's monthly report from `npm run report:month` over the real stack, on the IOC questions' data
// set: the command's errors for a bad month, then the DOCX read back with mammoth and the XLSX with
// exceljs, each checked against what the graph itself says of the same month (the scorecard, the
// targets, the tasks overdue, the agencies' scores, the explanation requests, the communes' standings),
// never numbers typed in.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { numberVi } from "../gateway/web/src/report/month-report.js";
import { repoRoot } from "../scripts/lib/ferretdb.js";
import { B, seedIocDataSet } from "./support/ioc-data-set.js";
import {
  expectDocxMatches,
  expectXlsxMatches,
  monthTruth,
  readDocx,
  type Truth,
} from "./support/month-report-check.js";
import { startSystem, type RunningSystem } from "./support/system.js";

const run = promisify(execFile);
const PERIOD = "2026-10";
const AS_OF = "2026-11-11";
const tsx = join(repoRoot, "node_modules", ".bin", "tsx");
const command = join(repoRoot, "scripts", "report-month.ts");

let system: RunningSystem;
let out: string;
let stderr: string;

/** The graph's own answers the report is checked against, beyond the scorecard and targets. */
interface Rest {
  review: {
    agency: { score: { total: number | null } } | null;
    police: { reporting: { expected: number; received: number; onTime: number } };
  };
  tasks: { code: string; overdue: boolean }[];
}
/** The communes' standings of the month as the graph gives them. */
interface Communes {
  review: {
    communes: {
      unit: { code: string; name: string };
      rank: number | null;
      score: number | null;
      reporting: { missing: { code: string }[]; late: { code: string }[] };
    }[];
  };
}
let communes: Communes["review"]["communes"];
let truth: Truth;
let rest: Rest;
let docx: Awaited<ReturnType<typeof readDocx>>;

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
  // one commune's implementation plan, issued on time
  const plan = await system.query(
    `mutation { recordCommunePlan(input: { unit: "${B}", issuedOn: "2026-06-12", documentNumber: "52/KH-UBND" }) { onTime } }`,
  );
  expect(plan.errors).toBeUndefined();
  const standings = await system.query<Communes>(
    `query($period: String!) { review(year: 2026, period: $period) { communes {
      unit { code name } rank score reporting { missing { code } late { code } } } } }`,
    { period: PERIOD },
  );
  expect(standings.errors).toBeUndefined();
  communes = standings.data!.review.communes;
  truth = await monthTruth(system, PERIOD);
  const { data, errors } = await system.query<Rest>(
    `query($period: String!, $asOf: String) {
      review(year: 2026, period: $period) {
        agency(code: "SBV6", asOf: $asOf) { score { total } }
        police: agency(code: "POLICE", asOf: $asOf) { reporting { expected received onTime } }
      }
      tasks { code overdue(asOf: $asOf) }
    }`,
    { period: PERIOD, asOf: AS_OF },
  );
  expect(errors).toBeUndefined();
  rest = data!;
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
    // the time to build it through the gateway, for BENCHMARKS.md and the README
    console.log(stderr.match(/\[report\] built the report in \d+ ms/)?.[0]);
    expect(stderr).toMatch(/\[report\] read the scorecard \(56 indicators\), 54 tasks/);
    expect(stderr).toMatch(/wrote .*bao-cao-thang-2026-10\.docx/);
    expect(stderr).toMatch(/wrote .*bao-cao-thang-2026-10\.xlsx/);
    docx = await readDocx(readFileSync(join(out, "bao-cao-thang-2026-10.docx")));
    // the report's opening as text, its tables' rows as cells between bars (for the closing note)
    const lines = docx.text.split(/\n+/);
    const firstRows = docx.tables[0]!.slice(0, 12).map((row) => row.join(" | "));
    mkdirSync(join(repoRoot, "test-results-web"), { recursive: true });
    writeFileSync(
      join(repoRoot, "test-results-web", "month-report-first-page.txt"),
      `${[...lines.slice(0, lines.indexOf("Mã")), ...firstRows].join("\n")}\n`,
    );
  }, 60_000);

  it("the DOCX: the Appendix I table is the graph's scorecard of the month, with both targets", () => {
    expect(docx.text).toContain("BÁO CÁO KẾT QUẢ THỰC HIỆN ĐỀ ÁN 06 THÁNG 10/2026");
    const rows = expectDocxMatches(docx, truth);
    // the data set's six indicators, e.g. III.3 at 60% (120 of 200) in October, needing acceleration
    expect(rows.filter((r) => r[5] !== "–")).toHaveLength(6);
    expect(rows.find((r) => r[0] === "III.3")!.slice(5, 8)).toEqual([
      "60",
      "10/2026",
      "Cần đẩy nhanh",
    ]);
  });

  it("the DOCX: tasks overdue first, agencies ranked by the graph's scores, requests not yet answered", () => {
    const [, tasks, reporting, scores, explanations] = docx.tables;
    const overdue = rest.tasks.filter((t) => t.overdue).map((t) => t.code);
    expect(overdue.length).toBeGreaterThan(0);
    const taskRows = tasks!.slice(1);
    expect(taskRows).toHaveLength(rest.tasks.length);
    expect(taskRows.slice(0, overdue.length).map((r) => r[6])).toEqual(
      overdue.map(() => "Quá hạn"),
    );
    expect(new Set(taskRows.slice(0, overdue.length).map((r) => r[0]))).toEqual(new Set(overdue));
    expect(taskRows.slice(overdue.length).every((r) => r[6] === "")).toBe(true);
    // II.4 done by the police
    expect(taskRows.find((r) => r[0] === "II.4")![5]).toBe("Đã hoàn thành");

    // the police's reporting of the month as the graph counts it (entered today: after the 10th)
    expect(reporting![0]).toContain("Nộp chậm");
    const { expected, received, onTime } = rest.review.police.reporting;
    expect(reporting!.find((r) => r[0] === "Công an thành phố")!.slice(1, 6)).toEqual(
      [expected, received, onTime, received - onTime, expected - received].map((n) => numberVi(n)),
    );

    const scoreRows = scores!.slice(1);
    const totals = scoreRows.map((r) => Number(r[2]!.replace(/\./g, "").replace(",", ".")));
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    expect(scoreRows[0]![0]).toBe("1");
    const sbv = scoreRows.find((r) => r[1] === "Ngân hàng Nhà nước khu vực 6")!;
    expect(sbv[2]).toBe(numberVi(rest.review.agency!.score.total));

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
    expect(docx.text).toContain("Yêu cầu giải trình: 1 đang mở, 0 quá hạn, 1 đã trả lời.");
  });

  it("the DOCX: the communes' league table, its top and bottom ten, and the communes missing or late, as the graph has them", () => {
    const [, , , , , league, late] = docx.tables;
    const ranked = communes.filter((c) => c.rank !== null);
    const leagueRows = league!.slice(1);
    expect(leagueRows).toHaveLength(20);
    // the top ten and the bottom ten, in the graph's order, with its ranks and scores
    const expected = [...ranked.slice(0, 10), ...ranked.slice(-10)];
    expect(leagueRows.map((r) => [r[0], r[1], r[2]])).toEqual(
      expected.map((c) => [String(c.rank), c.unit.name, numberVi(c.score)]),
    );
    // each row's ranks over the three months, October's last
    expect(leagueRows[0]![6]!.split(" → ")).toHaveLength(3);
    expect(leagueRows[0]![6]!.split(" → ").at(-1)).toBe(String(ranked[0]!.rank));
    const behind = communes.filter((c) => c.reporting.missing.length + c.reporting.late.length);
    const lateRows = late!.slice(1);
    expect(lateRows).toHaveLength(behind.length);
    const b = communes.find((c) => c.unit.code === B)!;
    expect(lateRows.find((r) => r[0] === b.unit.name)!.slice(1, 3)).toEqual([
      b.reporting.missing.map((i) => i.code).join(", "),
      "III.3",
    ]);
    expect(docx.text).toContain(
      `Xã, phường, đặc khu: ${ranked.length}/${communes.length} có điểm tháng; 1 đã ban hành kế hoạch thực hiện;`,
    );
  });

  it("the XLSX: the same tables, the figures as numbers equal to the graph's", async () => {
    const workbook = await expectXlsxMatches(
      readFileSync(join(out, "bao-cao-thang-2026-10.xlsx")),
      truth,
    );
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      "Tóm tắt",
      "Phụ lục I - Chỉ tiêu",
      "Phụ lục II - Nhiệm vụ",
      "Báo cáo chậm",
      "Xếp hạng cơ quan",
      "Yêu cầu giải trình",
      "Xếp hạng xã",
      "Xã báo cáo chậm",
    ]);
    const scores = workbook
      .getWorksheet("Xếp hạng cơ quan")!
      .getSheetValues()
      .slice(2) as unknown[][];
    const sbv = scores.find((r) => r[2] === "Ngân hàng Nhà nước khu vực 6")!;
    expect(sbv[3]).toBe(rest.review.agency!.score.total);
    const summary = workbook.getWorksheet("Tóm tắt")!.getColumn(1).values;
    expect(summary).toContain("BÁO CÁO KẾT QUẢ THỰC HIỆN ĐỀ ÁN 06 THÁNG 10/2026");
  });
});
