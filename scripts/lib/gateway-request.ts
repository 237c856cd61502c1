// One GraphQL request to the gateway for the commands that talk to it: the data, or an error that says
// why (unreachable, an answer that is not the gateway's JSON, or the gateway's own messages).

export interface GatewayError {
  message: string;
  extensions?: {
    code?: string;
    /** A refused report's problems: by line (a file's row) or index, with the column where known. */
    problems?: { line?: number; index?: number; column?: string; message: string }[];
  };
}

/** The gateway answered with errors (nothing was written, for a write): each one as it came. */
export class GatewayRefusal extends Error {
  constructor(
    readonly status: number,
    readonly errors: GatewayError[],
  ) {
    super(`the gateway refused (${status}): ${errors.map((e) => e.message).join("; ")}`);
  }
}

/** POSTs an operation with the token (if any); resolves to its data, rejects with a readable error. */
export async function askGateway<Data>(
  url: string,
  token: string | undefined,
  query: string,
  variables: object,
): Promise<Data> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query, variables }),
  }).catch((error: Error) => {
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    throw new Error(`cannot reach the gateway at ${url}: ${cause}`);
  });
  const text = await response.text();
  let body: { data?: Data | null; errors?: GatewayError[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    const type = response.headers.get("content-type") ?? "no content type";
    throw new Error(
      `${url} answered ${response.status} (${type}), not the gateway's JSON: is it the gateway's address? (${text.slice(0, 80).replace(/\s+/g, " ")}...)`,
    );
  }
  if (body.errors?.length || !body.data)
    throw new GatewayRefusal(response.status, body.errors ?? []);
  return body.data;
}
