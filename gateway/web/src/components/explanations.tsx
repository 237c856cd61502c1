// Explanation requests on the pages (the plan's section IV.2). The IOC sees every request (or those
// about one indicator) with how many are open, overdue and answered, and asks an agency responsible
// for an indicator or a task to explain it by a date; the agency sees its own and answers each open
// or overdue one with its explanation and remedy. The graph decides who may do what.
import { useState, type FormEvent } from "react";
import { Link } from "wouter";
import { formatDay } from "../format.js";
import { mutate } from "../graphql/client.js";
import { session } from "../session/session.js";
import {
  WebAnswerExplanationDocument,
  WebExplanationsDocument,
  WebRequestExplanationDocument,
  type ExplanationSubject,
  type WebExplanationsQuery,
} from "../graphql/generated/graphql.js";
import { useQuery } from "../graphql/use-query.js";
import { useI18n, type MessageKey } from "../i18n.js";
import { useReviewParams } from "../review-params.js";
import { DataTable, type Column } from "./data-table.js";
import { errorText } from "./refusal.js";
import { useAction } from "./use-action.js";

type Request = WebExplanationsQuery["explanationRequests"][number];
interface AgencyChoice {
  code: string;
  name: string;
  nameVi: string;
}

/** A week from today (Hai Phong), the due date the form offers first. */
function inAWeek(): string {
  return new Date(Date.now() + 7 * 3600 * 1000 + 7 * 86_400_000).toISOString().slice(0, 10);
}

export function Explanations(props: {
  /** The agency whose requests these are (its month page); none: every agency's (the IOC). */
  agency?: string;
  /** Only the requests about this indicator or task; the IOC's form asks one of its agencies about it. */
  subject?: { kind: ExplanationSubject; code: string; agencies: AgencyChoice[] };
  /** The IOC's form for any indicator or task (the month review), with the agencies to choose from. */
  askAny?: AgencyChoice[];
}) {
  const i18n = useI18n();
  const { t, pick } = i18n;
  const params = useReviewParams();
  const query = useQuery(WebExplanationsDocument, { agency: props.agency ?? null });
  const requests = (query.data?.explanationRequests ?? []).filter(
    (r) => !props.subject || (r.subject === props.subject.kind && r.code === props.subject.code),
  );
  const count = (status: Request["status"]) => requests.filter((r) => r.status === status).length;
  const caller = session.agency();
  const subjectText = (r: Pick<Request, "subject" | "code">) =>
    t(`subject${r.subject}` as MessageKey, { code: r.code });
  const columns: Column<Request>[] = [
    {
      id: "subject",
      header: t("colSubject"),
      value: subjectText,
      render: (r) =>
        r.subject === "INDICATOR" ? (
          <Link href={params.href(`/chi-tieu/${encodeURIComponent(r.code)}`)}>
            {subjectText(r)}
          </Link>
        ) : (
          subjectText(r)
        ),
      rowHeader: true,
    },
    { id: "agency", header: t("colAgency"), value: (r) => pick(r.agency.nameVi, r.agency.name) },
    { id: "question", header: t("colQuestion"), value: (r) => r.question, className: "wide" },
    {
      id: "askedAt",
      header: t("colAskedAt"),
      value: (r) => r.askedAt,
      render: (r) => formatDay(r.askedAt),
    },
    {
      id: "due",
      header: t("colAnswerDue"),
      value: (r) => r.dueDate,
      render: (r) => formatDay(r.dueDate),
    },
    {
      id: "status",
      header: t("colStatus"),
      value: (r) => t(`explanation${r.status}` as MessageKey),
      render: (r) => (
        <span className={`explanation-status ${r.status.toLowerCase()}`} data-status={r.status}>
          {t(`explanation${r.status}` as MessageKey)}
        </span>
      ),
    },
    { id: "explanation", header: t("colExplanation"), value: (r) => r.answer?.explanation ?? null },
    { id: "remedy", header: t("colRemedy"), value: (r) => r.answer?.remedy ?? null },
  ];
  const waiting = requests.filter((r) => r.status !== "ANSWERED" && r.agency.code === caller);
  return (
    <section aria-labelledby="explanations-title" data-testid="explanations">
      <h2 id="explanations-title">{t("explanations")}</h2>
      <p data-testid="explanation-counts">
        {t("explanationCounts", {
          open: count("OPEN"),
          overdue: count("OVERDUE"),
          answered: count("ANSWERED"),
        })}
      </p>
      <DataTable
        caption={t("explanations")}
        fileName={`yeu-cau-giai-trinh${props.agency ? `-${props.agency}` : ""}${props.subject ? `-${props.subject.code}` : ""}`}
        columns={columns}
        rows={requests}
        rowKey={(r) => r.id}
        testId="explanation-list"
      />
      {waiting.map((r) => (
        <AnswerForm key={r.id} request={r} subject={subjectText(r)} onDone={query.reload} />
      ))}
      {session.isIoc() && (props.subject || props.askAny) && (
        <AskForm
          key={props.subject ? `${props.subject.kind} ${props.subject.code}` : "any"}
          subject={props.subject}
          agencies={props.subject?.agencies ?? props.askAny ?? []}
          onDone={query.reload}
        />
      )}
    </section>
  );
}

