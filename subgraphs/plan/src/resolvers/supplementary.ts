// An agency's indicators beyond the plan: the plan points at them by code, and the agency's subgraph
// (the one whose code prefix they carry, in the list of subgraphs) answers everything else.
import { supplementarySubgraph } from "@p06/catalogue";
import { checkCode } from "./arguments.js";

/** A reference the gateway completes from the agency's subgraph. */
export const supplementaryReference = (code: string) => ({ code });

export const SupplementaryIndicator = {
  __resolveType: ({ code }: { code: string }) => supplementarySubgraph(code)?.supplementaryType,
};

export const supplementaryQuery = {
  /** Null for a code in no agency's namespace; the agency's subgraph says null for one it lacks. */
  supplementaryIndicator: (_: unknown, { code }: { code: string }) =>
    supplementarySubgraph(checkCode(code)) ? supplementaryReference(code) : null,
};

export const SupplementaryStanding = {
  indicator: ({ indicatorCode }: { indicatorCode: string }) =>
    supplementaryReference(indicatorCode),
};

/** A late report's supplementary lists, as references. */
export const lateSupplementaryFields = {
  missingSupplementary: (item: { missingSupplementary: string[] }) =>
    item.missingSupplementary.map(supplementaryReference),
  lateSupplementary: (item: { lateSupplementary: string[] }) =>
    item.lateSupplementary.map(supplementaryReference),
};
