// The dashboard's frame: the header (pages, target year, month, language, who is signed in) and the
// pages, each loaded when first opened. Another person signed in remounts the pages, so they ask
// again as them; a renewed token does not (what is typed stays).
import { lazy, Suspense, useEffect, useState } from "react";
import { Link, Route, Switch, useLocation, useRoute } from "wouter";
import { SessionLost } from "./components/session-lost.js";
import { SignInPanel } from "./components/sign-in.js";
import { latestDueMonth, formatPeriod, monthsUpTo } from "./format.js";
import { useI18n, type MessageKey } from "./i18n.js";
import { SIGN_IN_PATH } from "./session/oidc.js";
import { agencyName, communeMonthPath, landingPath, roleLabel } from "./session/person.js";
import { session, useSession } from "./session/session.js";
import { Overview } from "./pages/overview.js";
import { TARGET_YEARS, useReviewParams } from "./review-params.js";

const IndicatorPage = lazy(() => import("./pages/indicator.js"));
const AgencyPage = lazy(() => import("./pages/agency.js"));
const CommunesPage = lazy(() => import("./pages/communes.js"));
const CommunePage = lazy(() => import("./pages/commune.js"));
const LeagueTablePage = lazy(() => import("./pages/league-table.js"));
const LateReportingPage = lazy(() => import("./pages/late-reporting.js"));
const TasksPage = lazy(() => import("./pages/tasks.js"));
const AgencyMonthPage = lazy(() => import("./pages/agency-month.js"));
const MonthReviewPage = lazy(() => import("./pages/month-review.js"));
const CommuneMonthPage = lazy(() => import("./pages/commune-month.js"));
const CommuneMonthChooser = lazy(() => import("./pages/commune-month-chooser.js"));
const YearPage = lazy(() => import("./pages/year.js"));
const SignInReturn = lazy(() => import("./pages/sign-in-return.js"));

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
  const { person } = useSession();
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
        <NavLink path="/xep-hang-xa" label="navLeague" />
        <NavLink path="/bao-cao-cham" label="navLate" />
        <NavLink path="/nhiem-vu" label="navTasks" />
        {!session.commune() && <NavLink path="/ket-qua-nam" label="navYear" />}
        {/* an agency's own month; the IOC's list of every agency's; a commune's own month */}
        {session.agency() ? (
          <NavLink path={`/bao-cao/${session.agency()}`} label="navMyReport" />
        ) : (
          !session.commune() && <NavLink path="/bao-cao" label="navReports" />
        )}
        <NavLink
          path={session.commune() ? communeMonthPath(session.commune()!) : "/bao-cao-xa"}
          label="navCommuneMonth"
        />
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
        {person ? (
          <>
            <p className="who" aria-label={t("signedInAs", { who: person.name })} data-testid="who">
              <strong data-testid="person-name">{person.name}</strong>
              {person.agency && (
                <span data-testid="person-agency">
                  {agencyName(i18n, person.agency, person.commune)}
                </span>
              )}
              {person.roles.length > 0 && (
                <span data-testid="person-roles">
                  {person.roles.map((role) => roleLabel(i18n, role)).join(", ")}
                </span>
              )}
            </p>
            <button type="button" onClick={() => void session.signOut()} data-testid="sign-out">
              {t("signOut")}
            </button>
          </>
        ) : (
          (session.canSignIn() || session.canPaste()) && (
            <button
              type="button"
              onClick={() => {
                // to their landing page (as from the start page), the year and month chosen kept
                if (session.canSignIn()) void session.signIn(`/${window.location.search}`);
                else onSignIn();
              }}
              data-testid="header-sign-in"
            >
              {t("signIn")}
            </button>
          )
        )}
      </div>
    </header>
  );
}

export function App() {
  const { t } = useI18n();
  const { person } = useSession();
  const [signingIn, setSigningIn] = useState(false);
  const [location, navigate] = useLocation();
  // an agency's person lands on its own month (from the start page; the other pages stay reachable)
  useEffect(() => {
    setSigningIn(false);
    if (location !== "/") return;
    const landing = landingPath(person, `/${window.location.search}`);
    if (landing !== `/${window.location.search}`) navigate(landing, { replace: true });
  }, [person?.id]);
  return (
    <>
      <a href="#main" className="skip-link">
        {t("skipToContent")}
      </a>
      <Header onSignIn={() => setSigningIn(true)} />
      <SessionLost />
      <main id="main" tabIndex={-1} key={person?.id ?? ""}>
        {signingIn ? (
          <SignInPanel reason="none" onCancel={() => setSigningIn(false)} />
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
              <Route path={SIGN_IN_PATH} component={SignInReturn} />
              <Route path="/chi-tieu/:code">{(p) => <IndicatorPage code={p.code} />}</Route>
              <Route path="/co-quan/:code">{(p) => <AgencyPage code={p.code} />}</Route>
              <Route path="/xa-phuong" component={CommunesPage} />
              <Route path="/xa-phuong/:code">{(p) => <CommunePage code={p.code} />}</Route>
              <Route path="/xep-hang-xa" component={LeagueTablePage} />
              <Route path="/bao-cao-cham" component={LateReportingPage} />
              <Route path="/nhiem-vu" component={TasksPage} />
              <Route path="/ket-qua-nam" component={YearPage} />
              <Route path="/bao-cao" component={MonthReviewPage} />
              <Route path="/bao-cao/:code">{(p) => <AgencyMonthPage code={p.code} />}</Route>
              <Route path="/bao-cao-xa" component={CommuneMonthChooser} />
              <Route path="/bao-cao-xa/:code">{(p) => <CommuneMonthPage code={p.code} />}</Route>
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
