import { ClientAssertionCredential } from "@azure/identity";
import { AzureAudience } from "@/lib/azure/clients";

export interface TokenExchangeInput {
  /** Entra's authority host (https://login.microsoftonline.com, or the emulator's URL). */
  authorityHost: string;
  tenantId: string;
  /** The user-assigned identity's client id, or the application's (app) id. */
  clientId: string;
  /** The ServiceAccount token (a JWT from the cluster's OIDC issuer). */
  assertion: string;
  /** Default: ARM's `.default` scope. */
  scope?: string;
  /** PEM of an extra CA to trust (the emulator's), as AzureConnection.caPem. */
  caPem?: string;
}

export type TokenExchangeResult = { ok: true; expiresOn: number } | { ok: false; code: string; message: string };

/** Entra's description without the per-request trace/correlation ids and timestamp. */
function entraSentence(text: string): string {
  const at = text.search(/\s+Trace ID:/);
  return (at >= 0 ? text.slice(0, at) : text).trim();
}

/** The first AADSTS code and its description in an error @azure/identity raised, else the error's own message. */
function refusal(error: unknown): { code: string; message: string } {
  const text = error instanceof Error ? error.message : String(error);
  const match = /(AADSTS\d+):?\s*([\s\S]*)/.exec(text);
  if (match) return { code: match[1]!, message: entraSentence(`${match[1]}: ${match[2]!}`) };
  const name = error instanceof Error ? error.name : "Error";
  return { code: name, message: entraSentence(text) };
}

/**
 * Exchanges a ServiceAccount token for an Entra access token with ClientAssertionCredential:
 * the client-credentials grant with a JWT client assertion, the path every Azure SDK takes
 * in a workload-identity pod. Only whether it worked (and until when) comes back; the access
 * token is dropped here and never logged. A refusal carries Entra's AADSTS code and sentence.
 */
export async function exchangeServiceAccountToken(input: TokenExchangeInput): Promise<TokenExchangeResult> {
  const credential = new ClientAssertionCredential(input.tenantId, input.clientId, async () => input.assertion, {
    authorityHost: input.authorityHost,
    ...(input.caPem ? { tlsOptions: { ca: input.caPem }, disableInstanceDiscovery: true } : {}),
  });
  try {
    const token = await credential.getToken(input.scope ?? `${AzureAudience.Arm}/.default`);
    return { ok: true, expiresOn: token.expiresOnTimestamp };
  } catch (error) {
    return { ok: false, ...refusal(error) };
  }
}
