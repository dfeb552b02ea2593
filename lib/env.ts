import { z } from "zod";
import { alertTargetsOf } from "@/lib/model/alerts";
import { SEVERITY_ORDER, type Severity } from "@/lib/model/findings";

/**
 * Server configuration, read and validated once. A missing or malformed value stops the
 * server with a message naming the variable.
 *
 * demo  — the dashboard reads the local emulator (started by `npm run demo`), authenticating
 *         with the emulator's app registration (client credentials); no sign-in.
 * azure — the dashboard reads a tenant (real Azure, or the emulator for tests). With an app
 *         registration (SCOPEWISE_CLIENT_ID) people sign in with Entra ID and every ARM and
 *         Graph call uses the signed-in person's delegated token; without one, the server
 *         runs as a single local user with DefaultAzureCredential (az login).
 */
const httpsUrl = z
  .string()
  .url()
  .refine((u) => u.startsWith("https://"), { message: "must be an https:// URL (bearer tokens are never sent over http)" });
const guidish = z.string().regex(/^[0-9a-fA-F-]{8,}$|^[a-z0-9.-]+$/i, "must be a tenant id (GUID) or domain");
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Entra only accepts http redirect URIs for localhost; anything else must be https. */
const redirectUri = z
  .string()
  .url()
  .refine(
    (u) => {
      const url = new URL(u);
      return url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
    },
    { message: "must be an https:// URL (http:// is allowed only for localhost)" },
  )
  .refine((u) => new URL(u).pathname === "/auth/callback", { message: "must end in /auth/callback (the sign-in callback route)" });

/** A launch token travels in a link's query: URL-safe characters only, and long enough not to be guessed. */
export const LAUNCH_TOKEN_PATTERN = /^[A-Za-z0-9._~-]{32,256}$/;
export const LAUNCH_TOKEN_RULE = "must be 32-256 URL-safe characters (letters, digits, . _ ~ -); `openssl rand -hex 32` makes one";

/** "true"/"1" or "false"/"0"; unset is false. */
const flag = z
  .enum(["true", "false", "1", "0"], { message: 'must be "true" or "false"' })
  .optional()
  .transform((v) => v === "true" || v === "1");

/**
 * How the dashboard is served, in every mode. The launchers (`npm run demo`, `npm start`) set
 * SCOPEWISE_LISTEN and SCOPEWISE_PORT to what they bind; the proxy allows only the Host values
 * that reach that server (loopback names with the port, and the public URL).
 */
const serveFields = {
  /** The address the server listens on; 127.0.0.1 unless widened with --host. */
  SCOPEWISE_LISTEN: z.string().regex(/^[A-Za-z0-9.:[\]-]+$/, "must be a host name or IP address").optional(),
  SCOPEWISE_PORT: z.coerce.number({ message: "must be a port number" }).int().min(1, "must be a port number (1-65535)").max(65535, "must be a port number (1-65535)").optional(),
  /** Where people reach the dashboard when not on this machine (a reverse proxy's URL): its Host and origin are allowed too. */
  SCOPEWISE_PUBLIC_URL: z
    .string()
    .url()
    .refine((u) => /^https?:$/.test(new URL(u).protocol), { message: "must be an http:// or https:// URL" })
    .refine((u) => new URL(u).pathname === "/" && !new URL(u).search, { message: "must be an origin, without a path or query (https://scopewise.example.com)" })
    .optional(),
  /** The secret of the printed launch link; people without sign-in need it to use the dashboard. */
  SCOPEWISE_LAUNCH_TOKEN: z.string().regex(LAUNCH_TOKEN_PATTERN, LAUNCH_TOKEN_RULE).optional(),
  /** Removes applying, undoing and finishing changes (rescans stay: they only read). */
  SCOPEWISE_READ_ONLY: flag,
  /** Webhooks told of new findings and expired accepted risks: `slack:https://…`, `teams:https://…`, `json:https://…` (lib/model/alerts.ts). */
  SCOPEWISE_ALERT_WEBHOOKS: z.string().transform(alertTargetsOf).optional(),
  /** The HMAC-SHA256 key of the X-Scopewise-Signature header on every alert. */
  SCOPEWISE_ALERT_SECRET: z.string().min(32, "must be at least 32 characters (generate one with `openssl rand -hex 32`)").optional(),
  SCOPEWISE_ALERT_MIN_SEVERITY: z.enum(SEVERITY_ORDER as [Severity, ...Severity[]], { message: `must be one of ${SEVERITY_ORDER.join(", ")}` }).default("high"),
  /** How long a staged migration waits for one workload's rollout before it stops (seconds). */
  SCOPEWISE_ROLLOUT_TIMEOUT_SECONDS: z.coerce
    .number({ message: "must be a whole number of seconds" })
    .int({ message: "must be a whole number of seconds" })
    .min(5, { message: "must be at least 5 (seconds)" })
    .max(86_400, { message: "must be at most 86400 (a day, in seconds)" })
    .default(600),
};

