// The dashboard's frame: the header (pages, target year, month, language, sign-in) and the pages,
// each loaded when first opened. A new token remounts the pages, so they ask again with it.
import { lazy, Suspense, useEffect, useState } from "react";
import { Link, Route, Switch, useLocation, useRoute } from "wouter";
import { SignInForm } from "./components/sign-in.js";
import { latestDueMonth, formatPeriod, monthsUpTo } from "./format.js";
import { session } from "./graphql/client.js";
import { useI18n, type MessageKey } from "./i18n.js";
import { Overview } from "./pages/overview.js";
import { TARGET_YEARS, useReviewParams } from "./review-params.js";

const IndicatorPage = lazy(() => import("./pages/indicator.js"));
const AgencyPage = lazy(() => import("./pages/agency.js"));
const CommunesPage = lazy(() => import("./pages/communes.js"));
const CommunePage = lazy(() => import("./pages/commune.js"));
const LateReportingPage = lazy(() => import("./pages/late-reporting.js"));
const TasksPage = lazy(() => import("./pages/tasks.js"));
const AgencyMonthPage = lazy(() => import("./pages/agency-month.js"));
const MonthReviewPage = lazy(() => import("./pages/month-review.js"));

function NavLink({ path, label }: { path: string; label: MessageKey }) {
  const { t } = useI18n();
  const params = useReviewParams();
  const [exact] = useRoute(path);
  const [nested] = useRoute(`${path}/*`);
  const current = exact || (path !== "/" && nested);
  return (
    <Link href={params.href(path)} aria-current={current ? "page" : undefined}>
      {t(label)}
    </Link>
  );
}

function Header({ onSignIn }: { onSignIn: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const params = useReviewParams();
  const token = session.token();
  const who = token ? session.subject(token) : null;
  return (
    <header className="app-header">
      <div className="brand">
        <Link href={params.href("/")} className="brand-name">
          {t("appTitle")}
        </Link>
        <span className="brand-sub">{t("appSubtitle")}</span>
      </div>
      <nav aria-label={t("appTitle")}>
        <NavLink path="/" label="navOverview" />
        <NavLink path="/xa-phuong" label="navCommunes" />
        <NavLink path="/bao-cao-cham" label="navLate" />
        <NavLink path="/nhiem-vu" label="navTasks" />
        {/* an agency's own month; the IOC's list of every agency's */}
        {session.agency() ? (
          <NavLink path={`/bao-cao/${session.agency()}`} label="navMyReport" />
        ) : (
          <NavLink path="/bao-cao" label="navReports" />
        )}
      </nav>
      <div className="header-controls">
        <label>
          <span>{t("targetYear")}</span>
          <select value={params.year} onChange={(event) => params.set({ nam: event.target.value })}>
            {TARGET_YEARS.map((year) => (
              <option key={year} value={year}>
                {year}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("month")}</span>
          <select
            value={params.period ?? ""}
            onChange={(event) => params.set({ thang: event.target.value || null })}
          >
            <option value="">{t("monthDefault")}</option>
            {monthsUpTo(latestDueMonth()).map((month) => (
              <option key={month} value={month}>
                {formatPeriod(i18n, month)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          lang={i18n.language === "vi" ? "en" : "vi"}
          aria-label={t("switchLanguageLabel")}
          onClick={() => i18n.setLanguage(i18n.language === "vi" ? "en" : "vi")}
          data-testid="language-switch"
        >
          {t("switchLanguage")}
        </button>
        {token ? (
          <button type="button" onClick={() => session.setToken(null)} title={who ?? undefined}>
            {t("signOut")}
            {who ? ` (${who})` : ""}
          </button>
        ) : (
          <button type="button" onClick={onSignIn}>
            {t("signIn")}
          </button>
        )}
      </div>
    </header>
  );
}

export function App() {
  const { t } = useI18n();
  const [sessionVersion, setSessionVersion] = useState(0);
  const [signingIn, setSigningIn] = useState(false);
  const [location, navigate] = useLocation();
  // an agency's token lands on its own month (from the start page; the other pages stay reachable)
  useEffect(() => {
    const agency = session.agency();
    if (agency && location === "/") {
      navigate(`/bao-cao/${agency}${window.location.search}`, { replace: true });
    }
  }, [sessionVersion]);
  useEffect(() => {
    const changed = () => {
      setSigningIn(false);
      setSessionVersion((n) => n + 1);
    };
    window.addEventListener("p06-session", changed);
    return () => window.removeEventListener("p06-session", changed);
  }, []);
  return (
    <>
      <a href="#main" className="skip-link">
        {t("skipToContent")}
      </a>
      <Header onSignIn={() => setSigningIn(true)} />
      <main id="main" tabIndex={-1} key={sessionVersion}>
        {signingIn ? (
          <SignInForm rejected={false} onCancel={() => setSigningIn(false)} />
        ) : (
          <Suspense
            fallback={
              <p className="loading" role="status">
                <span className="spinner" aria-hidden="true" />
                {t("loading")}
              </p>
            }
          >
            <Switch>
              <Route path="/" component={Overview} />
              <Route path="/chi-tieu/:code">{(p) => <IndicatorPage code={p.code} />}</Route>
              <Route path="/co-quan/:code">{(p) => <AgencyPage code={p.code} />}</Route>
              <Route path="/xa-phuong" component={CommunesPage} />
              <Route path="/xa-phuong/:code">{(p) => <CommunePage code={p.code} />}</Route>
              <Route path="/bao-cao-cham" component={LateReportingPage} />
              <Route path="/nhiem-vu" component={TasksPage} />
              <Route path="/bao-cao" component={MonthReviewPage} />
              <Route path="/bao-cao/:code">{(p) => <AgencyMonthPage code={p.code} />}</Route>
              <Route>
                <p className="failure">{t("notFound")}</p>
              </Route>
            </Switch>
          </Suspense>
        )}
      </main>
    </>
  );
}
