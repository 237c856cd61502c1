// The kinds of reporting unit, named in the reader's language.
import type { ReportingUnitKind } from "./graphql/generated/graphql.js";
import { useI18n } from "./i18n.js";

const LABELS = {
  CITY: "kindCity",
  WARD: "kindWard",
  COMMUNE: "kindCommune",
  SPECIAL_ZONE: "kindSpecialZone",
} as const;

export function useKindLabel() {
  const { t } = useI18n();
  return (kind: ReportingUnitKind) => t(LABELS[kind]);
}
