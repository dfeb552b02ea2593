import { IdentityKind, PrincipalType, type Identity, type IdentityUse, type Principal } from "@/lib/model/types";
import { normalizeId } from "@/lib/model/scope";
import { IDENTITY_KIND_ORDER } from "@/lib/model/vocabulary";

/** Most specific job first: an identity's `kind` is the first of these among its uses (the order pages list kinds in). */
const KIND_PRECEDENCE: readonly IdentityKind[] = IDENTITY_KIND_ORDER;

/** How trustworthy a display name is: the ARM resource name beats Graph's, which beats an id. */
const NameRank = { Id: 0, Graph: 1, Resource: 2 } as const;

/** What one source says about a principal. Any of the three ids may be missing. */
export interface IdentityFacts {
  principalId?: string;
  clientId?: string;
  /** userAssignedIdentities resource id. */
  resourceId?: string;
  displayName?: string;
  nameFromResource?: boolean;
  /** ARM principalType spelling: ServicePrincipal, User, Group, ... */
  principalType?: string;
  systemAssignedTo?: string;
}

/** A mutable identity under construction; merged drafts point at the survivor. */
export interface IdentityDraft {
  principalId?: string;
  clientId?: string;
  resourceId?: string;
  displayName?: string;
  nameRank: number;
  principalType?: string;
  systemAssignedTo?: string;
  uses: IdentityUse[];
  useKeys: Set<string>;
  graph?: Principal;
  /** A role assignment names it: the only principals a directory lookup is guaranteed to have asked about. */
  assignmentPrincipal: boolean;
  mergedInto?: IdentityDraft;
}

const k = (s: string) => normalizeId(s);

/**
 * Collects every principal seen across ARM, Graph and Kubernetes and merges what each
 * source knows, keyed by principal (object) id, client (app) id and identity resource id.
 * Graph fills the gaps: a service-principal cluster only names its appId, a managed
 * identity's Graph object lists its ARM resource id among `alternativeNames`.
 */
export class IdentityRegistry {
  private readonly byPrincipal = new Map<string, IdentityDraft>();
  private readonly byClient = new Map<string, IdentityDraft>();
  private readonly byResource = new Map<string, IdentityDraft>();
  private readonly drafts: IdentityDraft[] = [];
  private readonly graphById = new Map<string, Principal>();
  private readonly graphByAppId = new Map<string, Principal>();
  private readonly graphByResourceId = new Map<string, Principal>();

  constructor(
    principals: Principal[],
    private readonly principalsResolved: boolean,
  ) {
    for (const p of principals) {
      this.graphById.set(k(p.id), p);
      if (p.appId) this.graphByAppId.set(k(p.appId), p);
      for (const alt of p.alternativeNames ?? []) {
        if (alt.startsWith("/")) this.graphByResourceId.set(k(alt), p);
      }
    }
  }

  /** Records facts about a principal, optionally with a job it does; returns its (possibly merged) draft. */
  note(facts: IdentityFacts, use?: IdentityUse): IdentityDraft | undefined {
    // Fast path for the common case at scale: a principal id already known (role assignments).
    if (facts.principalId && !facts.clientId && !facts.resourceId && !facts.displayName && !facts.systemAssignedTo) {
      const known = this.byPrincipal.get(k(facts.principalId));
      if (known) {
        const d = this.resolve(known);
        if (facts.principalType && (!d.principalType || d.principalType === "Unknown")) d.principalType = facts.principalType;
        if (use) this.addUse(d, use);
        return d;
      }
    }
    const f = this.enrichFromGraph(facts);
    if (!f.principalId && !f.clientId && !f.resourceId) return undefined;
    const found = [
      f.principalId ? this.byPrincipal.get(k(f.principalId)) : undefined,
      f.clientId ? this.byClient.get(k(f.clientId)) : undefined,
      f.resourceId ? this.byResource.get(k(f.resourceId)) : undefined,
    ]
      .filter((d): d is IdentityDraft => d !== undefined)
      .map((d) => this.resolve(d));
    let draft = found[0];
    if (!draft) {
      draft = { nameRank: -1, uses: [], useKeys: new Set(), assignmentPrincipal: false };
      this.drafts.push(draft);
    }
    for (const other of found.slice(1)) if (other !== draft) this.merge(draft, other);
    this.apply(draft, f);
    if (use) this.addUse(draft, use);
    return draft;
  }

  findByClientId(clientId: string): IdentityDraft | undefined {
    const d = this.byClient.get(k(clientId));
    return d && this.resolve(d);
  }

  findByResourceId(resourceId: string): IdentityDraft | undefined {
    const d = this.byResource.get(k(resourceId));
    return d && this.resolve(d);
  }

  addUse(draft: IdentityDraft, use: IdentityUse): void {
    const d = this.resolve(draft);
    const key = [use.kind, use.clusterId ? k(use.clusterId) : "", use.addon ?? "", use.mechanism ?? ""].join("|");
    if (d.useKeys.has(key)) return;
    d.useKeys.add(key);
    d.uses.push(use);
  }

  markAssignmentPrincipal(draft: IdentityDraft): void {
    this.resolve(draft).assignmentPrincipal = true;
  }

  resolve(draft: IdentityDraft): IdentityDraft {
    let d = draft;
    while (d.mergedInto) d = d.mergedInto;
    return d;
  }

  /** The final key of a draft: principal id when known, else client id, else resource id. */
  keyOf(draft: IdentityDraft): string {
    const d = this.resolve(draft);
    return (d.principalId ?? d.clientId ?? d.resourceId)!;
  }

