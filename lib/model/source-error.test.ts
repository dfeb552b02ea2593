import { describe, expect, it } from "vitest";
import { RestError } from "@azure/core-rest-pipeline";
import { ApiException } from "@kubernetes/client-node";
import { toSourceError } from "./source-error";

describe("toSourceError", () => {
  it("maps an ARM 403 to a 'you lack rights on' message naming the scope and the ARM code", () => {
    const error = new RestError("Forbidden", { statusCode: 403 });
    error.details = { error: { code: "AuthorizationFailed", message: "The client 'x' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/read'." } };
    const out = toSourceError(error, { source: "arm:roleAssignments", scope: "/subscriptions/s1" });
    expect(out).toMatchObject({ source: "arm:roleAssignments", status: 403, code: "AuthorizationFailed", scope: "/subscriptions/s1" });
    expect(out.message).toMatch(/^you lack rights on \/subscriptions\/s1 \(AuthorizationFailed\): The client 'x'/);
  });

  it("reads status and reason from a Kubernetes Status body and names the cluster", () => {
    const body = JSON.stringify({ kind: "Status", status: "Failure", reason: "Forbidden", message: 'pods is forbidden: User "x" cannot list resource "pods"', code: 403 });
    const out = toSourceError(new ApiException(403, "HTTP-Code: 403", body, {}), { source: "kubernetes:pods", cluster: "/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerService/managedClusters/c" });
    expect(out).toMatchObject({ source: "kubernetes:pods", status: 403, code: "Forbidden", cluster: expect.stringContaining("managedClusters/c") });
    expect(out.message).toMatch(/you lack rights on .*managedClusters\/c.*cannot list resource "pods"/);
  });

  it("treats a credential failure as 401 with the identity service's error code", () => {
    const error = Object.assign(new Error("invalid_client"), {
      name: "AuthenticationError",
      statusCode: 401,
      errorResponse: { error: "invalid_client", errorDescription: "AADSTS7000215: Invalid client secret provided.\nTrace ID: x" },
    });
    const out = toSourceError(error, { source: "arm:subscriptions" });
    expect(out).toMatchObject({ status: 401, code: "invalid_client" });
    expect(out.message).toBe("authentication failed: could not get a token: AADSTS7000215: Invalid client secret provided.");
  });
});
