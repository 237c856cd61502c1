// The bundled commune list against the list it was taken from (not part of the repository:
// P06_COMMUNE_LIST names it, and this file runs only where it is given; CI gives it, see
// vitest.config.ts).
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

it("bundles the official 2025 list unchanged", () => {
  const bundled = readFileSync(new URL("../src/reporting-units.csv", import.meta.url), "utf8");
  expect(bundled).toBe(readFileSync(process.env.P06_COMMUNE_LIST!, "utf8"));
});
