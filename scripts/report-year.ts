// `npm run report:year -- 2026 [--format docx|xlsx] [--out DIR]`: the year's report (Vietnamese; section
// VI of the plan): the agencies ranked by their yearly results, and whom the City Police would propose
// for commendation and for accountability, from every month of the year reported so far, through the
// gateway as the IOC (one request: WebYearReview). The same builder as the year page's download
// (gateway/web/src/year/) and the monthly report's DOCX and XLSX writers. Both formats unless --format
// names one, written to DIR (default: here) as bao-cao-nam-YYYY.docx and .xlsx. The gateway and the
// token as `report:month` finds them; the months in two requests (a year costs more than one may). Progress goes to stderr. Exit codes: 0 written, 2 used wrongly,
// 1 refused or failed.
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { WebYearReviewQuery } from "../gateway/web/src/graphql/generated/graphql.js";
import { monthReportDocx } from "../gateway/web/src/report/docx.js";
import { monthReportXlsx } from "../gateway/web/src/report/xlsx.js";
import { buildYearReport, yearReportFileName } from "../gateway/web/src/year/year-report.js";
import { lastReportedPeriod, loadYearReview } from "../gateway/web/src/year/year-results.js";
import { askGateway } from "./lib/gateway-request.js";
import { commandToken, TOKEN_NEEDED } from "./lib/command-token.js";
import { gatewayUrl } from "./lib/gateway-url.js";

const usage =
  "usage: npm run report:year -- YYYY [--format docx|xlsx] [--out DIR] [--token TOKEN] [--url GATEWAY_URL]";

const fail = (message: string, code: number): never => {
  console.error(message);
  process.exit(code);
};

try {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        format: { type: "string" },
        out: { type: "string", default: "." },
        token: { type: "string" },
        url: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\n${usage}`, 2);
  }
  const { values, positionals } = parsed!;
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const [given, ...extra] = positionals;
  if (!given) fail(`which year? ${usage}`, 2);
  if (extra.length) fail(`one year only, got ${positionals.join(" ")}\n${usage}`, 2);
  const year = Number(given);
  if (!/^\d{4}$/.test(given!) || year < 2026 || year > 2030) {
    fail(`the year must be one of the plan's, 2026 to 2030, got "${given}"`, 2);
  }
  if (values.format && !["docx", "xlsx"].includes(values.format)) {
    fail(`--format must be docx or xlsx, got "${values.format}"`, 2);
  }
  const last = lastReportedPeriod(year);
  if (!last) fail(`no month of ${year} is reported yet`, 2);
  const formats = values.format ? [values.format] : ["docx", "xlsx"];
  const url = gatewayUrl(values.url);
  const token = await commandToken(values.token, "IOC");
  if (!token) fail(`report:year reads as the IOC: ${TOKEN_NEEDED}`, 2);
  const log = (line: string) => console.error(`[report] ${line}`);

  const started = performance.now();
  log(`asking ${url} for ${year}, January to ${last}`);
  const document = readFileSync(
    new URL("../gateway/operations/web-year-review.graphql", import.meta.url),
    "utf8",
  );
  const answer = await loadYearReview(
    (variables) =>
      askGateway<WebYearReviewQuery>(
        url,
        token,
        document,
        variables as unknown as Record<string, unknown>,
      ),
    year,
    last!,
  );
  const { report, results } = buildYearReport(year, answer, {
    generatedAt: new Date().toISOString(),
  });
  log(
    `read ${results.periods.length} months: ${results.agencies.length} agencies, ${results.commendation.length} proposed for commendation, ${results.accountability.length} for accountability`,
  );
  const dir = resolve(values.out!);
  await mkdir(dir, { recursive: true });
  for (const format of formats) {
    const bytes = format === "docx" ? await monthReportDocx(report) : await monthReportXlsx(report);
    const file = join(dir, `${yearReportFileName(year)}.${format}`);
    await writeFile(file, bytes);
    log(`wrote ${file} (${Math.round(bytes.length / 1024)} KB)`);
  }
  log(`done in ${Math.round(performance.now() - started)} ms`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error), 1);
}
