import "server-only";
import { serverEnv, type ServerEnv } from "@/lib/env";
import { managedObjectOf, withManagedOrigin } from "@/lib/iac/managed-origin";
import { locateIn, type TerraformSources } from "@/lib/iac/hcl-sources";
import { ownershipOf, type ManagedObject } from "@/lib/iac/ownership";
import type { Finding } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { readTerraformDir, readTerraformStates } from "./terraform-files";

/** Where the Terraform states (and optionally their HCL) are, from SCOPEWISE_TERRAFORM_STATES / SCOPEWISE_TERRAFORM_DIR. */
export interface TerraformConfig {
  states: string[];
  dir?: string;
}

export function terraformConfigOf(env: ServerEnv): TerraformConfig | undefined {
  const states = env.SCOPEWISE_TERRAFORM_STATES;
  return states?.length ? { states, ...(env.SCOPEWISE_TERRAFORM_DIR ? { dir: env.SCOPEWISE_TERRAFORM_DIR } : {}) } : undefined;
}

/**
 * Which live objects of one scan the configured states hold, with drift. `error` is set, and
 * nothing else, when a state or the HCL could not be read whole (IacInputError names the file
 * and line): ownership read in part would call managed grants unmanaged.
 */
export interface ScanOwnership {
  managed: Map<string, ManagedObject>;
  drift: Finding[];
  sources?: TerraformSources;
  error?: string;
}

const NONE: ScanOwnership = { managed: new Map(), drift: [] };

export async function readScanOwnership(inventory: Inventory, config: TerraformConfig | undefined): Promise<ScanOwnership> {
  if (!config) return NONE;
  try {
    const states = await readTerraformStates(config.states);
    const sources = config.dir ? await readTerraformDir(config.dir) : undefined;
    const { managed, drift } = ownershipOf(states, inventory, sources ? locateIn(sources) : undefined);
    return { managed, drift, ...(sources ? { sources } : {}) };
  } catch (err) {
    return { ...NONE, error: (err as Error).message };
  }
}

const byInventory = new WeakMap<Inventory, Promise<ScanOwnership>>();

/** readScanOwnership for a scan pages show, read once per inventory (state files are read when a scan is first shown). */
export function scanOwnership(inventory: Inventory, config: TerraformConfig | undefined): Promise<ScanOwnership> {
  let hit = byInventory.get(inventory);
  if (!hit) {
    hit = readScanOwnership(inventory, config);
    byInventory.set(inventory, hit);
  }
  return hit;
}

/** The ownership of a scan pages show, with its findings: those about a state-held object carry its Terraform origin (`iac`). */
export interface ShownOwnership extends ScanOwnership {
  /** Whether states are configured at all (an empty `managed` then means "none of these is managed"). */
  configured: boolean;
  findings: Finding[];
}

const annotated = new WeakMap<readonly Finding[], ShownOwnership>();

export async function ownershipOfShownScan(scan: { inventory: Inventory; findings: Finding[] }): Promise<ShownOwnership> {
  const hit = annotated.get(scan.findings);
  if (hit) return hit;
  const config = terraformConfigOf(serverEnv());
  const own = await scanOwnership(scan.inventory, config);
  const resourceOf = new Map(scan.inventory.identities.map((i) => [i.key, i.resourceId]));
  const findings = own.managed.size ? scan.findings.map((f) => withManagedOrigin(f, own.managed, f.identityKey ? resourceOf.get(f.identityKey) : undefined)) : scan.findings;
  const out: ShownOwnership = { ...own, configured: config !== undefined, findings };
  annotated.set(scan.findings, out);
  return out;
}

/** The ownership of an inventory pages show, from the configured states; `configured` false when none are. */
export async function ownershipOfInventory(inventory: Inventory): Promise<ScanOwnership & { configured: boolean }> {
  const config = terraformConfigOf(serverEnv());
  return { ...(await scanOwnership(inventory, config)), configured: config !== undefined };
}

/** The configured state's entry for what a finding is about (its grant, credential or identity), when a state holds it. */
export async function managedGrantOf(finding: Finding, inventory: Inventory): Promise<ManagedObject | undefined> {
  const { managed } = await ownershipOfInventory(inventory);
  const identity = finding.identityKey ? inventory.identities.find((i) => i.key === finding.identityKey) : undefined;
  return managedObjectOf(finding, managed, identity?.resourceId);
}
