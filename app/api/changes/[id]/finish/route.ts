import { finishChange } from "@/lib/remediation/apply/apply";
import { changeActionRoute } from "../../respond";

/** Finishes a change a crash interrupted (needs-reconcile): runs its remaining steps. */
export const POST = changeActionRoute(finishChange, "finishing the change");
