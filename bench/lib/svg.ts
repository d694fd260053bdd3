// A small hand-written SVG: p99 latency (log scale) against post rate (log scale), one
// polyline per server, with the 100 ms limit dashed.
export interface Series {
  name: string;
  color: string;
  points: Array<{ rate: number; p99: number; pass: boolean }>;
}

export function latencyChart(series: Series[], title: string, limitMs = 100): string {
  const W = 720;
  const H = 420;
  const m = { l: 70, r: 150, t: 40, b: 55 };
  const all = series.flatMap((s) => s.points).filter((p) => p.p99 > 0 && Number.isFinite(p.p99));
  const xs = all.map((p) => p.rate);
  const ys = [...all.map((p) => p.p99), limitMs];
  const x0 = Math.log10(Math.min(...xs, 10));
  const x1 = Math.log10(Math.max(...xs, 20));
  const y0 = Math.floor(Math.log10(Math.max(0.1, Math.min(...ys))));
  const y1 = Math.ceil(Math.log10(Math.max(...ys)));
  const px = (r: number) => m.l + ((Math.log10(r) - x0) / (x1 - x0 || 1)) * (W - m.l - m.r);
  const py = (v: number) => H - m.b - ((Math.log10(Math.max(v, 10 ** y0)) - y0) / (y1 - y0 || 1)) * (H - m.t - m.b);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2 - m.r / 2}" y="22" text-anchor="middle" font-size="14">${escape(title)}</text>`);
  for (let e = y0; e <= y1; e++) {
    const y = py(10 ** e);
    out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${m.l - 6}" y="${y + 4}" text-anchor="end">${10 ** e >= 1 ? 10 ** e : (10 ** e).toFixed(1)}</text>`);
  }
  for (const r of [...new Set(xs)].sort((a, b) => a - b)) {
    const x = px(r);
    out.push(`<line x1="${x}" x2="${x}" y1="${m.t}" y2="${H - m.b}" stroke="#eee"/>`);
    out.push(`<text x="${x}" y="${H - m.b + 16}" text-anchor="middle">${r}</text>`);
  }
  const ly = py(limitMs);
  out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${ly}" y2="${ly}" stroke="#c00" stroke-dasharray="6 4"/>`);
  out.push(`<text x="${W - m.r + 4}" y="${ly + 4}" fill="#c00">p99 limit ${limitMs} ms</text>`);
  out.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 12}" text-anchor="middle">posts/s to one topic (× watchers = deliveries/s)</text>`);
  out.push(`<text transform="translate(16 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">p99 post-to-delivery latency, ms</text>`);
  series.forEach((s, i) => {
    const pts = s.points.filter((p) => p.p99 > 0 && Number.isFinite(p.p99));
    if (pts.length) {
      out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.map((p) => `${px(p.rate).toFixed(1)},${py(p.p99).toFixed(1)}`).join(' ')}"/>`);
      for (const p of pts) {
        out.push(`<circle cx="${px(p.rate).toFixed(1)}" cy="${py(p.p99).toFixed(1)}" r="3.5" fill="${p.pass ? s.color : 'white'}" stroke="${s.color}" stroke-width="1.5"/>`);
      }
    }
    const y = m.t + 10 + i * 20;
    out.push(`<line x1="${W - m.r + 10}" x2="${W - m.r + 34}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2"/>`);
    out.push(`<text x="${W - m.r + 40}" y="${y + 4}">${escape(s.name)}</text>`);
  });
  out.push(`<text x="${W - m.r + 10}" y="${m.t + 20 + series.length * 20}" fill="#555">hollow = step failed</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
