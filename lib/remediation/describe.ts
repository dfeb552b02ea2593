/**
 * The one step describer: a fix step as people read it, with real names and the ids beside
 * them. The finding page shows it, the renderers put it above each step's commands, and the
 * apply engine records it as the step's description (dry run, wizard, audit log), so a step
 * reads the same everywhere.
 */
import type { FixPlan, FixStep } from "@/lib/model/findings";
import { clusterName, identityName, principalLabel, roleName, scopeLabel, type NameLookups } from "@/lib/model/names";
import { lastSegment } from "@/lib/model/scope";
import { StepAction } from "@/lib/model/vocabulary";
import { azCommandLine, yamlText } from "./render/quote";

/** A step as people read it: a sentence with real names, plus the exact command or manifest when there is one. */
export interface StepDescription {
  kind: FixStep["kind"];
  /** Short verb phrase for the step's label: "Create role assignment". */
  action: string;
  /** The full sentence, ids included (renderings put it above each step's commands). */
  text: string;
  /** The same sentence with names only, for people: the ids are in `ids`, shown on demand. */
  plain: string;
  /** The ids `text` carries, with what each names ("scope registry crcontosohub"). */
  ids: { what: string; id: string }[];
  /** A shell command to run as is. */
  command?: string;
  /** The Kubernetes object to apply, as YAML. */
  manifest?: string;
  /** Narrower scopes or other roles the wizard offers for this step. */
  alternatives?: string[];
  /** True for steps people must do by hand (the plan cannot state them as data). */
  manual?: boolean;
}

/** `<identity id>/federatedIdentityCredentials/<name>` → its parts. */
function splitFederatedCredentialId(id: string): { identityId: string; name: string } {
  const m = /^(.*)\/federatedIdentityCredentials\/([^/]+)\/?$/is.exec(id);
  return m ? { identityId: m[1]!, name: m[2]! } : { identityId: id, name: lastSegment(id) };
}

function objectRef(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** "with annotation a=b, label c=d" from a manifest's metadata and pod template, when it sets any. */
function manifestChanges(manifest: Record<string, unknown>): string {
  const meta = (manifest.metadata ?? {}) as { annotations?: Record<string, string>; labels?: Record<string, string> };
  const template = ((manifest.spec as { template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } } } | undefined)?.template?.metadata ?? {}) as {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  const parts: string[] = [];
  const list = (noun: string, entries: Record<string, string> | undefined) => {
    const e = Object.entries(entries ?? {});
    if (e.length > 0) parts.push(`${noun}${e.length > 1 ? "s" : ""} ${e.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ")}`);
  };
  list("annotation", meta.annotations);
  list("label", meta.labels);
  list("pod label", template.labels);
  list("pod annotation", template.annotations);
  return parts.length > 0 ? ` with ${parts.join("; ")}` : "";
}

const trusting = (s: { issuer: string; subject: string; audiences: string[] }) => `trusting issuer ${s.issuer} and subject ${s.subject} (audience ${s.audiences.join(", ")})`;

/** Writes an id into the sentence, or leaves it out and only records it: `(id)` after what it names, or "". */
type IdRef = (id: string, what: string) => string;

function sentence(step: FixStep, names: NameLookups, ref: IdRef): Omit<StepDescription, "kind" | "action" | "plain" | "ids"> {
  switch (step.kind) {
    case "create-role-assignment": {
      const alternatives = [
        ...(step.alternatives?.roleDefinitionIds ?? []).map((id) => `role ${roleName(id, names)}`),
        ...(step.alternatives?.scopes ?? []).map((s) => `${scopeLabel(s, names)}${ref(s, scopeLabel(s, names))}`),
      ];
      const condition = step.condition ? `, with the condition ${step.condition} (version ${step.conditionVersion || "2.0"})` : "";
      const text = `${StepAction[step.kind]}: ${step.roleName} for ${principalLabel(step.principalId, names)} on ${scopeLabel(step.scope, names)}${ref(step.scope, `scope ${scopeLabel(step.scope, names)}`)}${condition}`;
      return alternatives.length > 0 ? { text, alternatives } : { text };
    }
    case "delete-role-assignment":
      return { text: `${StepAction[step.kind]}: ${step.roleName} for ${principalLabel(step.principalId, names)} on ${scopeLabel(step.scope, names)}${ref(step.roleAssignmentId, `role assignment ${step.roleName} on ${scopeLabel(step.scope, names)}`)}` };
    case "create-federated-credential":
      return { text: `Create federated credential ${step.name} on managed identity ${identityName(step.identityId, names)} ${trusting(step)}` };
    case "delete-federated-credential": {
      const { identityId, name } = splitFederatedCredentialId(step.federatedCredentialId);
      return { text: `Delete federated credential ${name} of managed identity ${identityName(identityId, names)}${ref(step.federatedCredentialId, `federated credential ${name}`)}` };
    }
    case "create-app-federated-credential":
      return { text: `Create federated credential ${step.name} on app registration ${step.applicationName}${ref(step.appId, `app registration ${step.applicationName}`) && ` (appId ${step.appId})`} ${trusting(step)}` };
    case "delete-app-federated-credential":
      return { text: `Delete federated credential ${step.name} of app registration ${step.appId}` };
    case "kubernetes-apply": {
      const kind = typeof step.manifest.kind === "string" ? step.manifest.kind : "object";
      const meta = (step.manifest.metadata ?? {}) as { name?: string; namespace?: string };
      return {
        text: `${StepAction[step.kind]} ${clusterName(step.clusterId, names)}: ${kind} ${objectRef(meta.namespace, meta.name ?? "(unnamed)")}${manifestChanges(step.manifest)}. ${step.description}`,
        manifest: yamlText(step.manifest),
      };
    }
    case "kubernetes-delete":
      return { text: `Delete ${step.objectKind} ${objectRef(step.namespace, step.name)} (${step.apiVersion}) from cluster ${clusterName(step.clusterId, names)}` };
    case "create-managed-identity":
      return { text: `Create user-assigned managed identity ${step.name} in ${scopeLabel(step.resourceGroupId, names)}${step.location ? ` (${step.location})` : ""}` };
    case "delete-managed-identity":
      return { text: `Delete managed identity ${identityName(step.identityId, names)}${ref(step.identityId, `managed identity ${identityName(step.identityId, names)}`)}` };
    case "az-command":
      return { text: step.description, command: azCommandLine(step.args) };
    case "manual":
      return { text: step.description, manual: true };
  }
}

/** What a step does, in one sentence with real names (and the ids), the same on every page and in every format. */
export function describeStep(step: FixStep, names: NameLookups): StepDescription {
  if (!(step.kind in StepAction)) {
    // A FixStep kind added to the model but not here yet: say so rather than hide the step.
    const unknown = step as { kind: string };
    const text = `Step of kind ${unknown.kind}: see the JSON output for its details`;
    return { kind: unknown.kind as FixStep["kind"], action: unknown.kind, text, plain: text, ids: [], manual: true };
  }
  const ids: StepDescription["ids"] = [];
  const full = sentence(step, names, (id) => ` (${id})`);
  const { text: plain } = sentence(step, names, (id, what) => {
    ids.push({ what, id });
    return "";
  });
  return { kind: step.kind, action: StepAction[step.kind], ...full, plain, ids };
}

export interface PlanDescription {
  id: string;
  summary: string;
  steps: StepDescription[];
}

export function describePlans(plans: readonly FixPlan[], names: NameLookups): PlanDescription[] {
  return plans.map((plan) => ({ id: plan.id, summary: plan.summary, steps: plan.steps.map((s) => describeStep(s, names)) }));
}
