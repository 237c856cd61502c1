// Tháng của xã: a commune's month, made for a phone. What the commune owes every agency's subgraph for
// the month (one request: each subgraph adds its part to the commune's ReportingUnit), grouped by the
// agencies that ask, then the data entry, one figure at a time. What is typed is kept on the device
// until the gateway takes it (commune-month/use-outbox.ts). The commune's own people, the agencies
// and the IOC; the month is the address's ?thang=, else the month reported now (last month).
import { useRef, useState } from "react";
import { reportingMonth } from "../agency-subgraph.js";
import { PageState } from "../components/page-state.js";
import { describeError } from "../error-codes.js";
import { formatInstant, formatPeriod } from "../format.js";
import {
  WebCommuneMonthDocument,
  type WebCommuneMonthQuery,
} from "../graphql/generated/graphql.js";
import { useQuery } from "../graphql/use-query.js";
import { useI18n } from "../i18n.js";
import { useReviewParams } from "../review-params.js";
import { session, useSession } from "../session/session.js";
import { FigureEntry } from "../commune-month/figure-entry.js";
import { ObligationList, type IndicatorWords } from "../commune-month/obligation-list.js";
import { byAgency, partsOf } from "../commune-month/obligations.js";
import { SubmitCommuneMonth } from "../commune-month/submit-month.js";
import { useOutbox } from "../commune-month/use-outbox.js";

type Unit = NonNullable<WebCommuneMonthQuery["reportingUnit"]>;

export default function CommuneMonthPage({ code }: { code: string }) {
  const { language } = useI18n();
  const period = useReviewParams().period ?? reportingMonth();
  const query = useQuery(WebCommuneMonthDocument, { code, period });
  return (
    <PageState query={query} agencies={query.data?.agencies}>
      {(data) => {
        if (!data.reportingUnit) {
          const error = query.errors[0];
          return (
            <p className="failure" role="alert">
              {error && describeError(language, error.extensions?.code, error.message)}
            </p>
          );
        }
        return (
          <MonthView data={data} unit={data.reportingUnit} period={period} reload={query.reload} />
        );
      }}
    </PageState>
  );
}

function MonthView(props: {
  data: WebCommuneMonthQuery;
  unit: Unit;
  period: string;
  reload: () => void;
}) {
  const i18n = useI18n();
  const { t, pick } = i18n;
  const { person } = useSession();
  const { unit, period } = props;
  const parts = partsOf(unit);
  const groups = byAgency(parts.flatMap((part) => part.obligations));
  // the entry walks the obligations in the order the list shows them
  const order = groups.flatMap((g) => g.obligations);
  const byKey = new Map(order.map((o) => [o.key, o]));
  const indicators = new Map(props.data.indicators.map((i) => [i.code, i]));
  const agencies = new Map(props.data.agencies.map((a) => [a.code, a]));
  const words = (code: string): IndicatorWords => {
    const indicator = indicators.get(code);
    return indicator
      ? { title: pick(indicator.titleVi, indicator.title), unit: indicator.unit ?? "" }
      : { title: code, unit: "" };
  };
  const agencyNames = (codes: string[]) =>
    codes
      .map((code) => {
        const agency = agencies.get(code);
        return agency ? pick(agency.nameVi, agency.name) : code;
      })
      .join(", ");

  const [current, setCurrent] = useState(0);
  const [saved, setSaved] = useState<string | null>(null);
  const entryRef = useRef<HTMLElement>(null);
  const outbox = useOutbox(
    // kept per person, commune and month: two people sharing a phone never send each other's figures
    { person: person?.id ?? "anonymous", commune: unit.code, period, unit: unit.code },
    (key) => byKey.get(key)?.measure ?? null,
    (key) => {
      setSaved(key);
      props.reload();
    },
  );
  const at = Math.min(current, Math.max(order.length - 1, 0));
  const shown = order[at];
  const unsent = Object.values(outbox.kept).filter((f) => f.state === "unsent").length;
  const received = order.filter((o) => o.status === "RECEIVED" || o.status === "LATE").length;
  // the commune's own people act here (its data officer enters, its chairman submits); the agencies
  // and the IOC read
  const own = session.commune() === unit.code;
  const mayEnter = own && Boolean(person?.roles.includes("commune-officer"));

  return (
    <div className="page commune-month">
      <h1>{t("cmTitle", { period: formatPeriod(i18n, period), name: unit.name })}</h1>
      <dl className="month-facts">
        <div>
          <dt>{t("cmDueAt")}</dt>
          <dd>{formatInstant(i18n, order[0]?.dueAt ?? null)}</dd>
        </div>
      </dl>
      <p data-testid="month-summary">
        {t("cmSummary", {
          total: order.length,
          received,
          missing: order.length - received,
          unsent,
        })}
      </p>
      {!outbox.online && (
        <p className="notice offline" role="status" data-testid="offline">
          {t("cmOffline")}
        </p>
      )}
      {unsent > 0 && outbox.retryAt && (
        <p className="notice" role="status" data-testid="unsent-count">
          {t("cmUnsentCount", {
            count: unsent,
            time: outbox.retryAt.toLocaleTimeString(i18n.locale),
          })}{" "}
          <button type="button" onClick={outbox.flush}>
            {t("cmSendAgain")}
          </button>
        </p>
      )}
      <ObligationList
        groups={groups}
        indicator={words}
        agencyNames={agencyNames}
        kept={outbox.kept}
        {...(mayEnter && {
          onEnter: (key: string) => {
            setCurrent(order.findIndex((o) => o.key === key));
            entryRef.current?.focus();
            entryRef.current?.scrollIntoView();
          },
        })}
      />
      {own && (
        <SubmitCommuneMonth
          unit={unit.code}
          period={period}
          parts={parts}
          unsent={unsent}
          isChair={Boolean(person?.roles.includes("commune-chair"))}
          agencyNames={agencyNames}
          onDone={props.reload}
        />
      )}
      {mayEnter && shown && (
        <section
          ref={entryRef}
          tabIndex={-1}
          className="entry commune-entry"
          aria-labelledby="entry-title"
          id="entry"
        >
          <h2 id="entry-title">{t("cmEntryTitle")}</h2>
          <FigureEntry
            // a figure of its own: what is typed for one never shows under another
            key={shown.key}
            obligation={shown}
            title={words(shown.indicator).title}
            unitOfMeasure={words(shown.indicator).unit}
            agencies={agencyNames(shown.agencies)}
            kept={outbox.kept[shown.key]}
            sending={outbox.sending === shown.key}
            saved={saved === shown.key}
            position={{ n: at + 1, total: order.length }}
            onMove={(step) => setCurrent(at + step)}
            onSave={(typed) => {
              setSaved(null);
              outbox.send({
                key: shown.key,
                subgraph: shown.subgraph,
                indicator: shown.indicator,
                typed,
              });
            }}
            onSendNow={outbox.flush}
          />
        </section>
      )}
    </div>
  );
}