const commaList = z
  .string()
  .optional()
  .transform((s) => (s ? s.split(",").map((x) => x.trim()).filter(Boolean) : undefined));

/** A PostgreSQL connection URL for the store, shared by every replica. */
const databaseUrl = z
  .string()
  .refine((u) => /^postgres(ql)?:\/\//.test(u), { message: "must be a postgres:// (or postgresql://) URL" })
  .refine((u) => URL.canParse(u), { message: "is not a valid URL" });

/** Minutes between scheduled scans (a week at most); unset, scans run on request only. */
const scanInterval = z.coerce
  .number({ message: "must be a whole number of minutes" })
  .int({ message: "must be a whole number of minutes" })
  .min(1, { message: "must be at least 1 (minutes)" })
  .max(10_080, { message: "must be at most 10080 (a week, in minutes)" })
  .optional();

/** The team's scopewise.exceptions.yaml (README, "Exceptions file"); the dashboard reads it as the CLI does. */
const exceptionsFile = z.string().trim().min(1, "must be the path of a scopewise.exceptions.yaml").optional();
/** Terraform states (files or directories, comma-separated) and their HCL root, checked where lib/scan reads them; production clusters by name or `key=value` tag. */
const terraformFields = { SCOPEWISE_TERRAFORM_STATES: commaList, SCOPEWISE_TERRAFORM_DIR: z.string().min(1).optional(), SCOPEWISE_PRODUCTION_CLUSTERS: commaList, SCOPEWISE_PRODUCTION_TAGS: commaList.pipe(z.array(z.string().regex(/^[^=]+=.*$/, "each entry must be key=value (a cluster tag)")).optional()) };

const demoSchema = z.object({
  SCOPEWISE_MODE: z.literal("demo"),
  SCOPEWISE_ARM_ENDPOINT: httpsUrl,
  SCOPEWISE_GRAPH_ENDPOINT: httpsUrl,
  SCOPEWISE_AUTHORITY_HOST: httpsUrl,
  SCOPEWISE_TENANT_ID: guidish,
  SCOPEWISE_CLIENT_ID: z.string().min(1),
  SCOPEWISE_CLIENT_SECRET: z.string().min(1),
  SCOPEWISE_CA_FILE: z.string().min(1, "path of the emulator's CA certificate (PEM)"),
  SCOPEWISE_DATA_DIR: z.string().min(1).default(".data"),
  SCOPEWISE_DATABASE_URL: databaseUrl.optional(),
  ...serveFields,
  ...terraformFields,
  SCOPEWISE_SCAN_INTERVAL_MINUTES: scanInterval,
  SCOPEWISE_EXCEPTIONS_FILE: exceptionsFile,
});

const azureSchema = z.object({
  SCOPEWISE_MODE: z.literal("azure"),
  SCOPEWISE_ARM_ENDPOINT: httpsUrl.default("https://management.azure.com"),
  SCOPEWISE_GRAPH_ENDPOINT: httpsUrl.default("https://graph.microsoft.com"),
  SCOPEWISE_AUTHORITY_HOST: httpsUrl.default("https://login.microsoftonline.com"),
  SCOPEWISE_TENANT_ID: guidish.optional(),
  /** The app registration people sign in through; absent = single-user DefaultAzureCredential mode. */
  SCOPEWISE_CLIENT_ID: z.string().regex(GUID, "must be the app registration's Application (client) ID, a GUID").optional(),
  SCOPEWISE_CLIENT_SECRET: z.string().min(1, "must not be empty").optional(),
  /** PEM file holding the app registration's certificate and its private key. */
  SCOPEWISE_CLIENT_CERTIFICATE_PATH: z.string().min(1, "must not be empty").optional(),
  SCOPEWISE_REDIRECT_URI: redirectUri.optional(),
  /** Signs the session cookie; 32+ random characters (e.g. `openssl rand -base64 48`). */
  SCOPEWISE_SESSION_SECRET: z.string().min(32, "must be at least 32 characters (generate one with `openssl rand -base64 48`)").optional(),
  SCOPEWISE_SUBSCRIPTIONS: commaList.pipe(
    z.array(z.string().regex(GUID, "each entry must be a subscription id (GUID)")).optional(),
  ),
  /** Scan only the subscriptions under this management group (its name, the last segment of its id). */
  SCOPEWISE_MANAGEMENT_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9._()-]{1,90}$/, "must be a management group name (the last segment of its id, up to 90 letters, digits, - _ . ( ))")
    .optional(),
  /** PEM of an extra CA to trust for Entra, ARM and Graph (the emulator's, in tests). */
  SCOPEWISE_CA_FILE: z.string().min(1).optional(),
  SCOPEWISE_DATA_DIR: z.string().min(1).default(".data"),
  SCOPEWISE_DATABASE_URL: databaseUrl.optional(),
  ...serveFields,
  ...terraformFields,
  SCOPEWISE_SCAN_INTERVAL_MINUTES: scanInterval,
  SCOPEWISE_EXCEPTIONS_FILE: exceptionsFile,
});

