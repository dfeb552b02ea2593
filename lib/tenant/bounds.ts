/**
 * How big and how deep a tenant file may be. Parsing and validating JSON costs many times its
 * size in memory (a 50 MB file took over 1 GB), and a deeply nested value overflows the
 * recursive code that walks it later (the emulator's serializer, validation); both are
 * refused with an error naming the limit before that work starts. Real tenant files nest about
 * 15 levels (a pod spec inside a cluster's objects); generated benchmark tenants are under
 * 40 MB at the medium size.
 */
import { TenantFormatError } from "./format-error";
import { lineColumn } from "./json-offset";

export const TENANT_FILE_MAX_BYTES = 256 * 1024 * 1024;
export const TENANT_MAX_DEPTH = 64;

const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;

/** Refuses a file over the size limit, before reading it. */
export function checkTenantFileSize(path: string, bytes: number, max = TENANT_FILE_MAX_BYTES): void {
  if (bytes > max) {
    throw new TenantFormatError(`${path}: the tenant file is ${mb(bytes)}, over the limit of ${mb(max)} for a tenant file`, undefined, path);
  }
}

/**
 * Refuses JSON text that nests arrays and objects deeper than the limit, naming the line and
 * column where it does; scans the text without parsing it (strings and escapes skipped).
 */
export function checkJsonTextDepth(path: string, text: string, max = TENANT_MAX_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") {
      if (++depth > max) {
        const where = lineColumn(text, i);
        throw new TenantFormatError(`${path}: line ${where.line}, column ${where.column}: nests deeper than ${max} levels of arrays and objects, the limit for a tenant file`, undefined, path);
      }
    } else if (c === "]" || c === "}") depth--;
  }
}

interface Visit {
  v: unknown;
  depth: number;
  key?: string | number;
  parent?: Visit;
}

function pathOf(visit: Visit): string {
  const keys: (string | number)[] = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) keys.unshift(at.key);
  const path = `$${keys.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("")}`;
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}

/** Refuses a parsed value that nests deeper than the limit, naming the JSON path where it does (walked without recursion). */
export function checkValueDepth(value: unknown, source: string | undefined, max = TENANT_MAX_DEPTH): void {
  const stack: Visit[] = [{ v: value, depth: 0 }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { v, depth } = visit;
    if (v === null || typeof v !== "object") continue;
    if (depth + 1 > max) {
      const path = pathOf(visit);
      throw new TenantFormatError(`${source ? `${source}: ` : ""}${path}: nests deeper than ${max} levels of arrays and objects, the limit for a tenant file`, path, source);
    }
    if (Array.isArray(v)) v.forEach((item, i) => stack.push({ v: item, depth: depth + 1, key: i, parent: visit }));
    else for (const [k, item] of Object.entries(v)) stack.push({ v: item, depth: depth + 1, key: k, parent: visit });
  }
}
