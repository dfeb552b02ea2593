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
}

export interface SessionStore {
  getSession(id: string): Session | undefined;
  saveSession(session: Session): void;
  deleteSession(id: string): void;
  savePending(pending: PendingSignIn): void;
  /** Returns and removes the pending sign-in: a state is good for one callback only. */
  takePending(state: string): PendingSignIn | undefined;
}

/** Idle sessions end after 8 hours, any session after 24; a sign-in must complete within 10 minutes. */
export const SESSION_IDLE_MS = 8 * 3600_000;
export const SESSION_MAX_MS = 24 * 3600_000;
export const PENDING_TTL_MS = 10 * 60_000;

/**
 * Sessions in memory: lost on restart (people sign in again), one server process. A SQLite
 * store can implement the same interface for restarts and several processes.
 */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly pending = new Map<string, PendingSignIn>();

  constructor(private readonly now: () => number = Date.now) {}

  getSession(id: string): Session | undefined {
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

  saveSession(session: Session): void {
    this.sessions.set(session.id, session);
    this.sweep();
  }

  deleteSession(id: string): void {
    this.sessions.delete(id);
  }

  savePending(pending: PendingSignIn): void {
    this.pending.set(pending.state, pending);
    this.sweep();
  }

  takePending(state: string): PendingSignIn | undefined {
    const p = this.pending.get(state);
    this.pending.delete(state);
    if (!p || this.now() - p.createdAt > PENDING_TTL_MS) return undefined;
    return p;
  }

  /** Drops expired entries so abandoned sign-ins and sessions do not pile up. */
  private sweep(): void {
    const t = this.now();
    for (const [k, p] of this.pending) if (t - p.createdAt > PENDING_TTL_MS) this.pending.delete(k);
    for (const [k, s] of this.sessions) if (t - s.lastSeenAt > SESSION_IDLE_MS || t - s.createdAt > SESSION_MAX_MS) this.sessions.delete(k);
  }
}

// Next bundles the proxy and each route separately; they share the process, so the store lives on globalThis.
const holder = globalThis as { __scopewiseSessions?: SessionStore };

export function sessionStore(): SessionStore {
  holder.__scopewiseSessions ??= new MemorySessionStore();
  return holder.__scopewiseSessions;
}