const envSchema = z.discriminatedUnion("SCOPEWISE_MODE", [demoSchema, azureSchema]);

export type ServerEnv = z.infer<typeof envSchema>;
export type AzureEnv = z.infer<typeof azureSchema>;

/** How the server signs people in, derived from an azure-mode configuration with an app registration. */
export interface SignInSettings {
  tenantId: string;
  clientId: string;
  credential: { kind: "secret"; secret: string } | { kind: "certificate"; path: string };
  redirectUri: string;
  sessionSecret: string;
  authorityHost: string;
  armEndpoint: string;
  graphEndpoint: string;
  caFile?: string;
}

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigurationError";
  }
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]" || hostname === "::1";
}

/** Sign-in settings depend on each other; zod checks shapes, this checks the combination. */
function signInProblems(env: AzureEnv): string[] {
  const problems: string[] = [];
  const signInVars = ["SCOPEWISE_CLIENT_SECRET", "SCOPEWISE_CLIENT_CERTIFICATE_PATH", "SCOPEWISE_REDIRECT_URI", "SCOPEWISE_SESSION_SECRET"] as const;
  if (!env.SCOPEWISE_CLIENT_ID) {
    const stray = signInVars.filter((k) => env[k] !== undefined);
    if (stray.length) problems.push(`  SCOPEWISE_CLIENT_ID: required when ${stray.join(", ")} ${stray.length > 1 ? "are" : "is"} set (sign-in needs the app registration's client id)`);
    return problems;
  }
  const why = "required for sign-in (SCOPEWISE_CLIENT_ID is set)";
  if (env.SCOPEWISE_SCAN_INTERVAL_MINUTES !== undefined) {
    problems.push("  SCOPEWISE_SCAN_INTERVAL_MINUTES: scheduled scans read with the server's own credential; with sign-in (SCOPEWISE_CLIENT_ID) every scan is a signed-in person's, started when they use the dashboard");
  }
  if (!env.SCOPEWISE_TENANT_ID) problems.push(`  SCOPEWISE_TENANT_ID: ${why}; use the tenant's id, not "common", so only its accounts can sign in`);
  else if (["common", "organizations", "consumers"].includes(env.SCOPEWISE_TENANT_ID.toLowerCase())) {
    problems.push(`  SCOPEWISE_TENANT_ID: must name one tenant, not "${env.SCOPEWISE_TENANT_ID}" (accounts of other tenants must not sign in)`);
  }
  if (env.SCOPEWISE_CLIENT_SECRET && env.SCOPEWISE_CLIENT_CERTIFICATE_PATH) {
    problems.push("  SCOPEWISE_CLIENT_SECRET / SCOPEWISE_CLIENT_CERTIFICATE_PATH: set one, not both");
  } else if (!env.SCOPEWISE_CLIENT_SECRET && !env.SCOPEWISE_CLIENT_CERTIFICATE_PATH) {
    problems.push(`  SCOPEWISE_CLIENT_SECRET or SCOPEWISE_CLIENT_CERTIFICATE_PATH: ${why}`);
  }
  if (!env.SCOPEWISE_REDIRECT_URI) problems.push(`  SCOPEWISE_REDIRECT_URI: ${why} (e.g. https://scopewise.example.com/auth/callback)`);
  if (!env.SCOPEWISE_SESSION_SECRET) problems.push(`  SCOPEWISE_SESSION_SECRET: ${why}`);
  if (env.SCOPEWISE_LAUNCH_TOKEN) problems.push("  SCOPEWISE_LAUNCH_TOKEN: not used with sign-in (people sign in with Entra ID); unset it");
  return problems;
}

