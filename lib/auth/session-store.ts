import { serverEnv, signInSettings, type ServerEnv } from "@/lib/env";
import { getStore, storeConfigOf, StorePart } from "@/lib/store/db";
import { SessionRepository } from "@/lib/store/sessions";

/** The signed-in person, as the id token names them. */
export interface SessionUser {
  /** Entra object id (`oid`): the id role assignments name. */
  oid: string;
  tenantId: string;
  /** `preferred_username` (the UPN, usually). */
  username: string;
  name: string;
}

export interface Session {
  id: string;
  user: SessionUser;
  /** MSAL's serialized token cache for this session only (access, refresh and id tokens). */
  tokenCache: string;
  /** MSAL's home account id, to find the account in the cache for silent renewal. */
  homeAccountId: string;
  createdAt: number;
  lastSeenAt: number;
}

/** A sign-in in progress, between the redirect to Entra and the callback. */
export interface PendingSignIn {
  /** Also the key: the `state` sent to Entra. */
  state: string;
  nonce: string;
  codeVerifier: string;
  /** A same-origin path to return to after sign-in. */
  returnTo: string;
  createdAt: number;
  /** Who started it, as far as the server can tell (the client address); pending sign-ins are capped per client. */
  client?: string;
}

export interface SessionStore {
  getSession(id: string): Promise<Session | undefined>;
  saveSession(session: Session): Promise<void>;
  deleteSession(id: string): Promise<void>;
  savePending(pending: PendingSignIn): Promise<void>;
  /** Returns and removes the pending sign-in: a state is good for one callback only. */
  takePending(state: string): Promise<PendingSignIn | undefined>;
}

/** Idle sessions end after 8 hours, any session after 24; a sign-in must complete within 10 minutes. */
export const SESSION_IDLE_MS = 8 * 3600_000;
export const SESSION_MAX_MS = 24 * 3600_000;
export const PENDING_TTL_MS = 10 * 60_000;
/**
 * Sign-ins in progress kept at most, per client and in all: each `GET /auth/sign-in` starts
 * one, so without a cap anyone could fill the server's memory for ten minutes. Past a cap the
 * oldest is dropped (that sign-in must start again).
 */
export const PENDING_PER_CLIENT = 10;
export const PENDING_MAX = 1_000;

/**
 * Sessions in memory: lost on restart, one process. Tests use it; the server keeps sessions in
 * the store (StoredSessionStore) so restarts and replicas keep people signed in.
 */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Session>();
  /** By state, oldest first (a Map keeps insertion order). */
  private readonly pending = new Map<string, PendingSignIn>();
  /** States of each client's pending sign-ins, oldest first. */
  private readonly pendingByClient = new Map<string, string[]>();

  constructor(private readonly now: () => number = Date.now) {}

  async getSession(id: string): Promise<Session | undefined> {
    const s = this.sessions.get(id);
    if (!s) return undefined;
    const t = this.now();
    if (t - s.lastSeenAt > SESSION_IDLE_MS || t - s.createdAt > SESSION_MAX_MS) {
      this.sessions.delete(id);
      return undefined;
    }
    s.lastSeenAt = t;
    return s;
  }

  async saveSession(session: Session): Promise<void> {
    this.sessions.set(session.id, session);
    this.sweep();
  }

  async deleteSession(id: string): Promise<void> {
    this.sessions.delete(id);
  }

  async savePending(pending: PendingSignIn): Promise<void> {
    this.sweep();
    const client = pending.client ?? "";
    for (let mine = this.pendingByClient.get(client) ?? []; mine.length >= PENDING_PER_CLIENT; mine = this.pendingByClient.get(client) ?? []) this.dropPending(mine[0]!);
    while (this.pending.size >= PENDING_MAX) this.dropPending(this.pending.keys().next().value!);
    this.pending.set(pending.state, pending);
    this.pendingByClient.set(client, [...(this.pendingByClient.get(client) ?? []), pending.state]);
  }

  async takePending(state: string): Promise<PendingSignIn | undefined> {
    const p = this.pending.get(state);
    this.dropPending(state);
    if (!p || this.now() - p.createdAt > PENDING_TTL_MS) return undefined;
    return p;
  }

  private dropPending(state: string): void {
    const p = this.pending.get(state);
    if (!p) return;
    this.pending.delete(state);
    const client = p.client ?? "";
    const rest = (this.pendingByClient.get(client) ?? []).filter((s) => s !== state);
    if (rest.length > 0) this.pendingByClient.set(client, rest);
    else this.pendingByClient.delete(client);
  }

  /** Drops expired entries so abandoned sign-ins and sessions do not pile up. */
  private sweep(): void {
    const t = this.now();
    // Oldest first: stop at the first one still valid.
    for (const [k, p] of this.pending) {
      if (t - p.createdAt <= PENDING_TTL_MS) break;
      this.dropPending(k);
    }
    for (const [k, s] of this.sessions) if (t - s.lastSeenAt > SESSION_IDLE_MS || t - s.createdAt > SESSION_MAX_MS) this.sessions.delete(k);
  }
}

// Next bundles the proxy and each route separately; they share the process, so the store lives on globalThis.
const holder = globalThis as { __scopewiseSessions?: SessionStore };

/**
 * The server's session store: in the database (SQLite, or PostgreSQL with SCOPEWISE_DATABASE_URL)
 * when sign-in is configured, token caches encrypted under a key derived from
 * SCOPEWISE_SESSION_SECRET; in memory otherwise (there are no sessions without sign-in).
 */
export function sessionStore(): SessionStore {
  holder.__scopewiseSessions ??= sessionStoreFor(serverEnv());
  return holder.__scopewiseSessions;
}

/** Replaces the server's session store (tests). */
export function setSessionStore(store: SessionStore | undefined): void {
  holder.__scopewiseSessions = store;
}

/** The session store a server with this configuration uses (a new one: a process calls sessionStore()). */
export function sessionStoreFor(env: ServerEnv): SessionStore {
  const settings = signInSettings(env);
  if (!settings) return new MemorySessionStore();
  const limits = { idleMs: SESSION_IDLE_MS, maxMs: SESSION_MAX_MS, pendingTtlMs: PENDING_TTL_MS, maxPending: PENDING_MAX, maxPendingPerClient: PENDING_PER_CLIENT };
  return new StoredSessionStore(async () => new SessionRepository<SessionUser>(await getStore(storeConfigOf(env), StorePart.Sessions), settings.sessionSecret, limits));
}

/** Sessions and sign-ins in progress in the store (lib/store/sessions.ts), opened on first use. */
export class StoredSessionStore implements SessionStore {
  private repository?: Promise<SessionRepository<SessionUser>>;

  constructor(private readonly open: () => Promise<SessionRepository<SessionUser>>) {}

  private repo(): Promise<SessionRepository<SessionUser>> {
    // A store that could not be opened is tried again on the next request.
    this.repository ??= this.open().catch((err: unknown) => {
      this.repository = undefined;
      throw err;
    });
    return this.repository;
  }

  async getSession(id: string): Promise<Session | undefined> {
    return (await this.repo()).getSession(id);
  }

  async saveSession(session: Session): Promise<void> {
    await (await this.repo()).saveSession(session);
  }

  async deleteSession(id: string): Promise<void> {
    await (await this.repo()).deleteSession(id);
  }

  async savePending(pending: PendingSignIn): Promise<void> {
    await (await this.repo()).savePending(pending);
  }

  async takePending(state: string): Promise<PendingSignIn | undefined> {
    return (await this.repo()).takePending(state);
  }
}
