// `npm run report:month -- 2026-10 [--format docx|xlsx] [--out DIR] [--year 2026] [--as-of YYYY-MM-DD]`
// The city's monthly report (Vietnamese), from the graph through the gateway as the IOC: the same
// builder and writers as the IOC's download on the month review page (gateway/web/src/report/). Both
// formats unless --format names one, written to DIR (default: here) as bao-cao-thang-YYYY-MM.docx and
// .xlsx. The gateway: --url, else GATEWAY_URL, else port GATEWAY_PORT (4000); the token: --token, else
// P06_TOKEN, else the IOC's machine client's by client credentials (lib/command-token.ts). Progress
// goes to stderr. Exit codes: 0 written, 2 used wrongly, 1 refused or failed.
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { WebMonthReportQuery } from "../gateway/web/src/graphql/generated/graphql.js";
import { monthReportDocx } from "../gateway/web/src/report/docx.js";
import {
  isPeriod,
  loadMonthReport,
  reportFileName,
} from "../gateway/web/src/report/month-report.js";
import { monthReportXlsx } from "../gateway/web/src/report/xlsx.js";
import { askGateway } from "./lib/gateway-request.js";
import { commandToken, TOKEN_NEEDED } from "./lib/command-token.js";
import { gatewayUrl } from "./lib/gateway-url.js";

const usage =
  "usage: npm run report:month -- YYYY-MM [--format docx|xlsx] [--out DIR] [--year 2026|2030] [--as-of YYYY-MM-DD] [--token TOKEN] [--url GATEWAY_URL]";

/** The client operations the page sends too (gateway/operations, checked by compose:check). */
const operation = (name: string) =>
  readFileSync(new URL(`../gateway/operations/${name}.graphql`, import.meta.url), "utf8");

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
        year: { type: "string" },
        "as-of": { type: "string" },
        token: { type: "string" },
        url: { type: "string" },
      },
    });
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\n${usage}`, 2);
  }
  const { values, positionals } = parsed!;
  const [period, ...extra] = positionals;
  if (!period) fail(`which month? ${usage}`, 2);
  if (extra.length) fail(`one month only, got ${positionals.join(" ")}\n${usage}`, 2);
  if (!isPeriod(period!)) fail(`the month must be YYYY-MM (e.g. 2026-10), got "${period}"`, 2);
  if (period! < "2026-01" || period! > "2030-12") {
    fail(`the plan runs from 2026-01 to 2030-12, got ${period}`, 2);
  }
  if (values.format && !["docx", "xlsx"].includes(values.format)) {
    fail(`--format must be docx or xlsx, got "${values.format}"`, 2);
  }
  if (values.year && !["2026", "2030"].includes(values.year)) {
    fail(`--year must be 2026 or 2030 (the plan's target years), got "${values.year}"`, 2);
  }
  const asOf = values["as-of"];
  if (asOf && !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
    fail(`--as-of must be YYYY-MM-DD, got "${asOf}"`, 2);
  }
  const formats = values.format ? [values.format] : ["docx", "xlsx"];
  const url = gatewayUrl(values.url);
  const token = await commandToken(values.token, "IOC");
  if (!token) fail(`report:month reads as the IOC: ${TOKEN_NEEDED}`, 2);
  const log = (line: string) => console.error(`[report] ${line}`);

  const started = performance.now();
  log(`asking ${url} for ${period}`);
  const monthDocument = operation("web-month-report");
  const report = await loadMonthReport(
    {
      month: (variables) => askGateway<WebMonthReportQuery>(url, token, monthDocument, variables),
    },
    {
      period: period!,
      ...(values.year && { year: Number(values.year) }),
      ...(asOf && { asOf }),
      log,
    },
  );
  log(`built the report in ${Math.round(performance.now() - started)} ms`);
  const dir = resolve(values.out!);
  await mkdir(dir, { recursive: true });
  for (const format of formats) {
    const bytes = format === "docx" ? await monthReportDocx(report) : await monthReportXlsx(report);
    const file = join(dir, `${reportFileName(period!)}.${format}`);
    await writeFile(file, bytes);
    log(`wrote ${file} (${Math.round(bytes.length / 1024)} KB)`);
  }
  log(`done in ${Math.round(performance.now() - started)} ms`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error), 1);
}
