/**
 * The apply engine and its audit log as pages and components see them: a dry run's or an
 * apply's result, the person's choices, and a recorded change with its steps. Types only, so
 * a component that imports them brings in no engine, SDK or store code.
 */
export type { ApplyFailure, ApplyResult, PlanChoices, StepReport, StepState } from "./apply/types";
export type { ChangeKind, ChangeRecord, ChangeStatus, StepRecord, StepStatus } from "@/lib/store/audit";
