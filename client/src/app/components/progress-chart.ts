import type { Checkin, GoalMeasure } from '../../../../shared/types.js';

const SVG = 'http://www.w3.org/2000/svg';
const W = 280;
const H = 96;
const PAD = 10;

const svg = <K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] => {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
};

/**
 * A small progress chart of a measured goal (issue 19), drawn as SVG: the values over time from
 * the baseline, against a dashed target line. Points are spaced by time, so a burst of check-ins
 * reads as a burst. `data-points` and `data-latest` let tests read it.
 */
export function progressChart(measure: GoalMeasure, checkins: readonly Checkin[], title: string): SVGSVGElement {
  const values = [measure.baseline, ...checkins.map((c) => c.value)];
  const lo = Math.min(measure.baseline, measure.target, ...values);
  const hi = Math.max(measure.baseline, measure.target, ...values);
  const span = hi - lo || 1;
  const times = checkins.map((c) => Date.parse(c.createdAt));
  const t0 = times.length > 0 ? Math.min(...times) - 1 : 0;
  const t1 = times.length > 0 ? Math.max(...times) : 1;
  const x = (i: number) => (i === 0 ? PAD : PAD + ((times[i - 1]! - t0) / (t1 - t0 || 1)) * (W - 2 * PAD));
  const y = (v: number) => H - PAD - ((v - lo) / span) * (H - 2 * PAD);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', height: H, role: 'img', class: 'progress-chart' });
  root.dataset.testid = 'goal-chart';
  root.dataset.points = String(checkins.length);
  root.dataset.latest = String(values.at(-1));
  const label = svg('title', {});
  label.textContent = `${title}: ${checkins.length === 0 ? 'no check-ins yet' : `latest ${values.at(-1)} of ${measure.target} ${measure.unit}`}`;
  root.append(label);
  root.append(svg('line', { x1: PAD, x2: W - PAD, y1: y(measure.target), y2: y(measure.target), class: 'chart-target', 'stroke-dasharray': '4 3' }));
  const targetText = svg('text', { x: W - PAD, y: y(measure.target) - 3, 'text-anchor': 'end', class: 'chart-label' });
  targetText.textContent = `target ${measure.target} ${measure.unit}`;
  root.append(targetText);
  root.append(svg('polyline', { points: values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' '), class: 'chart-line', fill: 'none' }));
  values.forEach((v, i) => root.append(svg('circle', { cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: i === 0 ? 2 : 3, class: i === 0 ? 'chart-baseline' : 'chart-point' })));
  return root;
}
