import { normalizeId } from "@/lib/model/scope";
import type { ArmWireObject, KubeWireObject } from "@/lib/model/wire";
import type { TenantFile } from "@/lib/tenant/types";
import { managementGroupWire, resourceGroupWire, resourceWire, subscriptionWire, type ArmResource, type ResourceGroupOptions } from "./arm";
import { ClusterKube, type ClusterKubeOptions, type NodePool } from "./cluster-kube";
import { managedClusterWire, type ManagedClusterSpec } from "./clusters";
import { kubeSuffix, stableGuid, tickingClock, type GuidOf } from "./ids";
import {
  applicationPrincipalWire,
  federatedCredentialWire,
  flexibleFederatedCredentialWire,
  groupWire,
  managedIdentityPrincipalWire,
  serviceAccountSubject,
  userAssignedIdentityIdOf,
  userAssignedIdentityWire,
  userWire,
  type DirectoryObject,
  type IdentityRef,
  type PrincipalRef,
} from "./identities";
import { builtinRole, customRoleWire, roleAssignmentWire, type Permissions } from "./roles";

/** A tenant file whose optional lists are all present (the builder fills them). */
export type BuiltTenant = TenantFile & {
  managementGroups: ArmWireObject[];
  federatedIdentityCredentials: ArmWireObject[];
  roleDefinitions: ArmWireObject[];
  kubernetes: Record<string, KubeWireObject[]>;
};

/** How ids are derived from names; a tenant's ids are stable when its scheme is. */
export interface IdScheme {
  guid: GuidOf;
  /** Directory object and client ids of a managed identity, from its (or its owner's) resource id. */
  identityIds(resourceId: string): { principalId: string; clientId: string };
  roleAssignmentName(scope: string, roleGuid: string, principalId: string): string;
}

/** The demo's scheme: stableGuid over lower-cased ids, so case changes in ids do not change GUIDs. */
export function namedIdScheme(namespace = "scopewise-demo"): IdScheme {
  const guid = (name: string) => stableGuid(name, namespace);
  return {
    guid,
    identityIds: (id) => ({ principalId: guid(`principal:${id.toLowerCase()}`), clientId: guid(`client:${id.toLowerCase()}`) }),
    roleAssignmentName: (scope, roleGuid, principalId) => guid(`ra:${normalizeId(scope)}:${roleGuid}:${principalId}`),
  };
}

/** Options for a tenant whose tenant id and every other id derive from its name (the demo's). */
export function namedTenantOptions(tenantName: string, location = "westeurope"): TenantBuilderOptions {
  const ids = namedIdScheme();
  return {
    tenantId: ids.guid(`tenant:${tenantName}`),
    ids,
    location,
    managementGroupDetails: { version: 3, updatedTime: "2024-02-12T10:31:00.0000000Z", updatedBy: ids.guid("user:platform-bootstrap") },
  };
}

export interface TenantBuilderOptions {
  tenantId: string;
  ids: IdScheme;
  location?: string;
  /** Timestamps for createdOn / updatedOn; a fixed ticking clock by default. */
  clock?: () => string;
  /** Who created role assignments and custom roles. */
  creatorId?: string;
  /** `properties.details` of management groups, besides the parent. */
  managementGroupDetails?: Record<string, unknown>;
  /** Graph lists an identity.azure.net URL among a managed identity's servicePrincipalNames (on by default). */
  identityUrls?: boolean;
}

export interface CustomRoleRef {
  id: string;
  guid: string;
  roleName: string;
}

export interface AssignOptions {
  createdOn?: string;
  /** The assignment's GUID; derived from scope, role and principal by default. */
  name?: string;
  /** An ABAC condition the assignment carries. */
  condition?: string;
}

/**
 * Writes a tenant file (docs/tenant-format.md) in wire shapes with deterministic ids: the
 * demo scenario, the generators and test tenants all build through it.
 */
export class TenantBuilder {
  readonly tenant: BuiltTenant;
  readonly location: string;
  readonly ids: IdScheme;
  readonly clock: () => string;
  private readonly options: TenantBuilderOptions;
  private readonly customRoles = new Map<string, CustomRoleRef>();
  private readonly principalNames = new Map<string, string>();
  private readonly assignmentKeys = new Set<string>();

  constructor(options: TenantBuilderOptions) {
    this.options = options;
    this.ids = options.ids;
    this.location = options.location ?? "westeurope";
    this.clock = options.clock ?? tickingClock(Date.UTC(2024, 2, 4, 9, 0, 0));
    this.tenant = {
      version: 1,
      tenantId: options.tenantId,
      managementGroups: [],
      subscriptions: [],
      resourceGroups: [],
      resources: [],
      federatedIdentityCredentials: [],
      roleDefinitions: [],
      roleAssignments: [],
      principals: [],
      kubernetes: {},
    };
  }

