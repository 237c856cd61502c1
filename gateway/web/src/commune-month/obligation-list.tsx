// The commune's month at a glance: every figure it owes, grouped by the agencies that ask for it, each
// with its status, due date, this month's figure (or what is typed and not sent yet), last month's,
// and its open warnings; "Enter" opens the figure in the data entry below.
import { formatInstant } from "../format.js";
import { useI18n, type MessageKey } from "../i18n.js";
import type { ObligationStatus } from "../graphql/generated/graphql.js";
import { FigureText } from "./figure-text.js";
import type { KeptFigures } from "./kept-figures.js";
import type { AgencyGroup, Obligation, Review } from "./obligations.js";

/** Each status's look: the label carries the meaning, the colour repeats it. */
const TONES: Record<ObligationStatus, string> = {
  RECEIVED: "good",
  LATE: "warn",
  MISSING: "bad",
  DUE: "none",
};

export interface IndicatorWords {
  title: string;
  unit: string;
}

export function ObligationList(props: {
  groups: AgencyGroup[];
  indicator: (code: string) => IndicatorWords;
  agencyNames: (codes: string[]) => string;
  kept: KeptFigures;
  /** Opens the figure in the data entry (none: the reader does not enter this commune's figures). */
  onEnter?: (key: string) => void;
}) {
  const { t } = useI18n();
  if (props.groups.length === 0) return <p>{t("cmNoObligations")}</p>;
  return (
    <>
      {props.groups.map((group) => (
        <section
          key={group.key}
          aria-labelledby={`group-${group.key}`}
          className="obligation-group"
          data-testid="obligation-group"
          data-agencies={group.key}
        >
          <h2 id={`group-${group.key}`}>{props.agencyNames(group.agencies)}</h2>
          <GroupReviews reviews={group.reviews} agencyNames={props.agencyNames} />
          <ul className="obligations">
            {group.obligations.map((o) => (
              <ObligationItem
                key={o.key}
                obligation={o}
                words={props.indicator(o.indicator)}
                agencyNames={props.agencyNames}
                kept={props.kept[o.key]}
                onEnter={props.onEnter && (() => props.onEnter!(o.key))}
              />
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

/** Where the commune's month stands with each agency of the group, and why it was returned. */
function GroupReviews(props: { reviews: Review[]; agencyNames: (codes: string[]) => string }) {
  const { t } = useI18n();
  return (
    <>
      {props.reviews.map((review) => (
        <div
          key={review.agency}
          className={`commune-review review-${review.state.toLowerCase()}`}
          data-testid="commune-review"
          data-agency={review.agency}
          data-state={review.state}
        >
          <p>
            {t("cmReviewOf", {
              agency: props.agencyNames([review.agency]),
              state: t(`cmReview${review.state}` as MessageKey),
            })}
          </p>
          {review.reason && (review.state === "RETURNED" || review.state === "NOT_REPORTING") && (
            <p className="notice" role="note" data-testid="commune-review-reason">
              {t(review.state === "RETURNED" ? "cmReturnedBecause" : "cmNotReportingBecause", {
                reason: review.reason,
              })}
            </p>
          )}
        </div>
      ))}
    </>
  );
}

function ObligationItem(props: {
  obligation: Obligation;
  words: IndicatorWords;
  agencyNames: (codes: string[]) => string;
  kept: KeptFigures[string] | undefined;
  onEnter: (() => void) | undefined;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const o = props.obligation;
  return (
    <li
      className="obligation"
      data-testid="obligation"
      data-key={o.key}
      data-subgraph={o.subgraph}
      data-status={o.status}
    >
      <p className="obligation-title">
        <strong>{o.indicator}</strong> {props.words.title}
      </p>
      <dl className="obligation-facts">
        <div>
          <dt>{t("colObligation")}</dt>
          <dd className={`status status-${TONES[o.status]}`}>
            {t(`obligation${o.status}` as MessageKey)}
          </dd>
        </div>
        <div>
          <dt>{t("cmDueAt")}</dt>
          <dd>{formatInstant(i18n, o.dueAt)}</dd>
        </div>
        <div>
          <dt>{t("cmThisMonth")}</dt>
          <dd data-testid="obligation-figure">
            <FigureText
              value={o.value}
              met={o.met}
              unit={props.words.unit}
              numerator={o.numerator}
              denominator={o.denominator}
            />
          </dd>
        </div>
        <div>
          <dt>{t("cmLastMonth")}</dt>
          <dd>
            <FigureText value={o.lastMonthValue} met={o.lastMonthMet} unit={props.words.unit} />
          </dd>
        </div>
      </dl>
      {o.onBehalf && o.reportedBy && (
        <p className="on-behalf">
          {t("cmOnBehalf", { agency: props.agencyNames([o.reportedBy]) })}
        </p>
      )}
      {props.kept && (
        <p className="unsent" data-testid="obligation-unsent" data-state={props.kept.state}>
          {props.kept.state === "unsent" ? t("cmUnsent") : t("cmRefusedShort")}
        </p>
      )}
      {o.warnings.length > 0 && (
        <ul className="obligation-warnings">
          {o.warnings.map((w) => (
            <li key={w.rule}>
              {t("cmWarning", { rule: t(`rule${w.rule}` as MessageKey) })}
              <span className="warning-message" lang="en">
                {" "}
                {w.message}
              </span>
            </li>
          ))}
        </ul>
      )}
      {props.onEnter && (
        <button
          type="button"
          className="enter"
          onClick={props.onEnter}
          aria-label={`${t("cmEnter")} ${o.indicator}`}
          data-testid="obligation-enter"
        >
          {t("cmEnter")}
        </button>
      )}
    </li>
  );
}
