import { csvRecord } from "@/lib/model/csv";

/** A cell as exported: JSON keeps lists and numbers; CSV joins lists with "; ". */
export type ExportValue = string | number | boolean | readonly string[] | undefined;

/** One exported column: its JSON key, its CSV header and how a row gives its value. */
export interface ExportColumn<T> {
  key: string;
  header: string;
  value: (row: T) => ExportValue;
}

export const EXPORT_FORMATS = ["csv", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8; header=present",
  json: "application/json; charset=utf-8",
};

/** Rows encoded per pull of the stream: large enough to be cheap, small enough to stay responsive. */
const BATCH = 500;

const csvText = (value: ExportValue): string => (value === undefined ? "" : Array.isArray(value) ? value.join("; ") : String(value));

function jsonObject<T>(row: T, columns: readonly ExportColumn<T>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) out[c.key] = c.value(row) ?? null;
  return out;
}

/**
 * Rows as a byte stream in the format, encoded a batch at a time as the reader pulls: CSV with a
 * header record; JSON as `{"items": [...]}` with one object per row keyed by column, opened by
 * `meta` fields (what was exported and with which filter).
 */
export function streamExport<T>(rows: Iterable<T>, columns: readonly ExportColumn<T>[], format: ExportFormat, meta: Record<string, unknown> = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = rows[Symbol.iterator]();
  let started = false;
  let count = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      let chunk = "";
      if (!started) {
        started = true;
        chunk =
          format === "csv"
            ? csvRecord(columns.map((c) => c.header))
            : `{${Object.entries(meta)
                .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},`)
                .join("")}"items":[`;
      }
      for (let i = 0; i < BATCH; i += 1) {
        const next = iterator.next();
        if (next.done) {
          if (format === "json") chunk += "]}\n";
          controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk +=
          format === "csv"
            ? csvRecord(columns.map((c) => csvText(c.value(next.value))))
            : `${count === 0 ? "" : ","}\n${JSON.stringify(jsonObject(next.value, columns))}`;
        count += 1;
      }
      controller.enqueue(encoder.encode(chunk));
    },
    cancel() {
      iterator.return?.();
    },
  });
}

/** A file name safe in a Content-Disposition header: letters, digits, dot, dash and underscore only. */
export function exportFileName(base: string, extension: string): string {
  const safe = base.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 100) || "export";
  return `${safe}.${extension}`;
}

/** The streamed download: attachment, never cached, never sniffed as HTML. */
export function exportResponse<T>(rows: Iterable<T>, columns: readonly ExportColumn<T>[], format: ExportFormat, fileBase: string, meta: Record<string, unknown> = {}): Response {
  return new Response(streamExport(rows, columns, format, meta), {
    status: 200,
    headers: {
      "content-type": EXPORT_CONTENT_TYPES[format],
      "content-disposition": `attachment; filename="${exportFileName(fileBase, format)}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
