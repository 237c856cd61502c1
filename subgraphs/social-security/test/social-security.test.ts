// The social-security subgraph over a real database.
import { describe, expect, it } from "vitest";
import { reportingSuite } from "../../../test/support/reporting-suite.js";
import { BENEFIT_TYPES, buildSocialSecuritySubgraph, definitions } from "../src/schema.js";

reportingSuite({
  label: "social_security",
  build: buildSocialSecuritySubgraph,
  prefix: "SocialSecurity",
  indicatorType: "SocialSecurityIndicator",
  agency: "VSS",
  percent: { code: "V.2", breakdownField: "byBenefitType", categories: BENEFIT_TYPES.categories },
  cityOnly: "V.3",
  stranger: "POLICE",
});

describe("social-security writers", () => {
  it("lets each of its two agencies write what the plan has it track", () => {
    const writers = Object.fromEntries(definitions.map((d) => [d.code, d.writers]));
    expect(writers).toEqual({
      "III.6": ["DOHA"],
      "III.7": ["DOHA"],
      "III.8": ["DOHA"],
      "V.2": ["DOHA", "VSS"],
      "V.3": ["DOHA", "VSS"],
      "V.8": ["DOHA", "VSS"],
    });
  });
});
