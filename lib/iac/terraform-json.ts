import { IacInputError, lineAt } from "./input-error";

/**
 * Terraform's JSON output format (`terraform show -json`), format_version 1.x: the parts
 * Scopewise reads. Terraform promises to bump the major version for incompatible changes
 * and asks readers to reject unknown majors and ignore unknown properties; both are done here.
 * Source: hashicorp/terraform website/docs/internals/json-format.mdx.
 */

/** One resource instance in a values representation (`planned_values`, state `values`). */
export interface TfResourceInstance {
  /** Absolute instance address: `module.aks.azurerm_role_assignment.acr["main"]`. */
  address: string;
  mode: "managed" | "data";
  type: string;
  name: string;
  /** count index or for_each key, when the resource repeats. */
  index?: string | number;
  /** Attribute values per the provider schema; unknown values are absent or null. */
  values: Record<string, unknown>;
}

export interface TfModuleValues {
  /** Absolute module instance address; absent on the root module. */
  address?: string;
  resources?: TfResourceInstance[];
  child_modules?: TfModuleValues[];
}

export interface TfValues {
  root_module?: TfModuleValues;
}

/** An unevaluated expression: a constant, or the references it makes. */
export interface TfExpression {
  constant_value?: unknown;
  references?: string[];
}

/** Attribute name → expression; nested blocks → block expressions (list/set nesting: arrays). */
export type TfBlockExpressions = Record<string, unknown>;

export interface TfConfigResource {
  /** Module-local address without instance keys: `azurerm_role_assignment.acr`. */
  address: string;
  mode: "managed" | "data";
  type: string;
  name: string;
  expressions?: TfBlockExpressions;
  count_expression?: TfExpression;
  for_each_expression?: TfExpression;
}

export interface TfConfigModuleCall {
  source?: string;
  expressions?: TfBlockExpressions;
  module?: TfConfigModule;
}

export interface TfConfigModule {
  outputs?: Record<string, { expression?: TfExpression }>;
  resources?: TfConfigResource[];
  module_calls?: Record<string, TfConfigModuleCall>;
}

export interface TfChange {
  actions: string[];
  before?: unknown;
  after?: unknown;
  /** Same shape as `after`, with `true` at every leaf not known until apply. */
  after_unknown?: unknown;
}

export interface TfResourceChange {
  address: string;
  previous_address?: string;
  module_address?: string;
  mode: "managed" | "data";
  type: string;
  name: string;
  index?: string | number;
  change: TfChange;
}

export interface TerraformPlan {
  kind: "plan";
  file: string;
  formatVersion: string;
  plannedValues: TfValues;
  priorState?: TfValues;
  configuration?: { provider_config?: Record<string, { name?: string; expressions?: TfBlockExpressions }>; root_module?: TfConfigModule };
  resourceChanges: TfResourceChange[];
}

export interface TerraformState {
  kind: "state";
  file: string;
  formatVersion: string;
  values: TfValues;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseJson(text: string, file: string, what: string): Json {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    // V8 names the offset ("at position 123") or, in newer releases, the line ("(line 4 column 2)").
    const line = /\(line (\d+) column \d+\)/.exec(message)?.[1];
    const pos = /at position (\d+)/.exec(message)?.[1];
    throw new IacInputError(file, `is not JSON (${message}); expected the output of \`terraform show -json\` for a ${what}`, line ? Number(line) : pos ? lineAt(text, Number(pos)) : undefined);
  }
  if (!isObject(doc)) throw new IacInputError(file, `is not a JSON object; expected the output of \`terraform show -json\` for a ${what}`);
  return doc;
}

function checkFormatVersion(doc: Json, file: string): string {
  const v = doc.format_version;
  if (typeof v !== "string") throw new IacInputError(file, "has no format_version: not the output of `terraform show -json`");
  const major = v.split(".")[0];
  if (major !== "1") throw new IacInputError(file, `has format_version "${v}"; Scopewise reads Terraform's JSON format 1.x and refuses other major versions`);
  return v;
}

