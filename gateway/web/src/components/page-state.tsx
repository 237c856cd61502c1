// What every page shows around its data: loading, a failure with a retry, the sign-in when the
// gateway asks for someone signed in (and nothing is shown yet), the agencies whose subgraph did not
// answer, the demo-data mark, when the figures were last checked, and, while the gateway is too busy,
// how old the figures shown are.
import type { ReactNode } from "react";
import type { QueryState } from "../graphql/use-query.js";
import { useI18n } from "../i18n.js";
import { SignInPanel } from "./sign-in.js";
import { describeError } from "../error-codes.js";

export interface AgencyName {
  code: string;
  name: string;
  nameVi: string;
  subgraph: string | null;
}

const AGENCY_FIELDS = ["identity", "procedures", "health", "education", "socialSecurity"] as const;
type DemoFlags = Partial<Record<(typeof AGENCY_FIELDS)[number], { demo: boolean } | null>>;

/** Whether any agency's figures in the answer are demo data. */
export function isDemo(review: DemoFlags | null | undefined): boolean {
  return AGENCY_FIELDS.some((field) => review?.[field]?.demo === true);
}

export function PageState<Data>(props: {
  query: QueryState<Data>;
  agencies?: AgencyName[] | null | undefined;
  demo?: boolean;
  children: (data: Data) => ReactNode;
}) {
  const { t, pick, language } = useI18n();
  const { query } = props;
  // with data shown, a lost session keeps them (the banner above every page says what to do)
  if (query.signIn && !query.data) return <SignInPanel reason={query.signIn.reason} />;
  const time = (date: Date) => date.toLocaleTimeString(pick("vi-VN", "en-GB"));
  if (query.busy && !query.data) {
    return (
      <p className="loading" role="status" aria-live="polite" data-testid="busy">
        <span className="spinner" aria-hidden="true" />
        {t("busyNoData", { retry: time(query.busy.retryAt) })}
      </p>
    );
  }
  if (query.loading && !query.data) {
    return (
      <p className="loading" role="status" aria-live="polite">
        <span className="spinner" aria-hidden="true" />
        {t("loading")}
      </p>
    );
  }
  if (!query.data) {
    return (
      <div className="failure" role="alert">
        <p>
          {t("error")}
          {query.failure
            ? `: ${query.failure}`
            : query.errors[0]
              ? `: ${describeError(language, query.errors[0].extensions?.code, query.errors[0].message)}`
              : ""}
        </p>
        <button type="button" onClick={query.reload}>
          {t("retry")}
        </button>
      </div>
    );
  }
  const missing = query.missing.map((subgraph) => {
    const names = (props.agencies ?? [])
      .filter((agency) => agency.subgraph === subgraph)
      .map((agency) => pick(agency.nameVi, agency.name));
    const described = t("subgraph", { name: subgraph });
    return names.length ? `${names.join(", ")} (${described})` : described;
  });
  return (
    <>
      <div className="page-notes">
        {props.demo && (
          <p className="demo-mark" role="note" title={t("demoExplain")} data-testid="demo-mark">
            <strong>{t("demoMark")}</strong> <span>{t("demoExplain")}</span>
          </p>
        )}
        {missing.length > 0 && (
          <p className="missing" role="alert" data-testid="missing-agencies">
            <span aria-hidden="true">⚠ </span>
            {t("missingAgencies", { agencies: missing.join("; ") })}
          </p>
        )}
        {query.busy && query.updatedAt && (
          <p className="missing" role="status" data-testid="busy">
            <span aria-hidden="true">⚠ </span>
            {t("busyShowingOld", {
              time: time(query.updatedAt),
              age: String(Math.max(0, Math.round((Date.now() - query.updatedAt.getTime()) / 1000))),
              retry: time(query.busy.retryAt),
            })}
          </p>
        )}
        {query.updatedAt && (
          <p className="updated" aria-live="off">
            {t("updatedAt", { time: time(query.updatedAt) })}
          </p>
        )}
      </div>
      {props.children(query.data)}
    </>
  );
}
