"use client";

import { useStore, ViewportPortal } from "@xyflow/react";
import { memo } from "react";
import { SEVERITY_GLYPH } from "@/lib/model/graph-schema";
import { headingsThatFit, MIN_TEXT_PX, zoomLevel, type ZoomSummary } from "@/lib/graph/zoom";

/** On-screen size of the far-zoom labels: readable whatever the zoom. */
const LABEL_PX = 13;

/**
 * Far zoom: the groups the blocks form, labelled at a fixed on-screen size (the font is scaled
 * by 1/zoom inside the zoomed viewport). A run is labelled only when it is tall enough on
 * screen to hold its label; every column always has its heading.
 */
function ZoomOverlayImpl({ summary }: { summary: ZoomSummary }) {
  const zoom = useStore((s) => s.transform[2]);
  if (zoomLevel(zoom) !== "far") return null;
  const font = LABEL_PX / zoom;
  const minRun = (LABEL_PX + 6) / zoom;
  return (
    <ViewportPortal>
      <div className="zoom-overlay" aria-hidden="true" style={{ fontSize: font }} data-min-px={MIN_TEXT_PX}>
        {headingsThatFit(summary.columns, zoom).map((c) => (
          <div key={c.key} className="zoom-column" style={{ left: c.x, top: c.y - font * 1.6, width: c.width }}>
            {c.label}
          </div>
        ))}
        {summary.runs
          .filter((r) => r.height >= minRun)
          .map((r) => (
            <div key={r.key} className="zoom-run" data-severity={r.severity} style={{ left: r.x, top: r.y, width: r.width, height: r.height }}>
              <span>
                {r.severity ? `${SEVERITY_GLYPH[r.severity]} ` : ""}
                {r.label}
              </span>
            </div>
          ))}
      </div>
    </ViewportPortal>
  );
}

export const ZoomOverlay = memo(ZoomOverlayImpl);

/** The zoom level as a data attribute on the canvas, for the styles that hide text too small to read. */
export function useZoomLevel() {
  return useStore((s) => zoomLevel(s.transform[2]));
}