  /** A builder whose tenant id and every other id derive from the tenant's name. */
  static named(tenantName: string, location = "westeurope"): TenantBuilder {
    return new TenantBuilder(namedTenantOptions(tenantName, location));
  }

  get tenantId(): string {
    return this.tenant.tenantId;
  }

  private get creatorId(): string {
    return this.options.creatorId ?? this.ids.guid("user:platform-bootstrap");
  }

  managementGroup(name: string, displayName: string, parent: string | null): string {
    const mg = managementGroupWire({ name, displayName, parent, tenantId: this.tenantId, details: this.options.managementGroupDetails });
    this.tenant.managementGroups.push(mg);
    return mg.id;
  }

  subscription(displayName: string, managementGroupId?: string, subscriptionId = this.ids.guid(`subscription:${displayName}`)): { id: string; subscriptionId: string } {
    const sub = subscriptionWire({ subscriptionId, displayName, tenantId: this.tenantId, managementGroupId });
    this.tenant.subscriptions.push(sub);
    return { id: sub.id, subscriptionId };
  }

  resourceGroup(subscriptionId: string, name: string, opts: ResourceGroupOptions & { location?: string } = {}): string {
    const rg = resourceGroupWire(subscriptionId, name, opts.location ?? this.location, opts);
    this.tenant.resourceGroups.push(rg);
    return rg.id;
  }

  /** Adds an ARM resource in its GET shape; `type` is `Namespace/type` as ARM spells it. */
  resource(rgId: string, type: string, name: string, body: Omit<ArmWireObject, "id" | "name" | "type"> = {}): ArmResource {
    const obj = resourceWire(rgId, type, name, this.location, body);
    this.tenant.resources.push(obj);
    return obj;
  }

  private managedIdentityNames(clientId: string, resourceId: string): string[] {
    return this.options.identityUrls === false ? [clientId] : [clientId, `https://identity.azure.net/${kubeSuffix(resourceId, 40)}=`];
  }

  /** A user-assigned managed identity, and its service principal in the directory. */
  userAssignedIdentity(rgId: string, name: string, o: { tags?: Record<string, string>; principalId?: string; clientId?: string } = {}): IdentityRef {
    const resourceId = userAssignedIdentityIdOf(rgId, name);
    const derived = this.ids.identityIds(resourceId);
    const principalId = o.principalId ?? derived.principalId;
    const clientId = o.clientId ?? derived.clientId;
    this.tenant.resources.push(userAssignedIdentityWire(rgId, name, this.location, { tenantId: this.tenantId, principalId, clientId, tags: o.tags }));
    this.addPrincipal(managedIdentityPrincipalWire({ principalId, clientId, displayName: name, resourceId, userAssigned: true, servicePrincipalNames: this.managedIdentityNames(clientId, resourceId) }));
    return { id: principalId, principalId, clientId, resourceId, name, displayName: name, principalType: "ServicePrincipal" };
  }

  /** The directory side of a system-assigned identity: the resource's `identity.principalId` and a service principal named after it. */
  systemAssignedIdentity(resourceId: string, name: string): IdentityRef {
    const { principalId, clientId } = this.ids.identityIds(resourceId);
    this.addPrincipal(managedIdentityPrincipalWire({ principalId, clientId, displayName: name, resourceId, userAssigned: false, servicePrincipalNames: this.managedIdentityNames(clientId, resourceId) }));
    return { id: principalId, principalId, clientId, resourceId, name, displayName: name, principalType: "ServicePrincipal" };
  }

  /** An app registration's service principal (a secret-based identity). */
  applicationServicePrincipal(displayName: string): PrincipalRef & { appId: string } {
    const appId = this.ids.guid(`app:${displayName}`);
    const id = this.ids.guid(`sp:${displayName}`);
    this.addPrincipal(applicationPrincipalWire({ id, appId, displayName, tenantId: this.tenantId }));
    return { id, appId, displayName, principalType: "ServicePrincipal" };
  }

  user(userPrincipalName: string, displayName: string, o: { jobTitle?: string; mail?: boolean; id?: string } = {}): PrincipalRef {
    const id = o.id ?? this.ids.guid(`user:${userPrincipalName}`);
    this.addPrincipal(userWire({ id, displayName, userPrincipalName, mail: o.mail === false ? undefined : userPrincipalName, jobTitle: o.jobTitle }));
    return { id, displayName, principalType: "User" };
  }

  group(displayName: string, o: { description?: string; mailNickname?: boolean; id?: string } = {}): PrincipalRef {
    const id = o.id ?? this.ids.guid(`group:${displayName}`);
    this.addPrincipal(groupWire({ id, displayName, description: o.description, mailNickname: o.mailNickname === false ? undefined : displayName }));
    return { id, displayName, principalType: "Group" };
  }

