import { describe, expect, it } from "vitest";
import { describeExchangeFailure } from "./token-exchange";

const attempt = { identity: "id-orders", issuer: "https://oidc.example/abc/", subject: "system:serviceaccount:shop:orders", audience: "api://AzureADTokenExchange" };

describe("describeExchangeFailure", () => {
  it("names identity, issuer and subject for each federated-credential refusal", () => {
    expect(describeExchangeFailure("AADSTS70021", attempt)).toBe(
      "No federated credential on id-orders trusts issuer https://oidc.example/abc/ for subject system:serviceaccount:shop:orders and audience api://AzureADTokenExchange.",
    );
    expect(describeExchangeFailure("AADSTS700211", attempt)).toContain("trusts issuer https://oidc.example/abc/");
    expect(describeExchangeFailure("AADSTS700213", attempt)).toMatch(/subject system:serviceaccount:shop:orders .*case-sensitively/);
    expect(describeExchangeFailure("AADSTS700212", attempt)).toContain("audience api://AzureADTokenExchange");
    expect(describeExchangeFailure("AADSTS700024", attempt)).toMatch(/expired/);
    expect(describeExchangeFailure("AADSTS50027", attempt)).toMatch(/signature/);
    expect(describeExchangeFailure("AADSTS7002138", attempt)).toMatch(/another case/);
    expect(describeExchangeFailure("AADSTS7000272", attempt)).toContain("metadata of https://oidc.example/abc/");
    expect(describeExchangeFailure("AADSTS50166", attempt)).toMatch(/OIDC issuer enabled/);
    expect(describeExchangeFailure("AADSTS700016", attempt)).toContain("id-orders");
  });

  it("an unknown code keeps Entra's own sentence", () => {
    expect(describeExchangeFailure("AADSTS7000215", attempt, "AADSTS7000215: Invalid client secret provided.")).toContain("Invalid client secret provided.");
  });
});
