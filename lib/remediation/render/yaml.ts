import type { FixPlan, FixStep } from "@/lib/model/findings";
import { FIELD_MANAGER } from "../apply/types";
import { clusterOf, stepSentence, type RenderContext } from "./context";
import { commentedCode, commentLines, shellQuote, yamlDocument, yamlString } from "./quote";
import { orderSteps } from "./order";
import { kubectlDeleteLine } from "./az";

type KubeApply = Extract<FixStep, { kind: "kubernetes-apply" }>;
type KubeDelete = Extract<FixStep, { kind: "kubernetes-delete" }>;

/**
 * The Kubernetes side of a plan as multi-document YAML: one document per object to apply
 * (server-side apply bodies: only the fields Scopewise owns), each headed by its cluster,
 * and the objects to delete as kubectl comments after them (deletes come last).
 */
export function renderYaml(plan: FixPlan, ctx: RenderContext): string {
  const steps = orderSteps(plan);
  const applies = steps.filter((s): s is KubeApply => s.kind === "kubernetes-apply");
  const deletes = steps.filter((s): s is KubeDelete => s.kind === "kubernetes-delete");
  const azureSteps = steps.filter((s) => s.kind !== "kubernetes-apply" && s.kind !== "kubernetes-delete").length;
  const clusters = [...new Set([...applies, ...deletes].map((s) => clusterOf(ctx, s.clusterId).name))];
  const header = [
    ...commentLines(`Scopewise fix "${plan.id}": ${plan.summary}`, " "),
    ` Apply with server-side apply, per cluster context:`,
    ...commentedCode(clusters.map((c) => `kubectl --context ${shellQuote(c)} apply --server-side --field-manager=${FIELD_MANAGER} -f ${shellQuote(`scopewise-${plan.id}.yaml`)}`), "   "),
    ...(clusters.length > 1 ? [" Each document names its cluster; apply a cluster's documents with that cluster's context."] : []),
    ...(azureSteps > 0
      ? [` The plan also has ${azureSteps} Azure or manual step(s) (see the az CLI rendering); the creates among them come first.`]
      : []),
  ];
  const docs: string[] = [];
  applies.forEach((step, i) => {
    const doc = yamlDocument(step.manifest);
    const lines = [...commentLines(`cluster: ${clusterOf(ctx, step.clusterId).name}`, ""), ...commentLines(stepSentence(step, ctx), "")];
    doc.commentBefore = (i === 0 ? [...header, "", ...lines.map((l) => ` ${l}`)] : lines.map((l) => ` ${l}`)).join("\n");
    docs.push(yamlString(doc));
  });
  let text = docs.join("---\n");
  if (applies.length === 0) text = header.map((l) => `#${l}`).join("\n") + "\n";
  if (deletes.length > 0) {
    const del = commentedCode(deletes.map((s) => kubectlDeleteLine(clusterOf(ctx, s.clusterId).name, s)), "# ");
    text += ["", "# Then delete, once the objects above are applied and the pods have restarted:", ...del].join("\n") + "\n";
  }
  return text;
}
