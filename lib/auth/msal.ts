import "server-only";
import { createHash, X509Certificate } from "node:crypto";
import fs from "node:fs";
import { request as httpsRequest } from "node:https";
import { ConfidentialClientApplication, CryptoProvider, type Configuration, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from "@azure/msal-node";
import { ConfigurationError, isLoopbackHost, type SignInSettings } from "@/lib/env";

/** Delegated permissions asked for at sign-in; Graph's is requested silently later with the same refresh token. */
export function armUserScope(settings: SignInSettings): string {
  return `${audienceOf(settings.armEndpoint, "https://management.azure.com")}/user_impersonation`;
}
export const SIGN_IN_SCOPES = ["openid", "profile", "offline_access"] as const;

/**
 * The resource a delegated scope names: the ARM endpoint itself (sovereign clouds have their
 * own), except a local emulator, which accepts the public-cloud audience as Azure would.
 */
function audienceOf(endpoint: string, publicCloud: string): string {
  return isLoopbackHost(new URL(endpoint).hostname) ? publicCloud : endpoint.replace(/\/+$/, "");
}

/** MSAL's HTTP client over node:https trusting one extra CA (the emulator's), nothing else changed. */
function networkWithCa(caPem: string): INetworkModule {
  const send = <T>(method: "GET" | "POST", url: string, options?: NetworkRequestOptions, timeout?: number) =>
    new Promise<NetworkResponse<T>>((resolve, reject) => {
      const req = httpsRequest(url, { method, headers: options?.headers, ca: caPem, timeout }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : {};
          } catch {
            body = { error: "invalid_response", error_description: `non-JSON answer from ${url}: HTTP ${res.statusCode}` };
          }
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
          resolve({ status: res.statusCode ?? 0, headers, body: body as T });
        });
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error(`request to ${url} timed out`)));
      req.on("error", reject);
      if (options?.body) req.write(options.body);
      req.end();
    });
  return {
    sendGetRequestAsync: (url, options, timeout) => send("GET", url, options, timeout),
    sendPostRequestAsync: (url, options) => send("POST", url, options),
  };
}

interface Loaded {
  caPem?: string;
  certificate?: { thumbprintSha256: string; privateKey: string; x5c: string };
}
const loadedCache = new Map<string, Loaded>();

/** Reads the CA and certificate files once; an unreadable file is a configuration error naming its variable. */
function loadFiles(settings: SignInSettings): Loaded {
  const key = `${settings.caFile ?? ""}|${settings.credential.kind === "certificate" ? settings.credential.path : ""}`;
  const hit = loadedCache.get(key);
  if (hit) return hit;
  const out: Loaded = {};
  if (settings.caFile) out.caPem = readConfigFile("SCOPEWISE_CA_FILE", settings.caFile);
  if (settings.credential.kind === "certificate") {
    const pem = readConfigFile("SCOPEWISE_CLIENT_CERTIFICATE_PATH", settings.credential.path);
    const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
    const keyPem = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
    if (!certPem || !keyPem) {
      throw new ConfigurationError(`SCOPEWISE_CLIENT_CERTIFICATE_PATH: ${settings.credential.path} must hold both the certificate and its private key (PEM)`);
    }
    const cert = new X509Certificate(certPem);
    out.certificate = {
      // Entra identifies the certificate by its SHA-256 thumbprint (x5t#S256) in the client assertion.
      thumbprintSha256: createHash("sha256").update(cert.raw).digest("hex"),
      privateKey: keyPem,
      x5c: certPem,
    };
  }
  loadedCache.set(key, out);
  return out;
}

function readConfigFile(variable: string, file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigurationError(`${variable}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** The authority URL: the configured host and the one tenant people sign in to. */
export function authorityUrl(settings: SignInSettings): string {
  return `${settings.authorityHost.replace(/\/+$/, "")}/${settings.tenantId}`;
}

/**
 * A confidential client for one session, its token cache seeded from the session's
 * serialized cache. Each session gets its own instance so no person's tokens can be picked
 * from another's cache.
 */
export function createMsalClient(settings: SignInSettings, serializedCache?: string): ConfidentialClientApplication {
  const files = loadFiles(settings);
  const authorityHost = new URL(settings.authorityHost).host;
  const config: Configuration = {
    auth: {
      clientId: settings.clientId,
      authority: authorityUrl(settings),
      // An authority MSAL does not know (sovereign clouds, the emulator) is trusted only when listed.
      ...(authorityHost !== "login.microsoftonline.com" ? { knownAuthorities: [authorityHost] } : {}),
      ...(settings.credential.kind === "secret"
        ? { clientSecret: settings.credential.secret }
        : { clientCertificate: files.certificate! }),
    },
    system: files.caPem ? { networkClient: networkWithCa(files.caPem) } : {},
  };
  const client = new ConfidentialClientApplication(config);
  if (serializedCache) client.getTokenCache().deserialize(serializedCache);
  return client;
}

/** PKCE verifier/challenge (S256), state and nonce from MSAL's crypto provider. */
export async function newAuthRequestSecrets(): Promise<{ verifier: string; challenge: string; state: string; nonce: string }> {
  const crypto = new CryptoProvider();
  const { verifier, challenge } = await crypto.generatePkceCodes();
  return { verifier, challenge, state: crypto.createNewGuid() + crypto.createNewGuid(), nonce: crypto.createNewGuid() };
}
