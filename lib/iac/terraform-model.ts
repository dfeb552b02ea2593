import { attributePath, configAddress, formatPath, moduleConfigPath, parseResourceAddress, parseSteps, withModule, type PathStep } from "./address";
import {
  listResourceInstances,
  type TerraformPlan,
  type TerraformState,
  type TfConfigModule,
  type TfConfigModuleCall,
  type TfConfigResource,
  type TfExpression,
} from "./terraform-json";

/** One resource instance as a plan will leave it (or as a state holds it). */
export interface ModelInstance {
  address: string;
  /** Module instance path, "" for the root module. */
  module: string;
  mode: "managed" | "data";
  type: string;
  name: string;
  values: Record<string, unknown>;
  /** `after_unknown` of its change: `true` at every leaf known only after apply. */
  unknown?: unknown;
  /** The plan's actions for it (["no-op"], ["create"], ["delete","create"], ...); [] in a state. */
  actions: string[];
  previousAddress?: string;
}

/** A resource instance a plan deletes without re-creating, with its values before. */
export interface DeletedInstance {
  address: string;
  type: string;
  values: Record<string, unknown>;
}

const MAX_HOPS = 16;

/**
 * The resource instances of a plan or state, with what the configuration says about values
 * not known until apply. `resolve` follows a value through the configuration's references
 * (module inputs included) to the object it comes from, so `principal_id =
 * azurerm_kubernetes_cluster.aks.kubelet_identity[0].object_id` resolves to the kubelet
 * identity even while the cluster does not exist. A value nobody can know yet resolves to a
 * stand-in: the address of the object that will hold it (see `unknownStandIn`).
 */
export class TerraformModel {
  readonly instances: ModelInstance[] = [];
  readonly deleted: DeletedInstance[] = [];
  private readonly byAddress = new Map<string, ModelInstance>();
  private readonly configs = new Map<string, TfConfigResource>();
  private readonly calls = new Map<string, TfConfigModuleCall>();
  /** The azurerm provider's `subscription_id`, when the configuration sets it as a constant. */
  providerSubscription?: string;

  constructor(readonly source: TerraformPlan | TerraformState) {
    if (source.kind === "state") {
      for (const r of listResourceInstances(source.values)) this.add({ ...this.base(r), actions: [] });
      return;
    }
    const changes = new Map(source.resourceChanges.map((c) => [c.address, c]));
    for (const r of listResourceInstances(source.plannedValues)) {
      const c = changes.get(r.address);
      this.add({ ...this.base(r), unknown: c?.change.after_unknown, actions: c?.change.actions ?? ["no-op"], previousAddress: c?.previous_address });
    }
    // Data sources read while planning sit in the prior state; keep the ones planned_values omits.
    for (const r of listResourceInstances(source.priorState)) {
      if (!this.byAddress.has(r.address) && r.mode === "data") this.add({ ...this.base(r), actions: ["read"] });
    }
    for (const c of source.resourceChanges) {
      if (c.mode === "managed" && c.change.actions.includes("delete") && !c.change.actions.includes("create")) {
        const before = c.change.before;
        this.deleted.push({ address: c.address, type: c.type, values: typeof before === "object" && before !== null ? (before as Record<string, unknown>) : {} });
      }
    }
    this.indexConfig(source.configuration?.root_module, "");
    for (const p of Object.values(source.configuration?.provider_config ?? {})) {
      const sub = (p.expressions?.subscription_id as TfExpression | undefined)?.constant_value;
      if (p.name === "azurerm" && typeof sub === "string" && sub) this.providerSubscription = sub;
    }
  }

  get(address: string): ModelInstance | undefined {
    return this.byAddress.get(address);
  }

  /** The value at `path` when known; undefined when absent, null, or unknown until apply. */
  known(inst: ModelInstance, path: readonly PathStep[]): unknown {
    return dig(inst.values, path) ?? undefined;
  }

  isUnknown(inst: ModelInstance, path: readonly PathStep[]): boolean {
    let cur: unknown = inst.unknown;
    for (const step of path) {
      if (cur === true) return true;
      if (typeof cur !== "object" || cur === null) return false;
      cur = (cur as Record<string | number, unknown>)[step];
    }
    return cur === true;
  }

  /**
   * The value at `path`: known, or followed through the configuration's references, or the
   * stand-in for a value only apply will know. Undefined when the attribute is not set.
   */
  resolve(inst: ModelInstance, path: readonly PathStep[], hops = 0): unknown {
    const v = this.known(inst, path);
    if (v !== undefined) return v;
    if (!this.isUnknown(inst, path) || hops > MAX_HOPS) return undefined;
    const expr = this.expressionAt(inst, path);
    for (const ref of expr?.references ?? []) {
      const r = this.resolveReference(ref, inst.module, hops + 1, { inst, path });
      if (r !== undefined) return r;
    }
    return unknownStandIn(inst, path);
  }

  /** The configuration block of an instance. */
  configOf(inst: ModelInstance): TfConfigResource | undefined {
    const key = configAddress(inst.address);
    return key ? this.configs.get(key) : undefined;
  }

  /** True when the configuration sets `path` (so a value unknown there comes from the configuration, not the provider). */
  isConfigured(inst: ModelInstance, path: readonly PathStep[]): boolean {
    return this.expressionAt(inst, path) !== undefined;
  }

