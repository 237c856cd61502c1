// The playground: GraphiQL served from the project's own installed files (no CDN), with the IOC's
// operations preloaded as example tabs and, where the gateway plans for it, a "Query plan" panel.
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import express, { type ErrorRequestHandler, type RequestHandler, type Router } from "express";

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

export const defaultOperationsDir = new URL("../../operations/", import.meta.url);

/** Each operation with its example variables, as GraphiQL tabs. */
export function exampleTabs(dir: URL = defaultOperationsDir) {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".graphql"))
    .sort()
    .map((name) => {
      const variablesFile = new URL(name.replace(/\.graphql$/, ".variables.json"), dir);
      let variables = "{}";
      try {
        variables = readFileSync(variablesFile, "utf8");
      } catch {
        // an operation without variables
      }
      return { query: readFileSync(new URL(name, dir), "utf8"), variables };
    });
}

function page(tabs: ReturnType<typeof exampleTabs>, endpoint: string, plan: string | null): string {
  // the tabs go in as JSON inside a script element: escape "<" so no string can close it
  const data = JSON.stringify({ tabs, endpoint, plan }).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Project 06 progress graph: playground</title>
  <link rel="stylesheet" href="assets/graphiql.min.css">
  <style>html, body, #playground { height: 100%; margin: 0; }</style>${plan ? `\n  <link rel="stylesheet" href="assets/query-plan.css">` : ""}
</head>
<body>
  <div id="playground"></div>
  <script src="assets/react.production.min.js"></script>
  <script src="assets/react-dom.production.min.js"></script>
  <script src="assets/graphiql.min.js"></script>${plan ? `\n  <script src="assets/query-plan.js"></script>` : ""}
  <script id="playground-data" type="application/json">${data}</script>
  <script src="assets/playground.js"></script>
</body>
</html>`;
}

const bootstrap = `
const { tabs, endpoint, plan } = JSON.parse(document.getElementById("playground-data").textContent);
const fetcher = GraphiQL.createFetcher({ url: new URL(endpoint, location.href).toString() });
ReactDOM.createRoot(document.getElementById("playground")).render(
  // the open tab takes its variables from the props, the others from defaultTabs
  React.createElement(GraphiQL, {
    fetcher,
    defaultTabs: tabs,
    variables: tabs[0] ? tabs[0].variables : undefined,
    defaultEditorToolsVisibility: true,
    plugins: plan ? [p06QueryPlanPlugin(new URL(plan, location.href).toString())] : [],
  }),
);
`;

/**
 * Serves the page on / and its files on /assets, for mounting under /playground; with `plan` (the
 * handlers of a plan request, query-plan.ts), the plans on POST /plan and the panel that shows them.
 */
export function playgroundRouter(
  endpoint: string,
  operationsDir: URL = defaultOperationsDir,
  plan?: (RequestHandler | ErrorRequestHandler)[],
): Router {
  const router = express.Router();
  const files: Record<string, string> = {
    "graphiql.min.js": join(packageDir("graphiql"), "graphiql.min.js"),
    "graphiql.min.css": join(packageDir("graphiql"), "graphiql.min.css"),
    "react.production.min.js": join(packageDir("react"), "umd", "react.production.min.js"),
    "react-dom.production.min.js": join(
      packageDir("react-dom"),
      "umd",
      "react-dom.production.min.js",
    ),
  };
  const html = page(exampleTabs(operationsDir), endpoint, plan ? "plan" : null);
  router.get("/", (_req, res) => {
    res.type("html").send(html);
  });
  router.get("/assets/playground.js", (_req, res) => {
    res.type("js").send(bootstrap);
  });
  if (plan) {
    router.post("/plan", ...plan);
    // the panel's files sit beside this module, in src/ as in dist/ (the build copies them)
    files["query-plan.js"] = fileURLToPath(new URL("./plan.js", import.meta.url));
    files["query-plan.css"] = fileURLToPath(new URL("./plan.css", import.meta.url));
  }
  router.get("/assets/:file", (req, res) => {
    const file = files[req.params.file];
    if (!file) {
      res.status(404).end();
      return;
    }
    res.sendFile(file, { maxAge: "1d" });
  });
  return router;
}
