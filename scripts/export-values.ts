// `npm run export:values -- --period 2026-10 [--format json|csv] [--out FILE] [--token TOKEN]`
// Every subgraph's figures of a month, through the gateway, as DHIS2 imports them: dataValueSets JSON
// (`{"dataValues": [...]}`) or DHIS2's data value CSV, to import with the CODE id scheme. Written to
// FILE, else printed. The gateway: --url, else GATEWAY_URL, else port GATEWAY_PORT (4000); the token:
// --token, else P06_TOKEN (needed unless the gateway lets anonymous callers read). Exit codes: 0
// written, 2 used wrongly, 1 refused or failed.
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { toCsv, type DhisDataValue } from "@p06/subgraph-kit";
import { gatewayUrl } from "./lib/gateway-url.js";
import { subgraphs } from "@p06/catalogue";

const usage =
  "usage: npm run export:values -- --period YYYY-MM [--format json|csv] [--out FILE] [--token TOKEN] [--url GATEWAY_URL]";

/** A page of each subgraph's data values: ten fields each stays within the gateway's default cost limit. */
const PAGE = 5000;
/** DHIS2's data value CSV columns (its import reads them in this order). */
const CSV_COLUMNS = [
  "dataelement",
  "period",
  "orgunit",
  "categoryoptioncombo",
  "attributeoptioncombo",
  "value",
  "storedby",
  "lastupdated",
  "comment",
  "followup",
] as const;

const FIELDS =
  "dataElement period orgUnit categoryOptionCombo value storedBy created lastUpdated comment followup";

async function ask<Data>(url: string, token: string | undefined, query: string, variables: object) {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query, variables }),
  }).catch((error: Error) => {
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    throw new Error(`cannot reach the gateway at ${url}: ${cause}`);
  });
  const body = (await response.json()) as { data?: Data; errors?: { message: string }[] };
  if (body.errors?.length || !body.data) {
    throw new Error(`the gateway refused: ${body.errors?.map((e) => e.message).join("; ")}`);
  }
  return body.data;
}

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
  const url = parsed.values.url ?? gatewayUrl();
  const token = parsed.values.token ?? process.env.P06_TOKEN?.trim();
  const dataValues: DhisDataValue[] = [];
  for (const spec of subgraphs) {
    const field = `${spec.prefix.charAt(0).toLowerCase()}${spec.prefix.slice(1)}DataValues`;
    for (let offset = 0; ; offset += PAGE) {
      const data = await ask<{ page: DhisDataValue[] }>(
        url,
        token,
        `query ($period: String!, $offset: Int!) { page: ${field}(period: $period, limit: ${PAGE}, offset: $offset) { ${FIELDS} } }`,
        { period, offset },
      );
      dataValues.push(...data.page);
      if (data.page.length < PAGE) break;
    }
  }
  const text =
    format === "csv"
      ? toCsv(
          CSV_COLUMNS,
          dataValues.map((v) => ({
            dataelement: v.dataElement,
            period: v.period,
            orgunit: v.orgUnit,
            categoryoptioncombo: v.categoryOptionCombo,
            attributeoptioncombo: "default",
            value: v.value,
            storedby: v.storedBy,
            lastupdated: v.lastUpdated,
            comment: v.comment,
            followup: v.followup,
          })),
        )
      : JSON.stringify({ dataValues }, null, 2) + "\n";
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
