// Only pages of allowed origins may call the gateway from a browser: its own pages need nothing, a
// page of an origin GATEWAY_ALLOWED_ORIGINS lists is answered with CORS headers (its preflight too),
// and any other page is refused 403 ORIGIN_NOT_ALLOWED before anything runs. Through the gateway in
// process, over two small subgraphs in memory.
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readGatewayConfig } from "../src/config.js";
import type { RunningGateway } from "../src/gateway.js";
import { startTestFederation, type TestFederation } from "./support/federation.js";

// Apollo's packages load graphql's CommonJS build: one instance for both, as under Node
vi.mock("graphql", () => createRequire(import.meta.url)("graphql"));

const DASHBOARD = "https://p06.haiphong.example";
let federation: TestFederation;
let gateway: RunningGateway;
let ioc: string;

beforeAll(async () => {
  federation = await startTestFederation();
  gateway = await federation.startGateway({ GATEWAY_ALLOWED_ORIGINS: `${DASHBOARD}/` });
  ioc = await federation.token("IOC");
});

afterAll(async () => {
  await federation?.stop();
});

const ask = (headers: Record<string, string>) =>
  fetch(gateway.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ioc}`, ...headers },
    body: JSON.stringify({ query: "{ items { id } }" }),
  });

describe("a page of another origin", () => {
  it("is refused before anything runs when its origin is not allowed", async () => {
    const response = await ask({ origin: "https://elsewhere.example" });
    expect(response.status).toBe(403);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(await response.json()).toEqual({
      errors: [
        {
          message:
            "requests from pages of https://elsewhere.example are not allowed (GATEWAY_ALLOWED_ORIGINS)",
          extensions: { code: "ORIGIN_NOT_ALLOWED" },
        },
      ],
    });
    // its preflight too: the browser would not send the request
    const preflight = await fetch(gateway.url, {
      method: "OPTIONS",
      headers: { origin: "null", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(403);
  });

  it("is answered, with the headers a browser needs, when its origin is allowed", async () => {
    const preflight = await fetch(gateway.url, {
      method: "OPTIONS",
      headers: {
        origin: DASHBOARD,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(DASHBOARD);
    expect(preflight.headers.get("access-control-allow-methods")).toBe("GET, POST");
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(
      /authorization, content-type/,
    );
    const response = await ask({ origin: DASHBOARD });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(DASHBOARD);
    expect(response.headers.get("vary")).toBe("Origin");
    expect(response.headers.get("access-control-expose-headers")).toMatch(/etag/);
    expect(await response.json()).toEqual({ data: { items: [{ id: "1" }, { id: "2" }] } });
  });
});

describe("the gateway's own pages and other callers", () => {
  it("answers a page of its own origin (the browser says so, or the origin names the host asked)", async () => {
    const own = new URL(gateway.url).origin;
    const byHost = await ask({ origin: own });
    expect(byHost.status).toBe(200);
    expect(byHost.headers.get("access-control-allow-origin")).toBeNull();
    // behind a proxy the origin may be the city's name for it: the browser's word decides
    const behindProxy = await ask({
      origin: DASHBOARD.replace("p06", "www"),
      "sec-fetch-site": "same-origin",
    });
    expect(behindProxy.status).toBe(200);
  });

  it("answers a caller that is no page (no Origin), as before", async () => {
    expect((await ask({})).status).toBe(200);
  });
});

describe("GATEWAY_ALLOWED_ORIGINS", () => {
  const config = (extra: Record<string, string>) =>
    readGatewayConfig({ ...federation.env, ...extra });

  it("defaults to the gateway's own origin, under both names of this machine", () => {
    expect(config({ GATEWAY_PORT: "4000" }).allowedOrigins).toEqual([
      "http://127.0.0.1:4000",
      "http://localhost:4000",
    ]);
  });

  it("takes a list of origins and refuses one with a path, naming the variable", () => {
    expect(
      config({ GATEWAY_ALLOWED_ORIGINS: "https://a.example, http://b.example:8080/" })
        .allowedOrigins,
    ).toEqual(["https://a.example", "http://b.example:8080"]);
    expect(() => config({ GATEWAY_ALLOWED_ORIGINS: "https://a.example/dashboard" })).toThrow(
      /GATEWAY_ALLOWED_ORIGINS must list origins/,
    );
  });
});

describe("DASHBOARD_TOKEN_PASTE", () => {
  it("is off by default, on for a developer, and refused in production", () => {
    expect(readGatewayConfig(federation.env).tokenPaste).toBe(false);
    expect(readGatewayConfig({ ...federation.env, DASHBOARD_TOKEN_PASTE: "1" }).tokenPaste).toBe(
      true,
    );
    expect(() =>
      readGatewayConfig({ ...federation.env, DASHBOARD_TOKEN_PASTE: "1", NODE_ENV: "production" }),
    ).toThrow(/DASHBOARD_TOKEN_PASTE is a developer's switch/);
  });
});
