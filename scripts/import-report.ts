// `npm run import:report -- --subgraph health --period 2026-10 --token TOKEN FILE.csv|FILE.xlsx`
// Sends a month's spreadsheet through the gateway to the subgraph's import mutation, as the agency the
// token names (or P06_TOKEN). Every row is checked before anything is stored; a file with any bad row
// changes nothing and each bad row is listed by line. The gateway: --url, else GATEWAY_URL, else
// port GATEWAY_PORT (4000) on this machine. Exit codes: 0 imported, 2 used wrongly, 1 refused or failed.
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { parseArgs } from "node:util";
import { gatewayUrl } from "./lib/gateway-url.js";
import { subgraphs } from "@p06/catalogue";

const usage =
  "usage: npm run import:report -- --subgraph NAME --period YYYY-MM --token TOKEN [--url GATEWAY_URL] FILE.csv|FILE.xlsx";

try {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        subgraph: { type: "string" },
        token: { type: "string" },
        period: { type: "string" },
        url: { type: "string" },
      },
      allowPositionals: true,
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(2);
  }
  const { values, positionals } = parsed;
  const file = positionals[0];
  const spec = subgraphs.find((s) => s.name === values.subgraph);
  const token = values.token ?? process.env.P06_TOKEN?.trim();
  if (!file || !spec || !token || !values.period) {
    console.error(`${usage}\n  subgraphs: ${subgraphs.map((s) => s.name).join(", ")}`);
    process.exit(2);
  }
  const format = { ".csv": "CSV", ".xlsx": "XLSX" }[extname(file).toLowerCase()];
  if (!format) throw new Error(`${file}: the file must end in .csv or .xlsx`);
  const url = values.url ?? gatewayUrl();
  const content = await readFile(file);
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: `mutation ($input: ImportReportInput!) {
        result: import${spec.prefix}Report(input: $input) { period created replaced indicators }
      }`,
      variables: {
        input: {
          period: values.period,
          format,
          fileName: file,
          contentBase64: content.toString("base64"),
        },
      },
    }),
  }).catch((error: Error) => {
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    throw new Error(`cannot reach the gateway at ${url}: ${cause}`);
  });
  const body = (await response.json()) as {
    data?: { result: { period: string; created: number; replaced: number; indicators: string[] } };
    errors?: {
      message: string;
      extensions?: { problems?: { line?: number; message: string }[] };
    }[];
  };
  if (body.errors?.length) {
    const error = body.errors[0]!;
    const problems = error.extensions?.problems ?? [];
    console.error(`${file}: nothing imported. ${problems.length ? "" : error.message}`);
    for (const problem of problems) console.error(`  line ${problem.line}: ${problem.message}`);
    process.exit(1);
  }
  const result = body.data!.result;
  console.log(
    `${file}: imported ${result.period} for ${result.indicators.join(", ")}: ${result.created} new, ${result.replaced} replaced (earlier versions kept in history)`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