  finalize(): Identity[] {
    const out: Identity[] = [];
    for (const d of this.drafts) {
      if (d.mergedInto) continue;
      const uses = [...d.uses].sort((a, b) => KIND_PRECEDENCE.indexOf(a.kind) - KIND_PRECEDENCE.indexOf(b.kind));
      const clusterIds = [...new Map(uses.filter((u) => u.clusterId).map((u) => [k(u.clusterId!), u.clusterId!])).values()];
      const principalType = d.principalType;
      out.push({
        key: this.keyOf(d),
        principalId: d.principalId,
        clientId: d.clientId,
        resourceId: d.resourceId,
        displayName: d.displayName ?? d.resourceId?.split("/").pop() ?? d.principalId ?? d.clientId ?? "(unknown)",
        kind: uses[0]?.kind ?? (isServicePrincipalType(principalType) ? IdentityKind.ServicePrincipal : IdentityKind.Other),
        uses,
        clusterIds,
        principalType,
        existsInDirectory: d.graph ? true : this.principalsResolved && d.assignmentPrincipal && d.principalId && isDirectoryType(principalType) ? false : undefined,
        systemAssignedTo: d.systemAssignedTo,
        ...this.unresolvedNotes(d, uses),
      });
    }
    return out;
  }

  /**
   * What Graph would have added, when it could not be read: the object id of a principal ARM
   * names only by client id (an app registration: a service-principal cluster, an AzureIdentity
   * with a secret, a ServiceAccount annotation), without which its role assignments cannot be
   * matched to it.
   */
  private unresolvedNotes(d: IdentityDraft, uses: IdentityUse[]): Pick<Identity, "notes"> {
    if (this.principalsResolved || d.graph) return {};
    if (!d.principalId && d.clientId) {
      return {
        notes: [
          `Microsoft Graph could not be read: the object (principal) id of client id ${d.clientId} is unknown, so role assignments cannot be matched to it${uses.length > 0 ? " and its grants are not judged" : ""}; they are listed under their principal ids.`,
        ],
      };
    }
    return {};
  }

  private enrichFromGraph(f: IdentityFacts): IdentityFacts {
    const g =
      (f.principalId && this.graphById.get(k(f.principalId))) ||
      (f.clientId && this.graphByAppId.get(k(f.clientId))) ||
      (f.resourceId && this.graphByResourceId.get(k(f.resourceId))) ||
      undefined;
    if (!g) return f;
    return { ...f, principalId: f.principalId ?? g.id, clientId: f.clientId ?? g.appId };
  }

  private apply(d: IdentityDraft, f: IdentityFacts): void {
    if (f.principalId && !d.principalId) {
      d.principalId = f.principalId;
      this.byPrincipal.set(k(f.principalId), d);
    }
    if (f.clientId && !d.clientId) {
      d.clientId = f.clientId;
      this.byClient.set(k(f.clientId), d);
    }
    if (f.resourceId && !d.resourceId) {
      d.resourceId = f.resourceId;
      this.byResource.set(k(f.resourceId), d);
    }
    if (f.systemAssignedTo && !d.systemAssignedTo) d.systemAssignedTo = f.systemAssignedTo;
    if (f.principalType && (!d.principalType || d.principalType === "Unknown")) d.principalType = f.principalType;
    if (!d.graph && d.principalId) {
      const g = this.graphById.get(k(d.principalId));
      if (g) {
        d.graph = g;
        d.principalType = graphPrincipalType(g);
        this.offerName(d, g.displayName, NameRank.Graph);
      }
    }
    if (f.displayName) this.offerName(d, f.displayName, f.nameFromResource ? NameRank.Resource : NameRank.Id);
  }

  private offerName(d: IdentityDraft, name: string, rank: number): void {
    if (rank > d.nameRank) {
      d.displayName = name;
      d.nameRank = rank;
    }
  }

  private merge(into: IdentityDraft, from: IdentityDraft): void {
    from.mergedInto = into;
    this.apply(into, {
      principalId: from.principalId,
      clientId: from.clientId,
      resourceId: from.resourceId,
      principalType: from.principalType,
      systemAssignedTo: from.systemAssignedTo,
    });
    if (from.displayName) this.offerName(into, from.displayName, from.nameRank);
    into.assignmentPrincipal ||= from.assignmentPrincipal;
    for (const u of from.uses) this.addUse(into, u);
    // Re-point every map entry of the merged draft so later lookups land on the survivor.
    for (const [m, id] of [
      [this.byPrincipal, from.principalId],
      [this.byClient, from.clientId],
      [this.byResource, from.resourceId],
    ] as const) {
      if (id && m.get(k(id)) === from) m.set(k(id), into);
    }
  }
}

/**
 * Principal types Microsoft Graph returns from this tenant's directory. A ForeignGroup (a group
 * of another tenant, granted through Azure Lighthouse or cross-tenant access) or a principal
 * whose type ARM did not record is never in it: Graph's silence proves nothing about those.
 */
const DIRECTORY_TYPES = new Set(["user", "group", "serviceprincipal"]);

export function isDirectoryType(t: string | undefined): boolean {
  return !!t && DIRECTORY_TYPES.has(t.toLowerCase());
}

function isServicePrincipalType(t: string | undefined): boolean {
  return !!t && t.toLowerCase() === "serviceprincipal";
}

export function graphPrincipalType(p: Principal): string {
  if (p.type === PrincipalType.User) return "User";
  if (p.type === PrincipalType.Group) return "Group";
  return "ServicePrincipal";
}
