import { z } from "zod";

/**
 * Server configuration, read and validated once. A missing or malformed value stops the
 * server with a message naming the variable.
 *
 * demo  — the dashboard reads the local emulator (started by `npm run demo`), authenticating
 *         with the emulator's app registration (client credentials).
 * azure — the dashboard reads a real tenant with DefaultAzureCredential (az login, managed
 *         identity, environment); per-person sign-in comes with the sign-in issue.
 */
const httpsUrl = z
  .string()
  .url()
  .refine((u) => u.startsWith("https://"), { message: "must be an https:// URL (bearer tokens are never sent over http)" });
const guidish = z.string().regex(/^[0-9a-fA-F-]{8,}$|^[a-z0-9.-]+$/i, "must be a tenant id (GUID) or domain");

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
});

const azureSchema = z.object({
  SCOPEWISE_MODE: z.literal("azure"),
  SCOPEWISE_ARM_ENDPOINT: httpsUrl.default("https://management.azure.com"),
  SCOPEWISE_GRAPH_ENDPOINT: httpsUrl.default("https://graph.microsoft.com"),
  SCOPEWISE_AUTHORITY_HOST: httpsUrl.default("https://login.microsoftonline.com"),
  SCOPEWISE_TENANT_ID: guidish.optional(),
  SCOPEWISE_SUBSCRIPTIONS: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(",").map((x) => x.trim()).filter(Boolean) : undefined)),
  SCOPEWISE_DATA_DIR: z.string().min(1).default(".data"),
});

const envSchema = z.discriminatedUnion("SCOPEWISE_MODE", [demoSchema, azureSchema]);

export type ServerEnv = z.infer<typeof envSchema>;

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigurationError";
  }
}

/** Validates a raw environment; exported for tests. */
export function parseEnv(raw: Record<string, string | undefined>): ServerEnv {
  const input = { ...raw, SCOPEWISE_MODE: raw.SCOPEWISE_MODE ?? "demo" };
  const result = envSchema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join(".") || "SCOPEWISE_MODE";
    const detail = name === "SCOPEWISE_MODE" && issue.code === "invalid_union" ? 'must be "demo" or "azure"' : issue.message;
    return `  ${name}: ${detail}`;
  });
  const hint =
    input.SCOPEWISE_MODE === "demo"
      ? "\nDemo mode is configured by `npm run demo`, which starts the emulator and sets these variables."
      : "";
  return failConfig(`Scopewise configuration is invalid:\n${lines.join("\n")}${hint}`);
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
