import { errors as joseErrors } from "jose";
import { HttpError, type RequestContext } from "./http";
import { AudienceError, type TokenAuthority, type TokenClaims } from "./tokens";

export type AuthFlavor = "arm" | "graph" | "k8s";

function bearer(ctx: RequestContext): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(ctx.req.headers.authorization ?? "");
  return m?.[1];
}

function armChallenge(ctx: RequestContext, tenantId: string, error: string, description: string): Record<string, string> {
  // ARM answers 401s with the tenant's authority so clients can find where to get a token.
  return {
    "www-authenticate": `Bearer authorization_uri="${ctx.baseUrl}/${tenantId}", error="${error}", error_description="${description}"`,
  };
}

function reject(ctx: RequestContext, flavor: AuthFlavor, tenantId: string, code: string, message: string): HttpError {
  if (flavor === "k8s") {
    return new HttpError(401, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 });
  }
  if (flavor === "graph") {
    return new HttpError(
      401,
      { error: { code: "InvalidAuthenticationToken", message, innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ""), "request-id": crypto.randomUUID() } } },
      { "www-authenticate": `Bearer realm="", authorization_uri="${ctx.baseUrl}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"` },
    );
  }
  return new HttpError(401, { error: { code, message } }, armChallenge(ctx, tenantId, code === "AuthenticationFailed" ? "invalid_request" : "invalid_token", message));
}

/**
 * Checks the request's bearer token: signature, issuer, lifetime and audience. The 401 bodies
 * and codes follow each API: ARM (AuthenticationFailed for a missing header,
 * InvalidAuthenticationToken / InvalidAuthenticationTokenAudience / ExpiredAuthenticationToken),
 * Graph (InvalidAuthenticationToken) and Kubernetes (a Status object).
 */
export async function requireToken(ctx: RequestContext, authority: TokenAuthority, audiences: readonly string[], flavor: AuthFlavor): Promise<TokenClaims> {
  const token = bearer(ctx);
  const tenantId = authority.tenantId;
  if (!token) {
    throw reject(ctx, flavor, tenantId, "AuthenticationFailed", flavor === "graph" ? "Access token is empty." : "Authentication failed. The 'Authorization' header is missing.");
  }
  try {
    return await authority.verify(token, audiences);
  } catch (e) {
    if (e instanceof AudienceError) {
      throw reject(
        ctx,
        flavor,
        tenantId,
        "InvalidAuthenticationTokenAudience",
        flavor === "graph"
          ? "Access token validation failure. Invalid audience."
          : `The access token has been obtained for wrong audience or resource. It should exactly match with one of the allowed audiences ${audiences.map((a) => `'${a}'`).join(",")}.`,
      );
    }
    if (e instanceof joseErrors.JWTExpired) {
      throw reject(ctx, flavor, tenantId, "ExpiredAuthenticationToken", "The access token expiry UTC time is earlier than current UTC time.");
    }
    throw reject(ctx, flavor, tenantId, "InvalidAuthenticationToken", "The access token is invalid.");
  }
}
