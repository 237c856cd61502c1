// Kết quả năm: the agencies ranked by their yearly results, and whom the City Police would propose for
// commendation and for accountability (section VI of the plan), from every month of the year whose
// reports are due; the year's report as DOCX or XLSX from the same answers. The months come in two
// requests of at most six (a whole year costs more than the gateway lets one request).
import { useMemo, useState } from "react";
import { Link } from "wouter";
import { DownloadButtons, useDownload } from "../components/download-buttons.js";
import { isDemo, PageState } from "../components/page-state.js";
import { downloadReport } from "../downloads.js";
import { formatNumber, formatPeriod, latestDueMonth } from "../format.js";
import { WebYearReviewDocument, type WebYearReviewQuery } from "../graphql/generated/graphql.js";
import { useQuery } from "../graphql/use-query.js";
import { useI18n } from "../i18n.js";
import {
  lastReportedPeriod,
  monthsOf,
  PERSISTENT_MONTHS,
  yearRequests,
  yearResults,
  type YearResults,
} from "../year/year-results.js";

const FIRST_YEAR = 2026;

export default function YearPage() {
  const { t } = useI18n();
  const lastYear = Math.max(FIRST_YEAR, Number(latestDueMonth().slice(0, 4)));
  const [year, setYear] = useState(lastYear);
  const last = lastReportedPeriod(year);
  return (
    <div className="page year">
      <h1>{t("yearTitle", { year })}</h1>
      <div className="filters page-controls">
        <label>
          <span>{t("yearSelect")}</span>
          <select value={year} onChange={(e) => setYear(Number(e.target.value))} name="year">
            {Array.from({ length: lastYear - FIRST_YEAR + 1 }, (_, i) => FIRST_YEAR + i).map(
              (y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ),
            )}
          </select>
        </label>
      </div>
      {last ? <YearView year={year} last={last} /> : <p>{t("yearNone", { year })}</p>}
    </div>
  );
}

function YearView({ year, last }: { year: number; last: string }) {
  const [first, second] = yearRequests(year, last);
  const firstHalf = useQuery(WebYearReviewDocument, first!);
  const secondHalf = useQuery(WebYearReviewDocument, second ?? first!, { skip: !second });
  const ready = firstHalf.data && (!second || secondHalf.data);
  const answer = useMemo(
    () =>
      ready ? ({ ...firstHalf.data, ...withMonths(secondHalf.data) } as WebYearReviewQuery) : null,
    [ready, firstHalf.data, secondHalf.data],
  );
  // one state for both halves: the first's, with the whole answer once both are in
  const query = { ...(second && !secondHalf.data ? secondHalf : firstHalf), data: answer };
  return (
    <PageState
      query={query}
      agencies={null}
      demo={answer ? monthsOf(answer).some((month) => isDemo(month)) : false}
    >
      {(data) => <YearTables year={year} results={yearResults(year, data)} answer={data} />}
    </PageState>
  );
}

/** Only the months an answer holds (the months it was not asked for are null in it). */
const withMonths = (answer: WebYearReviewQuery | null) =>
  Object.fromEntries(
    Object.entries(answer ?? {}).filter(([key, value]) => key !== "agencies" && value),
  );

