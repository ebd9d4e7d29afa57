/**
 * Line-based unified diff (Myers' O(ND) algorithm), enough for the drift check to show
 * exactly what regeneration would change.
 */
type Op = { kind: " " | "-" | "+"; line: string };

function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!);
      let x = down ? v[max + k + 1]! : v[max + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace backwards to recover the edit script.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && vd[max + k - 1]! < vd[max + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = vd[max + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ kind: " ", line: a[--x]! }), y--;
    if (d === 0) break;
    if (down) ops.push({ kind: "+", line: b[--y]! });
    else ops.push({ kind: "-", line: a[--x]! });
  }
  while (x > 0 && y > 0) ops.push({ kind: " ", line: a[--x]! }), y--;
  return ops.reverse();
}

const split = (s: string) => (s === "" ? [] : s.replace(/\n$/, "").split("\n"));

/** A unified diff of `before` → `after` with 3 lines of context; empty when equal. */
export function unifiedDiff(path: string, before: string | undefined, after: string | undefined, context = 3): string {
  if (before === after) return "";
  const a = split(before ?? "");
  const b = split(after ?? "");
  const ops = diffLines(a, b);
  const out = [`--- ${before === undefined ? "/dev/null" : `a/${path}`}`, `+++ ${after === undefined ? "/dev/null" : `b/${path}`}`];
  let i = 0;
  let aLine = 1;
  let bLine = 1;
  while (i < ops.length) {
    if (ops[i]!.kind === " ") {
      i++;
      aLine++;
      bLine++;
      continue;
    }
    // A hunk: back up for context, then run until `context` unchanged lines follow the last change.
    const start = Math.max(0, i - context);
    let aStart = aLine - (i - start);
    let bStart = bLine - (i - start);
    let end = i;
    let lastChange = i;
    while (end < ops.length && (ops[end]!.kind !== " " || end - lastChange <= context * 2)) {
      if (ops[end]!.kind !== " ") lastChange = end;
      end++;
    }
    end = Math.min(ops.length, lastChange + context + 1);
    const hunk = ops.slice(start, end);
    const aCount = hunk.filter((o) => o.kind !== "+").length;
    const bCount = hunk.filter((o) => o.kind !== "-").length;
    if (aCount === 0) aStart--;
    if (bCount === 0) bStart--;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const o of hunk) out.push(o.kind + o.line);
    for (let j = i; j < end; j++) {
      if (ops[j]!.kind !== "+") aLine++;
      if (ops[j]!.kind !== "-") bLine++;
    }
    i = end;
  }
  return out.join("\n") + "\n";
}
