// A small Nelder–Mead minimiser (standard coefficients 1, 2, ½, ½) for the forecaster's four smoothing
// parameters, searched in an unbounded space that the caller maps into its bounds. Deterministic.

export interface NelderMeadResult {
  x: number[];
  value: number;
  iterations: number;
}

export function nelderMead(f: (x: number[]) => number, start: number[], opts: { step?: number; maxIterations?: number; tolerance?: number } = {}): NelderMeadResult {
  const n = start.length;
  const step = opts.step ?? 1;
  const maxIterations = opts.maxIterations ?? 400;
  const tolerance = opts.tolerance ?? 1e-10;
  const simplex: { x: number[]; v: number }[] = [{ x: start.slice(), v: f(start) }];
  for (let i = 0; i < n; i++) {
    const x = start.slice();
    x[i] += step;
    simplex.push({ x, v: f(x) });
  }
  let it = 0;
  for (; it < maxIterations; it++) {
    simplex.sort((a, b) => a.v - b.v);
    const best = simplex[0].v;
    const worst = simplex[n].v;
    if (Math.abs(worst - best) <= tolerance * (Math.abs(best) + tolerance)) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += simplex[i].x[j] / n;
    const along = (t: number) => centroid.map((c, j) => c + t * (simplex[n].x[j] - c));
    const xr = along(-1);
    const vr = f(xr);
    if (vr < simplex[0].v) {
      const xe = along(-2);
      const ve = f(xe);
      simplex[n] = ve < vr ? { x: xe, v: ve } : { x: xr, v: vr };
    } else if (vr < simplex[n - 1].v) {
      simplex[n] = { x: xr, v: vr };
    } else {
      const xc = vr < worst ? along(-0.5) : along(0.5);
      const vc = f(xc);
      if (vc < Math.min(vr, worst)) {
        simplex[n] = { x: xc, v: vc };
      } else {
        for (let i = 1; i <= n; i++) {
          const x = simplex[i].x.map((v, j) => simplex[0].x[j] + 0.5 * (v - simplex[0].x[j]));
          simplex[i] = { x, v: f(x) };
        }
      }
    }
  }
  simplex.sort((a, b) => a.v - b.v);
  return { x: simplex[0].x, value: simplex[0].v, iterations: it };
}
