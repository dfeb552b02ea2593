import {
  appFederatedCredentialPath,
  createAppFederatedCredential,
  deleteAppFederatedCredential,
  getAppFederatedCredential,
  listAppFederatedCredentials,
  type AppFederatedCredential,
} from "@/lib/azure/app-federated-credentials";
import { errorStatus } from "@/lib/model/source-error";
import type { Operation } from "../types";
import { attempt, ChangedSinceScanError, errorFacts, OperationError, wrap } from "./errors";
import type { OperationHandler } from "./handler";

type Create = Extract<Operation, { op: "create-app-federated-credential" }>;
type Delete = Extract<Operation, { op: "delete-app-federated-credential" }>;
type Trust = Pick<AppFederatedCredential, "issuer" | "subject" | "audiences">;

/** Same trust: issuer, subject and audiences (order-insensitive). */
export function sameTrust(a: Trust, b: Trust): boolean {
  const aud = (x: string[]) => JSON.stringify([...x].sort());
  return a.issuer === b.issuer && a.subject === b.subject && aud(a.audiences) === aud(b.audiences);
}

/** Federated identity credentials of an app registration (Microsoft Graph, by the app's client id). */
export const createAppFederatedCredentialOp: OperationHandler<Create> = {
  deletes: false,
  target: (op) => appFederatedCredentialPath(op.appId, op.name),
  async run(ctx, op, onBefore) {
    const target = appFederatedCredentialPath(op.appId, op.name);
    const wanted = { issuer: op.issuer, subject: op.subject, audiences: op.audiences };
    const existing = await attempt(`read the federated credentials of app registration ${op.appId}`, () => listAppFederatedCredentials(ctx.azure, op.appId));
    const before = existing.find((c) => c.name.toLowerCase() === op.name.toLowerCase());
    await onBefore(before);
    if (before) {
      if (sameTrust(before, wanted)) return { before, after: before, noop: true, note: "already existed with the same issuer, subject and audience" };
      // Graph cannot rename, and overwriting a trust someone else set up could lock their workload out.
      throw new ChangedSinceScanError(`${target} already exists trusting ${before.issuer} / ${before.subject}; it was not changed. Remove or rename it, then apply again.`);
    }
    // Graph refuses a second credential with the same issuer and subject on one app: that one already grants the trust.
    const twin = existing.find((c) => sameTrust(c, wanted));
    if (twin) return { after: twin, noop: true, note: `federated credential ${twin.name} already trusts the same issuer and subject: counted as done` };
    try {
      await createAppFederatedCredential(ctx.azure, op.appId, { name: op.name, ...wanted });
    } catch (error) {
      if (errorStatus(error) === 409 || /already exists/i.test(errorFacts(error).message)) {
        // A concurrent or earlier attempt won the race: done when it trusts the same issuer and subject.
        const now = await listAppFederatedCredentials(ctx.azure, op.appId).catch(() => []);
        const same = now.find((c) => sameTrust(c, wanted));
        if (same) return { after: same, noop: true, note: `already existed (${errorStatus(error) ?? "conflict"}): counted as done` };
      }
      throw wrap(error, `create ${target}`);
    }
    const after = await attempt(`read back ${target}`, () => getAppFederatedCredential(ctx.azure, op.appId, op.name));
    if (!after || !sameTrust(after, wanted)) throw new OperationError(`${target} does not read back as written`);
    return { after };
  },
  inverse: (op) => ({ op: "delete-app-federated-credential", appId: op.appId, name: op.name, missingIsDone: true }),
};

export const deleteAppFederatedCredentialOp: OperationHandler<Delete> = {
  deletes: true,
  target: (op) => appFederatedCredentialPath(op.appId, op.name),
  async run(ctx, op, onBefore) {
    const target = appFederatedCredentialPath(op.appId, op.name);
    const before = await attempt(`read ${target}`, () => getAppFederatedCredential(ctx.azure, op.appId, op.name));
    await onBefore(before);
    if (!before) {
      if (op.missingIsDone) return { noop: true, note: "already gone" };
      throw new ChangedSinceScanError(`${target} no longer exists; rescan before applying`);
    }
    try {
      await deleteAppFederatedCredential(ctx.azure, op.appId, before.id);
    } catch (error) {
      if (errorStatus(error) !== 404) throw wrap(error, `delete ${target}`);
    }
    return { before };
  },
  inverse(op, outcome) {
    const before = outcome.before as Trust;
    return { op: "create-app-federated-credential", appId: op.appId, name: op.name, issuer: before.issuer, subject: before.subject, audiences: before.audiences };
  },
};
