/**
 * Optimal-string-alignment distance (Damerau-Levenshtein with adjacent transpositions), so the
 * classic typos `tittle`, `requried`, `desciption` are each one edit away.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, current[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prevPrev[j - 2]! + 1);
      current.push(d);
    }
    prevPrev = prev;
    prev = current;
  }
  return prev[b.length]!;
}

/**
 * The candidate `input` was most likely meant to be, or undefined when none is close enough.
 * Case differences count as near-misses (`Title` -> `title`), so do prefixes of four or more
 * characters (`readOnly` -> `readOnlyHint`); otherwise up to ~40% of the word may differ. Ties go to the earlier candidate, so results are deterministic.
 */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const lower = input.toLowerCase();
  const budget = Math.max(1, Math.floor(input.length * 0.4));
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const other = candidate.toLowerCase();
    // A truncated or extended word (`readOnly` for `readOnlyHint`, `desc` for `description`).
    const prefix = input.length >= 4 && (other.startsWith(lower) || lower.startsWith(other));
    const score = other === lower ? 0.5 : prefix ? Math.min(budget, 1.5) : editDistance(lower, other);
    if (score <= budget && score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** `a`, `b` and `c` -> "`a`, `b`, `c`", for hints listing what is allowed. */
export function listCode(items: readonly string[]): string {
  return items.map((i) => `\`${i}\``).join(', ');
}
