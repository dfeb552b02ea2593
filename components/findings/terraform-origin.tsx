import type { IacOrigin } from "@/lib/model/findings";

/**
 * "Managed by Terraform: `module.aks.azurerm_role_assignment.acr_pull` in `main.tf:42`": the
 * block of the configured Terraform states that holds a live object. The address and file are
 * text from state files and HCL, rendered as text.
 */
export function TerraformOrigin({ origin, state, compact = false }: { origin: IacOrigin; state?: string; compact?: boolean }) {
  return (
    <span className="terraform-origin" data-testid="terraform-origin">
      {compact ? "Terraform: " : "Managed by Terraform: "}
      <code>{origin.address}</code>
      {origin.file ? (
        <>
          {" in "}
          <code>
            {origin.file}:{origin.line}
          </code>
        </>
      ) : state && !compact ? (
        <>
          {" (state "}
          <code>{state}</code>)
        </>
      ) : null}
    </span>
  );
}

/** The configured Terraform states could not be read whole: nothing is shown as managed rather than a part. */
export function TerraformUnread({ message }: { message: string }) {
  return (
    <section className="callout callout-warn" aria-labelledby="terraform-unread-title">
      <h2 id="terraform-unread-title">Terraform states not read</h2>
      <p>
        Which grants Terraform manages is unknown for this scan, and no drift is reported: <code>{message}</code>
      </p>
    </section>
  );
}
