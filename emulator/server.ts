import { randomBytes, randomUUID } from "node:crypto";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { normalizeId } from "@/lib/model/scope";
import { loadTenantFile, parseTenant } from "@/lib/tenant/schema";
import type { TenantFile } from "@/lib/tenant/types";
import type { ArmWireObject } from "@/lib/model/wire";
import { handleArm } from "./arm";
import { requireToken } from "./auth";
import { generateCertificates } from "./certs";
import { ConsentState } from "./consent";
import { ConnectionFault, FaultInjector, faultOutcome, serveFaults, type FaultRule } from "./faults";
import { handleEntra, type EmulatorClient } from "./entra";
import { handleGraph } from "./graph";
import { AppCredentialStore, handleGraphWrites } from "./graph-writes";
import { SignInState } from "./sign-in";
import { HttpError, readBody, sendJson, sleep, type RequestContext } from "./http";
import { contextNames, renderKubeconfig, type KubeconfigCluster } from "./kubeconfig";
import { handleKubernetes } from "./kubernetes";
import type { EmulatorOptions } from "./options";
import { RolloutController } from "./rollouts";
import { ServiceAccountIssuer } from "./service-account-issuer";
import { TenantStore, type ClusterEntry } from "./store";
import { applyThrottle, isArmPath, ThrottleBuckets, type ThrottleSettings } from "./throttle";
import { WriteGate, type WriteFault } from "./writes";
import { ARM_AUDIENCES, GRAPH_AUDIENCE, TokenAuthority } from "./tokens";

export type { EmulatorOptions } from "./options";

export type { FaultRule } from "./faults";

export interface EmulatorHandle {
  url: string;
  port: number;
  tenantId: string;
  caPem: string;
  caFile: string;
  clients: { clientId: string; clientSecret: string }[];
  authorityHost: string;
  armEndpoint: string;
  graphEndpoint: string;
  /** Requests served per route family ("entra:token", "arm:roleAssignments", "graph:getByIds", "k8s:pods", ...). */
  counts(): Record<string, number>;
  resetCounts(): void;
  setLatency(ms: number): void;
  /** A kubeconfig with one context per cluster (named after the cluster) and static per-cluster tokens. */
  kubeconfig(): string;
  /** Makes the next requests of a route family fail (an error status, a hang or a reset), for retry tests; also `POST /_emulator/faults`. */
  injectFault(rule: FaultRule): void;
  /** Removes every pending fault; also `DELETE /_emulator/faults`. */
  clearFaults(): void;
  /** Makes the `nth` write from now (ARM PUT/DELETE, Kubernetes PATCH/DELETE) fail, for rollback tests. */
  failWrite(fault: WriteFault): void;
  /** The Kubernetes API server URL of a cluster (by managedCluster id). */
  clusterServer(clusterId: string): string | undefined;
  /** Turns ARM read throttling on (settings) or off (null); see emulator/throttle.ts. */
  setThrottle(settings: ThrottleSettings | null): void;
  /** Makes a cluster's Kubernetes API accept requests and never answer them (deadline tests). */
  hangCluster(clusterId: string): void;
  /** Creates or replaces a resource or resource group as a deployment outside the emulator would; recorded in Resource Graph's change tables. */
  putResource(wire: ArmWireObject): void;
  /** Deletes a resource or resource group (with its resources) that way. */
  deleteResource(id: string): void;
  close(): Promise<void>;
}

/** Static cluster tokens live as long as the emulator might (a year): they stand in for local accounts. */
const CLUSTER_TOKEN_LIFETIME = 365 * 24 * 3600;