/** Validates a raw environment; exported for tests. */
export function parseEnv(raw: Record<string, string | undefined>): ServerEnv {
  // An empty variable (`FOO=` in a .env file) means "not set", not "set to nothing".
  const input: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(raw)) if (k.startsWith("SCOPEWISE_") && v !== undefined && v !== "") input[k] = v;
  input.SCOPEWISE_MODE ??= "demo";
  const result = envSchema.safeParse(input);
  if (result.success) {
    const problems = result.data.SCOPEWISE_MODE === "azure" ? signInProblems(result.data) : [];
    if (result.data.SCOPEWISE_ALERT_WEBHOOKS?.length && !result.data.SCOPEWISE_ALERT_SECRET) problems.push("  SCOPEWISE_ALERT_SECRET: required when SCOPEWISE_ALERT_WEBHOOKS is set (alerts are signed)");
    if (result.data.SCOPEWISE_TERRAFORM_DIR && !result.data.SCOPEWISE_TERRAFORM_STATES) problems.push("  SCOPEWISE_TERRAFORM_DIR: locates the blocks of the states in SCOPEWISE_TERRAFORM_STATES, which is not set");
    if (problems.length) failConfig(`Scopewise configuration is invalid:\n${problems.join("\n")}`);
    return result.data;
  }
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "SCOPEWISE_MODE");
    const detail = name === "SCOPEWISE_MODE" && issue.code === "invalid_union" ? 'must be "demo" or "azure"' : issue.message;
    return `  ${name}: ${detail}`;
  });
  const hint =
    input.SCOPEWISE_MODE === "demo"
      ? "\nDemo mode is configured by `npm run demo`, which starts the emulator and sets these variables."
      : "";
  return failConfig(`Scopewise configuration is invalid:\n${[...new Set(lines)].join("\n")}${hint}`);
}

/** The sign-in settings, or undefined when nobody signs in (demo mode, or azure mode without an app registration). */
export function signInSettings(env: ServerEnv): SignInSettings | undefined {
  if (env.SCOPEWISE_MODE !== "azure" || !env.SCOPEWISE_CLIENT_ID) return undefined;
  // parseEnv has checked that these are present together.
  return {
    tenantId: env.SCOPEWISE_TENANT_ID!,
    clientId: env.SCOPEWISE_CLIENT_ID,
    credential: env.SCOPEWISE_CLIENT_SECRET
      ? { kind: "secret", secret: env.SCOPEWISE_CLIENT_SECRET }
      : { kind: "certificate", path: env.SCOPEWISE_CLIENT_CERTIFICATE_PATH! },
    redirectUri: env.SCOPEWISE_REDIRECT_URI!,
    sessionSecret: env.SCOPEWISE_SESSION_SECRET!,
    authorityHost: env.SCOPEWISE_AUTHORITY_HOST,
    armEndpoint: env.SCOPEWISE_ARM_ENDPOINT,
    graphEndpoint: env.SCOPEWISE_GRAPH_ENDPOINT,
    caFile: env.SCOPEWISE_CA_FILE,
  };
}

/** What decides whether a configuration may be served: the launchers know it before the server's environment is complete. */
export interface ServeOptions {
  mode: "demo" | "azure";
  /** People sign in with Entra ID (azure mode with an app registration). */
  signIn: boolean;
  launchToken?: string;
  /** The address to listen on; 127.0.0.1 when absent. */
  listen?: string;
  readOnly: boolean;
}

export function serveOptionsOf(env: ServerEnv): ServeOptions {
  return {
    mode: env.SCOPEWISE_MODE,
    signIn: env.SCOPEWISE_MODE === "azure" && !!env.SCOPEWISE_CLIENT_ID,
    launchToken: env.SCOPEWISE_LAUNCH_TOKEN,
    listen: env.SCOPEWISE_LISTEN,
    readOnly: env.SCOPEWISE_READ_ONLY,
  };
}

/** Whether an address to listen on is this machine only (the default, 127.0.0.1). */
export function isLoopbackListen(listen: string | undefined): boolean {
  const host = (listen ?? "127.0.0.1").toLowerCase().replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Why a configuration must not be served, for the launchers and the server's start: a single
 * user on Azure without a launch token (anyone reaching the port would act with that person's
 * Azure credential), or a server listening beyond this machine with nobody to authenticate
 * while changes can be applied. Empty when it may start. The CLI, which serves nothing, does
 * not ask.
 */
export function serveProblems(o: ServeOptions): string[] {
  const problems: string[] = [];
  const guarded = o.signIn || !!o.launchToken;
  if (o.mode === "azure" && !guarded) {
    problems.push(
      "  SCOPEWISE_LAUNCH_TOKEN: required in azure mode without sign-in (the server acts with your own Azure credential); " +
        "`npm start` makes one and prints the link to open, or set SCOPEWISE_CLIENT_ID for sign-in",
    );
  }
  if (!isLoopbackListen(o.listen) && !guarded && !o.readOnly) {
    problems.push(
      `  SCOPEWISE_LISTEN: ${o.listen} is reachable from other machines, and nobody signs in and no launch token is set ` +
        "while fixes can be applied: add --launch-token (or SCOPEWISE_LAUNCH_TOKEN), set up sign-in, or serve --read-only",
    );
  }
  return problems;
}

function failConfig(message: string): never {
  throw new ConfigurationError(message);
}

let cached: ServerEnv | undefined;

/** The validated server environment (read once per process). */
export function serverEnv(): ServerEnv {
  cached ??= parseEnv(process.env);
  return cached;
}