  /** The expression that sets `path`, or the one that sets the whole list or map `path` lies in. */
  private expressionAt(inst: ModelInstance, path: readonly PathStep[]): TfExpression | undefined {
    let cur: unknown = this.configOf(inst)?.expressions;
    for (const step of path) {
      if (typeof cur !== "object" || cur === null) return undefined;
      cur = (cur as Record<string | number, unknown>)[step];
      if (isExpression(cur)) return cur;
    }
    return undefined;
  }

  private resolveReference(ref: string, module: string, hops: number, from?: { inst: ModelInstance; path: readonly PathStep[] }): unknown {
    const steps = parseSteps(ref);
    if (!steps || steps.length < 2) return undefined;
    const head = steps[0]!.name;
    const key = from ? (parseResourceAddress(from.inst.address)?.key ?? "") : "";
    if (head === "each" && steps[1]!.name === "value" && from && key) {
      // `each.value.X` over `for_each = <resource collection>`: X of the collection's instance with the same key.
      for (const collection of this.configOf(from.inst)?.for_each_expression?.references ?? []) {
        const out = this.resolveReference(`${collection}${key}.${steps.slice(2).map((s) => s.name + s.key).join(".")}`, module, hops + 1);
        if (out !== undefined) return out;
      }
      return undefined;
    }
    if (head === "module" && steps.length >= 3) {
      // A module output: follow its expression inside that module instance.
      const call = withModule(module, `module.${steps[1]!.name}${steps[1]!.key}`);
      const output = this.calls.get(moduleConfigPath(call))?.module?.outputs?.[steps[2]!.name]?.expression;
      for (const r of output?.references ?? []) {
        const out = this.resolveReference(r, call, hops + 1);
        if (out !== undefined) return out;
      }
      return undefined;
    }
    if (steps.length === 2 && head !== "data" && from && key && !["var", "local", "each", "count"].includes(head)) {
      // `collection[each.key].attr` is listed by Terraform as the bare collection (the index is not static):
      // take the instance with the referrer's own key, and the attribute an id-valued argument means.
      const target = this.byAddress.get(withModule(module, `${head}.${steps[1]!.name}${key}`));
      const last = String(from.path[from.path.length - 1] ?? "");
      if (target) return this.resolve(target, [/principal_id$|object_id$/.test(last) ? "principal_id" : "id"], hops);
    }
    if (head === "var" && module) {
      const modSteps = parseSteps(module) ?? [];
      const parent = modSteps.slice(0, -2).map((s) => s.name + s.key).join(".");
      const call = this.calls.get(moduleConfigPath(module));
      const expr = call?.expressions?.[steps[1]!.name] as TfExpression | undefined;
      if (!expr) return undefined;
      if (expr.constant_value !== undefined && steps.length === 2) return expr.constant_value;
      for (const r of expr.references ?? []) {
        const rest = steps.slice(2).map((s) => s.name + s.key).join(".");
        const out = this.resolveReference(rest ? `${r}.${rest}` : r, parent, hops + 1);
        if (out !== undefined) return out;
      }
      return undefined;
    }
    if (["var", "local", "each", "count", "path", "terraform", "self", "module"].includes(head)) return undefined;
    const isData = head === "data";
    const resSteps = isData ? steps.slice(1, 3) : steps.slice(0, 2);
    if (resSteps.length < 2) return undefined;
    const local = `${isData ? "data." : ""}${resSteps[0]!.name}.${resSteps[1]!.name}${resSteps[1]!.key}`;
    const target = this.byAddress.get(withModule(module, local));
    if (!target) return undefined;
    const attrPath = attributePath(steps.slice(isData ? 3 : 2));
    if (attrPath.length === 0) return undefined;
    return this.resolve(target, attrPath, hops);
  }

  private base(r: { address: string; mode: "managed" | "data"; type: string; name: string; values: Record<string, unknown> }) {
    return { address: r.address, module: parseResourceAddress(r.address)?.module ?? "", mode: r.mode, type: r.type, name: r.name, values: r.values };
  }

  private add(inst: ModelInstance): void {
    this.instances.push(inst);
    this.byAddress.set(inst.address, inst);
  }

  private indexConfig(mod: TfConfigModule | undefined, path: string): void {
    if (!mod) return;
    for (const r of mod.resources ?? []) this.configs.set(withModule(path, r.address), r);
    for (const [name, call] of Object.entries(mod.module_calls ?? {})) {
      const callPath = withModule(path, `module.${name}`);
      this.calls.set(callPath, call);
      this.indexConfig(call.module, callPath);
    }
  }
}

function isExpression(v: unknown): v is TfExpression {
  return typeof v === "object" && v !== null && !Array.isArray(v) && ("references" in v || "constant_value" in v);
}

function dig(obj: unknown, path: readonly PathStep[]): unknown {
  let cur: unknown = obj;
  for (const step of path) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string | number, unknown>)[step];
  }
  return cur;
}

/**
 * What Scopewise calls a value only apply will know: the address of the object that will
 * hold it. A new user-assigned identity's `principal_id` is the identity's address; any other
 * value is the address plus the attribute (`azurerm_kubernetes_cluster.aks.kubelet_identity[0].object_id`).
 */
export function unknownStandIn(inst: Pick<ModelInstance, "address" | "type">, path: readonly PathStep[]): string {
  if (inst.type === "azurerm_user_assigned_identity" && path.length === 1 && path[0] === "principal_id") return inst.address;
  return `${inst.address}.${formatPath(path)}`;
}
