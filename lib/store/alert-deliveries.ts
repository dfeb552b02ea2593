import { randomUUID } from "node:crypto";
import type { AlertEventKind, AlertFormat } from "@/lib/model/alerts";
import { storeError, StorePart } from "./db";
import type { SqlDatabase } from "./sql";

export const DeliveryStatus = { Sending: "sending", Delivered: "delivered", Failed: "failed" } as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];

/** One try at a webhook: the HTTP status it answered, or why there was none. */
export interface DeliveryAttempt {
  at: string;
  httpStatus?: number;
  error?: string;
  /** How long the sender waited before the next try (backoff or the target's Retry-After). */
  retryAfterMs?: number;
}

export interface AlertDelivery {
  id: string;
  eventKind: AlertEventKind;
  /** The target's label (format and origin), never its URL. */
  target: string;
  format: AlertFormat;
  summary: string;
  scanId?: number;
  status: DeliveryStatus;
  attempts: number;
  httpStatus?: number;
  error?: string;
  attemptLog: DeliveryAttempt[];
  createdAt: string;
  finishedAt?: string;
}

interface Row {
  id: string;
  event_kind: AlertEventKind;
  target: string;
  format: AlertFormat;
  summary: string;
  scan_id: number | string | null;
  status: DeliveryStatus;
  attempts: number | string;
  http_status: number | string | null;
  error: string | null;
  attempt_log: string;
  created_at: string;
  finished_at: string | null;
}

function toDelivery(r: Row): AlertDelivery {
  const d: AlertDelivery = {
    id: r.id,
    eventKind: r.event_kind,
    target: r.target,
    format: r.format,
    summary: r.summary,
    status: r.status,
    attempts: Number(r.attempts),
    attemptLog: JSON.parse(r.attempt_log) as DeliveryAttempt[],
    createdAt: r.created_at,
  };
  if (r.scan_id !== null) d.scanId = Number(r.scan_id);
  if (r.http_status !== null) d.httpStatus = Number(r.http_status);
  if (r.error !== null) d.error = r.error;
  if (r.finished_at !== null) d.finishedAt = r.finished_at;
  return d;
}

/** The log of alert deliveries: each is written when sending starts and after every attempt, so a crash mid-retry still shows. */
export class AlertDeliveries {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  private async run<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw storeError(this.db.location, doing, err, StorePart.AlertDeliveries);
    }
  }

  async start(input: { eventKind: AlertEventKind; target: string; format: AlertFormat; summary: string; scanId?: number }): Promise<string> {
    const id = randomUUID();
    await this.run("record an alert delivery", () =>
      this.db.run("INSERT INTO alert_deliveries (id, event_kind, target, format, summary, scan_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'sending', ?)", [
        id,
        input.eventKind,
        input.target,
        input.format,
        input.summary,
        input.scanId ?? null,
        this.now(),
      ]),
    );
    return id;
  }

  /** Records an attempt; with `status`, the delivery's end. */
  async attempt(id: string, attempt: DeliveryAttempt, log: readonly DeliveryAttempt[], end?: DeliveryStatus): Promise<void> {
    await this.run("record an alert delivery attempt", () =>
      this.db.run("UPDATE alert_deliveries SET attempts = ?, http_status = ?, error = ?, attempt_log = ?, status = ?, finished_at = ? WHERE id = ?", [
        log.length,
        attempt.httpStatus ?? null,
        attempt.error ?? null,
        JSON.stringify(log),
        end ?? DeliveryStatus.Sending,
        end ? this.now() : null,
        id,
      ]),
    );
  }

  async get(id: string): Promise<AlertDelivery | undefined> {
    return this.run("read an alert delivery", async () => {
      const row = await this.db.get<Row>("SELECT * FROM alert_deliveries WHERE id = ?", [id]);
      return row ? toDelivery(row) : undefined;
    });
  }

  /** Newest first. */
  async list(limit = 100): Promise<AlertDelivery[]> {
    return this.run("read the alert deliveries", async () =>
      (await this.db.all<Row>("SELECT * FROM alert_deliveries ORDER BY created_at DESC, id DESC LIMIT ?", [Math.max(1, Math.min(limit, 1000))])).map(toDelivery),
    );
  }
}
