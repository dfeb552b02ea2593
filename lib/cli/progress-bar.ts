import type { ScanProgressEvent } from "@/lib/inventory/scan";
import { applyProgressEvent, completedFraction, newProgress, stampProgress, type ScanProgress } from "@/lib/scan/progress";

/**
 * The scan CLI's progress bar on stderr. Shown only to a person watching a terminal: stderr is
 * a TTY, and stdout is not machine output going into a pipe or file (JSON or SARIF for CI).
 */
export function shouldShowProgress(io: { stderrIsTTY: boolean; stdoutIsTTY: boolean; format: "json" | "table" | "sarif" }): boolean {
  if (!io.stderrIsTTY) return false;
  return io.format === "table" || io.stdoutIsTTY;
}

const WIDTH = 24;

function formatSeconds(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** One line: `[██████░░░░░░] 60% subscription 2 of 3 · 3.1 s elapsed · about 2.0 s left`. */
export function renderProgressLine(p: ScanProgress, columns = 100): string {
  const fraction = completedFraction(p);
  const filled = Math.round(fraction * WIDTH);
  const parts = [p.summary, `${formatSeconds(p.elapsedMs)} elapsed`];
  if (p.etaMs !== undefined) parts.push(`about ${formatSeconds(p.etaMs)} left`);
  if (p.errors > 0) parts.push(`${p.errors} failed`);
  const line = `[${"█".repeat(filled)}${"░".repeat(WIDTH - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${parts.join(" · ")}`;
  return line.length > columns - 1 ? `${line.slice(0, columns - 2)}…` : line;
}

/**
 * A progress sink that redraws one stderr line (at most every 100 ms) as the scan advances;
 * `done()` clears it so the report that follows starts on a clean line.
 */
export function progressBar(stream: { write(text: string): unknown; columns?: number }, now: () => number = Date.now): { onProgress: (e: ScanProgressEvent) => void; done(): void } {
  const progress = newProgress(new Date(now()).toISOString());
  let drawn = 0;
  const draw = () => {
    drawn = now();
    stream.write(`\r\x1b[2K${renderProgressLine(stampProgress(progress, drawn), stream.columns ?? 100)}`);
  };
  return {
    onProgress(e) {
      applyProgressEvent(progress, e);
      if (now() - drawn >= 100 || e.kind === "phase") draw();
    },
    done() {
      if (drawn > 0) stream.write("\r\x1b[2K");
    },
  };
}
