import type { Rule } from "./define";
import { assignmentRules } from "./registry.assignments";
import { clusterRules } from "./registry.cluster";

/**
 * Every rule, one folder each (lib/rules/<rule-id>/rule.ts). The integrity test checks that
 * ids are unique, equal their folder names, and cover every id of the catalog (catalog-ids.ts, docs/rules.md).
 */
export const rules: readonly Rule[] = [...assignmentRules, ...clusterRules];
