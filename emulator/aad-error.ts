import { randomUUID } from "node:crypto";
import { HttpError } from "./http";

/** AAD's OAuth error body (error, error_description with an AADSTS code, error_codes, ids, timestamp). */
export function aadError(status: number, error: string, aadsts: number, description: string, extra: Record<string, string> = {}): HttpError {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
  return new HttpError(status, {
    error,
    error_description: `AADSTS${aadsts}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
    ...extra,
  });
}
