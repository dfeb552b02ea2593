import { undoChange } from "@/lib/remediation/apply/apply";
import { changeActionRoute } from "../../respond";

/** Undoes an applied or interrupted change: recreates what it deleted, deletes what it created. */
export const POST = changeActionRoute(undoChange, "undoing the change");
