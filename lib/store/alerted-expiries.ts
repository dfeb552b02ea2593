import { storeError, StorePart } from "./db";
import type { SqlDatabase } from "./sql";

/** An accepted risk's expiry: the decision's subject and the date it ran out. */
export interface ExpiryKey {
  subjectKey: string;
  expires: string;
}

/** Which risk expiries have been alerted (migration 9): a claim is taken once, by whoever alerts first. */
export class AlertedExpiries {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  /** Claims each expiry not claimed before; returns the ones this call claimed (the caller alerts those). */
  async claim(keys: readonly ExpiryKey[]): Promise<ExpiryKey[]> {
    const claimed: ExpiryKey[] = [];
    try {
      for (const key of keys) {
        const { changes } = await this.db.run("INSERT INTO alerted_expiries (subject_key, expires, alerted_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [key.subjectKey, key.expires, this.now()]);
        if (changes > 0) claimed.push(key);
      }
    } catch (err) {
      throw storeError(this.db.location, "record alerted risk expiries", err, StorePart.AlertDeliveries);
    }
    return claimed;
  }
}
