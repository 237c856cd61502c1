// Composition as a build step: the checked-in supergraph is current, a broken subgraph fails with a
// clear message, and a change that breaks a client operation names the subgraph and the field.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  breakingChanges,
  clientOperations,
  composeSupergraph,
  CompositionError,
  supergraphPath,
} from "../scripts/lib/composition.js";
import { subgraphSdls } from "../scripts/lib/subgraph-schemas.js";

const sdls = subgraphSdls();
const composed = composeSupergraph(sdls);
const checkedIn = readFileSync(supergraphPath, "utf8");

describe("composition", () => {
  it("composes the six subgraphs into the checked-in supergraph", () => {
    expect(sdls.map((s) => s.name)).toEqual([
      "plan",
      "identity",
      "procedures",
      "health",
      "education",
      "social-security",
    ]);
    expect(composed).toBe(checkedIn);
  });

  it("keeps every client operation valid", () => {
    const operations = clientOperations();
    expect(operations.map((o) => o.file)).toEqual([
      "1-city-scorecard.graphql",
      "2-agency-scorecard.graphql",
      "3-commune-drill-down.graphql",
      "4-late-reporting.graphql",
      "5-indicator-series.graphql",
      "6-tasks-due.graphql",
      // the dashboard's pages and the agency's pages (their month, data entry, uploads, review)
      "web-agency-month.graphql",
      "web-agency.graphql",
      "web-commune.graphql",
      "web-communes.graphql",
      "web-confirm-figure.graphql",
      "web-figure-versions.graphql",
      "web-import-report.graphql",
      "web-indicator-figures.graphql",
      "web-indicator.graphql",
      "web-late-reporting.graphql",
      "web-month-review.graphql",
      "web-overview.graphql",
      "web-review-month.graphql",
      "web-submit-month.graphql",
      "web-submit-report.graphql",
      "web-tasks.graphql",
      "web-template-figures.graphql",
    ]);
    expect(breakingChanges(checkedIn, composed, operations)).toEqual([]);
  });

  it("fails a subgraph schema that breaks composition, naming the subgraph and the field", () => {
    // health declares its series with another type than the plan expects
    const broken = sdls.map((s) =>
      s.name === "health"
        ? { ...s, sdl: s.sdl.replace("citySeries: [CityMonth!]!", "citySeries: [String!]!") }
        : s,
    );
    expect(() => composeSupergraph(broken)).toThrow(CompositionError);
    expect(() => composeSupergraph(broken)).toThrow(/HealthIndicator\.citySeries[\s\S]*"health"/);
  });

  it("fails a change that removes or retypes a field a client operation uses, naming subgraph and field", () => {
    const removed = composeSupergraph(
      sdls.map((s) =>
        s.name === "plan"
          ? {
              ...s,
              sdl: s.sdl.replace(
                '"""Its rank among the units by that score (1 is best)."""\n  rank: Int\n',
                "",
              ),
            }
          : s,
      ),
    );
    expect(breakingChanges(checkedIn, removed, clientOperations())).toEqual([
      "3-commune-drill-down.graphql: uses CommuneDrillDown.rank (subgraph plan), which the new supergraph removes",
      "web-commune.graphql: uses CommuneDrillDown.rank (subgraph plan), which the new supergraph removes",
      "web-communes.graphql: uses CommuneDrillDown.rank (subgraph plan), which the new supergraph removes",
    ]);
    const retyped = composeSupergraph(
      sdls.map((s) =>
        s.name === "plan" ? { ...s, sdl: s.sdl.replace("  gap: Float\n", "  gap: String\n") } : s,
      ),
    );
    expect(breakingChanges(checkedIn, retyped, clientOperations())).toEqual([
      "1-city-scorecard.graphql: uses Progress.gap (subgraph plan), retyped from Float to String",
      "5-indicator-series.graphql: uses Progress.gap (subgraph plan), retyped from Float to String",
      "web-indicator.graphql: uses Progress.gap (subgraph plan), retyped from Float to String",
    ]);
  });
});
