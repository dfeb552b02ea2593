import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { storeError, StorePart, type Store } from "./db";

/**
 * Sessions and sign-ins in progress, in the store so that a restart keeps people signed in and
 * several replicas share them. A session's token cache (MSAL's serialized access and refresh
 * tokens) is encrypted at rest with AES-256-GCM under a key derived from configuration; the
 * rest of a session (who, when) is not secret. Pending sign-ins are capped and expire.
 */
export interface StoredSession<User = unknown> {
  id: string;
  user: User;
  /** MSAL's serialized token cache: stored encrypted. */
  tokenCache: string;
  homeAccountId: string;
  createdAt: number;
  lastSeenAt: number;
}

export interface StoredPendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  createdAt: number;
  /** Who started it (a client address), for the per-client cap; optional. */
  client?: string;
}

export interface SessionLimits {
  /** Idle sessions end after this long. */
  idleMs: number;
  /** Any session ends after this long. */
  maxMs: number;
  /** A sign-in must complete within this long. */
  pendingTtlMs: number;
  /** Sign-ins in progress kept at most, all clients together (oldest dropped first). */
  maxPending: number;
  /** Sign-ins in progress kept at most per client (oldest dropped first). */
  maxPendingPerClient: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  idleMs: 8 * 3600_000,
  maxMs: 24 * 3600_000,
  pendingTtlMs: 10 * 60_000,
  maxPending: 5_000,
  maxPendingPerClient: 20,
};

/** A session read refreshes its last-seen time at most this often: a page view is not a write. */
const TOUCH_EVERY_MS = 60_000;

/** The token-cache key: HKDF-SHA256 of the configured secret, for this purpose only. */
export function tokenCacheKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "scopewise", "session token cache v1", 32));
}

/** `v1.<iv>.<tag>.<ciphertext>`, base64url: the id is bound as additional data so a blob cannot be moved to another session. */
export function encryptTokenCache(key: Buffer, sessionId: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(sessionId));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

/** The plain token cache, or undefined when the blob does not decrypt under this key (a changed secret, a tampered row). */
export function decryptTokenCache(key: Buffer, sessionId: string, blob: string): string | undefined {
  const [version, iv, tag, body] = blob.split(".");
  if (version !== "v1" || !iv || !tag || body === undefined) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(sessionId));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

interface SessionRow {
  id: string;
  user_json: string;
  token_cache: string;
  home_account_id: string;
  created_at: number;
  last_seen_at: number;
}

interface PendingRow {
  state: string;
  data: string;
  client: string | null;
  created_at: number;
}

export class SessionRepository<User = unknown> {
  private readonly key: Buffer;
  constructor(
    private readonly db: Store,
    secret: string,
    private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.key = tokenCacheKey(secret);
  }

  private async run<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw storeError(this.db.location, doing, err, StorePart.Sessions);
    }
  }

  /** The live session with this id: an expired one, or one whose tokens no longer decrypt, is deleted and undefined. */
  async getSession(id: string): Promise<StoredSession<User> | undefined> {
    return this.run("read the session", async () => {
      const row = await this.db.get<SessionRow>("SELECT * FROM sessions WHERE id = ?", [id]);
      if (!row) return undefined;
      const t = this.now();
      const tokenCache = decryptTokenCache(this.key, id, row.token_cache);
      if (t - Number(row.last_seen_at) > this.limits.idleMs || t - Number(row.created_at) > this.limits.maxMs || tokenCache === undefined) {
        await this.db.run("DELETE FROM sessions WHERE id = ?", [id]);
        return undefined;
      }
      let lastSeenAt = Number(row.last_seen_at);
      if (t - lastSeenAt > TOUCH_EVERY_MS) {
        lastSeenAt = t;
        await this.db.run("UPDATE sessions SET last_seen_at = ? WHERE id = ?", [t, id]);
      }
      return { id, user: JSON.parse(row.user_json) as User, tokenCache, homeAccountId: row.home_account_id, createdAt: Number(row.created_at), lastSeenAt };
    });
  }

  /** Creates or replaces a session (a renewed token cache is saved the same way). */
  async saveSession(session: StoredSession<User>): Promise<void> {
    await this.run("save the session", async () => {
      const blob = encryptTokenCache(this.key, session.id, session.tokenCache);
      const args = [JSON.stringify(session.user), blob, session.homeAccountId, session.createdAt, session.lastSeenAt];
      const updated = await this.db.run("UPDATE sessions SET user_json = ?, token_cache = ?, home_account_id = ?, created_at = ?, last_seen_at = ? WHERE id = ?", [...args, session.id]);
      if (updated.changes === 0) {
        await this.db.run("INSERT INTO sessions (user_json, token_cache, home_account_id, created_at, last_seen_at, id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", [...args, session.id]);
      }
      await this.sweepSessions();
    });
  }

  async deleteSession(id: string): Promise<void> {
    await this.run("delete the session", async () => {
      await this.db.run("DELETE FROM sessions WHERE id = ?", [id]);
    });
  }

  /** Keeps a sign-in in progress; beyond the caps the oldest are dropped (their callbacks then fail as expired). */
  async savePending(pending: StoredPendingSignIn): Promise<void> {
    await this.run("save the sign-in in progress", async () => {
      const { state, client, createdAt, ...data } = pending;
      await this.db.run("INSERT INTO pending_sign_ins (state, data, client, created_at) VALUES (?, ?, ?, ?)", [state, JSON.stringify(data), client ?? null, createdAt]);
      const t = this.now();
      await this.db.run("DELETE FROM pending_sign_ins WHERE created_at < ?", [t - this.limits.pendingTtlMs]);
      if (client !== undefined) {
        await this.db.run(
          "DELETE FROM pending_sign_ins WHERE client = ? AND state NOT IN (SELECT state FROM pending_sign_ins WHERE client = ? ORDER BY created_at DESC, state DESC LIMIT ?)",
          [client, client, this.limits.maxPendingPerClient],
        );
      }
      await this.db.run("DELETE FROM pending_sign_ins WHERE state NOT IN (SELECT state FROM pending_sign_ins ORDER BY created_at DESC, state DESC LIMIT ?)", [this.limits.maxPending]);
    });
  }

  /** Returns and removes the pending sign-in: a state is good for one callback only, even across replicas. */
  async takePending(state: string): Promise<StoredPendingSignIn | undefined> {
    return this.run("read the sign-in in progress", async () => {
      const row = await this.db.get<PendingRow>("DELETE FROM pending_sign_ins WHERE state = ? RETURNING *", [state]);
      if (!row || this.now() - Number(row.created_at) > this.limits.pendingTtlMs) return undefined;
      const data = JSON.parse(row.data) as Omit<StoredPendingSignIn, "state" | "client" | "createdAt">;
      return { ...data, state: row.state, createdAt: Number(row.created_at), ...(row.client !== null ? { client: row.client } : {}) };
    });
  }

  /** How many sign-ins are in progress (for tests and health figures). */
  async countPending(): Promise<number> {
    return this.run("count sign-ins in progress", async () => Number((await this.db.get<{ n: number }>("SELECT count(*) AS n FROM pending_sign_ins"))?.n ?? 0));
  }

  private async sweepSessions(): Promise<void> {
    const t = this.now();
    await this.db.run("DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?", [t - this.limits.idleMs, t - this.limits.maxMs]);
  }
}
