// Who the pages say is signed in, read from the ID token's claims (or a developer's pasted token), and
// where they land after signing in; a failed sign-in said in Vietnamese.
import { describe, expect, it } from "vitest";
import { describeSignInError } from "../gateway/web/src/error-codes.js";
import { landingPath, personOf } from "../gateway/web/src/session/person.js";

describe("the person a token names", () => {
  it("reads an ID token's name, agency and roles, keeping only the plan's roles", () => {
    expect(
      personOf({
        sub: "doh.canbo",
        name: "Nguyễn Thị Lan",
        agency: "DOH",
        role: ["data-officer", "p06-something-else"],
      }),
    ).toEqual({
      id: "doh.canbo",
      name: "Nguyễn Thị Lan",
      agency: "DOH",
      commune: null,
      roles: ["data-officer"],
    });
  });

  it("reads a commune's person: the commune's code beside COMMUNE, and the commune's roles", () => {
    expect(
      personOf({
        sub: "haiduong.canbo",
        name: "Nguyễn Thị Thu",
        agency: "COMMUNE",
        commune: "10525",
        role: ["commune-officer"],
      }),
    ).toEqual({
      id: "haiduong.canbo",
      name: "Nguyễn Thị Thu",
      agency: "COMMUNE",
      commune: "10525",
      roles: ["commune-officer"],
    });
    // a commune claim means nothing for an agency's person
    expect(personOf({ sub: "doh.canbo", agency: "DOH", commune: "10525" })?.commune).toBeNull();
  });

  it("takes a service account's subject as its agency, and its login as a name it lacks", () => {
    expect(personOf({ sub: "IOC", role: "ioc-viewer" })).toEqual({
      id: "IOC",
      name: "IOC",
      agency: "IOC",
      commune: null,
      roles: ["ioc-viewer"],
    });
    expect(personOf({ sub: "ioc.xem", preferred_username: "ioc.xem" })?.agency).toBeNull();
    expect(personOf({ name: "no subject" })).toBeNull();
  });
});

describe("where a person lands after signing in", () => {
  const officer = personOf({ sub: "doh.canbo", agency: "DOH", role: "data-officer" });
  const reviewer = personOf({ sub: "ioc.duyet", agency: "IOC", role: "ioc-reviewer" });

  it("from the start page: an agency's person on its month, the IOC on the overview", () => {
    expect(landingPath(officer, "/?nam=2026")).toBe("/bao-cao/DOH?nam=2026");
    expect(landingPath(reviewer, "/?nam=2026")).toBe("/?nam=2026");
  });

  it("from the start page: a commune's person on their commune's month", () => {
    const commune = personOf({
      sub: "haiduong.chutich",
      agency: "COMMUNE",
      commune: "10525",
      role: "commune-chair",
    });
    expect(landingPath(commune, "/?thang=2026-10")).toBe("/bao-cao-xa/10525?thang=2026-10");
    expect(landingPath(commune, "/nhiem-vu")).toBe("/nhiem-vu");
  });

  it("from any other page: back where they started", () => {
    expect(landingPath(officer, "/chi-tieu/II.12?thang=2026-10")).toBe(
      "/chi-tieu/II.12?thang=2026-10",
    );
  });
});

describe("a failed sign-in", () => {
  it("is said in Vietnamese by the provider's code, or as unfinished with the browser's words", () => {
    expect(describeSignInError("vi", { error: "access_denied", message: "denied" })).toBe(
      "Bạn đã huỷ đăng nhập",
    );
    expect(describeSignInError("vi", new Error("Popup blocked by user"))).toMatch(
      /^Trình duyệt đã chặn cửa sổ đăng nhập/,
    );
    expect(describeSignInError("vi", new Error("Failed to fetch"))).toBe(
      "Đăng nhập chưa hoàn tất; hãy đăng nhập lại (Failed to fetch)",
    );
    expect(describeSignInError("en", new Error("Failed to fetch"))).toBe("Failed to fetch");
  });
});
