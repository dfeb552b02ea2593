import { PrincipalType, type Principal } from "@/lib/model/types";
import { asWire, FieldReader } from "@/lib/model/wire";

/**
 * A Microsoft Graph directory object (v1.0, as directoryObjects/getByIds returns it).
 * `@odata.type` tells users and groups apart; objects without one are service principals.
 */
export function adaptPrincipal(wire: unknown): Principal {
  const obj = asWire("principal", wire);
  const r = new FieldReader("principal", typeof obj.id === "string" ? obj.id : "(unknown)", obj);
  const id = r.reqString("id");
  const odata = (typeof obj["@odata.type"] === "string" ? obj["@odata.type"] : "").toLowerCase();
  const type = odata.endsWith(".user")
    ? PrincipalType.User
    : odata.endsWith(".group")
      ? PrincipalType.Group
      : PrincipalType.ServicePrincipal;
  return {
    id,
    type,
    displayName: r.optString("displayName") ?? r.optString("userPrincipalName") ?? id,
    appId: r.optString("appId"),
    servicePrincipalType: r.optString("servicePrincipalType"),
    alternativeNames: obj.alternativeNames === undefined ? undefined : r.stringArray("alternativeNames"),
    userPrincipalName: r.optString("userPrincipalName"),
  };
}
