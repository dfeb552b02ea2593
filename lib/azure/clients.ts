import type { TokenCredential } from "@azure/core-auth";
import { ServiceClient, type CommonClientOptions } from "@azure/core-client";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import { ManagedServiceIdentityClient } from "@azure/arm-msi";
import { ResourceManagementClient } from "@azure/arm-resources";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { attemptPolicy, cancelPolicy, createRequestStats, deadlinePolicy, defaultRetrySettings, HostLimiter, requestCountingPolicy, type RequestStats, type RetrySettings } from "@/lib/azure/throttle";
import { wireCapturePolicy } from "@/lib/azure/wire";

/** Public-cloud audiences. Tokens for ARM and Graph are requested for `${audience}/.default`. */
export const AzureAudience = {
  Arm: "https://management.azure.com",
  Graph: "https://graph.microsoft.com",
} as const;

/**
 * Where and as whom to read a tenant. The same values address real Azure and the
 * emulator; only the endpoints, the credential and the trusted CA differ.
 */
export interface AzureConnection {
  credential: TokenCredential;
  armEndpoint: string;
  /** Token audience for ARM; defaults to the public cloud's (the emulator accepts it too). */
  armAudience?: string;
  graphEndpoint: string;
  graphAudience?: string;
  /** PEM of an extra CA to trust (the emulator's). Replaces the default trust store for these clients. */
  caPem?: string;
  /** Retries of throttled (429, honouring Retry-After), failed (5xx) and reset requests. */
  retry?: RetrySettings;
  /** Requests in flight per host at most (default 16); ARM throttles per principal, not per connection. */
  maxInFlightPerHost?: number;
  /** Every Azure request of these clients fails once this many ms have passed since their creation. */
  deadlineMs?: number;
  /** Once aborted, these clients send nothing more and abort what is in flight (a cancelled scan). */
  signal?: AbortSignal;
}

/** The SDK clients one scan needs, all sharing one credential, endpoint set and TLS trust. */
export interface AzureClients {
  subscriptions(): SubscriptionClient;
  resources(subscriptionId: string): ResourceManagementClient;
  containerService(subscriptionId: string): ContainerServiceClient;
  msi(subscriptionId: string): ManagedServiceIdentityClient;
  authorization(subscriptionId: string): AuthorizationManagementClient;
  /** A bare ARM client, for endpoints without an SDK here (management groups). */
  arm(): ServiceClient;
  graph(): ServiceClient;
  /** ARM endpoint without a trailing slash. */
  armEndpoint: string;
  graphEndpoint: string;
  /** Requests, attempts, retries and throttled answers of every client here. */
  stats: RequestStats;
  /** Requests in flight per host at most: fan-outs wider than this only queue. */
  maxInFlightPerHost: number;
}

export const defaultMaxInFlightPerHost = 16;

const userAgentPrefix = "scopewise";

export function createAzureClients(connection: AzureConnection): AzureClients {
  const armEndpoint = trimEndpoint(connection.armEndpoint, "armEndpoint");
  const graphEndpoint = trimEndpoint(connection.graphEndpoint, "graphEndpoint");
  const armScope = `${trimSlash(connection.armAudience ?? AzureAudience.Arm)}/.default`;
  const graphScope = `${trimSlash(connection.graphAudience ?? AzureAudience.Graph)}/.default`;
  const { credential } = connection;

  // TLS trust goes through core-rest-pipeline's tlsPolicy (`tlsOptions` on pipeline
  // options). Certificate checks stay on: the emulator's CA is trusted, nothing else changes.
  const stats = createRequestStats();
  const maxInFlightPerHost = connection.maxInFlightPerHost ?? defaultMaxInFlightPerHost;
  const limiter = new HostLimiter(maxInFlightPerHost, stats);
  const deadline = connection.deadlineMs !== undefined ? [{ policy: deadlinePolicy(Date.now() + connection.deadlineMs, "azure", connection.deadlineMs), position: "perCall" as const }] : [];
  const common: CommonClientOptions & { tlsOptions?: { ca: string } } = {
    userAgentOptions: { userAgentPrefix },
    retryOptions: { ...defaultRetrySettings, ...connection.retry },
    additionalPolicies: [
      { policy: wireCapturePolicy, position: "perCall" },
      { policy: requestCountingPolicy(stats), position: "perCall" },
      ...deadline,
      ...(connection.signal ? [{ policy: cancelPolicy(connection.signal), position: "perCall" as const }] : []),
      { policy: attemptPolicy(stats, limiter), position: "perRetry" },
    ],
    ...(connection.caPem ? { tlsOptions: { ca: connection.caPem } } : {}),
  };
  const classic = { ...common, endpoint: armEndpoint, credentialScopes: [armScope] };

  // Clients are cheap but each holds a pipeline; one per subscription is reused across calls.
  const cache = new Map<string, unknown>();
  function cached<T>(key: string, make: () => T): T {
    let client = cache.get(key) as T | undefined;
    if (!client) {
      client = make();
      cache.set(key, client);
    }
    return client;
  }

  return {
    armEndpoint,
    graphEndpoint,
    stats,
    maxInFlightPerHost,
    subscriptions: () => cached("subscriptions", () => new SubscriptionClient(credential, classic)),
    resources: (subscriptionId) =>
      cached(`resources:${subscriptionId}`, () => new ResourceManagementClient(credential, subscriptionId, classic)),
    // The modular (TypeSpec) client takes its token scopes as `credentials.scopes`.
    containerService: (subscriptionId) =>
      cached(
        `containerService:${subscriptionId}`,
        () => new ContainerServiceClient(credential, subscriptionId, { ...common, endpoint: armEndpoint, credentials: { scopes: [armScope] } }),
      ),
    msi: (subscriptionId) => cached(`msi:${subscriptionId}`, () => new ManagedServiceIdentityClient(credential, subscriptionId, classic)),
    authorization: (subscriptionId) =>
      cached(`authorization:${subscriptionId}`, () => new AuthorizationManagementClient(credential, subscriptionId, classic)),
    arm: () => cached("arm", () => new ServiceClient({ ...classic, credential })),
    graph: () => cached("graph", () => new ServiceClient({ ...common, endpoint: graphEndpoint, credential, credentialScopes: [graphScope] })),
  };
}

function trimSlash(value: string): string {
  return value.replace(/\/+$/, "");
}

function trimEndpoint(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} is not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "https:") {
    throw new Error(`${name} must be https:// (bearer tokens are never sent over http): ${value}`);
  }
  return trimSlash(value);
}
