/**
 * Federated identity credentials of app registrations, through Microsoft Graph v1.0. They are
 * Graph objects, not ARM resources: `applications(appId='{appId}')/federatedIdentityCredentials`
 * addresses the application by its client id (the alternate key Graph supports), so no object
 * id lookup is needed.
 */
import { createHttpHeaders, createPipelineRequest, RestError } from "@azure/core-rest-pipeline";
import type { AzureClients } from "@/lib/azure/clients";

/** What Graph returns for a federatedIdentityCredential (the fields Scopewise reads). */
export interface AppFederatedCredential {
  id: string;
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
  description?: string | null;
}

export interface AppFederatedCredentialInput {
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
  description?: string;
}

function collectionUrl(clients: AzureClients, appId: string): string {
  // OData string literal: a quote inside is doubled. appIds are GUIDs, but the value comes from a plan.
  return `${clients.graphEndpoint}/v1.0/applications(appId='${encodeURIComponent(appId.replace(/'/g, "''"))}')/federatedIdentityCredentials`;
}

async function send(clients: AzureClients, method: "GET" | "POST" | "DELETE", url: string, body?: unknown): Promise<{ status: number; json?: unknown }> {
  const request = createPipelineRequest({
    url,
    method,
    headers: createHttpHeaders({ accept: "application/json", ...(body !== undefined ? { "content-type": "application/json" } : {}) }),
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const response = await clients.graph().sendRequest(request);
  const text = response.bodyAsText ?? "";
  let json: unknown;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (response.status >= 400) {
    const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const message = typeof error?.message === "string" ? error.message : `Graph ${method} ${new URL(url).pathname} returned HTTP ${response.status}`;
    throw new RestError(message, { statusCode: response.status, code: typeof error?.code === "string" ? error.code : undefined, request, response });
  }
  return { status: response.status, json };
}

function adaptCredential(raw: unknown, where: string): AppFederatedCredential {
  const r = (raw ?? {}) as Record<string, unknown>;
  if (typeof r.id !== "string" || typeof r.name !== "string" || typeof r.issuer !== "string" || typeof r.subject !== "string" || !Array.isArray(r.audiences)) {
    throw new Error(`${where}: Graph returned a federatedIdentityCredential without id, name, issuer, subject or audiences`);
  }
  return {
    id: r.id,
    name: r.name,
    issuer: r.issuer,
    subject: r.subject,
    audiences: r.audiences.filter((a): a is string => typeof a === "string"),
    ...(typeof r.description === "string" ? { description: r.description } : {}),
  };
}

/** `GET applications(appId='…')/federatedIdentityCredentials`, following `@odata.nextLink`. */
export async function listAppFederatedCredentials(clients: AzureClients, appId: string): Promise<AppFederatedCredential[]> {
  const out: AppFederatedCredential[] = [];
  let url: string | undefined = collectionUrl(clients, appId);
  while (url) {
    const { json } = await send(clients, "GET", url);
    const page = (json ?? {}) as { value?: unknown; "@odata.nextLink"?: unknown };
    if (!Array.isArray(page.value)) throw new Error(`federated credentials of app ${appId}: Graph returned no "value" array`);
    out.push(...page.value.map((v) => adaptCredential(v, `federated credentials of app ${appId}`)));
    url = typeof page["@odata.nextLink"] === "string" ? page["@odata.nextLink"] : undefined;
  }
  return out;
}

/** The credential named `name` (Graph compares names case-insensitively), if the app has one. */
export async function getAppFederatedCredential(clients: AzureClients, appId: string, name: string): Promise<AppFederatedCredential | undefined> {
  return (await listAppFederatedCredentials(clients, appId)).find((c) => c.name.toLowerCase() === name.toLowerCase());
}

/** `POST …/federatedIdentityCredentials` → 201 with the created credential. */
export async function createAppFederatedCredential(clients: AzureClients, appId: string, input: AppFederatedCredentialInput): Promise<AppFederatedCredential> {
  const { json } = await send(clients, "POST", collectionUrl(clients, appId), input);
  return adaptCredential(json, `new federated credential ${input.name} of app ${appId}`);
}

/** `DELETE …/federatedIdentityCredentials/{id}` → 204. */
export async function deleteAppFederatedCredential(clients: AzureClients, appId: string, id: string): Promise<void> {
  await send(clients, "DELETE", `${collectionUrl(clients, appId)}/${encodeURIComponent(id)}`);
}

/** Graph path of an app registration's federated credential, by appId and credential name (the audit's target). */
export function appFederatedCredentialPath(appId: string, name: string): string {
  return `/applications(appId='${appId}')/federatedIdentityCredentials/${name}`;
}
