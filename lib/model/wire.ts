import type { SourceError } from "./types";

/**
 * WireObject shapes: objects exactly as ARM, Microsoft Graph and the Kubernetes API send them
 * (`properties` nested, unknown fields kept). Readers in lib/azure and lib/kubernetes return
 * them, tenant files hold them (docs/tenant-format.md), and the inventory builder turns them
 * into the domain model with the field readers below; nothing past the builder reads them.
 */

/** A JSON object as an API returned it. */
export type WireObject = Record<string, unknown>;

/** An ARM object in its GET shape: id, name, type, and usually location / properties / identity. */
export interface ArmWireObject extends WireObject {
  id: string;
  name?: string;
  type?: string;
  properties?: Record<string, unknown>;
}

/** A Kubernetes object as the API server returns it. */
export interface KubeWireObject extends WireObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
}

/**
 * Everything one scan read, still in wire shapes (ARM GET bodies, Graph directory objects,
 * Kubernetes objects). Readers in lib/azure and lib/kubernetes produce it from live APIs;
 * `rawFromTenant` produces it from a tenant file; `buildInventory` turns it into an Inventory.
 * Keeping this seam in wire shapes is what lets pure tests and the live scan share one path.
 */
export interface RawCollection {
  tenantId?: string;
  managementGroups: ArmWireObject[];
  subscriptions: WireObject[];
  resourceGroups: ArmWireObject[];
  /** Every resource seen: a full GET body where one was read, else the generic-list item (no properties). */
  resources: ArmWireObject[];
  /** Role definitions as ARM lists them (built-in and custom), wire shape with `properties.roleName`. */
  roleDefinitions: ArmWireObject[];
  roleAssignments: ArmWireObject[];
  federatedIdentityCredentials: ArmWireObject[];
  /** Graph directory objects; null when Graph could not be read (principals unresolved, not deleted). */
  principals: WireObject[] | null;
  /** Kubernetes objects per managedCluster id (as given by ARM), each with apiVersion and kind set. */
  kubernetes: Record<string, KubeWireObject[]>;
  /** Cluster ids whose Kubernetes API was read completely. */
  kubernetesRead: string[];
  errors: SourceError[];
  /** How the read went where it affects coverage (e.g. Resource Graph truncated results); copied to Inventory.notes. */
  notes?: string[];
  /** Set when the scan was limited to part of what the credential can see (selected subscriptions): why. */
  partialScope?: string;
}

/**
 * Field readers for the wire → model adapters (ARM, Graph, Kubernetes). Adapters are tolerant
 * of missing optional fields and strict about required ones: a required field that is absent
 * or of the wrong type throws an `AdapterError` naming the object and the field, which
 * `buildInventory` turns into a `SourceError`.
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

export function isRecord(v: unknown): v is WireObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The wire object itself; a non-object payload is an error attributed to `kind`. */
export function asWire(kind: string, wire: unknown): WireObject {
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
    cur = (cur as WireObject)[key];
  }
  return cur;
}

/** Binds an object's kind and id so field errors name them. */
export class FieldReader {
  constructor(
    readonly kind: string,
    readonly objectId: string,
    readonly obj: WireObject,
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

  optRecord(path: string): WireObject | undefined {
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
