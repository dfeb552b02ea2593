import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { sendJson, type RequestContext } from "./http";
import { status } from "./kubernetes-api";
import type { ClusterEntry, TenantStore } from "./store";

/**
 * The issuer a cluster's API server writes into ServiceAccount tokens when the OIDC issuer is
 * off: the in-cluster default, which nothing outside the cluster can discover, so Entra finds
 * no keys (and no federated credential) for it.
 */
export const IN_CLUSTER_ISSUER = "https://kubernetes.default.svc.cluster.local";

interface ClusterKey {
  privateKey: CryptoKey;
  jwk: JWK;
}

/** `oidcIssuerProfile.issuerURL` when the managed cluster has the OIDC issuer enabled. */
export function oidcIssuerOf(cluster: ClusterEntry): string | undefined {
  const profile = cluster.resource.properties?.oidcIssuerProfile as { enabled?: unknown; issuerURL?: unknown } | undefined;
  return profile?.enabled === true && typeof profile.issuerURL === "string" && profile.issuerURL ? profile.issuerURL : undefined;
}

/**
 * Each cluster's ServiceAccount signing key (generated on first use, RS256, as AKS signs), the
 * tokens it signs, and the public half of its OIDC issuer: a discovery document and JWKS under
 * `/oidc/<clusterKey>/`. A real issuer lives at its issuerURL; the emulator cannot answer for
 * that host, so `discoveryUrlOf` maps an issuer URL to where the emulator serves its
 * documents, as DNS would. Relying parties (emulator/federated-exchange.ts) fetch those
 * documents over HTTPS like any other client.
 */
export class ServiceAccountIssuer {
  private readonly keys = new Map<ClusterEntry, Promise<ClusterKey>>();

  constructor(
    private readonly store: TenantStore,
    private readonly baseUrl: string,
  ) {}

  private keyOf(cluster: ClusterEntry): Promise<ClusterKey> {
    let key = this.keys.get(cluster);
    if (!key) {
      key = (async () => {
        const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
        const jwk: JWK = { ...(await exportJWK(publicKey)), kid: randomUUID().replace(/-/g, ""), use: "sig", alg: "RS256" };
        return { privateKey, jwk };
      })();
      this.keys.set(cluster, key);
    }
    return key;
  }

  /** The `iss` of the cluster's ServiceAccount tokens. */
  issuerOf(cluster: ClusterEntry): string {
    return oidcIssuerOf(cluster) ?? IN_CLUSTER_ISSUER;
  }

  /** Where the emulator serves the discovery document of `issuer`; undefined when no OIDC-enabled cluster publishes it. */
  discoveryUrlOf(issuer: string): string | undefined {
    const cluster = this.store.clusters.find((c) => oidcIssuerOf(c) === issuer);
    return cluster ? `${this.baseUrl}/oidc/${cluster.key}/.well-known/openid-configuration` : undefined;
  }

  async sign(cluster: ClusterEntry, claims: Record<string, unknown>, audiences: string[], lifetimeSeconds: number, now = Math.floor(Date.now() / 1000)): Promise<string> {
    const { privateKey, jwk } = await this.keyOf(cluster);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: jwk.kid! })
      .setIssuer(this.issuerOf(cluster))
      .setAudience(audiences)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + lifetimeSeconds)
      .setJti(randomUUID())
      .sign(privateKey);
  }

  /**
   * `GET /oidc/<clusterKey>/.well-known/openid-configuration` and `.../openid/v1/jwks`, with no
   * authentication (the issuer's documents are public). A cluster without the OIDC issuer
   * publishes nothing: 404.
   */
  async serve(ctx: RequestContext): Promise<void> {
    const cluster = this.store.clustersByKey.get(ctx.segments[1] ?? "");
    const issuer = cluster ? oidcIssuerOf(cluster) : undefined;
    const rest = ctx.segments.slice(2).join("/");
    ctx.count("oidc:issuer");
    if (!cluster || !issuer || ctx.method !== "GET") throw status(404, "NotFound", "the server could not find the requested resource");
    if (rest === ".well-known/openid-configuration") {
      // The shape AKS's issuer serves: its own URL as issuer, the JWKS beside it.
      return sendJson(ctx.res, 200, {
        issuer,
        jwks_uri: `${this.baseUrl}/oidc/${cluster.key}/openid/v1/jwks`,
        response_types_supported: ["id_token"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
      });
    }
    if (rest === "openid/v1/jwks") return sendJson(ctx.res, 200, { keys: [(await this.keyOf(cluster)).jwk] });
    throw status(404, "NotFound", "the server could not find the requested resource");
  }
}
