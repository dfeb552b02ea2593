/** What a token exchange presented to Entra: who it asked as, and the assertion's claims. */
export interface ExchangeAttempt {
  /** A person's name for the identity (user-assigned identity or app registration). */
  identity: string;
  issuer: string;
  subject: string;
  audience: string;
}

/**
 * Entra's federated-credential refusals (AADSTS codes) as sentences a person acts on. The
 * codes: 70021 no federated credential matches issuer+subject+audience; 700211 no credential
 * for the issuer; 700212 no credential for the audience; 700213 no credential for the
 * subject (7002138: only its case differs); 700024 the assertion is outside its lifetime;
 * 50027 the assertion's signature or format is not valid; 7000272 the issuer publishes no key
 * with the assertion's key id; 50166 the issuer's metadata could not be fetched (a cluster
 * without the OIDC issuer); 700016 no identity or application has the client id.
 */
export function describeExchangeFailure(code: string, attempt: ExchangeAttempt, entraMessage?: string): string {
  const { identity, issuer, subject, audience } = attempt;
  const n = code.replace(/^AADSTS/i, "");
  switch (n) {
    case "70021":
      return `No federated credential on ${identity} trusts issuer ${issuer} for subject ${subject} and audience ${audience}.`;
    case "700211":
      return `No federated credential on ${identity} trusts issuer ${issuer} (the cluster's OIDC issuer URL must match exactly).`;
    case "700212":
      return `No federated credential on ${identity} accepts audience ${audience} for subject ${subject}.`;
    case "700213":
      return `No federated credential on ${identity} trusts subject ${subject} from issuer ${issuer} (subjects compare case-sensitively).`;
    case "7002138":
      return `The federated credential on ${identity} names subject ${subject} in another case; subjects compare case-sensitively, so it does not match.`;
    case "7000272":
      return `Entra found no key in the metadata of ${issuer} that signed the ServiceAccount token for ${subject}: the cluster's signing keys may have rotated or the issuer URL points elsewhere.`;
    case "50166":
      return `Entra could not fetch the OIDC discovery document of ${issuer}: is the cluster's OIDC issuer enabled?`;
    case "700016":
      return `No managed identity or app registration in the tenant has the client id used for ${identity}.`;
    case "700024":
      return `The ServiceAccount token for ${subject} had expired or was not yet valid when ${identity} was asked for a token.`;
    case "50027":
      return `Entra could not verify the ServiceAccount token for ${subject}: its signature does not match the keys published by ${issuer}.`;
    default:
      return `Entra refused the token exchange for ${identity} (subject ${subject}): ${entraMessage ?? code}`;
  }
}
