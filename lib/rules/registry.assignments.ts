import type { Rule } from "./define";

/** Rules of the "assignments" group, in RULES.md order. */
export const assignmentRules: Rule[] = [];
