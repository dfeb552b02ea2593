export { applyPlan, finishChange, reconcile, undoChange, ApplyRequestError, type EngineContext, type UnfinishedChange } from "./apply";
export { ChangedSinceScanError, OperationError, inverseOperation, restoreManifest } from "./ops";
export { PlanChoiceError, resolvePlan } from "./resolve";
export { verifyFinding, type Verification } from "./verify";
export * from "./types";
