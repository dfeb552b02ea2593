import { request } from "node:https";
import type { EmulatorHandle } from "@/emulator/server";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A bare HTTPS call trusting the emulator's CA, for asserting wire shapes the SDKs hide. */
export function call(
  h: Pick<EmulatorHandle, "url" | "caPem">,
  method: string,
  pathAndQuery: string,
  opts: { token?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const target = new URL(pathAndQuery, h.url);
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method,
        ca: h.caPem,
        headers: {
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(opts.body !== undefined ? { "content-length": Buffer.byteLength(opts.body).toString() } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on("error", reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** A client_credentials token for `resource` straight from the emulator's token endpoint. */
export async function tokenFor(h: EmulatorHandle, resource: string, client = h.clients[0]!): Promise<string> {
  const body = new URLSearchParams({ grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret, scope: `${resource}/.default` }).toString();
  const res = await call(h, "POST", `/${h.tenantId}/oauth2/v2.0/token`, { body, headers: { "content-type": "application/x-www-form-urlencoded" } });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
  return res.json.access_token as string;
}
