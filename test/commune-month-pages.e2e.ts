// A commune's month on a phone, in headless Chromium at 390×844 against the real stack with the
// embedded OpenID provider: Phường Hải Dương's data officer signs in and lands on the commune's month,
// which lists what it owes the agencies of at least three subgraphs, from one request; a figure
// entered one at a time is saved (and read back from the graph); a refusal stays on its field and is
// not sent again; a figure typed while offline, or while the gateway cannot be reached (and the page
// reloaded meanwhile), is kept on the device, shown as not sent, and sent once the connection
// returns. The chairman submits the month; the Department of Health returns it with a reason, which
// the officer's phone shows beside a figure open again; corrected, submitted again and accepted, it
// shows as accepted; the department submits its month and the IOC accepts it, and the figure shows on
// the overview and in the commune's row of the league table. Neither this page nor any dashboard page
// scrolls sideways at 390 px. No console error but
// the cut connection's own, no request but to this machine.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { monthBefore, reportingMonth } from "../gateway/web/src/agency-subgraph.js";
import { repoRoot } from "../scripts/lib/ferretdb.js";
import { launchChromium, requestsElsewhere, signInAs } from "./support/browser.js";
import { B as HAI_DUONG, seedIocDataSet } from "./support/ioc-data-set.js";
import { startSystem, type RunningSystem } from "./support/system.js";

const SCREENSHOTS = join(repoRoot, "test-results-web");
const PHONE = { width: 390, height: 844 };
const SOON = { timeout: 15_000 };
/** The month a commune reports now, as the page chooses it. */
const PERIOD = reportingMonth();
const VIEW = "nam=2026&thang=2026-10&ngay=2027-01-15";
/** Every dashboard page, with what shows once its data are in (as test/accessibility.e2e.ts). */
const DASHBOARD_PAGES = [
  ["/", '[data-testid="indicators"] tbody tr'],
  ["/chi-tieu/II.7", "h1"],
  ["/co-quan/POLICE", "h1"],
  ["/xa-phuong", "h1"],
  ["/xa-phuong/10507", "h1"],
  ["/bao-cao-cham", "h1"],
  ["/nhiem-vu", "h1"],
  ["/ket-qua-nam", '[data-testid="year-ranking"] tbody tr'],
  ["/bao-cao", "h1"],
  ["/bao-cao/DOH", '[data-testid="month-state"]'],
  ["/bao-cao-xa", "h1"],
  [`/bao-cao-xa/${HAI_DUONG}`, '[data-testid="obligation"]'],
] as const;

let system: RunningSystem;
let browser: Browser;
const contexts: BrowserContext[] = [];
const elsewhere: string[][] = [];
const consoleErrors: string[] = [];
/** While the test cuts the connection, the browser's own line about each failed request is expected. */
let cutOff = false;
let phone: Page;

const base = () => system.gatewayUrl.replace(/\/graphql$/, "");
const obligation = (page: Page, key: string) =>
  page.locator(`[data-testid="obligation"][data-key="${key}"]`);

