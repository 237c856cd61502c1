// How a commune's month page reads the graph's answer and what is typed: every subgraph's part in one
// list grouped by the agencies that ask, a figure closed while its month is with the department, the
// subgraphs still waiting for the commune's month, and the figure a typed text makes (or what is
// missing from it) for each measure.
import { describe, expect, it } from "vitest";
import {
  byAgency,
  isOpen,
  partsOf,
  toSubmit,
} from "../gateway/web/src/commune-month/obligations.js";
import { figureInput, typedOf } from "../gateway/web/src/commune-month/typed-figure.js";
import type { WebCommuneMonthQuery } from "../gateway/web/src/graphql/generated/graphql.js";

type Unit = NonNullable<WebCommuneMonthQuery["reportingUnit"]>;
type Part = NonNullable<Unit["healthObligations"]>;

const obligation = (indicator: string, agencies: string[]) => ({
  indicator,
  agencies,
  measure: "PERCENT" as const,
  dueAt: "2026-11-10T16:59:59.999Z",
  status: "DUE" as const,
  monthState: "DRAFT" as const,
  value: null,
  met: null,
  numerator: null,
  denominator: null,
  reportedBy: null,
  onBehalf: false,
  lastMonthValue: null,
  lastMonthMet: null,
  warnings: [],
});

const part = (obligations: ReturnType<typeof obligation>[], reviews: Part["reviews"]): Part => ({
  unit: "10525",
  period: "2026-10",
  dueAt: "2026-11-10T16:59:59.999Z",
  obligations,
  reviews,
});

const unit = (parts: Partial<Record<keyof Unit, Part | null>>): Unit =>
  ({
    code: "10525",
    name: "Phường Hải Dương",
    kind: "WARD",
    identityObligations: part([], []),
    proceduresObligations: part([], []),
    healthObligations: part([], []),
    educationObligations: part([], []),
    socialSecurityObligations: part([], []),
    planObligations: part([], []),
    ...parts,
  }) as Unit;

describe("a commune's month as the page reads it", () => {
  const month = unit({
    healthObligations: part(
      [obligation("II.12", ["DOH"]), obligation("II.5", ["DOH"])],
      [{ agency: "DOH", state: "SUBMITTED", reason: null }],
    ),
    educationObligations: part(
      [obligation("II.5", ["DOET"])],
      [{ agency: "DOET", state: "RETURNED", reason: "Sai mẫu số" }],
    ),
    socialSecurityObligations: part(
      [obligation("V.2", ["DOHA", "VSS"])],
      [
        { agency: "DOHA", state: "DRAFT", reason: null },
        { agency: "VSS", state: "ACCEPTED", reason: null },
      ],
    ),
  });

  it("lists every subgraph's obligations, each keyed by its subgraph, grouped by the agencies that ask", () => {
    const groups = byAgency(partsOf(month).flatMap((p) => p.obligations));
    expect(groups.map((g) => [g.key, g.obligations.map((o) => o.key)])).toEqual([
      ["DOH", ["health|II.12", "health|II.5"]],
      ["DOET", ["education|II.5"]],
      ["DOHA+VSS", ["socialSecurity|V.2"]],
    ]);
    expect(groups[1]!.reviews).toEqual([
      { agency: "DOET", state: "RETURNED", reason: "Sai mẫu số" },
    ]);
  });

  it("closes a figure while its month is with an agency that asks for it, or accepted by one", () => {
    const open = Object.fromEntries(
      partsOf(month)
        .flatMap((p) => p.obligations)
        .map((o) => [o.key, isOpen(o)]),
    );
    expect(open).toEqual({
      "health|II.12": false,
      "health|II.5": false,
      "education|II.5": true,
      "socialSecurity|V.2": false,
    });
  });

  it("submits to the subgraphs that still wait: an agency's review not submitted, or returned", () => {
    expect(toSubmit(partsOf(month))).toEqual(["education", "socialSecurity"]);
  });

  it("leaves out the part of a subgraph that did not answer", () => {
    expect(partsOf(unit({ identityObligations: null })).map((p) => p.subgraph)).not.toContain(
      "identity",
    );
  });
});

describe("a typed figure", () => {
  const typed = { numerator: "", denominator: "", value: "", met: "" as const, comment: "" };

  it("is numerator and denominator for a percentage, the decimal comma read as a point", () => {
    expect(
      figureInput("PERCENT", { ...typed, numerator: "30", denominator: "40", comment: " ok " }),
    ).toEqual({ figure: { numerator: 30, denominator: 40, comment: "ok" } });
    expect(figureInput("RATIO", { ...typed, numerator: "1,5", denominator: "2" })).toEqual({
      figure: { numerator: 1.5, denominator: 2, comment: null },
    });
  });

  it("is a value for a count, met or not for a milestone", () => {
    expect(figureInput("COUNT", { ...typed, value: "12" })).toEqual({
      figure: { value: 12, comment: null },
    });
    expect(figureInput("MILESTONE", { ...typed, met: "false" })).toEqual({
      figure: { met: false, comment: null },
    });
  });

  it("names the field left empty or not a number, and is not sent", () => {
    expect(figureInput("PERCENT", { ...typed, numerator: "3" })).toEqual({
      missing: "denominator",
    });
    expect(figureInput("COUNT", { ...typed, value: "mười" })).toEqual({ notANumber: "value" });
    expect(figureInput("MILESTONE", typed)).toEqual({ missing: "met" });
  });

  it("starts from the stored figure", () => {
    expect(typedOf({ numerator: 30, denominator: 40, value: 75, met: null })).toMatchObject({
      numerator: "30",
      denominator: "40",
      met: "",
    });
  });
});
