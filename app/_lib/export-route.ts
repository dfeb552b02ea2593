import "server-only";
import { z } from "zod";
import { json } from "@/app/_lib/api";
import { scanErrorResponse } from "@/app/_lib/scan-routes";
import { EXPORT_FORMATS, type ExportFormat } from "@/components/exports/table";
import { requireActor, type Actor } from "@/lib/auth/actor";

type Params = Record<string, string>;

const formatSchema = z.enum(EXPORT_FORMATS, { message: `must be one of ${EXPORT_FORMATS.join(", ")}` });

/**
 * An export GET: the caller (401 without a session), `format` (csv or json, required) and the
 * list's own filter parameters, read by the same parser as the page so the file holds exactly
 * what the list shows. Unlike the page, which ignores a bad filter and says so, an export
 * answers 422 naming each bad or unknown parameter: a file must not silently widen.
 */
export function exportRoute<Q>(options: {
  /** The list's parameters besides `format` (`page` is accepted and ignored: every page is exported). */
  params: readonly string[];
  parse: (params: Params) => { data: Q; errors: string[] };
  produce: (actor: Actor, query: Q, format: ExportFormat, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
}) {
  return async function GET(request: Request, context: { params: Promise<Record<string, string>> }): Promise<Response> {
    const who = await requireActor(request);
    if (!who.ok) return who.response;
    const params = Object.fromEntries(new URL(request.url).searchParams) as Params;
    const issues: string[] = [];
    const format = formatSchema.safeParse(params.format);
    if (!format.success) issues.push(`format: ${format.error.issues[0]?.message ?? "invalid"}`);
    for (const name of Object.keys(params)) if (name !== "format" && !options.params.includes(name)) issues.push(`${name}: is not a parameter of this export`);
    const rest = { ...params };
    delete rest.format;
    const parsed = options.parse(rest);
    issues.push(...parsed.errors);
    if (issues.length > 0 || !format.success) return json({ error: "invalid query", issues }, 422);
    try {
      return await options.produce(who.actor, parsed.data, format.data, context);
    } catch (err) {
      return exportErrorResponse(err);
    }
  };
}

/** Why a list could not be exported: the same answers as the scan APIs (never an empty file). */
export function exportErrorResponse(err: unknown): Response {
  return scanErrorResponse(err, "exporting the list");
}

/** A parser for an export's own parameters (lists without a page parser): each validated by its schema, each bad one named. */
export function fieldParser<Q extends Record<string, unknown>>(fields: { [K in keyof Q]-?: z.ZodType<Q[K]> }, defaults: Q) {
  return (params: Record<string, string>): { data: Q; errors: string[] } => {
    const data: Q = { ...defaults };
    const errors: string[] = [];
    for (const name of Object.keys(fields) as (keyof Q & string)[]) {
      if (params[name] === undefined) continue;
      const result = fields[name].safeParse(params[name]);
      if (result.success) data[name] = result.data;
      else errors.push(`${name}: ${result.error.issues[0]?.message ?? "invalid"}`);
    }
    return { data, errors };
  };
}
