export { applyPlan, finishChange, reconcile, undoChange, ApplyRequestError, type EngineContext, type UnfinishedChange } from "./apply";
export { kubeAccessFromAzure } from "./kube";
export { ChangedSinceScanError, OperationError, inverseOperation, restoreManifest } from "./operations";
export { PlanChoiceError, resolvePlan } from "./resolve";
export { verifyFinding, type Verification } from "./verify";
export * from "./types";
