import { readFileSync } from "node:fs";
import { parseTenant } from "@/lib/tenant/schema";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { buildInventory } from "@/lib/inventory/build";
import { evaluateRules } from "@/lib/rules/evaluate";
import { assignmentRules } from "@/lib/rules/registry.assignments";
const t = parseTenant(JSON.parse(readFileSync("fixtures/tenants/demo.json","utf8")), "demo.json");
const inv = buildInventory(rawFromTenant(t));
const e = JSON.parse(readFileSync("fixtures/tenants/demo.expectations.json","utf8"));
const t0 = Date.now();
const fs = evaluateRules(inv, { only: assignmentRules.map(r => r.meta.id) });
console.log("ms", Date.now()-t0);
for (const r of assignmentRules) {
  const id = r.meta.id;
  const got = fs.filter(f => f.ruleId === id).map(f => `${f.roleAssignmentId}|${f.principalId}|${(f.targetIds??[]).join(",")}`);
  const exp = (e.rules[id]?.expected ?? []) as any[];
  const gotSet = new Set(fs.filter(f => f.ruleId === id).map(f => f.roleAssignmentId?.toLowerCase()));
  console.log("===", id, "got", got.length, "expected", exp.length);
  for (const x of exp) if (!gotSet.has(x.roleAssignmentId?.toLowerCase())) console.log("  MISSING", x.principalName, x.roleName, x.scope);
  const expSet = new Set(exp.map(x => x.roleAssignmentId?.toLowerCase()));
  for (const f of fs.filter(f => f.ruleId === id)) console.log(expSet.has(f.roleAssignmentId?.toLowerCase()) ? "  ok" : "  EXTRA", f.severity, f.baseSeverity, f.identityName, "|", f.roleName, "|", f.scope, "|", f.message.slice(0, 260));
}
