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
 * subject; 700024 the assertion is outside its lifetime; 50027 the assertion's signature or
 * format is not valid (the issuer's keys do not verify it).
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
    case "700024":
      return `The ServiceAccount token for ${subject} had expired or was not yet valid when ${identity} was asked for a token.`;
    case "50027":
      return `Entra could not verify the ServiceAccount token for ${subject}: its signature does not match the keys published by ${issuer}.`;
    default:
      return `Entra refused the token exchange for ${identity} (subject ${subject}): ${entraMessage ?? code}`;
  }
}
