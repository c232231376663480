/**
 * The `cython -a` colour scale as a fixed set of buckets (no VS Code dependency, unit-testable).
 * Cython's Annotate.py paints a line of score s with background #FFFF{shade}, shade = 255 // (1 + s/10): yellow over
 * white with opacity 1 - shade/255. Each bucket uses the opacity of its representative score; dark themes get a
 * weaker yellow, and the `cythonLens.annotations.intensity` setting (0..2) scales it.
 */

export interface ScoreBucket {
  /** Lowest score in the bucket (inclusive). */
  min: number;
  /** Score whose Annotate.py colour the bucket uses. */
  representative: number;
}

export const BUCKETS: readonly ScoreBucket[] = [
  { min: 1, representative: 2 },
  { min: 5, representative: 7 },
  { min: 10, representative: 14 },
  { min: 20, representative: 28 },
  { min: 40, representative: 55 },
  { min: 80, representative: 110 },
  { min: 160, representative: 250 },
];

/** Index of the bucket of a score, or -1 for score 0 (pure C: not painted). */
export function bucketOf(score: number): number {
  if (!(score > 0)) return -1;
  let i = -1;
  for (let k = 0; k < BUCKETS.length; k++) if (score >= BUCKETS[k]!.min) i = k;
  return Math.max(0, i);
}

/** Opacity of yellow that reproduces Annotate.py's background for `score` on a white page. */
export function annotateAlpha(score: number): number {
  const shade = Math.floor(255 / (1 + score / 10));
  return 1 - shade / 255;
}

export type ThemeKind = 'light' | 'dark' | 'high-contrast';

/** Background opacity of a bucket for a theme and intensity (clamped to [0, 1]). */
export function bucketAlpha(bucket: number, theme: ThemeKind, intensity: number): number {
  const b = BUCKETS[bucket];
  if (!b) return 0;
  const themeFactor = theme === 'light' ? 1 : theme === 'dark' ? 0.45 : 0.6;
  return Math.max(0, Math.min(1, annotateAlpha(b.representative) * themeFactor * intensity));
}

export function rgba(alpha: number): string {
  return `rgba(255, 255, 0, ${alpha.toFixed(3)})`;
}