function checkValues(v: unknown, file: string, path: string): TfValues {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw new IacInputError(file, `${path} must be an object`);
  const walk = (m: unknown, at: string): void => {
    if (m === undefined) return;
    if (!isObject(m)) throw new IacInputError(file, `${at} must be an object`);
    const resources = m.resources ?? [];
    if (!Array.isArray(resources)) throw new IacInputError(file, `${at}.resources must be an array`);
    resources.forEach((r, i) => {
      const rp = `${at}.resources[${i}]`;
      if (!isObject(r)) throw new IacInputError(file, `${rp} must be an object`);
      for (const key of ["address", "type", "name"] as const) {
        if (typeof r[key] !== "string") throw new IacInputError(file, `${rp}.${key} must be a string`);
      }
      if (r.values !== undefined && r.values !== null && !isObject(r.values)) throw new IacInputError(file, `${rp}.values must be an object`);
    });
    const children = m.child_modules ?? [];
    if (!Array.isArray(children)) throw new IacInputError(file, `${at}.child_modules must be an array`);
    children.forEach((c, i) => walk(c, `${at}.child_modules[${i}]`));
  };
  walk(v.root_module, `${path}.root_module`);
  return v as TfValues;
}

/** Reads the JSON of `terraform show -json PLANFILE`. */
export function readTerraformPlan(text: string, file: string): TerraformPlan {
  const doc = parseJson(text, file, "plan");
  const formatVersion = checkFormatVersion(doc, file);
  if (!("planned_values" in doc) && !("resource_changes" in doc)) {
    if ("values" in doc) throw new IacInputError(file, "is a Terraform state (it has `values`, no `planned_values` or `resource_changes`), not a plan; pass it as a state");
    throw new IacInputError(file, "has neither `planned_values` nor `resource_changes`: not a Terraform plan");
  }
  const changes = doc.resource_changes ?? [];
  if (!Array.isArray(changes)) throw new IacInputError(file, "resource_changes must be an array");
  changes.forEach((c, i) => {
    const at = `resource_changes[${i}]`;
    if (!isObject(c)) throw new IacInputError(file, `${at} must be an object`);
    for (const key of ["address", "type", "name"] as const) {
      if (typeof c[key] !== "string") throw new IacInputError(file, `${at}.${key} must be a string`);
    }
    if (!isObject(c.change) || !Array.isArray(c.change.actions) || !c.change.actions.every((a) => typeof a === "string")) {
      throw new IacInputError(file, `${at}.change.actions must be an array of strings`);
    }
  });
  const prior = doc.prior_state;
  if (prior !== undefined && prior !== null && !isObject(prior)) throw new IacInputError(file, "prior_state must be an object");
  const configuration = doc.configuration;
  if (configuration !== undefined && configuration !== null && !isObject(configuration)) throw new IacInputError(file, "configuration must be an object");
  return {
    kind: "plan",
    file,
    formatVersion,
    plannedValues: checkValues(doc.planned_values, file, "planned_values"),
    priorState: isObject(prior) ? checkValues(prior.values, file, "prior_state.values") : undefined,
    configuration: (configuration ?? undefined) as TerraformPlan["configuration"],
    resourceChanges: changes as TfResourceChange[],
  };
}

/** Reads the JSON of `terraform show -json` (the current state) or of `terraform show -json STATEFILE`. */
export function readTerraformState(text: string, file: string): TerraformState {
  const doc = parseJson(text, file, "state");
  const formatVersion = checkFormatVersion(doc, file);
  if ("planned_values" in doc || "resource_changes" in doc) {
    throw new IacInputError(file, "is a Terraform plan (it has `planned_values` / `resource_changes`), not a state; pass it with --terraform-plan");
  }
  return { kind: "state", file, formatVersion, values: checkValues(doc.values, file, "values") };
}

/** Every resource instance of a values representation, root module first, then child modules depth-first. */
export function listResourceInstances(values: TfValues | undefined): TfResourceInstance[] {
  const out: TfResourceInstance[] = [];
  const walk = (m: TfModuleValues | undefined) => {
    if (!m) return;
    for (const r of m.resources ?? []) out.push({ ...r, values: r.values ?? {} });
    for (const c of m.child_modules ?? []) walk(c);
  };
  walk(values?.root_module);
  return out;
}
