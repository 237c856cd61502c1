// The realm file in keycloak/ says what the code says: the plan's roles, the dashboard's client
// back to the gateway's own paths, every machine client the commands and the scheduler use, each as
// its agency's service account with its roles, and the claims where the gateway reads them by
// default. It holds no secret, and its demo people are the embedded provider's. (That Keycloak takes
// it and the gateway its tokens, test/keycloak.e2e.ts proves.)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROLES } from "@p06/subgraph-kit";
import { readAccounts } from "../gateway/src/oidc/accounts.js";
import {
  DASHBOARD_CLIENT_ID,
  dashboardRedirects,
  machineClients,
} from "../gateway/src/oidc/clients.js";
import { DEFAULT_CLAIM_NAMES, DEFAULT_TOKEN_ADDRESS } from "../gateway/src/trust/claims.js";
import { REALM, realmDir } from "../scripts/lib/keycloak.js";
import { realmPeople } from "./support/keycloak.js";

interface Mapper {
  protocolMapper: string;
  config: Record<string, string>;
}
interface Client {
  clientId: string;
  publicClient: boolean;
  standardFlowEnabled: boolean;
  directAccessGrantsEnabled: boolean;
  serviceAccountsEnabled: boolean;
  redirectUris?: string[];
  attributes: Record<string, string>;
  defaultClientScopes: string[];
}
interface Realm {
  realm: string;
  roles: { realm: { name: string }[] };
  clientScopes: { name: string; protocolMappers: Mapper[] }[];
  clients: Client[];
  users: {
    serviceAccountClientId?: string;
    attributes: { agency: string[] };
    realmRoles: string[];
  }[];
}

const text = (name: string) => readFileSync(join(realmDir, name), "utf8");
const realm = JSON.parse(text(`${REALM}-realm.json`)) as Realm;
const scope = (name: string) => realm.clientScopes.find((each) => each.name === name)!;
/** The claims Keycloak's own mappers put under a name of their own. */
const FIXED_CLAIMS: Record<string, string> = {
  "oidc-audience-mapper": "aud",
  "oidc-sub-mapper": "sub",
  "oidc-full-name-mapper": "name",
};
/** A scope's claims in the access token: each claim's name, and what it is made from. */
const accessClaims = (name: string) =>
  Object.fromEntries(
    scope(name)
      .protocolMappers.filter((mapper) => mapper.config["access.token.claim"] === "true")
      .map(({ protocolMapper, config }) => [
        config["claim.name"] ?? FIXED_CLAIMS[protocolMapper],
        config["user.attribute"] ?? config["included.custom.audience"] ?? protocolMapper,
      ]),
  );
const ORIGIN = "${P06_GATEWAY_ORIGIN:http://127.0.0.1:4000}";

describe("the realm file", () => {
  it("has the plan's roles as realm roles, and no other", () => {
    expect(realm.roles.realm.map((role) => role.name)).toEqual([...ROLES]);
  });

  it("signs people in to the dashboard with the code and PKCE only, back to the gateway's origin", () => {
    const dashboard = realm.clients.find((client) => client.clientId === DASHBOARD_CLIENT_ID)!;
    const { redirect_uris, post_logout_redirect_uris } = dashboardRedirects([ORIGIN]);
    expect(dashboard).toMatchObject({
      publicClient: true,
      standardFlowEnabled: true,
      implicitFlowEnabled: false,
      directAccessGrantsEnabled: false,
      serviceAccountsEnabled: false,
      redirectUris: redirect_uris,
      attributes: {
        "pkce.code.challenge.method": "S256",
        "post.logout.redirect.uris": post_logout_redirect_uris.join("##"),
      },
      defaultClientScopes: ["p06-gateway"],
    });
  });

  it("puts a person's claims where the gateway reads them by default", () => {
    const names = DEFAULT_CLAIM_NAMES;
    expect(accessClaims("p06-gateway")).toEqual({
      aud: DEFAULT_TOKEN_ADDRESS.audience,
      [names.person]: "oidc-sub-mapper",
      [names.name[0]!]: "oidc-full-name-mapper",
      [names.name[1]!]: "username",
      [names.agency]: "agency",
      [names.commune]: "commune",
      [names.role]: "oidc-usermodel-realm-role-mapper",
    });
    // the roles by the names the gateway expects by default
    expect(Object.entries(names.roles).every(([role, name]) => role === name)).toBe(true);
  });

  it("has every machine client, each its agency's service account with its roles", () => {
    const machines = realm.clients.filter((client) => client.serviceAccountsEnabled);
    expect(machines.map((client) => client.clientId)).toEqual(
      machineClients().map((machine) => machine.clientId),
    );
    for (const machine of machineClients()) {
      const client = machines.find((each) => each.clientId === machine.clientId)!;
      expect(client).toMatchObject({
        publicClient: false,
        standardFlowEnabled: false,
        directAccessGrantsEnabled: false,
        defaultClientScopes: ["p06-machine"],
      });
      const account = realm.users.find((user) => user.serviceAccountClientId === client.clientId);
      expect(account).toMatchObject({
        attributes: { agency: [machine.agency] },
        realmRoles: machine.roles,
      });
    }
    // as the gateway reads a service account: the agency's code as subject, no agency claim
    expect(accessClaims("p06-machine")).toEqual({
      aud: DEFAULT_TOKEN_ADDRESS.audience,
      sub: "agency",
      [DEFAULT_CLAIM_NAMES.role]: "oidc-usermodel-realm-role-mapper",
    });
  });

  it("holds no secret, and no description longer than Keycloak keeps (255)", () => {
    expect(text(`${REALM}-realm.json`)).not.toMatch(/"(secret|password|credentials)"/i);
    const described = [...realm.roles.realm, ...realm.clientScopes, ...realm.clients] as {
      description?: string;
    }[];
    expect(described.filter((each) => (each.description?.length ?? 0) > 255)).toEqual([]);
  });
});

describe("the test realm's demo people", () => {
  it("are the embedded provider's demo accounts, by login, name, agency and roles", () => {
    const accounts = readAccounts();
    const people = realmPeople();
    expect(people.map((person) => person.login)).toEqual(
      expect.arrayContaining(["doh.canbo", "ioc.duyet"]),
    );
    for (const person of people) {
      const account = accounts.find((each) => each.login === person.login);
      expect(person).toEqual({
        login: account?.login,
        name: account?.name,
        agency: account?.agency,
        ...(account?.commune && { commune: account.commune }),
        roles: account?.roles,
      });
    }
  });

  it("keep only a hash of the demo password", () => {
    const users = JSON.parse(text(`${REALM}-users-0.json`)) as {
      users: { credentials: { type: string; secretData: string; credentialData: string }[] }[];
    };
    for (const credential of users.users.flatMap((user) => user.credentials)) {
      expect(Object.keys(JSON.parse(credential.secretData) as object).sort()).toEqual([
        "additionalParameters",
        "salt",
        "value",
      ]);
      expect(JSON.parse(credential.credentialData)).toMatchObject({
        algorithm: "pbkdf2-sha512",
        hashIterations: 210000,
      });
    }
  });
});
