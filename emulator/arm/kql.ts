import { HttpError } from "../http";

/**
 * The subset of KQL the emulator's Resource Graph understands: `where` (comparisons, `in`,
 * `has`, `contains`, `startswith`, `isnotempty()`…, `>`/`<` on numbers and datetimes, `and`/`or`,
 * parentheses), `project` and `extend` (aliases, dotted paths, `tolower()`, `todatetime()`;
 * `datetime(…)` literals), `order by`/`sort by`, `limit`/`take`. Anything
 * else is ARG's 400 InvalidQuery, so a query the emulator cannot run is never answered wrongly.
 */

export type Row = Record<string, unknown>;

export function kqlError(message: string): HttpError {
  return new HttpError(400, {
    error: {
      code: "BadRequest",
      message: "Please provide below info when asking for support: timestamp = " + new Date().toISOString() + ", correlationId = " + crypto.randomUUID() + ".",
      details: [
        { code: "InvalidQuery", message: "Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying." },
        { code: "ParserFailure", message },
      ],
    },
  });
}

/** Splits on `sep` outside quotes and parentheses. */
function splitTop(s: string, sep: RegExp): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (depth === 0) {
      const m = sep.exec(s.slice(i));
      if (m && m.index === 0) {
        out.push(s.slice(start, i));
        i += m[0].length - 1;
        start = i + 1;
      }
    }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim());
}

type Getter = (row: Row) => unknown;

/** KQL datetime text → milliseconds since the epoch; null when it is not a date. */
function toDateTime(v: unknown): number | null {
  if (typeof v === "number") return v;
  if (typeof v !== "string" || v.trim() === "") return null;
  const ms = Date.parse(v.trim());
  return Number.isNaN(ms) ? null : ms;
}

function pathGetter(expr: string): Getter {
  const e = expr.trim();
  const date = /^todatetime\((.+)\)$/i.exec(e);
  if (date) {
    const inner = pathGetter(date[1]!);
    return (row) => toDateTime(inner(row));
  }
  const fn = /^(tolower|toupper|tostring)\((.+)\)$/i.exec(e);
  if (fn) {
    const inner = pathGetter(fn[2]!);
    const f = fn[1]!.toLowerCase();
    return (row) => {
      const v = inner(row);
      if (v == null) return f === "tostring" ? "" : v;
      const s = typeof v === "string" ? v : JSON.stringify(v);
      return f === "tolower" ? s.toLowerCase() : f === "toupper" ? s.toUpperCase() : s;
    };
  }
  const parts: string[] = [];
  const re = /\s*(?:\.?([A-Za-z_@$][\w@$-]*)|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\])/y;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < e.length && (re.lastIndex = pos, (m = re.exec(e)))) {
    parts.push(m[1] ?? m[2] ?? m[3]!);
    pos = re.lastIndex;
  }
  if (pos !== e.length || parts.length === 0) throw kqlError(`Unsupported expression '${expr}'.`);
  return (row) => {
    let cur: unknown = row;
    for (const p of parts) {
      if (cur == null || typeof cur !== "object") return undefined;
      const obj = cur as Record<string, unknown>;
      // Property bags match case-insensitively in KQL only with =~; column names keep exact case, but ARM
      // payloads vary in casing across api-versions, so fall back to a case-insensitive key match.
      cur = p in obj ? obj[p] : obj[Object.keys(obj).find((k) => k.toLowerCase() === p.toLowerCase()) ?? ""];
    }
    return cur;
  };
}

function literal(text: string): unknown {
  const t = text.trim();
  const q = /^'((?:[^'\\]|\\.)*)'$|^"((?:[^"\\]|\\.)*)"$/.exec(t);
  if (q) return (q[1] ?? q[2]!).replace(/\\(.)/g, "$1");
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (t === "true" || t === "false") return t === "true";
  const date = /^datetime\(\s*(?:'([^']*)'|"([^"]*)"|([^)'"]+))\s*\)$/i.exec(t);
  if (date) {
    const ms = toDateTime(date[1] ?? date[2] ?? date[3]);
    if (ms === null) throw kqlError(`Invalid datetime literal '${text}'.`);
    return ms;
  }
  throw kqlError(`Expected a literal, got '${text}'.`);
}

function asString(v: unknown): string {
  return v == null ? "" : typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
}

function closingParen(s: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return -1;
}

