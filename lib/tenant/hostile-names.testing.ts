/**
 * A tenant whose every name is hostile: each resource group, resource, Kubernetes namespace
 * and object name, location, display name and custom role name of a tenant file gets a payload
 * appended that would run a command, end a string or comment, open an interpolation or smuggle
 * a line into any of the languages Scopewise writes (shell, HCL, Bicep, YAML). References stay
 * consistent (every occurrence of a name maps to the same hostile name), so the rules find
 * what they found before, now about hostile names.
 */
import type { TenantFile } from "./types";

/** What a successful attack leaves behind: a file named after this marker in the working directory. */
export const MARKER = "PWNED";

/**
 * Appended to names that sit inside ARM ids (no `/`, which separates id segments) and inside
 * service-account subjects (no `:`): each alone (so a renderer that lets one through runs it)
 * and all together. Every line break YAML 1.1, HCL, Bicep and shells honour, quotes, command
 * substitutions, separators, template and interpolation openers, a YAML document break.
 */
export const ID_PAYLOADS: readonly string[] = [
  `$(touch ${MARKER}_1)`,
  `\`touch ${MARKER}_2\``,
  `;touch ${MARKER}_3;`,
  `|touch ${MARKER}_4|`,
  `&&touch ${MARKER}_5&&`,
  `'$(touch ${MARKER}_6)'`,
  `"$(touch ${MARKER}_7)"`,
  `\ntouch ${MARKER}_8\n`,
  `\r\ntouch ${MARKER}_9\r`,
  `\u0085touch ${MARKER}_10\u2028touch ${MARKER}_11\u2029`,
  `\${${MARKER}_12}%{ if ${MARKER}_13 }$\${x}%%{y}`,
  `\n---\nkind: ${MARKER}_14\nmetadata: {name: x}\n`,
  `\\' # ${MARKER}_15 '''\t`,
  `'"$(touch ${MARKER}_16)\`touch ${MARKER}_17\`;touch ${MARKER}_18|touch ${MARKER}_19&&touch ${MARKER}_20` +
    `\n touch ${MARKER}_21\r\u0085\u2028\u2029\t\${${MARKER}_22}%{ if ${MARKER}_23 }$\${x}%%{y}\\' # -- ${MARKER}_24 \n---\nkind: ${MARKER}_25 '''`,
];

/** Appended to display names and role names, which are never parts of ids: the id payloads plus comment closers and `:`. */
export const TEXT_PAYLOADS: readonly string[] = ID_PAYLOADS.map((p, i) => `${p} */ /* <!-- --> </script> key: ${MARKER}_t${i} //`);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUBJECT = /^system:serviceaccount:([^:]+):([^:]+)$/;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** ARM id segments that are names: resource groups and every resource (child) name; not GUIDs. */
function idNames(id: string): string[] {
  const parts = id.split("/");
  const out: string[] = [];
  for (let i = 1; i + 1 < parts.length; i++) {
    const key = parts[i]!.toLowerCase();
    if (key === "resourcegroups") out.push(parts[i + 1]!);
    if (key === "providers" && parts[i + 1]!.includes(".")) {
      // providers/<Namespace>/<type>/<name>[/<type>/<name>]…
      for (let j = i + 3; j < parts.length; j += 2) {
        if (parts[j - 1]!.toLowerCase() === "providers") break;
        out.push(parts[j]!);
      }
    }
  }
  return out.filter((n) => n !== "" && !GUID.test(n));
}

function collectNames(json: Json, ids: Set<string>, texts: Set<string>, key?: string, parentKey?: string): void {
  if (typeof json === "string") {
    if (json.startsWith("/subscriptions/") || json.startsWith("/providers/")) for (const n of idNames(json)) ids.add(n);
    const sa = SUBJECT.exec(json);
    if (sa) [sa[1]!, sa[2]!].forEach((n) => ids.add(n));
    if ((key === "name" || key === "namespace") && parentKey === "metadata") ids.add(json);
    if (key === "serviceAccountName" || key === "location" || key === "nodeResourceGroup") ids.add(json);
    if ((key === "displayName" || key === "roleName") && !GUID.test(json)) texts.add(json);
    return;
  }
  if (Array.isArray(json)) {
    for (const v of json) collectNames(v, ids, texts, key, parentKey);
    return;
  }
  if (isObject(json)) {
    for (const [k, v] of Object.entries(json)) {
      if (k.startsWith("/")) collectNames(k, ids, texts);
      collectNames(v, ids, texts, k, key);
    }
  }
}

/** Names Kubernetes and the rules read as fixed words, not as names a tenant chose. */
const KEEP = new Set(["default", "kube-system", "msi", "system", "user", "None"]);

/** A hostile copy of a tenant file. Users (who sign in) keep their names. */
export function hostileTenant(tenant: TenantFile): TenantFile {
  const { users, ...rest } = tenant as TenantFile & { users?: unknown };
  const ids = new Set<string>();
  const texts = new Set<string>();
  collectNames(rest as unknown as Json, ids, texts);
  const map = new Map<string, string>();
  [...texts].sort().forEach((n, i) => {
    if (!KEEP.has(n)) map.set(n, `${n}${TEXT_PAYLOADS[i % TEXT_PAYLOADS.length]}`);
  });
  // A name used both ways gets an id payload: it must survive inside ids.
  [...ids].sort().forEach((n, i) => {
    if (!KEEP.has(n)) map.set(n, `${n}${ID_PAYLOADS[i % ID_PAYLOADS.length]}`);
  });
  const lower = new Map([...map].map(([k, v]) => [k.toLowerCase(), v]));

  const mapString = (s: string): string => {
    if (s.startsWith("/")) {
      // ARM ids compare case-insensitively; a differently cased segment still names the same thing.
      return s
        .split("/")
        .map((seg, i, all) => (i > 0 && isNameSegment(all, i) ? (lower.get(seg.toLowerCase()) ?? seg) : seg))
        .join("/");
    }
    const sa = SUBJECT.exec(s);
    if (sa) return `system:serviceaccount:${map.get(sa[1]!) ?? sa[1]}:${map.get(sa[2]!) ?? sa[2]}`;
    return map.get(s) ?? s;
  };
  const walk = (json: Json): Json => {
    if (typeof json === "string") return mapString(json);
    if (Array.isArray(json)) return json.map(walk);
    if (isObject(json)) return Object.fromEntries(Object.entries(json).map(([k, v]) => [k.startsWith("/") ? mapString(k) : k, walk(v)]));
    return json;
  };
  return { ...(walk(rest as unknown as Json) as unknown as TenantFile), ...(users ? { users } : {}) } as TenantFile;
}

/** Whether segment `i` of a split ARM id is a name (not a provider namespace, type or fixed word). */
function isNameSegment(parts: string[], i: number): boolean {
  const prev = parts[i - 1]!.toLowerCase();
  if (prev === "resourcegroups") return true;
  if (prev === "subscriptions" || prev === "providers" || prev === "managementgroups" || prev === "") return false;
  // After providers/<Namespace>: type/name pairs; names sit at odd distances from the namespace.
  let ns = -1;
  for (let j = i - 1; j > 0; j--) {
    if (parts[j - 1]!.toLowerCase() === "providers" && parts[j]!.includes(".")) {
      ns = j;
      break;
    }
  }
  return ns >= 0 && (i - ns) % 2 === 0;
}
