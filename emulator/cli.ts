import { writeFile } from "node:fs/promises";
import path from "node:path";
import { TenantFormatError } from "@/lib/tenant/schema";
import { startEmulator, type EmulatorOptions } from "./server";

const USAGE = `Usage: npm run emulator -- --tenant FILE [--port PORT] [--page-size N] [--latency-ms N]
                            [--kubeconfig-out FILE] [--data-dir DIR] [--client-id ID --client-secret SECRET]

Serves the tenant file over HTTPS with the Entra ID, ARM, Microsoft Graph and Kubernetes
endpoints the Azure SDKs, @kubernetes/client-node and kubectl use.

  --tenant FILE          tenant file (docs/tenant-format.md, v1)            required
  --port PORT            port on 127.0.0.1 (0 = any free port)                default 0
  --page-size N          items per ARM / Kubernetes page                      default 100
  --latency-ms N         delay added to every response                        default 0
  --kubeconfig-out FILE  write a kubeconfig with one context per cluster
  --data-dir DIR         where ca.pem is written                              default: a temp dir
  --client-id ID         app registration to accept (with --client-secret)   default: generated
  --client-secret SECRET
`;

class UsageError extends Error {}

interface CliArgs {
  tenant: string;
  port: number;
  pageSize?: number;
  latencyMs?: number;
  kubeconfigOut?: string;
  dataDir?: string;
  clientId?: string;
  clientSecret?: string;
}

function intArg(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${flag} expects an integer between ${min} and ${max}, got "${value}"`);
  return n;
}

export function parseArgs(argv: string[]): CliArgs {
  const out: Partial<CliArgs> = { port: 0 };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const [flag, inline] = raw.startsWith("--") && raw.includes("=") ? [raw.slice(0, raw.indexOf("=")), raw.slice(raw.indexOf("=") + 1)] : [raw, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith("--"))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--tenant":
        out.tenant = value();
        break;
      case "--port":
        out.port = intArg(flag, value(), 0, 65535);
        break;
      case "--page-size":
        out.pageSize = intArg(flag, value(), 1, 100000);
        break;
      case "--latency-ms":
        out.latencyMs = intArg(flag, value(), 0, 600000);
        break;
      case "--kubeconfig-out":
        out.kubeconfigOut = value();
        break;
      case "--data-dir":
        out.dataDir = value();
        break;
      case "--client-id":
        out.clientId = value();
        break;
      case "--client-secret":
        out.clientSecret = value();
        break;
      default:
        throw new UsageError(`unknown argument "${raw}"`);
    }
  }
  if (!out.tenant) throw new UsageError("--tenant FILE is required");
  if ((out.clientId === undefined) !== (out.clientSecret === undefined)) throw new UsageError("--client-id and --client-secret go together");
  return out as CliArgs;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(USAGE);
    return 0;
  }
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`emulator: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  const options: EmulatorOptions = {
    tenantFile: path.resolve(args.tenant),
    port: args.port,
    pageSize: args.pageSize,
    latencyMs: args.latencyMs,
    dataDir: args.dataDir ? path.resolve(args.dataDir) : undefined,
    clients: args.clientId ? [{ clientId: args.clientId, clientSecret: args.clientSecret!, displayName: "Scopewise" }] : undefined,
  };
  let handle: Awaited<ReturnType<typeof startEmulator>>;
  try {
    handle = await startEmulator(options);
  } catch (e) {
    if (e instanceof TenantFormatError) {
      process.stderr.write(`emulator: invalid tenant file: ${e.message}\n`);
      return 2;
    }
    if ((e as NodeJS.ErrnoException).code === "EADDRINUSE") {
      process.stderr.write(`emulator: port ${args.port} is already in use\n`);
      return 2;
    }
    throw e;
  }
  const kubeconfigPath = args.kubeconfigOut ? path.resolve(args.kubeconfigOut) : undefined;
  if (kubeconfigPath) await writeFile(kubeconfigPath, handle.kubeconfig(), { mode: 0o600 });
  const client = handle.clients[0]!;
  process.stdout.write(
    [
      `Scopewise emulator serving tenant ${handle.tenantId} (${args.tenant})`,
      `  URL:            ${handle.url}`,
      `  CA certificate: ${handle.caFile}`,
      `  Client id:      ${client.clientId}`,
      `  Client secret:  ${client.clientSecret}`,
      kubeconfigPath ? `  Kubeconfig:     ${kubeconfigPath}` : undefined,
      `Node clients trust the CA with NODE_EXTRA_CA_CERTS=${handle.caFile} (or tlsOptions: { ca }).`,
      `Press Ctrl+C to stop.`,
      "",
    ]
      .filter((l) => l !== undefined)
      .join("\n"),
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.stdout.write(`\nemulator: ${signal}, stopping\n`);
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void handle.close().then(resolve, resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`emulator: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
