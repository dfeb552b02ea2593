import type { Rule } from "./define";

/** Rules of the "cluster" group, in RULES.md order. */
export const clusterRules: Rule[] = [];