function AskForm(props: {
  subject?: { kind: ExplanationSubject; code: string } | undefined;
  agencies: AgencyChoice[];
  onDone: () => void;
}) {
  const i18n = useI18n();
  const { t, pick } = i18n;
  const [subject, setSubject] = useState<ExplanationSubject>(props.subject?.kind ?? "INDICATOR");
  const [code, setCode] = useState(props.subject?.code ?? "");
  const [agency, setAgency] = useState(props.agencies[0]?.code ?? "");
  const [question, setQuestion] = useState("");
  const [dueDate, setDueDate] = useState(inAWeek);
  const { busy, message, setMessage, run } = useAction((error) => errorText(i18n, error));
  const send = (event: FormEvent) => {
    event.preventDefault();
    if (!code.trim() || !agency || !question.trim() || !dueDate) {
      setMessage(t("fieldsRequired"));
      return;
    }
    void run(async () => {
      await mutate(WebRequestExplanationDocument, {
        input: { subject, code: code.trim(), agency, question: question.trim(), dueDate },
      });
      const chosen = props.agencies.find((a) => a.code === agency);
      setQuestion("");
      props.onDone();
      return t("asked", { agency: chosen ? pick(chosen.nameVi, chosen.name) : agency });
    });
  };
  return (
    <form className="explanation-form" onSubmit={send} data-testid="ask-explanation">
      <h3>{t("askExplanation")}</h3>
      {!props.subject && (
        <>
          <label>
            <span>{t("askSubject")}</span>
            <select
              name="subject"
              value={subject}
              onChange={(e) => setSubject(e.target.value as ExplanationSubject)}
            >
              <option value="INDICATOR">{t("askIndicator")}</option>
              <option value="TASK">{t("askTask")}</option>
            </select>
          </label>
          <label>
            <span>{t("askCode")}</span>
            <input name="code" value={code} onChange={(e) => setCode(e.target.value)} size={8} />
          </label>
        </>
      )}
      <label>
        <span>{t("askAgency")}</span>
        <select name="agency" value={agency} onChange={(e) => setAgency(e.target.value)}>
          {props.agencies.map((a) => (
            <option key={a.code} value={a.code}>
              {pick(a.nameVi, a.name)}
            </option>
          ))}
        </select>
      </label>
      <label className="wide">
        <span>{t("askQuestion")}</span>
        <textarea
          name="question"
          rows={2}
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
        />
      </label>
      <label>
        <span>{t("askDue")}</span>
        <input
          type="date"
          name="dueDate"
          value={dueDate}
          onChange={(e) => setDueDate(e.target.value)}
        />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {t("askSend")}
      </button>
      {message && <p role="status">{message}</p>}
    </form>
  );
}

function AnswerForm(props: { request: Request; subject: string; onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [explanation, setExplanation] = useState("");
  const [remedy, setRemedy] = useState("");
  const { busy, message, setMessage, run } = useAction((error) => errorText(i18n, error));
  const send = (event: FormEvent) => {
    event.preventDefault();
    if (!explanation.trim() || !remedy.trim()) {
      setMessage(t("fieldsRequired"));
      return;
    }
    void run(async () => {
      await mutate(WebAnswerExplanationDocument, {
        input: { id: props.request.id, explanation: explanation.trim(), remedy: remedy.trim() },
      });
      props.onDone();
      return t("answered");
    });
  };
  return (
    <form
      className="explanation-form"
      onSubmit={send}
      data-testid="answer-explanation"
      data-id={props.request.id}
    >
      <h3>{t("answerFor", { subject: props.subject })}</h3>
      <p className="question">
        {props.request.question} ({t("colAnswerDue")} {formatDay(props.request.dueDate)})
      </p>
      <label className="wide">
        <span>{t("colExplanation")}</span>
        <textarea
          name="explanation"
          rows={2}
          value={explanation}
          onChange={(e) => setExplanation(e.target.value)}
        />
      </label>
      <label className="wide">
        <span>{t("colRemedy")}</span>
        <textarea
          name="remedy"
          rows={2}
          value={remedy}
          onChange={(e) => setRemedy(e.target.value)}
        />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {t("answerSend")}
      </button>
      {message && <p role="status">{message}</p>}
    </form>
  );
}
