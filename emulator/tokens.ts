import { createHash, randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";

/** The well-known application id of the AKS AAD server app: the audience of kubelogin tokens. */
export const AKS_AAD_SERVER_APP_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";
export const ARM_AUDIENCES = ["https://management.azure.com", "https://management.core.windows.net"] as const;
export const GRAPH_AUDIENCE = "https://graph.microsoft.com";

/** Audiences compare without trailing slashes: v1 tokens say `https://management.azure.com/`, v2 tokens do not. */
export function normalizeAudience(aud: string): string {
  let a = aud.trim();
  while (a.endsWith("/")) a = a.slice(0, -1);
  return a.toLowerCase();
}

/** A stable GUID derived from a seed (used for service principal object ids and Kubernetes uids). */
export function stableGuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  // Version 5-ish layout (name based), good enough for deterministic ids.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
}

export interface TokenClaims extends JWTPayload {
  tid?: string;
  oid?: string;
  appid?: string;
}

/** Signs and verifies the emulator's RS256 access tokens (one key per emulator start). */
export class TokenAuthority {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    readonly jwk: JWK,
    readonly issuer: string,
    readonly tenantId: string,
  ) {}

  /** The signing key can be generated before the issuer URL (which carries the port) is known. */
  static generateKey(): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey }> {
    return generateKeyPair("RS256", { extractable: true });
  }

  static async create(issuer: string, tenantId: string, key?: { privateKey: CryptoKey; publicKey: CryptoKey }): Promise<TokenAuthority> {
    const { privateKey, publicKey } = key ?? (await TokenAuthority.generateKey());
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, use: "sig", alg: "RS256" };
    return new TokenAuthority(privateKey, publicKey, jwk, issuer, tenantId);
  }

  get kid(): string {
    return this.jwk.kid!;
  }

  async issue(claims: { aud: string; sub: string; oid?: string; appid?: string; [k: string]: unknown }, lifetimeSeconds = 3600): Promise<IssuedToken> {
    const now = Math.floor(Date.now() / 1000);
    const accessToken = await new SignJWT({ tid: this.tenantId, ver: "2.0", ...claims })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: this.kid })
      .setIssuer(this.issuer)
      .setIssuedAt(now)
      .setNotBefore(now - 5)
      .setExpirationTime(now + lifetimeSeconds)
      .setJti(randomUUID())
      .sign(this.privateKey);
    return { accessToken, expiresIn: lifetimeSeconds };
  }

  /**
   * Verifies signature, issuer and lifetime, then checks the audience against `audiences`
   * (compared without trailing slashes, case-insensitively). Throws with a reason on failure.
   */
  async verify(token: string, audiences: readonly string[]): Promise<TokenClaims> {
    const { payload } = await jwtVerify(token, this.publicKey, { issuer: this.issuer, algorithms: ["RS256"], clockTolerance: 30 });
    const tokenAuds = (Array.isArray(payload.aud) ? payload.aud : [payload.aud ?? ""]).map(normalizeAudience);
    const wanted = audiences.map(normalizeAudience);
    if (!tokenAuds.some((a) => wanted.includes(a))) {
      throw new AudienceError(`The audience '${String(payload.aud)}' is invalid`);
    }
    return payload as TokenClaims;
  }
}

export class AudienceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AudienceError";
  }
}
