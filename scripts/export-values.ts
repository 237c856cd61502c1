// `npm run export:values -- --period 2026-10 [--format json|csv] [--out FILE] [--token TOKEN]`
// Every subgraph's figures of a month, through the gateway, as DHIS2 imports them: dataValueSets JSON
// (`{"dataValues": [...]}`) or DHIS2's data value CSV, to import with the CODE id scheme. Written to
// FILE, else printed. The gateway: --url, else GATEWAY_URL, else port GATEWAY_PORT (4000); the token:
// --token, else P06_TOKEN, else the IOC's machine client's by client credentials. Exit codes: 0
// written, 2 used wrongly, 1 refused or failed.
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import {
  DATA_VALUE_FIELDS,
  dataValuesCsv,
  dataValuesJson,
  type DataValue,
} from "../gateway/web/src/report/data-values.js";
import { commandToken, TOKEN_NEEDED } from "./lib/command-token.js";
import { gatewayUrl } from "./lib/gateway-url.js";
import { subgraphs } from "@p06/catalogue";
import { askGateway } from "./lib/gateway-request.js";

const usage =
  "usage: npm run export:values -- --period YYYY-MM [--format json|csv] [--out FILE] [--token TOKEN] [--url GATEWAY_URL]";

/** A page of each subgraph's data values: ten fields each stays within the gateway's default cost limit. */
const PAGE = 5000;

try {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        period: { type: "string" },
        format: { type: "string", default: "json" },
        out: { type: "string" },
        token: { type: "string" },
        url: { type: "string" },
      },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(2);
  }
  const { period, format, out } = parsed.values;
  if (!period || !/^\d{4}-(0[1-9]|1[0-2])$/.test(period) || !["json", "csv"].includes(format!)) {
    console.error(usage);
    process.exit(2);
  }
  const url = gatewayUrl(parsed.values.url);
  const token = await commandToken(parsed.values.token, "IOC");
  if (!token) throw new Error(`export:values reads as the IOC: ${TOKEN_NEEDED}`);
  const dataValues: DataValue[] = [];
  for (const spec of subgraphs) {
    const field = `${spec.prefix.charAt(0).toLowerCase()}${spec.prefix.slice(1)}DataValues`;
    for (let offset = 0; ; offset += PAGE) {
      const data = await askGateway<{ page: DataValue[] }>(
        url,
        token,
        `query ($period: String!, $offset: Int!) { page: ${field}(period: $period, limit: ${PAGE}, offset: $offset) { ${DATA_VALUE_FIELDS} } }`,
        { period, offset },
      );
      dataValues.push(...data.page);
      if (data.page.length < PAGE) break;
    }
  }
  const text = format === "csv" ? dataValuesCsv(dataValues) : dataValuesJson(dataValues);
  if (out) {
    await writeFile(out, text);
    console.error(`wrote ${dataValues.length} data values of ${period} to ${out}`);
  } else {
    process.stdout.write(text);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
