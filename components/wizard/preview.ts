import type { FixPlan } from "@/lib/model/findings";
import { applicableFormats, FORMAT_LABEL, notApplicableMessage, RENDER_FORMATS, renderFileName, renderPlan, type RenderContext, type RenderFormat } from "@/lib/remediation/render";
import type { WizardState } from "./steps";

export interface PreviewTab {
  format: RenderFormat;
  label: string;
  applicable: boolean;
  /** The rendered text; for a format that does not apply, the reason instead. */
  text: string;
  fileName: string;
  downloadHref: string;
}

/** The download route for a rendering, carrying the same choices as the wizard URL. */
export function downloadHref(findingId: string, state: WizardState, format: RenderFormat | "patch"): string {
  const q = new URLSearchParams();
  q.set("plan", state.planId);
  q.set("format", format);
  for (const s of state.scopes ?? []) q.append("scope", s);
  if (state.roleDefinitionId) q.set("role", state.roleDefinitionId);
  return `/findings/${encodeURIComponent(findingId)}/fix/download?${q.toString()}`;
}

/** Every format as a tab, applicable ones rendered, the others saying why they are empty. */
export function buildPreviewTabs(findingId: string, plan: FixPlan, context: RenderContext, state: WizardState): PreviewTab[] {
  const applicable = new Set(applicableFormats(plan));
  return RENDER_FORMATS.map((format) => ({
    format,
    label: FORMAT_LABEL[format],
    applicable: applicable.has(format),
    text: applicable.has(format) ? renderPlan(plan, format, context) : notApplicableMessage(plan, format),
    fileName: renderFileName(plan, format),
    downloadHref: downloadHref(findingId, state, format),
  }));
}

/** The tab shown first: the URL's format when it applies, else the first applicable one. */
export function initialTab(tabs: readonly PreviewTab[], wanted?: RenderFormat): RenderFormat {
  const w = tabs.find((t) => t.format === wanted && t.applicable);
  return (w ?? tabs.find((t) => t.applicable) ?? tabs[0]!).format;
}
