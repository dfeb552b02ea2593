import {
  createFederatedCredential,
  deleteFederatedCredential,
  federatedCredentialId,
  federatedCredentialParts,
  getFederatedCredential,
  type FederatedCredentialState,
} from "@/lib/azure/identity-writes";
import type { Operation } from "../types";
import { attempt, OperationError } from "./errors";
import type { OperationHandler } from "./handler";

type Create = Extract<Operation, { op: "create-federated-credential" }>;
type Delete = Extract<Operation, { op: "delete-federated-credential" }>;

/** Federated identity credentials of a user-assigned managed identity (ARM, Microsoft.ManagedIdentity). */
export const createFederatedCredentialOp: OperationHandler<Create> = {
  deletes: false,
  target: (op) => federatedCredentialId(op.identityId, op.name),
  async run(ctx, op, onBefore) {
    const id = federatedCredentialId(op.identityId, op.name);
    const before = await attempt(`read ${id}`, () => getFederatedCredential(ctx.azure, id));
    await onBefore(before);
    const wanted = { issuer: op.issuer, subject: op.subject, audiences: op.audiences };
    if (before && before.issuer === wanted.issuer && before.subject === wanted.subject && JSON.stringify(before.audiences) === JSON.stringify(wanted.audiences)) {
      return { before, after: before, noop: true, note: "already existed with the same issuer, subject and audience" };
    }
    await attempt(`create federated credential ${id}`, () => createFederatedCredential(ctx.azure, id, wanted));
    const after = await attempt(`read back ${id}`, () => getFederatedCredential(ctx.azure, id));
    if (!after || after.issuer !== wanted.issuer || after.subject !== wanted.subject) throw new OperationError(`${id} does not read back as written`);
    return { before, after };
  },
  inverse(op, outcome) {
    const before = outcome.before as FederatedCredentialState | undefined;
    // It replaced a credential of the same name: undo puts that one's trust back.
    if (before?.issuer && before.subject) return { ...op, issuer: before.issuer, subject: before.subject, audiences: before.audiences ?? op.audiences };
    return { op: "delete-federated-credential", id: federatedCredentialId(op.identityId, op.name), missingIsDone: true };
  },
};

export const deleteFederatedCredentialOp: OperationHandler<Delete> = {
  deletes: true,
  target: (op) => op.id,
  async run(ctx, op, onBefore) {
    const before = await attempt(`read ${op.id}`, () => getFederatedCredential(ctx.azure, op.id));
    await onBefore(before);
    if (!before) return { noop: true, note: "already gone" };
    await attempt(`delete ${op.id}`, () => deleteFederatedCredential(ctx.azure, op.id));
    return { before };
  },
  inverse(op, outcome) {
    const before = outcome.before as { issuer: string; subject: string; audiences: string[] };
    const { identityId, name } = federatedCredentialParts(op.id);
    return { op: "create-federated-credential", identityId, name, issuer: before.issuer, subject: before.subject, audiences: before.audiences };
  },
};
