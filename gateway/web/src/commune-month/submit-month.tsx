// "Gửi báo cáo tháng": the commune's chairman submits the month to every agency still waiting for it
// (DRAFT, or RETURNED and corrected), all in one request (WebSubmitCommuneMonth, a field per
// subgraph). A refusal by one subgraph (open warnings, say) leaves the others submitted; the page
// names which were and which were not, and why.
import { useState } from "react";
import { flagsFor, type SubgraphKey } from "../agency-subgraph.js";
import { describeError } from "../error-codes.js";
import { request } from "../graphql/client.js";
import { WebSubmitCommuneMonthDocument } from "../graphql/generated/graphql.js";
import { useI18n } from "../i18n.js";
import { errorMessage } from "../components/refusal.js";
import { toSubmit, type MonthPart } from "./obligations.js";

export function SubmitCommuneMonth(props: {
  unit: string;
  period: string;
  parts: MonthPart[];
  unsent: number;
  isChair: boolean;
  agencyNames: (codes: string[]) => string;
  onDone: () => void;
}) {
  const i18n = useI18n();
  const { t, language } = i18n;
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string[]>([]);
  const targets = toSubmit(props.parts);
  const why = !props.isChair
    ? t("cmSubmitOnlyChair")
    : props.unsent > 0
      ? t("cmSubmitUnsent")
      : targets.length === 0
        ? t("cmSubmitNothing")
        : null;
  const agenciesOf = (subgraph: SubgraphKey) =>
    props.agencyNames(
      props.parts.find((p) => p.subgraph === subgraph)?.reviews.map((r) => r.agency) ?? [],
    );

  const submit = async () => {
    setBusy(true);
    try {
      const flags = Object.assign({}, ...targets.map(flagsFor)) as ReturnType<typeof flagsFor>;
      const answer = await request(WebSubmitCommuneMonthDocument, {
        unit: props.unit,
        period: props.period,
        ...flags,
      });
      const refused = new Set<SubgraphKey>();
      const lines = (answer?.errors ?? []).map((error) => {
        const subgraph = error.path?.[0] as SubgraphKey;
        refused.add(subgraph);
        return t("cmSubmitRefused", {
          agencies: agenciesOf(subgraph),
          message: describeError(language, error.extensions?.code, error.message),
        });
      });
      const submitted = targets.filter((subgraph) => !refused.has(subgraph));
      if (submitted.length > 0) {
        lines.unshift(t("cmSubmitted", { agencies: submitted.map(agenciesOf).join(", ") }));
      }
      setOutcome(lines);
      props.onDone();
    } catch (error) {
      setOutcome([errorMessage(i18n, error)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="submit-month commune-submit" aria-labelledby="submit-title">
      <h2 id="submit-title">{t("cmSubmitTitle")}</h2>
      <button
        type="button"
        className="primary"
        disabled={Boolean(why) || busy}
        aria-describedby={why ? "commune-submit-why" : undefined}
        onClick={() => void submit()}
        data-testid="commune-submit"
      >
        {t("cmSubmitMonth")}
      </button>
      {why && (
        <p id="commune-submit-why" className="why" data-testid="commune-submit-why">
          {why}
        </p>
      )}
      <div role="status" data-testid="commune-submit-outcome">
        {outcome.map((line) => (
          <p key={line}>{line}</p>
        ))}
      </div>
    </section>
  );
}
