/**
 * A word-level diff in git's `--word-diff=plain` notation: `[-removed words-]{+added words+}`, the rest
 * as it was. For a reviewer re-reading what a model will read, so whole words, whitespace kept.
 */

/** Above this many word pairs the longest common run is not searched: the texts are shown whole instead. */
const MAX_CELLS = 4_000_000;

export function wordDiff(before: string, after: string): string {
  const a = tokens(before);
  const b = tokens(after);
  if (a.length * b.length > MAX_CELLS) return mark('-', before) + mark('+', after);
  const parts = commonWalk(a, b);
  return parts.map(({ op, text }) => (op === '=' ? text : mark(op, text))).join('');
}

function tokens(text: string): string[] {
  return text.split(/(\s+)/).filter(Boolean);
}

function mark(op: '-' | '+', text: string): string {
  if (!text) return '';
  return op === '-' ? `[-${text}-]` : `{+${text}+}`;
}

/** Runs of kept, removed and added tokens, from the longest common subsequence of the two token lists. */
function commonWalk(a: string[], b: string[]): { op: '=' | '-' | '+'; text: string }[] {
  const n = a.length;
  const m = b.length;
  // lengths[i][j]: the longest common subsequence of a[i..] and b[j..], in one flat array.
  const lengths = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      lengths[i * (m + 1) + j] =
        a[i] === b[j] ? lengths[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lengths[(i + 1) * (m + 1) + j], lengths[i * (m + 1) + j + 1]);
    }
  }
  const runs: { op: '=' | '-' | '+'; text: string }[] = [];
  const push = (op: '=' | '-' | '+', text: string) => {
    const last = runs.at(-1);
    if (last?.op === op) last.text += text;
    else runs.push({ op, text });
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      push('=', a[i]);
      i += 1;
      j += 1;
    } else if (j < m && (i === n || lengths[i * (m + 1) + j + 1] >= lengths[(i + 1) * (m + 1) + j])) {
      push('+', b[j]);
      j += 1;
    } else {
      push('-', a[i]);
      i += 1;
    }
  }
  return groupChanges(runs);
}

/** `-x +y -z +w` becomes `-xz +yw` between two kept runs, so a rewritten sentence reads as one replacement. */
function groupChanges(runs: { op: '=' | '-' | '+'; text: string }[]): { op: '=' | '-' | '+'; text: string }[] {
  const grouped: { op: '=' | '-' | '+'; text: string }[] = [];
  let removed = '';
  let added = '';
  const flush = () => {
    if (removed) grouped.push({ op: '-', text: removed });
    if (added) grouped.push({ op: '+', text: added });
    removed = added = '';
  };
  for (const run of runs) {
    // Whitespace alone between two changes belongs to both sides of the replacement.
    if (run.op === '=' && removed && added && !run.text.trim()) {
      removed += run.text;
      added += run.text;
      continue;
    }
    if (run.op === '-') removed += run.text;
    else if (run.op === '+') added += run.text;
    else {
      flush();
      grouped.push(run);
    }
  }
  flush();
  return grouped;
}
