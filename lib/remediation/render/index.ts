/**
 * Renderers turning a fix plan into what people run themselves: an az/kubectl script,
 * Terraform, Bicep, Kubernetes YAML. Pure: plan + context in, text out, the same text for
 * the same input (resource names are derived, never random).
 */
import type { FixPlan, FixStep } from "@/lib/model/findings";
import { renderAz } from "./az";
import { renderBicep } from "./bicep";
import type { RenderContext } from "./context";
import { renderTerraform } from "./terraform";
import { renderYaml } from "./yaml";

export { renderContextFor, emptyRenderContext, type RenderContext } from "./context";
export { orderSteps, isDeleteStep } from "./order";

export const RenderFormat = {
  Az: "az",
  Terraform: "terraform",
  Bicep: "bicep",
  Yaml: "yaml",
} as const;
export type RenderFormat = (typeof RenderFormat)[keyof typeof RenderFormat];

export const RENDER_FORMATS: readonly RenderFormat[] = ["az", "terraform", "bicep", "yaml"];

export const FORMAT_LABEL: Record<RenderFormat, string> = { az: "az CLI", terraform: "Terraform", bicep: "Bicep", yaml: "YAML" };

/** File name a download of the rendering gets. */
export function renderFileName(plan: FixPlan, format: RenderFormat): string {
  const ext = { az: "sh", terraform: "tf", bicep: "bicep", yaml: "yaml" }[format];
  return `scopewise-${plan.id}.${ext}`;
}

/** Which step kinds each format can express as more than a comment. */
const CONTENT_KINDS: Record<RenderFormat, ReadonlySet<FixStep["kind"]>> = {
  az: new Set<FixStep["kind"]>([
    "create-role-assignment",
    "delete-role-assignment",
    "create-federated-credential",
    "delete-federated-credential",
    "create-app-federated-credential",
    "delete-app-federated-credential",
    "kubernetes-apply",
    "kubernetes-delete",
    "create-managed-identity",
    "delete-managed-identity",
    "az-command",
  ]),
  terraform: new Set<FixStep["kind"]>([
    "create-role-assignment",
    "delete-role-assignment",
    "create-federated-credential",
    "delete-federated-credential",
    "create-app-federated-credential",
    "create-managed-identity",
    "delete-managed-identity",
  ]),
  // Bicep cannot delete: a plan that only deletes has nothing to deploy.
  bicep: new Set<FixStep["kind"]>(["create-role-assignment", "create-federated-credential", "create-managed-identity"]),
  yaml: new Set<FixStep["kind"]>(["kubernetes-apply", "kubernetes-delete"]),
};

const NOTHING_BECAUSE: Record<RenderFormat, string> = {
  az: "it has only manual steps",
  terraform: "it creates or deletes no role assignment, federated credential (managed identity or app registration) or managed identity",
  bicep: "it creates no role assignment, federated credential or managed identity (Bicep cannot delete)",
  yaml: "it changes no Kubernetes object",
};

/** The formats in which the plan has real content, in display order. */
export function applicableFormats(plan: FixPlan): RenderFormat[] {
  return RENDER_FORMATS.filter((f) => plan.steps.some((s) => CONTENT_KINDS[f].has(s.kind)));
}

export function isApplicable(plan: FixPlan, format: RenderFormat): boolean {
  return plan.steps.some((s) => CONTENT_KINDS[format].has(s.kind));
}

/** Why a format has nothing to show for this plan, naming the formats that do. */
export function notApplicableMessage(plan: FixPlan, format: RenderFormat): string {
  const others = applicableFormats(plan).map((f) => FORMAT_LABEL[f]);
  return (
    `Nothing to render as ${FORMAT_LABEL[format]} for this plan ("${plan.id}"): ${NOTHING_BECAUSE[format]}.` +
    (others.length > 0 ? ` Available: ${others.join(", ")}.` : "")
  );
}

/**
 * Renders a plan. For a format that does not apply (see `applicableFormats`) the result is a
 * one-line comment saying so, in the format's comment syntax.
 */
export function renderPlan(plan: FixPlan, format: RenderFormat, context: RenderContext): string {
  if (!isApplicable(plan, format)) return `${format === "bicep" ? "//" : "#"} ${notApplicableMessage(plan, format)}\n`;
  switch (format) {
    case "az":
      return renderAz(plan, context);
    case "terraform":
      return renderTerraform(plan, context);
    case "bicep":
      return renderBicep(plan, context);
    case "yaml":
      return renderYaml(plan, context);
  }
}
