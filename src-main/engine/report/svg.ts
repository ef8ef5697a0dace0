// Inline SVG line charts for the report (no scripts, no fonts from the network).
const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface SvgSeries {
  name: string;
  x: number[];
  y: (number | null)[];
  color: string;
  dashed?: boolean;
  points?: boolean;
}

export function lineChartSvg(series: SvgSeries[], opts: { xLabel: string; yLabel: string; x0?: number; x1?: number; y0?: number; y1?: number; width?: number; height?: number }): string {
  const W = opts.width ?? 300;
  const H = opts.height ?? 230;
  const P = { l: 42, r: 10, t: 10, b: 34 };
  const x0 = opts.x0 ?? 0, x1 = opts.x1 ?? 1, y0 = opts.y0 ?? 0, y1 = opts.y1 ?? 1;
  const sx = (v: number): number => P.l + ((v - x0) / (x1 - x0 || 1)) * (W - P.l - P.r);
  const sy = (v: number): number => H - P.b - ((v - y0) / (y1 - y0 || 1)) * (H - P.t - P.b);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  let out = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" class="chart">`;
  out += `<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>`;
  for (const t of ticks) {
    const xv = x0 + t * (x1 - x0), yv = y0 + t * (y1 - y0);
    out += `<line x1="${P.l}" x2="${W - P.r}" y1="${sy(yv)}" y2="${sy(yv)}" stroke="#e5e5e5"/>`;
    out += `<text x="${sx(xv)}" y="${H - P.b + 13}" font-size="9" text-anchor="middle" fill="#555">${xv.toFixed(2)}</text>`;
    out += `<text x="${P.l - 4}" y="${sy(yv) + 3}" font-size="9" text-anchor="end" fill="#555">${yv.toFixed(2)}</text>`;
  }
  out += `<line x1="${P.l}" y1="${H - P.b}" x2="${W - P.r}" y2="${H - P.b}" stroke="#333"/><line x1="${P.l}" y1="${P.t}" x2="${P.l}" y2="${H - P.b}" stroke="#333"/>`;
  out += `<text x="${(P.l + W - P.r) / 2}" y="${H - 4}" font-size="10" text-anchor="middle" fill="#333">${esc(opts.xLabel)}</text>`;
  out += `<text x="11" y="${(P.t + H - P.b) / 2}" font-size="10" text-anchor="middle" fill="#333" transform="rotate(-90 11 ${(P.t + H - P.b) / 2})">${esc(opts.yLabel)}</text>`;
  series.forEach((s, k) => {
    let d = '';
    let pen = false;
    s.x.forEach((x, i) => {
      const y = s.y[i];
      if (y === null || !Number.isFinite(y)) return void (pen = false);
      d += `${pen ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`;
      pen = true;
    });
    out += `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/>`;
    if (s.points) s.x.forEach((x, i) => s.y[i] !== null && (out += `<circle cx="${sx(x).toFixed(1)}" cy="${sy(s.y[i] as number).toFixed(1)}" r="2.5" fill="${s.color}"/>`));
    out += `<rect x="${P.l + 8}" y="${P.t + 6 + k * 13}" width="10" height="3" fill="${s.color}"/><text x="${P.l + 22}" y="${P.t + 10 + k * 13}" font-size="9" fill="#222">${esc(s.name)}</text>`;
  });
  return out + '</svg>';
}
