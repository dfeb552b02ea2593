import type { FixPlan, FixStep } from "@/lib/model/findings";
import { normalizeId, parseScope, roleDefinitionGuid } from "@/lib/model/scope";
import { clusterOf, federatedCredentialParent, identityOf, stepSentence, type RenderContext } from "./context";
import { kubectlResource } from "./names";
import { azCommandLine, commentLines, shellQuote, yamlText } from "./quote";
import { orderSteps } from "./order";
import { FIELD_MANAGER } from "../apply/types";

/** A command as `az a b \` continuation lines: one flag per line, values shell-quoted. */
function command(head: string, flags: [string, string | string[] | undefined][]): string {
  const parts = [head];
  for (const [flag, value] of flags) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    parts.push(values.length > 0 ? `${flag} ${values.map(shellQuote).join(" ")}` : flag);
  }
  return parts.join(" \\\n  ");
}

function heredocDelimiter(body: string): string {
  let d = "EOF";
  while (body.split("\n").includes(d)) d = `SCOPEWISE_${d}`;
  return d;
}

function stepCommands(step: FixStep, ctx: RenderContext, credentialsFetched: Set<string>): string[] {
  switch (step.kind) {
    case "create-role-assignment":
      // Object id + principal type skip the Graph lookup az would otherwise do, which fails
      // for a just-created identity until directory replication catches up.
      return [
        command("az role assignment create", [
          ["--assignee-object-id", step.principalId],
          ["--assignee-principal-type", step.principalType || "ServicePrincipal"],
          ["--role", roleDefinitionGuid(step.roleDefinitionId)],
          ["--scope", step.scope],
          ["--condition", step.condition],
          ["--condition-version", step.condition ? step.conditionVersion || "2.0" : undefined],
        ]),
      ];
    case "delete-role-assignment":
      return [command("az role assignment delete", [["--ids", step.roleAssignmentId]])];
    case "create-federated-credential": {
      const id = identityOf(ctx, step.identityId);
      return [
        command("az identity federated-credential create", [
          ["--name", step.name],
          ["--identity-name", id.name],
          ["--resource-group", id.resourceGroup],
          ["--subscription", id.subscriptionId],
          ["--issuer", step.issuer],
          ["--subject", step.subject],
          ["--audiences", step.audiences],
        ]),
      ];
    }
    case "delete-federated-credential": {
      const parentId = federatedCredentialParent(step.federatedCredentialId);
      if (!parentId) return commentLines(`Not a federated credential id, delete it by hand: ${step.federatedCredentialId}`, "# ");
      const id = identityOf(ctx, parentId);
      return [
        command("az identity federated-credential delete", [
          ["--name", step.federatedCredentialId.split("/").pop()!],
          ["--identity-name", id.name],
          ["--resource-group", id.resourceGroup],
          ["--subscription", id.subscriptionId],
          ["--yes", []],
        ]),
      ];
    }
    case "create-app-federated-credential":
      // --parameters takes the Graph federatedIdentityCredential body as JSON; --id takes the appId.
      return [
        command("az ad app federated-credential create", [
          ["--id", step.appId],
          ["--parameters", JSON.stringify({ name: step.name, issuer: step.issuer, subject: step.subject, audiences: step.audiences })],
        ]),
      ];
    case "delete-app-federated-credential":
      // --federated-credential-id accepts the credential's id or its name.
      return [command("az ad app federated-credential delete", [["--id", step.appId], ["--federated-credential-id", step.name]])];
    case "kubernetes-apply": {
      const cluster = clusterOf(ctx, step.clusterId);
      const body = yamlText(step.manifest).trimEnd();
      const eof = heredocDelimiter(body);
      return [
        ...credentials(cluster, credentialsFetched),
        `kubectl --context ${shellQuote(cluster.name)} apply --server-side --field-manager=${FIELD_MANAGER} -f - <<'${eof}'\n${body}\n${eof}`,
      ];
    }
    case "kubernetes-delete": {
      const cluster = clusterOf(ctx, step.clusterId);
      return [...credentials(cluster, credentialsFetched), kubectlDeleteLine(cluster.name, step)];
    }
    case "create-managed-identity": {
      const rg = parseScope(step.resourceGroupId);
      return [
        command("az identity create", [
          ["--name", step.name],
          ["--resource-group", rg.resourceGroup],
          ["--subscription", rg.subscriptionId],
          ["--location", step.location],
        ]),
      ];
    }
    case "delete-managed-identity":
      return [command("az identity delete", [["--ids", step.identityId]])];
    case "az-command":
      return [azCommandLine(step.args)];
    case "manual":
      return [];
  }
}

/** `kubectl delete` of one object on a cluster's context, every value quoted (the YAML rendering prints it too). */
export function kubectlDeleteLine(clusterName: string, step: { apiVersion: string; objectKind: string; namespace?: string; name: string }): string {
  const ns = step.namespace ? ` -n ${shellQuote(step.namespace)}` : "";
  return `kubectl --context ${shellQuote(clusterName)} delete ${shellQuote(kubectlResource(step.apiVersion, step.objectKind))}${ns} ${shellQuote(step.name)} --ignore-not-found`;
}

/** `az aks get-credentials` once per cluster: it writes a kubeconfig context named after the cluster, which the kubectl lines select. */
function credentials(cluster: ReturnType<typeof clusterOf>, fetched: Set<string>): string[] {
  const key = normalizeId(cluster.id);
  if (fetched.has(key)) return [];
  fetched.add(key);
  return [
    command("az aks get-credentials", [
      ["--resource-group", cluster.resourceGroup],
      ["--name", cluster.name],
      ["--subscription", cluster.subscriptionId],
      ["--overwrite-existing", []],
    ]),
  ];
}

/** A bash script running the plan with az and kubectl, creates before deletes, stopping at the first failure. */
export function renderAz(plan: FixPlan, ctx: RenderContext): string {
  const steps = orderSteps(plan);
  const out: string[] = [
    "#!/usr/bin/env bash",
    ...commentLines(`Scopewise fix "${plan.id}": ${plan.summary}`, "# "),
    "# New grants are created before old ones are removed; the script stops at the first error.",
    "set -euo pipefail",
  ];
  const fetched = new Set<string>();
  steps.forEach((step, i) => {
    out.push("");
    const head = `Step ${i + 1}/${steps.length}${step.kind === "manual" ? " (manual)" : ""}: `;
    out.push(...commentLines(head + stepSentence(step, ctx), "# "));
    out.push(...stepCommands(step, ctx, fetched));
  });
  return out.join("\n") + "\n";
}
