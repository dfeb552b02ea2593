/**
 * Terraform input that cannot be read as a whole: a plan or state that is not JSON, of
 * another format major version, of the other kind, or HCL that does not parse. Nothing is
 * returned for such input: a partial reading would pass for a complete one.
 */
export class IacInputError extends Error {
  constructor(
    /** The file as the caller named it (a path, or a label such as "stdin"). */
    readonly file: string,
    reason: string,
    /** 1-based line where the problem is, when the input has lines and the place is known. */
    readonly line?: number,
  ) {
    super(`${file}${line ? `:${line}` : ""}: ${reason}`);
    this.name = "IacInputError";
  }
}

/** 1-based line of a 0-based character offset in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
