/** The error a tenant file that breaks the format raises: the message names the JSON path of the first problem. */
export class TenantFormatError extends Error {
  constructor(
    message: string,
    /** JSON path of the first problem (`$.roleAssignments[3].properties.principalId`), when there is one. */
    readonly path?: string,
    readonly source?: string,
  ) {
    super(message);
    this.name = "TenantFormatError";
  }
}

/** Throws a TenantFormatError for the problem at `path`. */
export function fail(source: string | undefined, path: string, message: string): never {
  throw new TenantFormatError(`${source ? `${source}: ` : ""}${path}: ${message}`, path, source);
}
