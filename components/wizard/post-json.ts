/** Failed request with the server's message (its `error` field, and `issues` for a 422). */
export class RequestFailedError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "RequestFailedError";
  }
}

async function errorOf(res: Response): Promise<RequestFailedError> {
  try {
    const body = (await res.json()) as { error?: string; issues?: string[] };
    const detail = body.issues?.length ? ` (${body.issues.join("; ")})` : "";
    return new RequestFailedError(`${body.error ?? `HTTP ${res.status}`}${detail}`, res.status);
  } catch {
    return new RequestFailedError(`HTTP ${res.status}`, res.status);
  }
}

/**
 * POSTs JSON to a mutating route with the double-submit CSRF token (GET /api/csrf sets the
 * cookie and returns the value the `x-csrf-token` header must echo).
 */
export async function postWithCsrf<T>(url: string, body: unknown): Promise<T> {
  const tokenRes = await fetch("/api/csrf", { cache: "no-store", credentials: "same-origin" });
  if (!tokenRes.ok) throw await errorOf(tokenRes);
  const { token } = (await tokenRes.json()) as { token: string };
  const res = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", "x-csrf-token": token },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

/** GETs JSON from a route; a failure carries the server's message. */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { cache: "no-store", credentials: "same-origin" });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}
