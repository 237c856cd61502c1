// The embedded OpenID provider: panva's certified oidc-provider, configured for the plan's people and
// machines. People sign in with the authorization code and PKCE (the dashboard, a public client);
// machines with client credentials. Every access token is a JWT for the gateway (a resource indicator
// whose audience is JWT_AUDIENCE), signed with the development key and carrying exactly the claims
// the gateway reads (claims.ts): the person, the agency they act for and their roles, or a service
// account's agency as its subject.
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import { setClaim } from "../trust/claims.js";
import type { SigningKey } from "../trust/keys.js";
import type { Account, AccountBook } from "./accounts.js";
import {
  DASHBOARD_CLIENT_ID,
  dashboardRedirects,
  type ProviderSecrets,
  type MachineClient,
} from "./clients.js";
import type { ProviderConfig } from "./config.js";
import { errorPage, signedOutPage, signOutPage } from "./pages.js";

/** The gateway as a resource server: the indicator every access token is issued for. */
export const GATEWAY_RESOURCE = "urn:p06:gateway";

const WORKING_DAY_SECONDS = 8 * 60 * 60;

export interface ProviderParts {
  config: ProviderConfig;
  accounts: AccountBook;
  machines: MachineClient[];
  secrets: ProviderSecrets;
  signingKey: SigningKey;
}

/** The claims a person's tokens carry, at the names the gateway reads (JWT_*_CLAIM, JWT_*_ROLE). */
function personClaims(account: Account, config: ProviderConfig): Record<string, unknown> {
  const names = config.claimNames;
  const claims: Record<string, unknown> = {};
  if (names.person !== "sub") setClaim(claims, names.person, account.login);
  setClaim(claims, names.name[0] ?? "name", account.name);
  setClaim(claims, names.agency, account.agency);
  if (account.commune) setClaim(claims, names.commune, account.commune);
  setClaim(
    claims,
    names.role,
    account.roles.map((role) => names.roles[role]),
  );
  return claims;
}

export function createProvider({
  config,
  accounts,
  machines,
  secrets,
  signingKey,
}: ProviderParts): Provider {
  const machineById = new Map(machines.map((machine) => [machine.clientId, machine]));
  const page = (ctx: KoaContextWithOIDC, html: string) => {
    ctx.type = "html";
    ctx.body = html;
  };
  const configuration: Configuration = {
    clients: [
      {
        client_id: DASHBOARD_CLIENT_ID,
        client_name: "Đề án 06 Hải Phòng",
        application_type: "web",
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        ...dashboardRedirects(config.dashboardOrigins),
      },
      ...machines.map((machine) => ({
        client_id: machine.clientId,
        client_secret: secrets.clients[machine.clientId]!,
        grant_types: ["client_credentials"],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: "client_secret_basic" as const,
      })),
    ],
    clientDefaults: { id_token_signed_response_alg: "ES256" },
    jwks: { keys: [signingKey.privateJwk as never] },
    cookies: { keys: secrets.cookieKeys },
    pkce: { required: () => true },
    responseTypes: ["code"],
    scopes: ["openid", "profile", "offline_access"],
    // the ID token carries who signed in and for whom they act, for the pages' header
    claims: {
      openid: ["sub"],
      profile: ["name", "preferred_username", "agency", "commune", "role"],
    },
    conformIdTokenClaims: false,
    async findAccount(_ctx, sub) {
      const account = accounts.find(sub);
      if (!account) return undefined;
      return {
        accountId: account.login,
        claims: () => ({
          sub: account.login,
          name: account.name,
          preferred_username: account.login,
          agency: account.agency,
          ...(account.commune && { commune: account.commune }),
          role: account.roles.map((role) => config.claimNames.roles[role]),
        }),
      };
    },
    async extraTokenClaims(_ctx, token) {
      if (token.kind === "AccessToken") {
        const account = accounts.find(token.accountId);
        return account ? personClaims(account, config) : undefined;
      }
      const machine = machineById.get(token.clientId ?? "");
      if (!machine) return undefined;
      const claims: Record<string, unknown> = {};
      setClaim(
        claims,
        config.claimNames.role,
        machine.roles.map((role) => config.claimNames.roles[role]),
      );
      return claims;
    },
    formats: {
      customizers: {
        // a machine is its agency's service account: the agency's code is the token's subject
        jwt(_ctx, token, jwt) {
          const machine =
            token.kind === "ClientCredentials" && machineById.get(token.clientId ?? "");
          if (machine) jwt.payload.sub = machine.agency;
          return jwt;
        },
      },
    },
    // the dashboard is the city's own application: nothing to consent to beyond signing in
    async loadExistingGrant(ctx) {
      const { client, session, provider } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
      if (grantId) {
        const grant = await provider.Grant.find(grantId);
        if (grant) return grant;
      }
      const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope("openid profile offline_access");
      grant.addOIDCClaims(["name", "preferred_username", "agency", "commune", "role"]);
      grant.addResourceScope(GATEWAY_RESOURCE, "graph");
      await grant.save();
      return grant;
    },
    // the pages renew with a refresh token that lives no longer than the sign-in's session
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    clientBasedCORS: (_ctx, origin, client) =>
      client.clientId === DASHBOARD_CLIENT_ID && config.dashboardOrigins.includes(origin),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => GATEWAY_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, resource) {
          if (resource !== GATEWAY_RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: "graph",
            audience: config.address.audience,
            accessTokenFormat: "jwt",
            accessTokenTTL: config.accessTokenSeconds,
            jwt: { sign: { alg: "ES256" } },
          };
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => page(ctx, signOutPage(form)),
        postLogoutSuccessSource: (ctx) => page(ctx, signedOutPage()),
      },
    },
    renderError: (ctx, out) =>
      page(ctx, errorPage(String(out.error), out.error_description as string | undefined)),
    ttl: {
      AccessToken: config.accessTokenSeconds,
      ClientCredentials: config.accessTokenSeconds,
      AuthorizationCode: 60,
      IdToken: config.accessTokenSeconds,
      Interaction: 15 * 60,
      Session: WORKING_DAY_SECONDS,
      Grant: WORKING_DAY_SECONDS,
      RefreshToken: WORKING_DAY_SECONDS,
    },
  };
  return new Provider(config.issuer, configuration);
}
