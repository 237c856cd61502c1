// One GraphQL request to the gateway for the commands that talk to it (export:values, report:month):
// the data, or an error that says why (unreachable, or the gateway's own messages).

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
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query, variables }),
  }).catch((error: Error) => {
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    throw new Error(`cannot reach the gateway at ${url}: ${cause}`);
  });
  const body = (await response.json().catch(() => null)) as {
    data?: Data;
    errors?: { message: string }[];
  } | null;
  if (!body || body.errors?.length || !body.data) {
    const reasons = body?.errors?.map((e) => e.message).join("; ") ?? `HTTP ${response.status}`;
    throw new Error(`the gateway refused: ${reasons}`);
  }
  return body.data;
}