function YearTables(props: { year: number; results: YearResults; answer: WebYearReviewQuery }) {
  const i18n = useI18n();
  const { t, pick } = i18n;
  const { results } = props;
  const number = (value: number | null) => formatNumber(i18n, value, 1);
  const months = (periods: string[]) => periods.map((p) => formatPeriod(i18n, p)).join(", ");
  return (
    <>
      <p>{t("yearExplain", { months: results.periods.length })}</p>
      <YearDownloads year={props.year} answer={props.answer} />
      <section aria-labelledby="year-commendation">
        <h2 id="year-commendation">{t("yearCommendation")}</h2>
        {results.commendation.length ? (
          <ol className="year-list" data-testid="year-commendation">
            {results.commendation.map((a) => (
              <li key={a.code}>
                <Link href={`/co-quan/${a.code}`}>{pick(a.nameVi, a.name)}</Link>: {number(a.score)}{" "}
                ({t("yearScore").toLowerCase()})
              </li>
            ))}
          </ol>
        ) : (
          <p>{t("yearCommendationNone")}</p>
        )}
      </section>
      <section aria-labelledby="year-accountability">
        <h2 id="year-accountability">{t("yearAccountability")}</h2>
        {results.accountability.length ? (
          <ul className="year-list" data-testid="year-accountability">
            {results.accountability.map(({ agency, persistentlyLate, persistentlyBehind }) => (
              <li key={agency.code}>
                <Link href={`/co-quan/${agency.code}`}>{pick(agency.nameVi, agency.name)}</Link>
                {persistentlyLate && (
                  <div>
                    {t("yearLateIn", {
                      count: agency.lateMonths.length,
                      months: months(agency.lateMonths.map((m) => m.period)),
                    })}
                  </div>
                )}
                {persistentlyBehind.map((b) => (
                  <div key={b.indicator}>
                    {t("yearBehindIn", { indicator: b.indicator, months: months(b.periods) })}
                  </div>
                ))}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("yearAccountabilityNone")}</p>
        )}
      </section>
      <section aria-labelledby="year-ranking">
        <h2 id="year-ranking">{t("yearRanking")}</h2>
        <div className="table-scroll">
          <table data-testid="year-ranking">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t("colAgency")}</th>
                <th scope="col">{t("yearScore")}</th>
                <th scope="col">{t("yearMonthsScored")}</th>
                <th scope="col">{t("yearOnTime")}</th>
                <th scope="col">{t("yearLateMonths")}</th>
                <th scope="col">{t("yearOverdueTasks")}</th>
              </tr>
            </thead>
            <tbody>
              {results.agencies.map((a) => (
                <tr key={a.code}>
                  <td>{a.rank}</td>
                  <th scope="row">
                    <Link href={`/co-quan/${a.code}`}>{pick(a.nameVi, a.name)}</Link>
                  </th>
                  <td>{number(a.score)}</td>
                  <td>{a.monthsScored}</td>
                  <td>{number(a.expected ? (a.onTime / a.expected) * 100 : null)}</td>
                  <td>{a.lateMonths.length}</td>
                  <td>{a.overdueTasks.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <YearCommunes results={results} />
    </>
  );
}

/** The communes' year: the two proposals, then the league of the year. */
function YearCommunes({ results }: { results: YearResults }) {
  const i18n = useI18n();
  const { t } = i18n;
  const number = (value: number | null) => formatNumber(i18n, value, 1);
  const name = (c: YearResults["communes"][number]) => (
    <Link href={`/xa-phuong/${c.code}`}>{c.name}</Link>
  );
  return (
    <section aria-labelledby="year-communes">
      <h2 id="year-communes">{t("yearCommunes")}</h2>
      <h3>{t("yearCommendation")}</h3>
      {results.communeCommendation.length ? (
        <ol className="year-list" data-testid="year-commune-commendation">
          {results.communeCommendation.map((c) => (
            <li key={c.code}>
              {name(c)}: {number(c.score)}
            </li>
          ))}
        </ol>
      ) : (
        <p>{t("yearCommendationNone")}</p>
      )}
      <h3>{t("yearAccountability")}</h3>
      {results.communeAccountability.length ? (
        <ul className="year-list" data-testid="year-commune-accountability">
          {results.communeAccountability.map((c) => (
            <li key={c.code}>
              {name(c)}
              {c.lateMonths.length >= PERSISTENT_MONTHS && (
                <div>
                  {t("yearLateIn", {
                    count: c.lateMonths.length,
                    months: c.lateMonths.map((p) => formatPeriod(i18n, p)).join(", "),
                  })}
                </div>
              )}
              {c.planMissing && <div>{t("yearPlanMissing")}</div>}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("yearAccountabilityNone")}</p>
      )}
      <div className="table-scroll">
        <table data-testid="year-commune-ranking">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t("colCommune")}</th>
              <th scope="col">{t("yearScore")}</th>
              <th scope="col">{t("yearMonthsScored")}</th>
              <th scope="col">{t("yearLateMonths")}</th>
            </tr>
          </thead>
          <tbody>
            {results.communes.map((c) => (
              <tr key={c.code}>
                <td>{c.rank}</td>
                <th scope="row">{name(c)}</th>
                <td>{number(c.score)}</td>
                <td>{c.monthsScored}</td>
                <td>{c.lateMonths.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The year's report from the answers shown: no other request. */
function YearDownloads(props: { year: number; answer: WebYearReviewQuery }) {
  const { t } = useI18n();
  const { busy, message, run } = useDownload();
  const download = (format: "docx" | "xlsx") =>
    run(async () => {
      const { buildYearReport, yearReportFileName } = await import("../year/year-report.js");
      const { report } = buildYearReport(props.year, props.answer, {
        generatedAt: new Date().toISOString(),
      });
      await downloadReport(report, format, yearReportFileName(props.year));
      return null;
    });
  return (
    <>
      <DownloadButtons
        busy={busy}
        formats={[
          { format: "docx", label: t("yearDownloadDocx") },
          { format: "xlsx", label: t("yearDownloadXlsx") },
        ]}
        onDownload={download}
      />
      {message && <p role="status">{message}</p>}
    </>
  );
}
