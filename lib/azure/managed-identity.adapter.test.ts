import { describe, expect, it } from "vitest";
import identityGet from "./testdata/IdentityGet.json";
import ficList from "./testdata/FederatedIdentityCredentialList.json";
import { adaptFederatedCredential, adaptUserAssignedIdentity } from "./managed-identity.adapter";

describe("adaptUserAssignedIdentity", () => {
  it("reads the IdentityGet example", () => {
    const u = adaptUserAssignedIdentity(identityGet.responses["200"].body);
    expect(u).toMatchObject({
      name: "identityName",
      subscriptionId: "subid",
      resourceGroup: "rgName",
      location: "eastus",
      clientId: "4024ab25-56a8-4370-aea6-6389221caf29",
      principalId: "25cc773c-7f05-40fc-a104-32d2300754ad",
      tenantId: "b6c948ef-f6b5-4384-8354-da3a15eca969",
    });
  });

  it("requires clientId and principalId, naming the identity", () => {
    const body = identityGet.responses["200"].body;
    expect(() => adaptUserAssignedIdentity({ ...body, properties: { principalId: "p" } })).toThrow(
      /userAssignedIdentity \/subscriptions\/subid\/.*identityName: properties\.clientId is missing/,
    );
  });
});

describe("adaptFederatedCredential", () => {
  it("reads the list example and derives the identity id from the credential id", () => {
    const f = adaptFederatedCredential(ficList.responses["200"].body.value[0]);
    expect(f.identityId).toBe("/subscriptions/c267c0e7-0a73-4789-9e17-d26aeb0904e5/resourcegroups/rgName/providers/Microsoft.ManagedIdentity/userAssignedIdentities/identityName");
    expect(f.issuer).toBe("https://oidc.prod-aks.azure.com/TenantGUID/IssuerGUID");
    expect(f.subject).toBe("system:serviceaccount:ns:svcaccount");
    expect(f.audiences).toEqual(["api://AzureADTokenExchange"]);
  });

  it("rejects an id that is not under a user-assigned identity, and a missing subject", () => {
    const v = ficList.responses["200"].body.value[0]!;
    expect(() => adaptFederatedCredential({ ...v, id: "/subscriptions/s/resourceGroups/r/providers/Microsoft.Foo/bars/b" })).toThrow(/federatedIdentityCredentials\/<name>/);
    expect(() => adaptFederatedCredential({ ...v, properties: { issuer: "https://x" } })).toThrow(/properties\.subject is missing/);
  });
});
