/**
 * A unified diff (`diff -u`, as `git apply` and `patch -p1` read it) of one file's old and
 * new text, with three lines of context. Lines are compared whole; the longest common
 * subsequence is found by dynamic programming, which is fine at the size of Terraform files.
 */
export function unifiedDiff(file: string, before: string, after: string): string {
  if (before === after) return "";
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a.lines, b.lines);
  const hunks: string[] = [];
  const CONTEXT = 3;
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.kind === "same") {
      i++;
      continue;
    }
    let start = i;
    let ctx = 0;
    while (start > 0 && ops[start - 1]!.kind === "same" && ctx < CONTEXT) {
      start--;
      ctx++;
    }
    let end = i;
    // Extend while the next change is within 2 * CONTEXT unchanged lines.
    for (;;) {
      while (end < ops.length && ops[end]!.kind !== "same") end++;
      let gap = 0;
      while (end + gap < ops.length && ops[end + gap]!.kind === "same") gap++;
      if (end + gap < ops.length && gap <= 2 * CONTEXT) end += gap;
      else {
        end += Math.min(gap, CONTEXT);
        break;
      }
    }
    const slice = ops.slice(start, end);
    const oldStart = slice[0]!.a;
    const newStart = slice[0]!.b;
    const oldCount = slice.filter((o) => o.kind !== "add").length;
    const newCount = slice.filter((o) => o.kind !== "del").length;
    const body = slice.map((o) => {
      const text = o.kind === "add" ? b.lines[o.b]! : a.lines[o.a]!;
      const last = o.kind === "add" ? o.b === b.lines.length - 1 && !b.finalNewline : o.a === a.lines.length - 1 && !a.finalNewline;
      return `${o.kind === "add" ? "+" : o.kind === "del" ? "-" : " "}${text}\n${last ? "\\ No newline at end of file\n" : ""}`;
    });
    hunks.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@\n${body.join("")}`);
    i = end;
  }
  const name = file.replace(/^\/+/, "");
  const header = before === "" ? `--- /dev/null\n+++ b/${name}\n` : `--- a/${name}\n+++ b/${name}\n`;
  return `diff --git a/${name} b/${name}\n${before === "" ? "new file mode 100644\n" : ""}${header}${hunks.join("")}`;
}

function range(start: number, count: number): string {
  // Unified diff ranges are 1-based; an empty range names the line before it.
  return count === 0 ? `${start},0` : `${start + 1},${count}`;
}

function splitLines(text: string): { lines: string[]; finalNewline: boolean } {
  if (text === "") return { lines: [], finalNewline: true };
  const finalNewline = text.endsWith("\n");
  const lines = (finalNewline ? text.slice(0, -1) : text).split("\n");
  return { lines, finalNewline };
}

interface Op {
  kind: "same" | "del" | "add";
  a: number;
  b: number;
}

function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ kind: "same", a: i++, b: j++ });
    else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) ops.push({ kind: "add", a: i, b: j++ });
    else ops.push({ kind: "del", a: i++, b: j });
  }
  return ops;
}
