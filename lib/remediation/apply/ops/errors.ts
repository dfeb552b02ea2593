import { toSourceError } from "@/lib/model/source-error";

/** A write failed; `status`/`code` come from ARM, Graph or the Kubernetes API when it answered. */
export class OperationError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "OperationError";
  }
}

/** The object is not what the scan saw: changing it now could undo something nobody reviewed. */
export class ChangedSinceScanError extends OperationError {
  constructor(message: string) {
    super(message, undefined, "ChangedSinceScan");
    this.name = "ChangedSinceScanError";
  }
}

/**
 * Status, code and message of an ARM RestError or Kubernetes ApiException, through the scan's
 * own error reading (lib/model/source-error.ts), minus the wording it adds for failed reads.
 */
export function errorFacts(error: unknown): { status?: number; code?: string; message: string } {
  const f = toSourceError(error, { source: "apply" });
  const message = f.message.replace(/^(?:no read access to|you lack rights on) the requested scope(?: \([^)]*\))?: /, "").replace(/^authentication failed: /, "");
  return { status: f.status, code: f.code, message };
}

/** The error as an OperationError saying what was being done. */
export function wrap(error: unknown, doing: string): OperationError {
  if (error instanceof OperationError) return error;
  const facts = errorFacts(error);
  return new OperationError(`could not ${doing}: ${facts.status ? `HTTP ${facts.status} ` : ""}${facts.code ? `${facts.code}: ` : ""}${facts.message}`, facts.status, facts.code, { cause: error });
}

/** Runs `call`; any failure becomes an OperationError saying what was being done. */
export async function attempt<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw wrap(error, doing);
  }
}
