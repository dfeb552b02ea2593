/**
 * Field readers shared by the wire → model adapters (ARM, Graph, Kubernetes).
 * Adapters are tolerant of missing optional fields and strict about required ones: a
 * required field that is absent or of the wrong type throws an `AdapterError` naming the
 * object and the field, which `buildInventory` turns into a `SourceError`.
 */

export class AdapterError extends Error {
  constructor(
    /** The payload kind being adapted: "managedCluster", "roleAssignment", "pod", ... */
    readonly kind: string,
    /** The object's id (or best available name); "(unknown)" when even that is missing. */
    readonly objectId: string,
    /** Dotted path of the offending field. */
    readonly field: string,
    reason: string,
  ) {
    super(`${kind} ${objectId}: ${field} ${reason}`);
    this.name = "AdapterError";
  }
}

export type Wire = Record<string, unknown>;

export function isRecord(v: unknown): v is Wire {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The wire object itself; a non-object payload is an error attributed to `kind`. */
export function asWire(kind: string, wire: unknown): Wire {
  if (!isRecord(wire)) {
    throw new AdapterError(kind, "(unknown)", "(payload)", `must be an object, got ${describe(wire)}`);
  }
  return wire;
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v;
}

// Adapters read the same few hundred paths for every object; splitting them once matters at 100k objects.
const splitPaths = new Map<string, string[]>();

/** Reads `path` (dotted) from `obj`; undefined when any step is missing. */
export function at(obj: unknown, path: string): unknown {
  let keys = splitPaths.get(path);
  if (!keys) {
    keys = path.split(".");
    if (splitPaths.size < 10_000) splitPaths.set(path, keys);
  }
  let cur: unknown = obj;
  for (const key of keys) {
    if (typeof cur !== "object" || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Wire)[key];
  }
  return cur;
}

/** Binds an object's kind and id so field errors name them. */
export class FieldReader {
  constructor(
    readonly kind: string,
    readonly objectId: string,
    readonly obj: Wire,
  ) {}

  fail(field: string, reason: string): never {
    throw new AdapterError(this.kind, this.objectId, field, reason);
  }

  reqString(path: string): string {
    const v = at(this.obj, path);
    if (typeof v !== "string") this.fail(path, v === undefined ? "is missing" : `must be a string, got ${describe(v)}`);
    if (v.trim() === "") this.fail(path, "is empty");
    return v;
  }

  /** A string, or undefined when absent/null/empty; a value of another type is an error. */
  optString(path: string): string | undefined {
    const v = at(this.obj, path);
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v !== "string") this.fail(path, `must be a string, got ${describe(v)}`);
    return v;
  }

  /** Booleans as ARM sends them; tolerant of "true"/"false" strings some tools write. */
  optBool(path: string): boolean | undefined {
    const v = at(this.obj, path);
    if (v === undefined || v === null) return undefined;
    if (typeof v === "boolean") return v;
    if (v === "true" || v === "false") return v === "true";
    this.fail(path, `must be a boolean, got ${describe(v)}`);
  }

  optNumber(path: string): number | undefined {
    const v = at(this.obj, path);
    if (v === undefined || v === null) return undefined;
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    this.fail(path, `must be a number, got ${describe(v)}`);
  }

  optRecord(path: string): Wire | undefined {
    const v = at(this.obj, path);
    if (v === undefined || v === null) return undefined;
    if (!isRecord(v)) this.fail(path, `must be an object, got ${describe(v)}`);
    return v;
  }

  optArray(path: string): unknown[] {
    const v = at(this.obj, path);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(path, `must be an array, got ${describe(v)}`);
    return v;
  }

  /** An array of strings; non-string entries are an error. */
  stringArray(path: string): string[] {
    return this.optArray(path).map((x, i) => {
      if (typeof x !== "string") this.fail(`${path}[${i}]`, `must be a string, got ${describe(x)}`);
      return x;
    });
  }

  /**
   * A string map (labels, annotations, tags, add-on config). Non-string values are kept as
   * their JSON text: tags and add-on config are strings in ARM, but hand-written tenants and
   * older API versions sometimes carry booleans.
   */
  stringMap(path: string): Record<string, string> {
    const v = this.optRecord(path);
    const out: Record<string, string> = {};
    if (!v) return out;
    for (const [k, val] of Object.entries(v)) {
      if (val === undefined || val === null) continue;
      out[k] = typeof val === "string" ? val : JSON.stringify(val);
    }
    return out;
  }
}

/** A reader for an ARM object: its id is required and names the object in errors. */
export function armReader(kind: string, wire: unknown): FieldReader {
  const obj = asWire(kind, wire);
  const id = obj.id;
  const label = typeof id === "string" && id.trim() !== "" ? id : typeof obj.name === "string" ? `named "${obj.name}"` : "(unknown)";
  const r = new FieldReader(kind, label, obj);
  r.reqString("id");
  return r;
}

/** The last segment of an ARM id. */
export function lastSegment(id: string): string {
  const parts = id.split("/").filter(Boolean);
  return parts[parts.length - 1] ?? id;
}
