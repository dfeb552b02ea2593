import type { TenantFile, TenantUser } from "@/lib/tenant/types";
import { aadError } from "./aad-error";
import { AKS_AAD_SERVER_APP_ID, normalizeAudience } from "./tokens";

/** How a delegated token is being asked for: only the authorization code grant follows a person at the sign-in page. */
export type DelegatedGrant = "authorization_code" | "refresh_token" | "password";

/**
 * Consent and interaction for delegated tokens, from the tenant file's emulator-only `consent`
 * block (lib/tenant/types.ts TenantConsent). Without the block nothing is checked. With it, a
 * resource that needs consent (the AKS server app always, plus `consent.required`) is refused
 * with Entra's AADSTS65001 (`invalid_grant`, suberror `consent_required`) until the user or an
 * admin consented. A person who signs in interactively asking for the resource consents there,
 * as at Entra's consent prompt; that lasts until the emulator stops. `interactionRequired`
 * resources (MFA or Conditional Access on them) refuse every silent request with
 * `interaction_required` (AADSTS50076); only the interactive grant gets a token.
 */
export class ConsentState {
  private readonly needed: Set<string>;
  private readonly admin: Set<string>;
  private readonly interactive: Set<string>;
  private readonly grantedAtSignIn = new Map<string, Set<string>>();

  constructor(private readonly tenant: TenantFile) {
    const c = tenant.consent;
    this.needed = new Set([AKS_AAD_SERVER_APP_ID, ...(c?.required ?? [])].map(normalizeAudience));
    this.admin = new Set((c?.adminConsented ?? []).map(normalizeAudience));
    this.interactive = new Set((c?.interactionRequired ?? []).map(normalizeAudience));
  }

  /**
   * Throws Entra's refusal when a delegated token for `resource` may not be issued now.
   * `signInScopes` are the scopes the person was asked for at the sign-in page (authorization code grant).
   */
  check(grant: DelegatedGrant, user: TenantUser, client: { clientId: string; displayName?: string }, resource: string, signInScopes: readonly string[]): void {
    if (!this.tenant.consent) return;
    const wanted = normalizeAudience(resource);
    if (grant === "authorization_code") {
      for (const s of signInScopes) this.recordSignIn(user, s);
    }
    if (this.needed.has(wanted) && !this.admin.has(wanted) && !this.consented(user, wanted)) {
      throw aadError(
        400,
        "invalid_grant",
        65001,
        `The user or administrator has not consented to use the application with ID '${client.clientId}' named '${client.displayName ?? client.clientId}'. Send an interactive authorization request for this user and resource.`,
        { suberror: "consent_required" },
      );
    }
    if (this.interactive.has(wanted) && grant !== "authorization_code") {
      throw aadError(
        400,
        "interaction_required",
        50076,
        `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${resource}'.`,
        { suberror: "basic_action" },
      );
    }
  }

  private consented(user: TenantUser, resource: string): boolean {
    if ((user.consentedResources ?? []).some((r) => normalizeAudience(r) === resource)) return true;
    return this.grantedAtSignIn.get(user.id.toLowerCase())?.has(resource) ?? false;
  }

  private recordSignIn(user: TenantUser, scope: string): void {
    const cut = scope.lastIndexOf("/");
    if (cut <= 0) return;
    const key = user.id.toLowerCase();
    const set = this.grantedAtSignIn.get(key) ?? new Set<string>();
    set.add(normalizeAudience(scope.slice(0, cut)));
    this.grantedAtSignIn.set(key, set);
  }
}