function comparison(text: string): (row: Row) => boolean {
  const t = text.trim();
  if (t.startsWith("(") && closingParen(t, 0) === t.length - 1) return predicate(t.slice(1, -1));
  const m =
    /^(.+?)\s+(==|=~|!=|!~|>=|<=|>|<|!contains|contains_cs|contains|!has|has|startswith|endswith|!in~|!in|in~|in)\s+(.+)$/is.exec(t) ?? /^(.+?)\s*(==|=~|!=|!~|>=|<=|>|<)\s*(.+)$/s.exec(t);
  if (!m) {
    const neg = /^isnotempty\((.+)\)$|^isempty\((.+)\)$|^isnotnull\((.+)\)$|^isnull\((.+)\)$/i.exec(t);
    if (neg) {
      const g = pathGetter(neg[1] ?? neg[2] ?? neg[3] ?? neg[4]!);
      if (neg[1]) return (r) => asString(g(r)) !== "";
      if (neg[2]) return (r) => asString(g(r)) === "";
      if (neg[3]) return (r) => g(r) != null;
      return (r) => g(r) == null;
    }
    throw kqlError(`Unsupported where clause '${text}'.`);
  }
  const get = pathGetter(m[1]!);
  const op = m[2]!.toLowerCase();
  const rhs = m[3]!.trim();
  if (op.endsWith("in") || op.endsWith("in~")) {
    const list = /^\((.*)\)$/s.exec(rhs);
    if (!list) throw kqlError(`Expected a list after '${op}', got '${rhs}'.`);
    const values = splitTop(list[1]!, /^,/).filter(Boolean).map((v) => asString(literal(v)));
    const ci = op.endsWith("~");
    const set = new Set(ci ? values.map((v) => v.toLowerCase()) : values);
    const negate = op.startsWith("!");
    return (r) => {
      const v = asString(get(r));
      return set.has(ci ? v.toLowerCase() : v) !== negate;
    };
  }
  const value = literal(rhs);
  const vs = asString(value);
  switch (op) {
    case "==":
      return (r) => (typeof value === "string" ? asString(get(r)) === vs : get(r) === value);
    case "!=":
      return (r) => (typeof value === "string" ? asString(get(r)) !== vs : get(r) !== value);
    case "=~":
      return (r) => asString(get(r)).toLowerCase() === vs.toLowerCase();
    case "!~":
      return (r) => asString(get(r)).toLowerCase() !== vs.toLowerCase();
    case "contains":
      return (r) => asString(get(r)).toLowerCase().includes(vs.toLowerCase());
    case "!contains":
      return (r) => !asString(get(r)).toLowerCase().includes(vs.toLowerCase());
    case "contains_cs":
      return (r) => asString(get(r)).includes(vs);
    case "has":
      return (r) => new RegExp(`(^|[^A-Za-z0-9])${vs.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^A-Za-z0-9])`, "i").test(asString(get(r)));
    case "!has":
      return (r) => !new RegExp(`(^|[^A-Za-z0-9])${vs.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^A-Za-z0-9])`, "i").test(asString(get(r)));
    case "startswith":
      return (r) => asString(get(r)).toLowerCase().startsWith(vs.toLowerCase());
    case "endswith":
      return (r) => asString(get(r)).toLowerCase().endsWith(vs.toLowerCase());
    case ">":
    case ">=":
    case "<":
    case "<=": {
      if (typeof value !== "number") throw kqlError(`'${op}' compares numbers and datetimes, got '${rhs}'.`);
      return (r) => {
        const v = get(r);
        if (typeof v !== "number") return false;
        return op === ">" ? v > value : op === ">=" ? v >= value : op === "<" ? v < value : v <= value;
      };
    }
    default:
      throw kqlError(`Unsupported operator '${op}'.`);
  }
}

function predicate(text: string): (row: Row) => boolean {
  const ors = splitTop(text, /^\s+or\s+/i).map((d) => splitTop(d, /^\s+and\s+/i).map(comparison));
  return (row) => ors.some((and) => and.every((p) => p(row)));
}

function columns(text: string): { name: string; get: Getter }[] {
  return splitTop(text, /^,/).map((c) => {
    const alias = /^([A-Za-z_][\w]*)\s*=\s*(.+)$/s.exec(c);
    if (alias) return { name: alias[1]!, get: pathGetter(alias[2]!) };
    const get = pathGetter(c);
    const name = c.trim().split(/[.[\]'"]+/).filter(Boolean).pop()!;
    return { name, get };
  });
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return asString(a).localeCompare(asString(b));
}

/**
 * Runs a query: the first stage names the table (`table(name)` gives its rows), the rest are
 * piped operators.
 */
export function runQuery(query: string, table: (name: string) => Row[]): Row[] {
  const stages = splitTop(query.replace(/\/\/[^\n]*/g, ""), /^\|/);
  let rows = table(stages.shift()!.trim().toLowerCase());
  for (const stage of stages) {
    const m = /^([a-z-]+(?:\s+by)?)\s+([\s\S]*)$/i.exec(stage.trim());
    if (!m) throw kqlError(`Unsupported operator '${stage}'.`);
    const op = m[1]!.toLowerCase().replace(/\s+/, " ");
    const arg = m[2]!;
    if (op === "where") {
      const p = predicate(arg);
      rows = rows.filter(p);
    } else if (op === "project") {
      const cols = columns(arg);
      rows = rows.map((r) => Object.fromEntries(cols.map((c) => [c.name, c.get(r) ?? null])));
    } else if (op === "extend") {
      const cols = columns(arg);
      rows = rows.map((r) => ({ ...r, ...Object.fromEntries(cols.map((c) => [c.name, c.get(r) ?? null])) }));
    } else if (op === "order by" || op === "sort by") {
      const keys = splitTop(arg, /^,/).map((k) => {
        const km = /^(.+?)(?:\s+(asc|desc))?$/i.exec(k.trim())!;
        // KQL sorts descending unless told otherwise.
        return { get: pathGetter(km[1]!), dir: (km[2] ?? "desc").toLowerCase() === "asc" ? 1 : -1 };
      });
      rows = [...rows].sort((a, b) => {
        for (const k of keys) {
          const c = compare(k.get(a), k.get(b));
          if (c !== 0) return c * k.dir;
        }
        return 0;
      });
    } else if (op === "limit" || op === "take") {
      const n = Number(arg.trim());
      if (!Number.isInteger(n) || n < 0) throw kqlError(`'${op}' expects a row count, got '${arg}'.`);
      rows = rows.slice(0, n);
    } else {
      throw kqlError(`Operator '${op}' is not supported by the emulator (supported: where, project, extend, order by, sort by, limit, take).`);
    }
  }
  return rows;
}

