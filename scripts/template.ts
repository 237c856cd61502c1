// `npm run template -- --agency DOH --period 2026-11 [--out FILE] [--token TOKEN] [--url GATEWAY_URL]`
// The agency's monthly template as an XLSX file: a row for every figure it owes the month, prefilled
// with the month before's, in the columns `import:report` reads (the same template as the month page's
// "Tải mẫu báo cáo", built by gateway/web/src/report/template.ts). Read through the gateway as the
// agency: --url, else GATEWAY_URL, else port GATEWAY_PORT (4000); the token: --token, else P06_TOKEN,
// else the agency's machine client's by client credentials. Exit codes: 0 written, 2 used wrongly,
// 1 failed.
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { catalogue } from "@p06/catalogue";
import {
  flagsFor,
  monthBefore,
  MONTH_FIELDS,
  subgraphKey,
} from "../gateway/web/src/agency-subgraph.js";
import type {
  WebAgencyMonthQuery,
  WebTemplateFiguresQuery,
} from "../gateway/web/src/graphql/generated/graphql.js";
import { message } from "../gateway/web/src/messages.js";
import { templateName, templateSheet } from "../gateway/web/src/report/template.js";
import { sheetXlsx } from "../gateway/web/src/report/xlsx.js";
import { commandToken, TOKEN_NEEDED } from "./lib/command-token.js";
import { askGateway } from "./lib/gateway-request.js";
import { gatewayUrl } from "./lib/gateway-url.js";

const usage = `usage: npm run template -- --agency CODE --period YYYY-MM [--out FILE] [--token TOKEN] [--url GATEWAY_URL]
  agencies: ${catalogue.agencies.map((a) => a.code).join(", ")}`;

/** The client operations the page sends too (gateway/operations, checked by compose:check). */
const operation = (name: string) =>
  readFileSync(new URL(`../gateway/operations/${name}.graphql`, import.meta.url), "utf8");

function fail(text: string, code: number): never {
  console.error(text);
  process.exit(code);
}

try {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        agency: { type: "string" },
        period: { type: "string" },
        out: { type: "string" },
        token: { type: "string" },
        url: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\n${usage}`, 2);
  }
  const { values } = parsed;
  if (values.help) fail(usage, 0);
  const agency = catalogue.agencies.find((a) => a.code === values.agency);
  if (!agency || !values.period) fail(usage, 2);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(values.period)) {
    fail(`--period must be a month written YYYY-MM, got "${values.period}"`, 2);
  }
  const token = await commandToken(values.token, agency.code);
  if (!token) fail(`template reads as the agency: ${TOKEN_NEEDED}`, 2);
  const url = gatewayUrl(values.url);
  const key = subgraphKey(agency.subgraph);
  const month = await askGateway<WebAgencyMonthQuery>(url, token, operation("web-agency-month"), {
    agency: agency.code,
    period: values.period,
    ...flagsFor(key),
  });
  const previous = await askGateway<WebTemplateFiguresQuery>(
    url,
    token,
    operation("web-template-figures"),
    { agency: agency.code, period: monthBefore(values.period), education: key === "education" },
  );
  const sheet = templateSheet({
    obligations: month[MONTH_FIELDS[key]]?.obligations ?? [],
    units: month.reportingUnits,
    titles: new Map(month.indicators.map((i) => [i.code, i.titleVi])),
    previous,
    labels: [message("vi", "colCommune"), message("vi", "colIndicator")],
  });
  const name = templateName(agency.code, values.period);
  const out = resolve(values.out ?? `${name}.xlsx`);
  await writeFile(out, await sheetXlsx(sheet, name));
  console.log(
    `wrote ${out}: ${sheet.rows.length} figures ${agency.code} owes for ${values.period}, prefilled with ${monthBefore(values.period)}'s (fill it in, then npm run import:report)`,
  );
} catch (error) {
  fail(error instanceof Error ? error.message : String(error), 1);
}