  /** A group of another tenant granted roles here (principalType ForeignGroup): this tenant's Graph never returns it. */
  foreignGroup(displayName: string): PrincipalRef {
    const id = this.ids.guid(`foreign-group:${displayName}`);
    this.principalNames.set(id, displayName);
    return { id, displayName, principalType: "ForeignGroup" };
  }

  /** A principal that role assignments still name but the directory no longer has (deleted identity). */
  deletedPrincipal(displayName: string): PrincipalRef {
    const id = this.ids.guid(`deleted:${displayName}`);
    this.principalNames.set(id, displayName);
    return { id, displayName, principalType: "ServicePrincipal" };
  }

  private addPrincipal(p: DirectoryObject): void {
    this.tenant.principals.push(p);
    this.principalNames.set(p.id, p.displayName);
  }

  nameOf(principalId: string): string | undefined {
    return this.principalNames.get(principalId);
  }

  federatedCredential(identity: { resourceId: string }, name: string, issuer: string, namespace: string, serviceAccount: string): string {
    const fic = federatedCredentialWire(identity.resourceId, name, issuer, serviceAccountSubject(namespace, serviceAccount));
    this.tenant.federatedIdentityCredentials.push(fic);
    return fic.id;
  }

  /**
   * A flexible federated credential (API 2025-01-31-preview and later): no subject, a claims
   * matching expression instead (Entra matches them for GitHub, GitLab and Terraform Cloud tokens).
   */
  flexibleFederatedCredential(identity: { resourceId: string }, name: string, issuer: string, expression: string): string {
    const fic = flexibleFederatedCredentialWire(identity.resourceId, name, issuer, expression);
    this.tenant.federatedIdentityCredentials.push(fic);
    return fic.id;
  }

  /** A custom role definition, defined at the first assignable scope's subscription. */
  customRole(roleName: string, description: string, permissions: Permissions, assignableScopes: string[]): CustomRoleRef {
    const guid = this.ids.guid(`role:${roleName}`);
    const def = customRoleWire({ guid, roleName, description, permissions, assignableScopes, created: { on: this.clock(), updatedOn: this.clock(), by: this.creatorId } });
    this.tenant.roleDefinitions.push(def);
    const ref = { id: def.id, guid, roleName };
    this.customRoles.set(roleName, ref);
    return ref;
  }

  /** The role's GUID: a built-in role by its exact name, or a custom role from `customRole`. */
  roleGuid(role: string | CustomRoleRef): string {
    if (typeof role === "string") return builtinRole(role).name;
    if (!this.customRoles.has(role.roleName)) throw new Error(`custom role "${role.roleName}" was not defined with customRole()`);
    return role.guid;
  }

  /** A role assignment at `scope`; ARM refuses a second identical one (RoleAssignmentExists), and so does this. */
  assign(scope: string, role: string | CustomRoleRef, principal: PrincipalRef, opts: AssignOptions = {}): string {
    const id = this.assignUnlessExists(scope, role, principal, opts);
    if (id === undefined) throw new Error(`RoleAssignmentExists: ${principal.displayName} already holds ${typeof role === "string" ? role : role.roleName} at ${scope}`);
    return id;
  }

  /** Like `assign`, but an identical assignment that exists already is skipped (undefined). */
  assignUnlessExists(scope: string, role: string | CustomRoleRef, principal: PrincipalRef, opts: AssignOptions = {}): string | undefined {
    const roleGuid = this.roleGuid(role);
    const key = `${normalizeId(scope)}|${roleGuid}|${principal.id.toLowerCase()}`;
    if (this.assignmentKeys.has(key)) return undefined;
    this.assignmentKeys.add(key);
    const name = opts.name ?? this.ids.roleAssignmentName(scope, roleGuid, principal.id);
    const ra = roleAssignmentWire({ scope, name, roleGuid, principalId: principal.id, principalType: principal.principalType, created: { on: opts.createdOn ?? this.clock(), by: this.creatorId }, condition: opts.condition });
    this.tenant.roleAssignments.push(ra);
    return ra.id;
  }

  /** Adds a managed cluster built from `spec` (see managedClusterWire). */
  cluster(spec: Omit<ManagedClusterSpec, "location"> & { location?: string }): ArmResource {
    const obj = managedClusterWire({ ...spec, location: spec.location ?? this.location });
    this.tenant.resources.push(obj);
    return obj;
  }

  /** The Kubernetes contents of a cluster, registered under its id in the tenant's `kubernetes`. */
  kube(clusterId: string, clusterName: string, pools: NodePool[], opts: ClusterKubeOptions): ClusterKube {
    const k = new ClusterKube(clusterId, clusterName, pools, opts);
    this.tenant.kubernetes[clusterId] = k.objects;
    return k;
  }
}