export async function startEmulator(options: EmulatorOptions): Promise<EmulatorHandle> {
  let tenant: TenantFile;
  if (options.tenant) tenant = parseTenant(options.tenant, "tenant");
  else if (options.tenantFile) tenant = await loadTenantFile(options.tenantFile);
  else throw new Error("startEmulator: give `tenant` or `tenantFile`");

  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error(`startEmulator: pageSize must be a positive integer, got ${pageSize}`);
  let latencyMs = options.latencyMs ?? 0;
  let throttle = options.throttle ? new ThrottleBuckets(options.throttle) : undefined;
  const hungClusterPaths = new Set<string>();
  const store = new TenantStore(tenant);
  const failClusters = new Set((options.failClusters ?? []).map(normalizeId));
  for (const id of failClusters) {
    if (!store.clustersById.has(id)) throw new Error(`startEmulator: failClusters names "${id}", which is not a managedClusters resource in the tenant`);
  }
  const clients: EmulatorClient[] = options.clients?.length
    ? options.clients
    : [{ clientId: randomUUID(), clientSecret: randomBytes(24).toString("base64url"), displayName: "Scopewise emulator client" }];

  const [certs, signingKey] = await Promise.all([generateCertificates(), TokenAuthority.generateKey()]);
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), "scopewise-emulator-")));
  await mkdir(dataDir, { recursive: true });
  const caFile = path.join(dataDir, "ca.pem");
  await writeFile(caFile, certs.caPem);

  const counts = new Map<string, number>();
  const faults = new FaultInjector();
  const server: Server = createServer({ key: certs.keyPem, cert: certs.certPem });

  // Listen first: the issuer and every absolute link carry the port.
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://localhost:${port}`;
  const authority = await TokenAuthority.create(`${url}/${tenant.tenantId}/v2.0`, tenant.tenantId, signingKey);
  const armAudiences = [...ARM_AUDIENCES, url];

  const clusterTokens = new Map<ClusterEntry, string>();
  for (const c of store.clusters) {
    const t = await authority.issue({ aud: c.id, sub: `clusterAdmin_${c.name}`, oid: `cluster:${c.key}`, idtyp: "cluster-local-account" }, CLUSTER_TOKEN_LIFETIME);
    clusterTokens.set(c, t.accessToken);
  }
  const clusterServer = (c: ClusterEntry) => `${url}/k8s/${c.key}`;
  const names = contextNames(store.clusters);
  const kubeconfigEntry = (c: ClusterEntry, kind: "user" | "admin" | "static"): KubeconfigCluster => {
    const rg = /\/resourceGroups\/([^/]+)/i.exec(c.id)?.[1] ?? "";
    const useExec = kind === "user" && c.aad;
    return {
      name: names.get(c) ?? c.name,
      server: clusterServer(c),
      caPem: certs.caPem,
      userName: `${kind === "admin" ? "clusterAdmin" : "clusterUser"}_${rg}_${c.name}`,
      user: useExec ? { exec: { tenantId: tenant.tenantId } } : { token: clusterTokens.get(c)! },
    };
  };

  const signIn = new SignInState();
  const consent = new ConsentState(tenant);
  const writes = new WriteGate(store);
  const appCredentials = new AppCredentialStore();
  const armDeps = {
    store,
    pageSize,
    writes,
    clusterKubeconfig: async (c: ClusterEntry, kind: "user" | "admin") => renderKubeconfig([kubeconfigEntry(c, kind)]),
  };
  const issuer = new ServiceAccountIssuer(store, url);
  const rollouts = new RolloutController({ msPerPod: 150, ...options.rollout });
  const kubeDeps = { store, authority, pageSize, failClusters, writes, issuer, rollouts };
  const federated = { store, authority, appCredentials, caPem: certs.caPem, discoveryUrlOf: (iss: string) => issuer.discoveryUrlOf(iss), propagationMs: options.ficPropagationMs ?? 0 };

  server.on("request", (req, res) => {
    // SDKs join `/{scope}` with scopes that start with '/', so paths may begin with '//'; ARM
    // tolerates empty segments, and URL parsing must not read '//x' as a host.
    const parsed = new URL(`${url}/${(req.url ?? "/").replace(/^\/+/, "")}`);
    let segments: string[];
    try {
      segments = parsed.pathname.split("/").filter((s) => s !== "").map((s) => decodeURIComponent(s));
    } catch {
      segments = [];
    }
    const ctx: RequestContext = {
      req,
      res,
      method: (req.method ?? "GET").toUpperCase(),
      url: parsed,
      segments,
      lower: segments.map((s) => s.toLowerCase()),
      baseUrl: url,
      count: (family) => {
        counts.set(family, (counts.get(family) ?? 0) + 1);
        const cluster = family.startsWith("k8s:") ? store.clustersByKey.get(segments[1] ?? "") : undefined;
        const fault = faults.take(family, cluster);
        if (fault) throw faultOutcome(family, fault);
      },
      readBody: () => readBody(req),
    };
    void (async () => {
      try {
        if (latencyMs > 0) await sleep(latencyMs);
        // A hung API server: the request is read and never answered (the socket closes with the emulator).
        if (ctx.lower[0] === "k8s" && hungClusterPaths.has(ctx.lower[1] ?? "")) return;
        if (throttle && isArmPath(ctx.lower)) {
          try {
            applyThrottle(throttle, req, res, ctx.lower[1] === "microsoft.resourcegraph");
          } catch (e) {
            ctx.count("arm:throttled");
            throw e;
          }
        }
        await route(ctx);
      } catch (e) {
        if (e instanceof ConnectionFault) {
          // A hang keeps the socket open without an answer; a reset drops it.
          if (e.kind === "reset") req.socket.destroy();
          return;
        }
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (e instanceof HttpError) sendJson(res, e.status, e.body, e.headers);
        else {
          console.error(`[emulator] ${ctx.method} ${parsed.pathname} failed:`, e);
          sendJson(res, 500, { error: { code: "InternalServerError", message: `The emulator failed: ${(e as Error).message}` } });
        }
      }
    })();
  });

  async function route(ctx: RequestContext): Promise<void> {
    const first = ctx.lower[0];
    if (first === "_emulator" && ctx.lower[1] === "faults" && ctx.lower.length === 2) return serveFaults(ctx, faults);
    if (first === "k8s") return handleKubernetes(ctx, kubeDeps);
    if (first === "oidc") return issuer.serve(ctx);
    if (first === "v1.0" || first === "beta") {
      try {
        ctx.claims = await requireToken(ctx, authority, [GRAPH_AUDIENCE], "graph");
      } catch (e) {
        ctx.count("graph:unauthorized");
        throw e;
      }
      if (await handleGraphWrites(ctx, { store, writes, credentials: appCredentials })) return;
      return handleGraph(ctx, store);
    }
    if (await handleEntra(ctx, { store, authority, clients, signIn, consent, federated })) return;
    if (!first) {
      ctx.count("meta");
      return sendJson(ctx.res, 200, { name: "scopewise-emulator", tenantId: tenant.tenantId });
    }
    try {
      ctx.claims = await requireToken(ctx, authority, armAudiences, "arm");
    } catch (e) {
      ctx.count("arm:unauthorized");
      throw e;
    }
    return handleArm(ctx, armDeps);
  }

  const sockets = new Set<Socket>();
  server.on("secureConnection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  return {
    url,
    port,
    tenantId: tenant.tenantId,
    caPem: certs.caPem,
    caFile,
    clients: clients.map(({ clientId, clientSecret }) => ({ clientId, clientSecret })),
    authorityHost: url,
    armEndpoint: url,
    graphEndpoint: url,
    counts: () => Object.fromEntries([...counts].filter(([, n]) => n > 0)),
    resetCounts: () => counts.clear(),
    setLatency: (ms) => {
      latencyMs = Math.max(0, ms);
    },
    injectFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    failWrite: (fault) => writes.failWrite(fault),
    kubeconfig: () => renderKubeconfig(store.clusters.map((c) => kubeconfigEntry(c, "static"))),
    setThrottle: (settings) => {
      throttle = settings ? new ThrottleBuckets(settings) : undefined;
    },
    hangCluster: (id) => {
      const c = store.clustersById.get(normalizeId(id));
      if (!c) throw new Error(`hangCluster: "${id}" is not a managedClusters resource in the tenant`);
      hungClusterPaths.add(c.key.toLowerCase());
    },
    putResource: (wire) => store.putResource(wire),
    deleteResource: (id) => store.deleteResource(id),
    clusterServer: (id) => {
      const c = store.clustersById.get(normalizeId(id));
      return c ? clusterServer(c) : undefined;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        for (const s of sockets) s.destroy();
      }),
  };
}
