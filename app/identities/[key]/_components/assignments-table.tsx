import type { AssignmentView } from "@/components/identities/detail";
import { TerraformOrigin } from "@/components/findings/terraform-origin";
import type { IacOrigin } from "@/lib/model/findings";
import { ScopeBreadcrumb } from "@/components/inventory/scope-breadcrumb";
import { ScopeLevelLabel } from "@/lib/model/vocabulary";
import { Badge } from "@/components/ui/badge";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { lastSegment } from "@/lib/model/scope";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount } from "@/components/ui/format";
import { ExportLinks } from "@/components/exports/export-links";

/** `managed`: the Terraform block of each assignment a configured state holds; absent when no states are configured. */
export function AssignmentsTable({
  assignments,
  principalKnown,
  identityKey,
  managed,
}: {
  assignments: AssignmentView[];
  principalKnown: boolean;
  identityKey: string;
  managed?: ReadonlyMap<string, IacOrigin>;
}) {
  return (
    <section className="card section" aria-labelledby="assignments-title">
      <ScrollRegion label="Role assignments">
        <table className="data">
          <caption id="assignments-title">
            Role assignments<span className="caption-note">{formatCount(assignments.length)} made directly to this principal, widest scope first
              {" · "}
              <ExportLinks href="/api/role-assignments/export" query={new URLSearchParams({ identity: identityKey }).toString()} noun="this identity's role assignments" />
            </span>
          </caption>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Scope</th>
              <th scope="col">Level</th>
              <th scope="col">How granted</th>
              <th scope="col">Assignment</th>
            </tr>
          </thead>
          <tbody>
            {assignments.map((a) => (
              <tr key={a.id}>
                <th scope="row">
                  <div className="cell-title">{a.roleName}</div>
                  {a.roleResolved ? null : <div className="cell-sub">Role definition could not be read</div>}
                </th>
                <td className="col-crumbs">
                  <ScopeBreadcrumb crumbs={a.crumbs} label={`Scope of ${a.roleName} (assignment ${lastSegment(a.id)})`} landmark={false} />
                </td>
                <td>
                  <Badge tone={a.scopeLevel === "managementGroup" || a.scopeLevel === "root" || a.scopeLevel === "subscription" ? "warn" : "neutral"}>
                    {ScopeLevelLabel[a.scopeLevel]}
                  </Badge>
                </td>
                <td>
                  <div>Direct to this principal</div>
                  {managed ? (
                    <div className="cell-sub">
                      {managed.get(a.id) ? <TerraformOrigin origin={managed.get(a.id)!} /> : "Not in any Terraform state"}
                    </div>
                  ) : null}
                  {a.condition ? (
                    <details className="disclosure">
                      <summary>Condition present (ABAC)</summary>
                      <code className="code-wrap">{a.condition}</code>
                    </details>
                  ) : null}
                </td>
                <td className="col-roles">
                  <details className="disclosure">
                    <summary>Assignment id</summary>
                    <div className="id">{a.id}</div>
                    <div className="cell-sub">
                      Role definition <span className="id">{a.roleDefinitionId}</span>
                    </div>
                    {a.description ? <div className="cell-sub">{a.description}</div> : null}
                    {a.createdOn ? <div className="cell-sub">Created {a.createdOn}</div> : null}
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {assignments.length === 0 ? (
        <EmptyState title={principalKnown ? "No role assignments" : "No principal id known"}>
          <p>
            {principalKnown
              ? "No role assignment in the scanned scopes names this principal."
              : "Without an object id the scan cannot match role assignments to this identity."}
          </p>
        </EmptyState>
      ) : null}
    </section>
  );
}
