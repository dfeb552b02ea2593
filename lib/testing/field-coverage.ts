import { FieldReader, isRecord } from "@/lib/model/wire";

/**
 * Records which wire field paths the adapters read, by wrapping FieldReader's readers. A path is
 * `<kind> <dotted path>` with array elements as `[]` and the names of map entries that adapters
 * iterate (addonProfiles.<name>) as `*`; nested readers (agent pools, permissions, pod
 * identities) get the path of the object they read. `present` records whether the payload had a
 * value there, so a run over real examples says which paths real payloads show.
 */
export interface FieldRead {
  kind: string;
  path: string;
  present: boolean;
}

const READERS = ["reqString", "optString", "optBool", "optNumber", "optRecord", "optArray", "stringArray", "stringMap"] as const;

/** Map entries whose names are data (one per add-on), not schema. */
const MAP_SEGMENTS = [/^(properties\.addonProfiles)\.[^.]+/];

export function normalizePath(path: string): string {
  let p = path.replace(/\[\d+\]/g, "[]");
  for (const re of MAP_SEGMENTS) p = p.replace(re, "$1.*");
  return p;
}

function valueAt(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const key of path.split(".")) {
    if (!isRecord(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** A field is shown when the payload has it with a value (an empty list or map shows its shape too; null does not). */
function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/**
 * Runs `fn` with every FieldReader read recorded; returns the reads (deduplicated, a path counts
 * as present when any object had it).
 */
export function recordFieldReads(fn: () => void): FieldRead[] {
  const prefixes = new WeakMap<object, string>();
  const seen = new Map<string, FieldRead>();
  const proto = FieldReader.prototype as unknown as Record<string, (this: FieldReader, path: string) => unknown>;
  const originals = READERS.map((name) => [name, proto[name]!] as const);
  for (const [name, original] of originals) {
    proto[name] = function (this: FieldReader, path: string) {
      const full = normalizePath(`${prefixes.get(this.obj) ?? ""}${path}`);
      const value = valueAt(this.obj, path);
      const key = `${this.kind} ${full}`;
      const prior = seen.get(key);
      seen.set(key, { kind: this.kind, path: full, present: (prior?.present ?? false) || present(value) });
      const result = original.call(this, path);
      // Objects handed to nested readers carry their path.
      if (Array.isArray(result)) for (const el of result) if (isRecord(el)) prefixes.set(el, `${full}[].`);
      if (isRecord(result) && name === "optRecord") prefixes.set(result, `${full}.`);
      return result;
    };
  }
  try {
    fn();
  } finally {
    for (const [name, original] of originals) proto[name] = original;
  }
  return [...seen.values()];
}

/** Every path of `reads` as `<kind> <path>`. */
export function keys(reads: readonly FieldRead[], only?: (r: FieldRead) => boolean): Set<string> {
  return new Set(reads.filter((r) => !only || only(r)).map((r) => `${r.kind} ${r.path}`));
}

/** Whether any of `objects` has a value at `path` (`[]` steps into every element, `*` into every map entry). */
export function shownIn(objects: readonly unknown[], path: string): boolean {
  const steps = path.split(".");
  const walk = (cur: unknown, i: number): boolean => {
    if (i === steps.length) return present(cur);
    const step = steps[i]!;
    if (step === "*") return isRecord(cur) && Object.values(cur).some((v) => walk(v, i + 1));
    const many = step.endsWith("[]");
    const key = many ? step.slice(0, -2) : step;
    if (!isRecord(cur)) return false;
    const next = cur[key];
    if (!many) return walk(next, i + 1);
    return Array.isArray(next) && next.some((el) => walk(el, i + 1));
  };
  return objects.some((o) => walk(o, 0));
}
