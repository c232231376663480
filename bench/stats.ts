/** Small statistics for the benchmarks: percentiles, least-squares fits. */

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export interface LinearFit {
  /** y = slope * x + intercept */
  slope: number;
  intercept: number;
  /** Coefficient of determination of the fit (1 = perfect). */
  r2: number;
}

export function linearFit(xs: readonly number[], ys: readonly number[]): LinearFit {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept, r2 };
}

/** Exponent k of y ~ x^k (least squares on log-log): 1 = linear, 2 = quadratic. */
export function growthExponent(xs: readonly number[], ys: readonly number[]): number {
  return linearFit(xs.map(Math.log), ys.map((y) => Math.log(Math.max(y, 1e-6)))).slope;
}
