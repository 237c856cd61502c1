// Every error code a client can get has its meaning in Vietnamese on the pages: the kit's catalogue
// and every code of the error table in docs/trust.md.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { ErrorCode } from "@p06/subgraph-kit";
import { describeError, ERROR_TEXT_VI } from "../gateway/web/src/error-codes.js";
import { repoRoot } from "../scripts/lib/ferretdb.js";

/** The codes in the first column of the error table (docs/trust.md). */
function documentedCodes(): string[] {
  const readme = readFileSync(`${repoRoot}/docs/trust.md`, "utf8");
  const table = readme.slice(
    readme.indexOf("### Errors"),
    readme.indexOf("A code that names nothing"),
  );
  return [...table.matchAll(/^\| ([^|]+)\|/gm)].flatMap(([, cell]) =>
    [...cell!.matchAll(/`([A-Z][A-Z_]+)`/g)].map(([, code]) => code!),
  );
}

it("gives every code of the catalogue and of the documented error table a Vietnamese meaning", () => {
  const codes = new Set([...Object.values(ErrorCode), ...documentedCodes()]);
  expect(codes.size).toBeGreaterThan(20);
  expect([...codes].filter((code) => !ERROR_TEXT_VI[code])).toEqual([]);
});

it("shows the meaning with the message's details in Vietnamese, the message alone in English", () => {
  const message = "the month 2026-10 of DOH is accepted";
  expect(describeError("vi", "MONTH_LOCKED", message)).toBe(
    `Tháng đã được duyệt và khóa số liệu (${message})`,
  );
  expect(describeError("en", "MONTH_LOCKED", message)).toBe(message);
  expect(describeError("vi", "SOMETHING_NEW", message)).toBe(message);
});
