// The playground's "Query plan" panel, a GraphiQL plugin (browser code, served as it is): while the
// operation is edited it asks the gateway for the operation's plan (query-plan.ts), a moment after the
// typing stops, with the headers of GraphiQL's headers editor, and shows which subgraphs are asked, in
// what order (Sequence, Parallel, Flatten, Fetch), and the plan as the query planner prints it.
// A plain script over the globals the page loads before it (React, GraphiQL): no build step.
/* global window, React, GraphiQL */
(() => {
  "use strict";
  const h = React.createElement;
  const DEBOUNCE_MS = 300;

  /** A JSON object from an editor's text: {} when empty, null when it is not one. */
  function objectOf(text) {
    if (!text || !text.trim()) return {};
    try {
      const value = JSON.parse(text);
      return value && typeof value === "object" && !Array.isArray(value) ? value : null;
    } catch {
      return null;
    }
  }

  /** The operation to plan, as GraphiQL would run it: the one at the cursor where there are several. */
  function operationNameOf(editor, document) {
    const operations = document.definitions.filter((d) => d.kind === "OperationDefinition");
    if (operations.length < 2) return undefined;
    const cursor = editor.indexFromPos(editor.getCursor());
    const atCursor = operations.find(
      (op) => op.loc && op.loc.start <= cursor && cursor <= op.loc.end,
    );
    const named =
      atCursor || operations.find((op) => op.name && op.name.value === editor.operationName);
    return (named || operations[0]).name?.value;
  }

  function usePlan(endpoint) {
    const { queryEditor, variableEditor, headerEditor } = GraphiQL.React.useEditorContext({
      nonNull: true,
    });
    // the schema GraphiQL introspected, if it could: what does not parse or validate is not sent
    const { schema } = GraphiQL.React.useSchemaContext({ nonNull: true });
    const [state, setState] = React.useState({ status: "waiting" });
    React.useEffect(() => {
      if (!queryEditor) return undefined;
      let timer;
      let controller;
      let asked;
      const ask = () => {
        const query = queryEditor.getValue();
        if (!query.trim()) {
          asked = undefined;
          setState({ status: "empty" });
          return;
        }
        // most states of an operation being typed do not parse: said here, without asking the gateway
        let document;
        try {
          document = GraphiQL.GraphQL.parse(query);
        } catch (error) {
          asked = undefined;
          setState({
            status: "unfinished",
            errors: [{ code: "GRAPHQL_PARSE_FAILED", message: error.message }],
          });
          return;
        }
        const invalid = schema ? GraphiQL.GraphQL.validate(schema, document) : [];
        if (invalid.length) {
          asked = undefined;
          const errors = invalid.map((e) => ({
            code: "GRAPHQL_VALIDATION_FAILED",
            message: e.message,
          }));
          setState({ status: "unfinished", errors });
          return;
        }
        const operationName = operationNameOf(queryEditor, document);
        const variables = objectOf(variableEditor ? variableEditor.getValue() : "");
        const given = objectOf(headerEditor ? headerEditor.getValue() : "") || {};
        const headers = { "content-type": "application/json", accept: "application/json" };
        for (const [name, value] of Object.entries(given)) {
          if (typeof value === "string" && !/^(content-type|accept)$/i.test(name))
            headers[name] = value;
        }
        const body = JSON.stringify({ query, operationName, variables: variables || undefined });
        const key = JSON.stringify([body, headers]);
        if (key === asked) return;
        asked = key;
        if (controller) controller.abort();
        controller = new AbortController();
        setState((previous) => ({ ...previous, pending: true }));
        fetch(endpoint, { method: "POST", headers, body, signal: controller.signal })
          .then((response) => response.json())
          .then(
            (answer) => {
              const plan = answer && answer.extensions && answer.extensions.queryPlan;
              if (plan) return setState({ status: "plan", plan, operationName });
              const errors = ((answer && answer.errors) || []).map((error) => ({
                message: String(error.message),
                code: error.extensions && error.extensions.code,
              }));
              setState({ status: "refused", errors });
            },
            (error) => {
              if (error.name === "AbortError") return;
              asked = undefined;
              setState({
                status: "refused",
                errors: [{ message: "the gateway did not answer: " + error.message }],
              });
            },
          );
      };
      const soon = () => {
        clearTimeout(timer);
        timer = setTimeout(ask, DEBOUNCE_MS);
      };
      const watched = [queryEditor, variableEditor, headerEditor].filter(Boolean);
      for (const editor of watched) editor.on("change", soon);
      // the operation at the cursor, where the document holds several
      queryEditor.on("cursorActivity", soon);
      ask();
      return () => {
        clearTimeout(timer);
        if (controller) controller.abort();
        for (const editor of watched) editor.off("change", soon);
        queryEditor.off("cursorActivity", soon);
      };
    }, [queryEditor, variableEditor, headerEditor, schema]);
    return state;
  }

  const kindClass = (kind) => "p06-plan-" + kind.toLowerCase();

  function Fetch({ step, at }) {
    return h(
      "span",
      { className: "p06-plan-fetch" },
      at ? h("span", { className: "p06-plan-flatten" }, "Flatten(" + at + ") \u203a ") : null,
      "Fetch ",
      h("span", { className: "p06-plan-service", "data-service": step.service }, step.service),
      step.fields && step.fields.length
        ? h("span", { className: "p06-plan-fields" }, " " + step.fields.join(", "))
        : null,
    );
  }

  function Step({ step }) {
    // a Flatten around one Fetch reads as one line: where the entities go, and who is asked
    if (step.kind === "Fetch")
      return h("li", { className: kindClass("Fetch") }, h(Fetch, { step }));
    if (step.kind === "Flatten" && step.steps.length === 1 && step.steps[0].kind === "Fetch") {
      return h(
        "li",
        { className: kindClass("Fetch") },
        h(Fetch, { step: step.steps[0], at: step.path }),
      );
    }
    let label = step.kind;
    if (step.kind === "Flatten") label += "(" + step.path + ")";
    if (step.kind === "Condition") label += "(if $" + step.condition + ")";
    if (step.kind === "Sequence") label += ", in order";
    if (step.kind === "Parallel") label += ", at once";
    return h(
      "li",
      { className: kindClass(step.kind) },
      h("span", { className: "p06-plan-kind" }, label),
      h(
        step.kind === "Sequence" ? "ol" : "ul",
        null,
        (step.steps || []).map((s, i) => h(Step, { key: i, step: s })),
      ),
    );
  }

  function PlanPanel({ endpoint }) {
    const state = usePlan(endpoint);
    const children = [h("div", { className: "graphiql-doc-explorer-title" }, "Query plan")];
    if (state.status === "waiting") children.push(h("p", null, "Planning\u2026"));
    if (state.status === "empty")
      children.push(h("p", null, "Write an operation to see its plan."));
    if (state.status === "refused" || state.status === "unfinished") {
      children.push(
        h(
          "p",
          null,
          state.status === "refused"
            ? "No plan: the gateway refuses this operation as it stands."
            : "No plan yet: the operation is not valid as it stands.",
        ),
        h(
          "ul",
          { className: "p06-plan-errors" },
          state.errors.map((error, i) =>
            h(
              "li",
              { key: i },
              error.code ? h("code", null, error.code) : null,
              error.code ? " " : null,
              error.message,
            ),
          ),
        ),
      );
    }
    if (state.status === "plan") {
      const { plan } = state;
      if (state.operationName)
        children.push(h("p", null, "Operation ", h("code", null, state.operationName)));
      children.push(
        h("h3", null, "Subgraphs"),
        plan.subgraphs.length
          ? h(
              "ul",
              { className: "p06-plan-subgraphs" },
              plan.subgraphs.map((s) =>
                h(
                  "li",
                  { key: s.name },
                  h("span", { className: "p06-plan-service" }, s.name),
                  s.fetches > 1 ? " \u00d7" + s.fetches : "",
                ),
              ),
            )
          : h("p", null, "None: the gateway answers this operation itself."),
      );
      if (plan.outline) {
        children.push(
          h("h3", null, "Steps"),
          h("ul", { className: "p06-plan-outline" }, h(Step, { step: plan.outline })),
        );
      }
      children.push(
        h(
          "details",
          { className: "p06-plan-text" },
          h("summary", null, "The plan as the query planner prints it"),
          h("pre", null, plan.text),
        ),
      );
    }
    return h(
      "section",
      { className: "p06-plan", "aria-busy": state.pending ? "true" : "false" },
      ...children,
    );
  }

  function PlanIcon() {
    return h(
      "svg",
      {
        viewBox: "0 0 24 24",
        width: "1em",
        height: "1em",
        fill: "none",
        stroke: "currentColor",
        strokeWidth: 1.5,
        "aria-hidden": "true",
      },
      h("rect", { x: 3, y: 3, width: 7, height: 5, rx: 1 }),
      h("rect", { x: 14, y: 9.5, width: 7, height: 5, rx: 1 }),
      h("rect", { x: 14, y: 16, width: 7, height: 5, rx: 1 }),
      h("path", { d: "M6.5 8v10.5H14M6.5 12H14" }),
    );
  }

  /** The plugin for GraphiQL's plugins prop, planning through the endpoint given. */
  window.p06QueryPlanPlugin = (endpoint) => ({
    title: "Query plan",
    icon: PlanIcon,
    content: () => h(PlanPanel, { endpoint }),
  });
})();
