import type { Metadata } from "next";
import { notFound } from "next/navigation";
import "@/components/findings/findings.css";
import "@/components/wizard/wizard.css";
import { loadCurrentScan } from "@/components/findings/load";
import { InventoryUnavailable } from "@/components/inventory/inventory-unavailable";
import { buildWizardModel } from "@/components/wizard/model";
import type { SearchParams } from "@/components/wizard/steps";
import { FixWizard, WizardHeading } from "@/components/wizard/wizard";
import { currentViewer } from "@/lib/auth/viewer";
import { serverEnv } from "@/lib/env";
import { actingAs, changesOfFinding, dryRunOf } from "@/lib/scan/apply";
import { buildCodeFixView } from "@/components/wizard/code-fix";
import { findingKinds } from "@/lib/rules/input-kinds";
import { ownershipOfShownScan } from "@/lib/scan/terraform-ownership";
import { productionClusterOf, productionRuleOf } from "@/lib/scan/production";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> };

export const metadata: Metadata = { title: "Fix wizard" };

function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export default async function FixWizardPage({ params, searchParams }: Props) {
  const findingId = decodeId((await params).id);
  const [query, loaded] = await Promise.all([searchParams, loadCurrentScan()]);
  if (!loaded.ok) {
    return (
      <>
        <WizardHeading title="Fix wizard" />
        <InventoryUnavailable message={loaded.message} pending={loaded.pending} />
      </>
    );
  }
  const viewer = await currentViewer();
  const [audit, ownership] = await Promise.all([changesOfFinding(findingId, viewer), ownershipOfShownScan(loaded.scan)]);
  const model = buildWizardModel({
    findingId,
    query,
    inventory: loaded.scan.inventory,
    findings: ownership.findings,
    changes: audit.changes,
    auditError: audit.error,
    ruleIds: findingKinds.map((k) => k.id),
    actorName: actingAs(viewer),
    dryRun: dryRunOf(loaded.scan.inventory),
    readOnly: serverEnv().SCOPEWISE_READ_ONLY,
    codeFixOf: (finding, chosen) => buildCodeFixView(finding, chosen, ownership.sources),
    productionClusterOf: (finding, chosen) => productionClusterOf(finding, chosen, loaded.scan.inventory, productionRuleOf(serverEnv())),
  });
  if (model.kind === "not-found") notFound();
  return <FixWizard model={model} />;
}
