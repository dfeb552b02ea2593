import { readFile } from "node:fs/promises";
import { isMap, isNode, LineCounter, parseDocument, type Document } from "yaml";
import { z } from "zod";
import { tryParseScope } from "@/lib/model/scope";
import { TriageState, utcDate, type ExceptionEntry } from "@/lib/model/triage";

/**
 * `scopewise.exceptions.yaml`: the decisions a team keeps in its repository, read by the CLI
 * and the dashboard alike so CI and the dashboard agree (README, "Exceptions file").
 */
export const DEFAULT_EXCEPTIONS_FILE = "scopewise.exceptions.yaml";

export interface ExceptionsProblem {
  line: number;
  /** Dotted path of the field, e.g. `exceptions[2].expires`. */
  field: string;
  message: string;
}

/** An exceptions file that cannot be used as a whole: nothing of it applies. */
export class ExceptionsFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ExceptionsProblem[],
  ) {
    super(problems.map((p) => `${file}:${p.line}: ${p.field}: ${p.message}`).join("\n"));
    this.name = "ExceptionsFileError";
  }
}

const text = (what: string) => z.string({ error: `${what} must be a non-empty text` }).trim().min(1, `${what} must be a non-empty text`);

const entrySchema = z.strictObject({
  finding: text("finding").optional(),
  rule: text("rule").optional(),
  scope: text("scope").optional(),
  principalId: text("principalId").optional(),
  cluster: text("cluster").optional(),
  state: z.enum([TriageState.Accepted, TriageState.FalsePositive], { error: `state must be "accepted" or "false-positive"` }).default(TriageState.Accepted),
  reason: text("reason"),
  owner: text("owner"),
  expires: z.iso.date({ error: "expires must be an ISO date (YYYY-MM-DD)" }),
});

const fileSchema = z.strictObject({ exceptions: z.array(entrySchema, { error: "exceptions must be a list" }) });

type Path = readonly (string | number)[];

function fieldName(path: Path): string {
  return path.reduce<string>((s, p) => (typeof p === "number" ? `${s}[${p}]` : s ? `${s}.${p}` : p), "") || "(file)";
}

/** The line of the node at `path`, or of its nearest ancestor that exists (a missing field: its entry). */
function lineOf(doc: Document, lines: LineCounter, path: Path): number {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return 1;
}

/** The line of a key inside the map at `path` (an unknown field is reported where it is written). */
function lineOfKey(doc: Document, lines: LineCounter, path: Path, key: string): number {
  const map = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(map)) {
    const pair = map.items.find((p) => isNode(p.key) && (p.key as { value?: unknown }).value === key);
    if (pair && isNode(pair.key) && pair.key.range) return lines.linePos(pair.key.range[0]).line;
  }
  return lineOf(doc, lines, path);
}

export interface ParseExceptionsOptions {
  /** Rule ids that exist; an entry naming another is refused. */
  ruleIds: readonly string[];
  /** An expiry before this day (UTC) is refused: the decision needs a fresh look. */
  now: Date;
}

/** Parses and validates the text of an exceptions file; every problem is reported with its line and field. */
export function parseExceptions(source: string, file: string, options: ParseExceptionsOptions): ExceptionEntry[] {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ExceptionsFileError(
      file,
      doc.errors.map((e) => ({ line: e.linePos?.[0].line ?? lines.linePos(e.pos[0]).line, field: "(yaml)", message: e.message.split("\n")[0]! })),
    );
  }
  const parsed = fileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    throw new ExceptionsFileError(
      file,
      parsed.error.issues.flatMap((issue) => {
        const path = issue.path as Path;
        if (issue.code === "unrecognized_keys") {
          return issue.keys.map((key) => ({ line: lineOfKey(doc, lines, path, key), field: fieldName([...path, key]), message: "unknown field" }));
        }
        const missing = issue.code === "invalid_type" && issue.input === undefined;
        return [{ line: lineOf(doc, lines, path), field: fieldName(path), message: missing ? "required" : issue.message }];
      }),
    );
  }
  const known = new Set(options.ruleIds);
  const today = utcDate(options.now);
  const problems: ExceptionsProblem[] = [];
  const entries = parsed.data.exceptions.map((e, i): ExceptionEntry => {
    const at = (field: string, message: string) => problems.push({ line: lineOf(doc, lines, ["exceptions", i, field]), field: fieldName(["exceptions", i, field]), message });
    if (e.finding === undefined && e.rule === undefined) at("rule", "an exception names a finding id, or a rule (with any of scope, principalId, cluster)");
    if (e.rule !== undefined && !known.has(e.rule)) at("rule", `unknown rule id "${e.rule}"`);
    if (e.scope !== undefined && !tryParseScope(e.scope)) at("scope", `"${e.scope}" is not an ARM scope id`);
    if (e.expires < today) at("expires", `${e.expires} is in the past (today is ${today}): review the decision and set a new expiry`);
    return { ...e, file, line: lineOf(doc, lines, ["exceptions", i]) };
  });
  if (problems.length > 0) throw new ExceptionsFileError(file, problems);
  return entries;
}

/** Reads and validates an exceptions file; an unreadable file is an error naming it. */
export async function readExceptionsFile(path: string, options: ParseExceptionsOptions): Promise<ExceptionEntry[]> {
  let source: string;
  try {
    source = await readFile(path, "utf8");
  } catch (err) {
    throw new ExceptionsFileError(path, [{ line: 1, field: "(file)", message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }]);
  }
  return parseExceptions(source, path, options);
}
