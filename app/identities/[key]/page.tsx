import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { IdentityFindings } from "@/components/findings/findings-summary";
import { loadInventory } from "@/app/_lib/inventory";
import { buildIdentityDetail } from "@/components/identities/detail";
import { KindBadge } from "@/components/identities/kind-badge";
import { InventoryUnavailable } from "@/components/inventory/inventory-unavailable";
import { identityGraphHref } from "@/components/graph/links";
import { Badge } from "@/components/ui/badge";
import { DataNotices } from "@/components/ui/data-notices";
import { SkeletonTable } from "@/components/ui/skeleton";
import { TerraformOrigin, TerraformUnread } from "@/components/findings/terraform-origin";
import { originOfManaged } from "@/lib/iac/managed-origin";
import { normalizeId } from "@/lib/model/scope";
import { ownershipOfInventory } from "@/lib/scan/terraform-ownership";
import { AssignmentsTable } from "./_components/assignments-table";
import { WorkloadsTable } from "./_components/workloads-table";

type Props = { params: Promise<{ key: string }> };

/** Identity keys are GUIDs, but a hand-edited link may carry anything; a bad escape is just an unknown key. */
function decodeKey(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { key } = await params;
  const loaded = await loadInventory();
  const name = loaded.ok ? loaded.result.inventory.identities.find((i) => i.key === decodeKey(key))?.displayName : undefined;
  return { title: name ?? "Identity" };
}

const directoryBadge = {
  yes: <Badge tone="ok">In the directory</Badge>,
  no: (
    <Badge tone="danger" title="Microsoft Graph does not list this principal: its role assignments are orphaned">
      Deleted from the directory
    </Badge>
  ),
  unknown: (
    <Badge title="The directory could not be read, so whether this principal exists is unknown">Directory status unknown</Badge>
  ),
} as const;

export default async function IdentityPage({ params }: Props) {
  const { key: rawKey } = await params;
  const key = decodeKey(rawKey);
  const loaded = await loadInventory();
  if (!loaded.ok) {
    return (
      <>
        <div className="page-header">
          <h1>Identity</h1>
        </div>
        <InventoryUnavailable message={loaded.message} pending={loaded.pending} />
      </>
    );
  }
  const { inventory } = loaded.result;
  const detail = buildIdentityDetail(inventory, key);
  if (!detail) notFound();
  const { identity } = detail;
  const kubernetesPartial = inventory.errors.some((e) => e.source.startsWith("kubernetes"));
  const ownership = await ownershipOfInventory(inventory);
  const managedOf = (id: string | undefined) => (id ? ownership.managed.get(normalizeId(id)) : undefined);
  const identityManaged = managedOf(identity.resourceId);
  const credentials = identity.resourceId ? inventory.federatedCredentials.filter((f) => normalizeId(f.identityId) === normalizeId(identity.resourceId!)) : [];
  const assignmentOrigins = new Map(detail.assignments.flatMap((a) => {
    const m = managedOf(a.id);
    return m ? [[a.id, originOfManaged(m)] as const] : [];
  }));

  return (
    <>
      <p className="muted back-link">
        <Link href="/identities">← Identities</Link>
      </p>
      <div className="page-header">
        <div className="title-block">
          <h1>{identity.displayName}</h1>
          <p className="flags">
            <KindBadge kind={identity.kind} />
            {directoryBadge[detail.directory]}
            {identity.principalType ? <Badge>{identity.principalType}</Badge> : null}
          </p>
        </div>
        <p>
          <Link className="button" href={identityGraphHref(identity.key)}>
            Open in graph
          </Link>
        </p>
      </div>
      <DataNotices errors={inventory.errors.length} what="this identity's roles and workloads may be incomplete" />
      {ownership.error ? <TerraformUnread message={ownership.error} /> : null}

      <div className="grid-2 section">
        <section className="card" aria-labelledby="ids-title">
          <div className="section-header">
            <h2 id="ids-title">Identifiers</h2>
          </div>
          <div className="section-body">
            <dl className="meta-list">
              <dt>Principal id</dt>
              <dd className="id">{identity.principalId ?? <span className="muted">unknown</span>}</dd>
              <dt>Client id</dt>
              <dd className="id">{identity.clientId ?? <span className="muted">unknown</span>}</dd>
              <dt>Resource id</dt>
              <dd className="id">{identity.resourceId ?? <span className="muted">— (not a user-assigned managed identity)</span>}</dd>
              {identity.systemAssignedTo ? (
                <>
                  <dt>System-assigned to</dt>
                  <dd className="id">{identity.systemAssignedTo}</dd>
                </>
              ) : null}
              {ownership.configured && !ownership.error && identity.resourceId ? (
                <>
                  <dt>Code</dt>
                  <dd>{identityManaged ? <TerraformOrigin origin={originOfManaged(identityManaged)} state={identityManaged.state} /> : <span className="muted">Not in any Terraform state</span>}</dd>
                </>
              ) : null}
              {ownership.configured && !ownership.error && credentials.length > 0 ? (
                <>
                  <dt>Federated credentials</dt>
                  <dd>
                    <ul className="plain-list">
                      {credentials.map((f) => {
                        const m = managedOf(f.id);
                        return (
                          <li key={f.id}>
                            {f.name}: {m ? <TerraformOrigin origin={originOfManaged(m)} state={m.state} compact /> : <span className="muted">not in any Terraform state</span>}
                          </li>
                        );
                      })}
                    </ul>
                  </dd>
                </>
              ) : null}
            </dl>
          </div>
        </section>
        <section className="card" aria-labelledby="uses-title">
          <div className="section-header">
            <h2 id="uses-title">What it does</h2>
          </div>
          <div className="section-body">
            {detail.uses.length === 0 ? (
              <p className="muted flush">
                No cluster role: it appears because it holds role assignments in scanned scopes.
              </p>
            ) : (
              <ul className="plain-list">
                {detail.uses.map((u, i) => (
                  <li key={`${u.label}-${i}`} title={u.clusterId}>
                    {u.label}
                  </li>
                ))}
              </ul>
            )}
            {detail.clusters.length > 0 ? (
              <p className="cell-sub spaced-top flush-bottom">
                Clusters: {detail.clusters.map((c) => c.name).join(", ")}
              </p>
            ) : null}
          </div>
        </section>
      </div>

      <Suspense fallback={<SkeletonTable rows={2} columns={4} />}>
        <IdentityFindings identityKey={identity.key} principalId={identity.principalId} />
      </Suspense>
      <AssignmentsTable
        assignments={detail.assignments}
        principalKnown={identity.principalId !== undefined}
        identityKey={identity.key}
        managed={ownership.configured && !ownership.error ? assignmentOrigins : undefined}
      />
      <WorkloadsTable workloads={detail.workloads} kubernetesPartial={kubernetesPartial} />
    </>
  );
}
