import { POD_IDENTITY_API_VERSION } from "@/lib/model/kubernetes";
import type { KubeWireObject } from "@/lib/model/wire";

/**
 * Kubernetes objects as the API server returns them, one factory per kind the scanner reads
 * (core/v1, apps/v1, aadpodidentity.k8s.io/v1). The caller builds `metadata`; ClusterKube
 * does it with stable uids and resource versions.
 */

export type ObjectMeta = KubeWireObject["metadata"];

export function namespaceWire(metadata: ObjectMeta): KubeWireObject {
  return { apiVersion: "v1", kind: "Namespace", metadata, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } };
}

export function configMapWire(metadata: ObjectMeta, data: Record<string, string>): KubeWireObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata, data };
}

export function serviceAccountWire(metadata: ObjectMeta): KubeWireObject {
  return { apiVersion: "v1", kind: "ServiceAccount", metadata };
}

export function podWire(metadata: ObjectMeta, spec: Record<string, unknown>, status: Record<string, unknown> = { phase: "Running" }): KubeWireObject {
  return { apiVersion: "v1", kind: "Pod", metadata, spec, status };
}

export type ControllerKind = "Deployment" | "DaemonSet" | "StatefulSet" | "ReplicaSet";

export function controllerWire(kind: ControllerKind, metadata: ObjectMeta, spec: Record<string, unknown>, status?: Record<string, unknown>): KubeWireObject {
  return { apiVersion: "apps/v1", kind, metadata, spec, ...(status ? { status } : {}) };
}

/** The controller reference Kubernetes sets on the objects a controller owns. */
export function ownerReference(kind: ControllerKind, name: string, uid: string): Record<string, unknown> {
  return { apiVersion: "apps/v1", kind, name, uid, controller: true, blockOwnerDeletion: true };
}

/** A container's `env` list from name → value pairs. */
export function envList(env: Record<string, string>): { name: string; value: string }[] {
  return Object.entries(env).map(([name, value]) => ({ name, value }));
}

/** AzureIdentity types: 0 user-assigned managed identity, 1 service principal with a secret, 2 with a certificate. */
export interface AzureIdentitySpec {
  type: 0 | 1 | 2;
  resourceID?: string;
  clientID: string;
  [k: string]: unknown;
}

export function azureIdentityWire(metadata: ObjectMeta, spec: AzureIdentitySpec, status?: Record<string, unknown>): KubeWireObject {
  return { apiVersion: POD_IDENTITY_API_VERSION, kind: "AzureIdentity", metadata, spec, ...(status ? { status } : {}) };
}

/** Binds an AzureIdentity (by name, in the binding's namespace) to pods whose `aadpodidbinding` label equals `selector`. */
export function azureIdentityBindingWire(metadata: ObjectMeta, azureIdentity: string, selector: string, status?: Record<string, unknown>): KubeWireObject {
  return { apiVersion: POD_IDENTITY_API_VERSION, kind: "AzureIdentityBinding", metadata, spec: { azureIdentity, selector }, ...(status ? { status } : {}) };
}

/** Pods with these labels bypass NMI's interception (e.g. AKS add-ons). */
export function podIdentityExceptionWire(metadata: ObjectMeta, podLabels: Record<string, string>): KubeWireObject {
  return { apiVersion: POD_IDENTITY_API_VERSION, kind: "AzurePodIdentityException", metadata, spec: { podLabels } };
}
