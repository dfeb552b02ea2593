import type { SourceError } from "./types";

/**
 * What went wrong reading a source, in the model's words. Azure SDK RestErrors, Kubernetes
 * ApiExceptions and @azure/identity credential errors are recognised by shape, so this module
 * needs no SDK and every layer can classify a failure the same way.
 */

/** Thrown when a list fails after some pages were read; `partial` holds what was read. */
export class WireListError extends Error {
  readonly cause: unknown;
  readonly partial: Record<string, unknown>[];
  constructor(cause: unknown, partial: Record<string, unknown>[]) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "WireListError";
    this.cause = cause;
    this.partial = partial;
  }
}

interface RestErrorLike extends Error {
  statusCode?: number;
  code?: string;
  details?: unknown;
  response?: { bodyAsText?: string | null };
}

/** @azure/core-rest-pipeline's RestError (same test as its isRestError: the name). */
function isRestError(error: unknown): error is RestErrorLike {
  return error instanceof Error && error.name === "RestError";
}

/** Where a failed read was aimed: the source name and, when known, the ARM scope or cluster. */
export interface ErrorContext {
  source: string;
  scope?: string;
  cluster?: string;
}

interface ErrorFacts {
  status?: number;
  code?: string;
  message: string;
}

/**
 * Turns any failure of a reader into a SourceError: ARM/Graph RestErrors (status and the
 * `error.code` of the ARM error body), Kubernetes ApiExceptions (status and the Status
 * object's reason), credential failures and network errors.
 */
export function toSourceError(error: unknown, context: ErrorContext): SourceError {
  const facts = errorFacts(error);
  const where = context.cluster ?? context.scope;
  let message = facts.message;
  if (facts.status === 403) {
    // The caller's identity holds no role there that allows this; with sign-in, that is the person's own rights.
    message = `you lack rights on ${where ?? "the requested scope"}${facts.code ? ` (${facts.code})` : ""}: ${facts.message}`;
  } else if (facts.status === 401) {
    message = `authentication failed${where ? ` reading ${where}` : ""}: ${facts.message}`;
  } else if (facts.status === 429) {
    message = `throttled${where ? ` reading ${where}` : ""} after retries: ${facts.message}`;
  }
  const out: SourceError = { source: context.source, message };
  if (facts.status !== undefined) out.status = facts.status;
  if (facts.code) out.code = facts.code;
  if (context.scope) out.scope = context.scope;
  if (context.cluster) out.cluster = context.cluster;
  return out;
}

/** The HTTP status of a failure, when it has one. */
export function errorStatus(error: unknown): number | undefined {
  return errorFacts(error).status;
}

/** Why Entra refused a delegated token without a person at a prompt. */
export const TokenRefusal = {
  /** AADSTS65001: neither the user nor an admin consented to the resource's permission. */
  ConsentRequired: "consent_required",
  /** AADSTS50076 / 50079 / 53003 and kin: MFA or Conditional Access wants the person interactively. */
  InteractionRequired: "interaction_required",
} as const;
export type TokenRefusal = (typeof TokenRefusal)[keyof typeof TokenRefusal];

/**
 * Whether a failure is Entra refusing a token for lack of consent or interaction, from any
 * credential: a session's (its error's `code`), @azure/identity's (the OAuth error and AADSTS
 * code in its response or message). Causes are followed.
 */
export function tokenRefusal(error: unknown): TokenRefusal | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const facts = e as Error & { code?: unknown; errorCode?: unknown; subError?: unknown; errorResponse?: { error?: string; errorDescription?: string } };
    const text = `${e.message} ${facts.errorResponse?.errorDescription ?? ""}`;
    const codes = [facts.code, facts.errorCode, facts.subError, facts.errorResponse?.error].filter((c): c is string => typeof c === "string");
    if (codes.includes(TokenRefusal.ConsentRequired) || /AADSTS65001\b/.test(text)) return TokenRefusal.ConsentRequired;
    if (codes.includes(TokenRefusal.InteractionRequired) || /AADSTS(50076|50079|50158|53003|50074)\b/.test(text)) return TokenRefusal.InteractionRequired;
  }
  return undefined;
}

/** The error code of a failure (ARM's `error.code`, a Kubernetes Status reason, an OAuth error), when it has one. */
export function errorCode(error: unknown): string | undefined {
  return errorFacts(error).code;
}