async function openPhone(): Promise<Page> {
  const context = await browser.newContext({
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    locale: "vi-VN",
    timezoneId: "Asia/Ho_Chi_Minh",
  });
  contexts.push(context);
  const page = await context.newPage();
  elsewhere.push(requestsElsewhere(page));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    if (cutOff && /Failed to load resource: net::ERR_/.test(message.text())) return;
    consoleErrors.push(`${message.location().url}: ${message.text()}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  return page;
}

/** The commune's figure of one indicator for the month, as the graph has it. */
async function figureInGraph(field: string, indicator: string) {
  const { data, errors } = await system.query<{
    reportingUnit: Record<string, { obligations: Record<string, unknown>[] }>;
  }>(
    `query ($code: ID!, $period: String!) { reportingUnit(code: $code) { ${field}(period: $period) { obligations { indicator value numerator denominator reportedBy } } } }`,
    { code: HAI_DUONG, period: PERIOD },
  );
  expect(errors).toBeUndefined();
  return data!.reportingUnit[field]!.obligations.find((o) => o.indicator === indicator);
}

/** Opens one figure in the data entry, from its line in the month's list. */
async function enter(page: Page, key: string) {
  await obligation(page, key).getByTestId("obligation-enter").click();
  await expect
    .poll(() => page.getByTestId("figure-entry").getAttribute("data-key"), SOON)
    .toBe(key);
}

/**
 * How far the page is wider than the screen (0: no sideways scrolling), and the outermost elements
 * that reach past it, each with its parents (what to fix).
 */
const overflow = (page: Page) =>
  page.evaluate(() => {
    interface Node {
      tagName: string;
      className: string;
      parentElement: Node | null;
      getBoundingClientRect(): { right: number };
    }
    const doc = (
      globalThis as unknown as {
        document: {
          documentElement: { clientWidth: number; scrollWidth: number };
          querySelectorAll(selector: string): Iterable<Node>;
        };
      }
    ).document;
    const width = doc.documentElement.clientWidth;
    const past = (element: Node | null) =>
      element !== null && element.getBoundingClientRect().right > width + 1;
    const name = (element: Node) => `${element.tagName.toLowerCase()}.${element.className}`;
    const culprits = [...doc.querySelectorAll("body *")]
      .filter((element) => past(element) && !past(element.parentElement))
      .slice(0, 3)
      .map((element) => {
        const chain = [name(element)];
        for (let up = element.parentElement; up && chain.length < 4; up = up.parentElement)
          chain.push(name(up));
        return chain.join(" < ");
      });
    return { extra: doc.documentElement.scrollWidth - width, culprits };
  });

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  system = await startSystem("commune_phone", { GATEWAY_WORKERS: "1" }, { oidc: true });
  await seedIocDataSet(system);
  // last month's figure of III.8, typed by the department on the commune's behalf
  const typed = await system.query(
    `mutation { submitSocialSecurityValue(input: { indicator: "III.8", unit: "${HAI_DUONG}", period: "${monthBefore(PERIOD)}", numerator: 12, denominator: 16 }) { value } }`,
    {},
    "DOHA",
  );
  expect(typed.errors).toBeUndefined();
  browser = await launchChromium();
  phone = await openPhone();
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await system?.stop();
});

describe("a commune's month on a phone", { timeout: 90_000 }, () => {
  it("the commune's data officer lands on it: what the commune owes the agencies of three subgraphs and more", async () => {
    const graphqlPosts: string[] = [];
    phone.on("request", (request) => {
      if (request.url().endsWith("/graphql")) graphqlPosts.push(request.postData() ?? "");
    });
    await signInAs(phone, `${base()}/`, "haiduong.canbo", system.oidc!.password);
    await expect.poll(() => new URL(phone.url()).pathname, SOON).toBe(`/bao-cao-xa/${HAI_DUONG}`);
    await obligation(phone, "health|II.12").waitFor(SOON);
    expect(await phone.locator("h1").innerText()).toContain("Phường Hải Dương");
    expect(await phone.getByTestId("person-agency").innerText()).toBe("UBND xã, phường 10525");
    expect(await phone.getByTestId("person-roles").innerText()).toBe("Cán bộ nhập liệu của xã");
    const subgraphs = await phone
      .locator('[data-testid="obligation"]')
      .evaluateAll((items) => [...new Set(items.map((i) => i.getAttribute("data-subgraph")))]);
    expect(subgraphs.length).toBeGreaterThanOrEqual(3);
    // grouped by the agencies that ask, each with its due date, status and last month's figure
    const groups = await phone
      .locator('[data-testid="obligation-group"]')
      .evaluateAll((sections) => sections.map((s) => s.getAttribute("data-agencies")));
    expect(groups).toEqual(expect.arrayContaining(["DOH", "DOHA"]));
    const security = await obligation(phone, "socialSecurity|III.8").innerText();
    expect(security).toMatch(/Tháng trước\s+75%/);
    // the whole month is one request
    expect(graphqlPosts.filter((body) => body.includes("WebCommuneMonth"))).toHaveLength(1);
    await phone.screenshot({ path: join(SCREENSHOTS, "commune-month-390.png"), fullPage: true });
  });

  it("enters one figure at a time, last month's beside it, and saves it to the graph", async () => {
    await enter(phone, "socialSecurity|III.8");
    expect(await phone.getByTestId("entry-last-month").innerText()).toContain("75%");
    // the inputs its measure needs, each a target of at least 44 px
    const numerator = phone.locator("#entry-numerator");
    const denominator = phone.locator("#entry-denominator");
    for (const target of [numerator, denominator, phone.getByTestId("entry-save")]) {
      expect((await target.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    }
    // previous and next walk the obligations
    const position = await phone.locator(".entry-position").innerText();
    await phone.getByTestId("entry-next").click();
    expect(await phone.locator(".entry-position").innerText()).not.toBe(position);
    await phone.getByTestId("entry-previous").click();
    expect(await phone.getByTestId("figure-entry").getAttribute("data-key")).toBe(
      "socialSecurity|III.8",
    );
    await numerator.fill("13");
    await denominator.fill("16");
    await phone.getByTestId("entry-save").click();
    await expect
      .poll(() => phone.getByTestId("entry-status").innerText(), SOON)
      .toBe("Đã lưu III.8.");
    expect(await figureInGraph("socialSecurityObligations", "III.8")).toMatchObject({
      numerator: 13,
      denominator: 16,
      reportedBy: "COMMUNE",
    });
    await expect
      .poll(
        () =>
          obligation(phone, "socialSecurity|III.8").getByTestId("obligation-figure").innerText(),
        SOON,
      )
      .toBe("81,25% (13/16)");
  });

  it("shows a refusal on its field and does not send it again until it is corrected", async () => {
    await enter(phone, "health|II.12");
    const mutations: string[] = [];
    const watch = (request: { url(): string; postData(): string | null }) => {
      if (request.url().endsWith("/graphql") && request.postData()?.includes("WebSubmitReport"))
        mutations.push(request.postData()!);
    };
    phone.on("request", watch);
    await phone.locator("#entry-numerator").fill("50");
    await phone.locator("#entry-denominator").fill("40");
    await phone.getByTestId("entry-save").click();
    await expect.poll(() => phone.getByTestId("entry-problem").isVisible(), SOON).toBe(true);
    expect(await phone.getByTestId("entry-problem").innerText()).toMatch(/^Bị từ chối: .*exceeds/);
    expect(await phone.locator("#entry-numerator").getAttribute("aria-invalid")).toBe("true");
    expect(
      await obligation(phone, "health|II.12").getByTestId("obligation-unsent").innerText(),
    ).toBe("Bị từ chối, cần sửa");
    // longer than the first wait before sending again: nothing more was sent
    await phone.waitForTimeout(3_000);
    expect(mutations).toHaveLength(1);
    await phone.locator("#entry-numerator").fill("30");
    expect(await phone.locator("#entry-numerator").getAttribute("aria-invalid")).toBeNull();
    await phone.getByTestId("entry-save").click();
    await expect
      .poll(() => phone.getByTestId("entry-status").innerText(), SOON)
      .toBe("Đã lưu II.12.");
    phone.off("request", watch);
    expect(mutations).toHaveLength(2);
    expect(await figureInGraph("healthObligations", "II.12")).toMatchObject({
      numerator: 30,
      denominator: 40,
      value: 75,
    });
  });

  it("keeps a figure typed offline, shows it as not sent, and sends it when the connection returns", async () => {
    // I.6, citizens' satisfaction with public services: a percentage
    await enter(phone, "procedures|I.6");
    cutOff = true;
    await phone.context().setOffline(true);
    await expect.poll(() => phone.getByTestId("offline").isVisible(), SOON).toBe(true);
    await phone.locator("#entry-numerator").fill("7");
    await phone.locator("#entry-denominator").fill("10");
    await phone.getByTestId("entry-save").click();
    await expect.poll(() => phone.getByTestId("entry-unsent").isVisible(), SOON).toBe(true);
    expect(await phone.getByTestId("entry-unsent").innerText()).toContain("Chưa gửi được");
    expect(
      await obligation(phone, "procedures|I.6").getByTestId("obligation-unsent").innerText(),
    ).toBe("Chưa gửi được");
    // kept on the device, under the person, the commune and the month
    const kept = await phone.evaluate(() =>
      Object.keys(
        (globalThis as unknown as { localStorage: Record<string, string> }).localStorage,
      ).filter((k) => k.startsWith("p06.commune-month|")),
    );
    expect(kept).toEqual([expect.stringMatching(new RegExp(`\\|${HAI_DUONG}\\|${PERIOD}$`))]);
    await phone.context().setOffline(false);
    await expect
      .poll(() => phone.getByTestId("entry-status").innerText(), SOON)
      .toBe("Đã lưu I.6.");
    cutOff = false;
    expect(await figureInGraph("proceduresObligations", "I.6")).toMatchObject({
      numerator: 7,
      denominator: 10,
      reportedBy: "COMMUNE",
    });
  });

  it("keeps a figure while the gateway cannot be reached, across a reload, and sends it once it can", async () => {
    await enter(phone, "health|II.12");
    cutOff = true;
    await phone.route("**/graphql", (route) => route.abort("connectionrefused"));
    await phone.locator("#entry-numerator").fill("32");
    await phone.getByTestId("entry-save").click();
    await expect.poll(() => phone.getByTestId("entry-unsent").isVisible(), SOON).toBe(true);
    await expect.poll(() => phone.getByTestId("unsent-count").isVisible(), SOON).toBe(true);
    // the page reloaded while the gateway is still away: the figure waits on the device
    await phone.reload();
    await phone.locator(".failure").first().waitFor(SOON);
    await phone.unroute("**/graphql");
    // the page asks again by itself; the kept figure goes as soon as the month is shown
    await expect
      .poll(async () => (await figureInGraph("healthObligations", "II.12"))?.numerator, {
        timeout: 30_000,
      })
      .toBe(32);
    cutOff = false;
    await expect
      .poll(() => phone.locator('[data-testid="obligation-unsent"]').count(), SOON)
      .toBe(0);
  });

  it("the chairman submits the month; a returned month shows the department's reason and opens for corrections", async () => {
    // the data officer may not submit: the button says who does
    expect(await phone.getByTestId("commune-submit").isDisabled()).toBe(true);
    expect(await phone.getByTestId("commune-submit-why").innerText()).toBe(
      "Chủ tịch UBND xã gửi báo cáo tháng.",
    );
    const chair = await openPhone();
    await signInAs(chair, `${base()}/`, "haiduong.chutich", system.oidc!.password);
    await expect.poll(() => new URL(chair.url()).pathname, SOON).toBe(`/bao-cao-xa/${HAI_DUONG}`);
    await obligation(chair, "health|II.12").waitFor(SOON);
    // the chairman reads the month and submits it; the entry is the data officer's
    expect(await chair.getByTestId("figure-entry").count()).toBe(0);
    await chair.getByTestId("commune-submit").click();
    await expect
      .poll(() => chair.getByTestId("commune-submit-outcome").innerText(), SOON)
      .toMatch(/^Đã gửi báo cáo tháng cho: .*Sở Y tế/);
    const health = (page: Page) =>
      page.locator('[data-testid="commune-review"][data-agency="DOH"]');
    await expect.poll(() => health(chair).getAttribute("data-state"), SOON).toBe("SUBMITTED");
    await expect.poll(() => chair.getByTestId("commune-submit").isDisabled(), SOON).toBe(true);

    // the department returns it with a reason
    const decide = (decision: string, reason?: string) =>
      system.query(
        `mutation { reviewHealthCommuneMonth(input: { unit: "${HAI_DUONG}", period: "${PERIOD}", decision: ${decision}${reason ? `, reason: "${reason}"` : ""} }) { reviews { agency state } } }`,
        {},
        { agency: "DOH", roles: ["agency-head"] },
      );
    expect((await decide("RETURN", "Số trạm y tế chưa khớp sổ sách")).errors).toBeUndefined();
    await phone.reload();
    await expect.poll(() => health(phone).getAttribute("data-state"), SOON).toBe("RETURNED");
    expect(await health(phone).getByTestId("commune-review-reason").innerText()).toBe(
      "Lý do trả lại: Số trạm y tế chưa khớp sổ sách",
    );
    // a figure still with its department is closed; the returned one opens for the correction
    await enter(phone, "socialSecurity|III.8");
    expect(await phone.locator("#entry-numerator").isDisabled()).toBe(true);
    await enter(phone, "health|II.12");
    await phone.locator("#entry-numerator").fill("31");
    await phone.getByTestId("entry-save").click();
    await expect
      .poll(() => phone.getByTestId("entry-status").innerText(), SOON)
      .toBe("Đã lưu II.12.");

    // submitted again, accepted: shown as accepted
    await chair.reload();
    await expect.poll(() => health(chair).getAttribute("data-state"), SOON).toBe("RETURNED");
    await chair.getByTestId("commune-submit").click();
    await expect.poll(() => health(chair).getAttribute("data-state"), SOON).toBe("SUBMITTED");
    expect((await decide("ACCEPT")).errors).toBeUndefined();
    await phone.reload();
    await expect.poll(() => health(phone).getAttribute("data-state"), SOON).toBe("ACCEPTED");
    expect(await figureInGraph("healthObligations", "II.12")).toMatchObject({ numerator: 31 });
    await chair.screenshot({ path: join(SCREENSHOTS, "commune-month-chair-390.png") });
  });

  it("the department then submits its month, the IOC accepts it, and the figure shows on the overview and in the league table", async () => {
    const head = {
      agency: "DOH",
      person: { id: "doh.lanhdao", name: "Phạm Thị Mai" },
      roles: ["agency-head" as const],
    };
    const submitted = await system.query<{ submitHealthMonth: { state: string } }>(
      `mutation { submitHealthMonth(period: "${PERIOD}") { state } }`,
      {},
      head,
    );
    expect(submitted.errors).toBeUndefined();
    const accepted = await system.query<{ reviewHealthMonth: { state: string } }>(
      `mutation { reviewHealthMonth(input: { agency: "DOH", period: "${PERIOD}", decision: ACCEPT }) { state } }`,
    );
    expect(accepted.data?.reviewHealthMonth.state).toBe("ACCEPTED");

    // what the graph says of the month now: the city's II.12 and the commune's score and rank
    const { data } = await system.query<{
      review: {
        scorecard: {
          indicators: {
            indicator: { code: string; unit: string | null };
            progress: { latest: { period: string; value: number | null } | null };
            latestMonthState: string;
          }[];
        };
        commune: { monthlyScore: { total: number | null }; rank: number | null };
      };
    }>(
      `query($period: String!) { review(year: 2026, period: $period) {
        scorecard { indicators { indicator { code unit } progress { latest { period value } } latestMonthState } }
        commune(code: "${HAI_DUONG}") { monthlyScore { total } rank }
      } }`,
      { period: PERIOD },
    );
    const ii12 = data!.review.scorecard.indicators.find((i) => i.indicator.code === "II.12")!;
    expect(ii12.latestMonthState).toBe("ACCEPTED");
    expect(ii12.progress.latest?.period).toBe(PERIOD);
    const vi = (value: number, digits: number) =>
      new Intl.NumberFormat("vi-VN", { maximumFractionDigits: digits }).format(value);

    const ioc = await openPhone();
    await signInAs(ioc, `${base()}/?nam=2026&thang=${PERIOD}`, "ioc.xem", system.oidc!.password);
    const overviewRow = ioc.locator('[data-testid="indicators"] tbody tr[data-key="II.12"]');
    await overviewRow.waitFor(SOON);
    await expect
      .poll(
        async () => (await overviewRow.locator("th, td").allInnerTexts()).map((c) => c.trim()),
        SOON,
      )
      .toContain(`${vi(ii12.progress.latest!.value!, 2)}${ii12.indicator.unit === "%" ? "%" : ""}`);

    await ioc.goto(`${base()}/xep-hang-xa?nam=2026&thang=${PERIOD}`);
    const leagueRow = ioc.locator(`[data-testid="league-table"] tbody tr[data-key="${HAI_DUONG}"]`);
    await leagueRow.waitFor(SOON);
    const cells = (await leagueRow.locator("th, td").allInnerTexts()).map((c) => c.trim());
    expect(cells).toContain(String(data!.review.commune.rank));
    expect(cells).toContain(vi(data!.review.commune.monthlyScore.total!, 1));
    expect(await overflow(ioc)).toMatchObject({ extra: 0 });
  });

  it("neither this page nor any dashboard page scrolls sideways at 390 px; the IOC reads any commune's month", async () => {
    expect(await overflow(phone)).toMatchObject({ extra: 0 });
    const ioc = await openPhone();
    await signInAs(ioc, `${base()}/?${VIEW}`, "ioc.xem", system.oidc!.password);
    await ioc.locator('[data-testid="indicators"] tbody tr').first().waitFor(SOON);
    const wide: string[] = [];
    for (const [path, shown] of DASHBOARD_PAGES) {
      await ioc.goto(`${base()}${path}?${VIEW}`);
      await ioc.locator(shown).first().waitFor(SOON);
      const { extra, culprits } = await overflow(ioc);
      if (extra > 0) wide.push(`${path}: ${extra} px too wide (${culprits.join("; ")})`);
    }
    await ioc.goto(`${base()}/?${VIEW}`);
    await ioc.locator('[data-testid="indicators"] tbody tr').first().waitFor(SOON);
    await ioc.screenshot({ path: join(SCREENSHOTS, "overview-390.png") });
    expect(wide).toEqual([]);

    // the IOC opens any commune's month by its code, to read: no entry, no submitting
    await ioc.goto(`${base()}/bao-cao-xa`);
    await ioc.getByTestId("commune-code").fill(HAI_DUONG);
    await ioc.getByTestId("commune-code").press("Enter");
    await obligation(ioc, "health|II.12").waitFor(SOON);
    expect(new URL(ioc.url()).pathname).toBe(`/bao-cao-xa/${HAI_DUONG}`);
    expect(await obligation(ioc, "health|II.12").getByTestId("obligation-figure").innerText()).toBe(
      "77,5% (31/40)",
    );
    expect(await ioc.getByTestId("figure-entry").count()).toBe(0);
    expect(await ioc.getByTestId("commune-submit").count()).toBe(0);
  });

  it("logged no console error and asked nothing of another host", () => {
    expect(consoleErrors).toEqual([]);
    expect(elsewhere.flat()).toEqual([]);
  });
});
