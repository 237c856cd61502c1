// `npm run import:report -- --subgraph health --period 2026-10 [--agency DOH] [--token TOKEN] FILE.csv|FILE.xlsx`
// Sends a month's spreadsheet through the gateway to the subgraph's import mutation, as the agency the
// token names. Every row is checked before anything is stored; a file with any bad row changes
// nothing and each bad row is listed by line and column. The gateway: --url, else GATEWAY_URL, else
// port GATEWAY_PORT (4000) on this machine; the token: --token, else P06_TOKEN, else the agency's
// importer's (its service account) by client credentials (lib/command-token.ts). Exit codes: 0
// imported, 2 used wrongly, 1 refused or failed.
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { parseArgs } from "node:util";
import { subgraphs } from "@p06/catalogue";
import { commandToken, TOKEN_NEEDED } from "./lib/command-token.js";
import { askGateway, GatewayRefusal } from "./lib/gateway-request.js";
import { gatewayUrl } from "./lib/gateway-url.js";

const usage = `usage: npm run import:report -- --subgraph NAME --period YYYY-MM [--agency CODE] [--token TOKEN] [--url GATEWAY_URL] FILE.csv|FILE.xlsx
  subgraphs: ${subgraphs.map((s) => s.name).join(", ")}
  --agency: the agency the file is from, when the subgraph reports for several (a development token is made for it)`;

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

interface Imported {
  result: { period: string; created: number; replaced: number; indicators: string[] };
}

try {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        subgraph: { type: "string" },
        token: { type: "string" },
        period: { type: "string" },
        agency: { type: "string" },
        url: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
    });
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\n${usage}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) fail(usage, 0);
  const file = positionals[0];
  const spec = subgraphs.find((s) => s.name === values.subgraph);
  if (!file || !spec || !values.period) fail(usage, 2);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(values.period)) {
    fail(`--period must be a month written YYYY-MM, got "${values.period}"`, 2);
  }
  const format = { ".csv": "CSV", ".xlsx": "XLSX" }[extname(file).toLowerCase()];
  if (!format) fail(`${file}: the file must end in .csv or .xlsx`, 2);
  const agency = values.agency ?? (spec.agencies.length === 1 ? spec.agencies[0] : undefined);
  if (values.agency && !spec.agencies.includes(values.agency)) {
    fail(
      `--agency ${values.agency} does not report through ${spec.name} (${spec.agencies.join(", ")})`,
      2,
    );
  }
  const token = await commandToken(values.token, agency ?? "");
  if (!token || !agency) {
    fail(
      `import:report writes as the agency: ${agency ? TOKEN_NEEDED : `name it with --agency (${spec.agencies.join(", ")}) or ${TOKEN_NEEDED}`}`,
      2,
    );
  }
  const url = gatewayUrl(values.url);
  const content = await readFile(file);
  try {
    const { result } = await askGateway<Imported>(
      url,
      token,
      `mutation ($input: ImportReportInput!) {
        result: import${spec.prefix}Report(input: $input) { period created replaced indicators }
      }`,
      {
        input: {
          period: values.period,
          format,
          fileName: file,
          contentBase64: content.toString("base64"),
        },
      },
    );
    console.log(
      `${file}: imported ${result.period} for ${result.indicators.join(", ")}: ${result.created} new, ${result.replaced} replaced (earlier versions kept in history)`,
    );
  } catch (error) {
    if (!(error instanceof GatewayRefusal)) throw error;
    const problems = error.errors.flatMap((e) => e.extensions?.problems ?? []);
    console.error(
      `${file}: nothing imported. ${problems.length ? `${problems.length} problem(s), every bad row:` : error.message}`,
    );
    for (const { line, column, message } of problems)
      console.error(`  line ${line}${column ? `, ${column}` : ""}: ${message}`);
    process.exit(1);
  }
} catch (error) {
  fail(error instanceof Error ? error.message : String(error), 1);
}