function errorFacts(error: unknown): ErrorFacts {
  if (error instanceof WireListError) return errorFacts(error.cause);
  if (isRestError(error)) {
    const body = restErrorBody(error);
    return {
      status: error.statusCode,
      code: body.code ?? (error.code && error.code !== "REQUEST_SEND_ERROR" ? error.code : undefined),
      message: body.message ?? firstLine(error.message) ?? (error.code === "REQUEST_SEND_ERROR" ? "request could not be sent" : "request failed"),
    };
  }
  if (isKubeApiException(error)) {
    const status = kubeStatus(error.body);
    return {
      status: error.code,
      code: status.reason,
      message: status.message ?? `HTTP ${error.code}`,
    };
  }
  if (error instanceof Error) {
    // @azure/identity raises AuthenticationError (statusCode + errorResponse),
    // AuthenticationRequiredError (MSAL's invalid_client, ...), CredentialUnavailableError
    // and AggregateAuthenticationError; all are credential problems, not missing data.
    if (credentialErrorNames.has(error.name)) {
      const authError = error as Error & { statusCode?: number; errorResponse?: { error?: string; errorDescription?: string } };
      const text = authError.errorResponse?.errorDescription ?? error.message;
      const oauthCode = authError.errorResponse?.error ?? /^([a-z_]+):/.exec(error.message)?.[1];
      return {
        status: authError.statusCode === undefined || authError.statusCode === 400 ? 401 : authError.statusCode,
        code: oauthCode ?? error.name,
        message: `could not get a token: ${entraDescription(text)}`,
      };
    }
    // Network failures (undici's "fetch failed", Node socket errors) carry the reason in
    // `cause`: ECONNREFUSED, ENOTFOUND, certificate errors.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const code = (error as { code?: unknown }).code;
    const base = firstLine(error.message) ?? error.name;
    const reason = cause?.message && !base.includes(cause.message) ? `: ${firstLine(cause.message)}` : "";
    return {
      code: typeof code === "string" ? code : cause?.code,
      message: `${base}${reason}`,
    };
  }
  return { message: String(error) };
}

/**
 * ARM error bodies: `{ "error": { "code", "message" } }`. Graph uses the same envelope.
 * The classic SDKs parse it into `details`; the modular ones keep the raw body on the response.
 */
function restErrorBody(error: { details?: unknown; response?: { bodyAsText?: string | null } }): { code?: string; message?: string } {
  const fromDetails = armErrorEnvelope(error.details);
  if (fromDetails.code || fromDetails.message) return fromDetails;
  const text = error.response?.bodyAsText;
  if (text) {
    try {
      return armErrorEnvelope(JSON.parse(text));
    } catch {
      return {};
    }
  }
  return {};
}

function armErrorEnvelope(value: unknown): { code?: string; message?: string } {
  if (!value || typeof value !== "object") return {};
  const inner = (value as { error?: unknown }).error;
  const candidate = (inner && typeof inner === "object" ? inner : value) as { code?: unknown; message?: unknown };
  return {
    code: typeof candidate.code === "string" ? candidate.code : undefined,
    message: typeof candidate.message === "string" ? candidate.message : undefined,
  };
}

interface KubeApiExceptionLike {
  code: number;
  body: unknown;
}

function isKubeApiException(error: unknown): error is KubeApiExceptionLike {
  return (
    error instanceof Error &&
    error.name !== "RestError" &&
    typeof (error as { code?: unknown }).code === "number" &&
    "body" in error
  );
}

/** The Kubernetes `Status` object (kind: Status, reason, message); the body may be a JSON string. */
function kubeStatus(body: unknown): { reason?: string; message?: string } {
  let value = body;
  if (typeof body === "string") {
    try {
      value = JSON.parse(body);
    } catch {
      return { message: firstLine(body) };
    }
  }
  if (!value || typeof value !== "object") return {};
  const status = value as { reason?: unknown; message?: unknown };
  return {
    reason: typeof status.reason === "string" ? status.reason : undefined,
    message: typeof status.message === "string" ? status.message : undefined,
  };
}

const credentialErrorNames = new Set([
  "AuthenticationError",
  "AuthenticationRequiredError",
  "CredentialUnavailableError",
  "AggregateAuthenticationError",
]);

/** Entra error texts carry an `AADSTSnnnn: sentence` followed by trace and correlation ids; keep the sentence. */
function entraDescription(text: string): string {
  const aadsts = /AADSTS\d+:.*?(?=\s+Trace ID:|\s+-\s+Timestamp:|\r?\n|$)/.exec(text);
  return aadsts?.[0].trim() ?? firstLine(text) ?? "the identity service refused the request";
}

function firstLine(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const line = text.split("\n").find((l) => l.trim().length > 0);
  return line?.trim();
}
