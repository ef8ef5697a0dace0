// Self-contained HTML rendering of the report: inline CSS and SVG, images as data: URLs,
// no scripts and nothing fetched from the network (the CSP meta tag enforces it).
import type { ReportModel, ReportSection } from './model';
import { lineChartSvg } from './svg';

const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (v: number | null | undefined, d = 3): string => (v === null || v === undefined ? '—' : v.toFixed(d));
const ci = (m: { value: number | null; lo: number | null; hi: number | null } | undefined, d = 3): string =>
  m ? `${fmt(m.value, d)} <span class="ci">(${fmt(m.lo, d)}–${fmt(m.hi, d)})</span>` : '—';
const counts = (r: Record<string, number>): string => Object.entries(r).map(([k, v]) => `${esc(k)}: ${v}`).join(' · ');
const dataUrl = (s: string): string => (s.startsWith('data:image/png;base64,') ? s : '');

const CSS = `
body{font:12px/1.45 -apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#111;margin:28px 36px;max-width:980px}
h1{font-size:21px;margin:0 0 2px}h2{font-size:15px;margin:22px 0 6px;border-bottom:1px solid #ccc;padding-bottom:3px;page-break-after:avoid}
h3{font-size:13px;margin:12px 0 4px}.muted{color:#666}.ci{color:#666;font-size:10.5px}
table{border-collapse:collapse;margin:6px 0 10px}th,td{border-bottom:1px solid #e2e2e2;padding:3px 8px;text-align:left;font-variant-numeric:tabular-nums}
th{color:#555;font-weight:600}.flag{color:#b00020;font-weight:600}.small{font-size:10.5px}
.charts{display:flex;gap:14px;flex-wrap:wrap}.cases{display:flex;flex-wrap:wrap;gap:12px}
.case{border:1px solid #ddd;padding:6px;page-break-inside:avoid}.case img{width:96px;height:96px;image-rendering:pixelated;margin-right:4px}
.panels{display:flex;gap:4px;flex-wrap:wrap}.panel{text-align:center;font-size:9.5px}
ul{margin:4px 0 8px;padding-left:18px}.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:10.5px;word-break:break-all}
section{page-break-inside:auto}`;

export function renderHtml(r: ReportModel): string {
  const ev = r.evaluation?.evaluation;
  const parts: string[] = [];
  parts.push(`<h1>Classifier audit report — ${esc(r.project.name)}</h1>`);
  parts.push(`<div class="muted">Generated ${esc(r.generatedAt)} by ${esc(r.app.name)} ${esc(r.app.version)} (TensorFlow.js ${esc(r.app.tfjs)}, backend ${esc(r.app.backend ?? 'n/a')}). Patient identifiers: ${r.identifiers === 'none' ? 'none included' : 'kept at the auditor’s request'}.</div>`);

  parts.push(`<section id="summary"><h2>1. Summary of findings</h2><ul>${r.findings.map((f) => `<li>${esc(f)}</li>`).join('')}</ul></section>`);

  parts.push('<section id="dataset"><h2>2. Data set</h2>');
  if (r.dataset) {
    parts.push(`<table><tr><th>Name</th><td>${esc(r.dataset.name)}</td></tr><tr><th>Source</th><td>${esc(r.dataset.source)}</td></tr>
      <tr><th>Images</th><td>${r.dataset.count} at ${r.dataset.size}×${r.dataset.size} px</td></tr>
      <tr><th>Classes</th><td>${counts(r.dataset.perClass)}</td></tr><tr><th>Splits</th><td>${counts(r.dataset.perSplit)}</td></tr>
      ${Object.entries(r.dataset.perAttribute).map(([k, v]) => `<tr><th>Attribute ${esc(k)}</th><td>${counts(v)}</td></tr>`).join('')}
      <tr><th>Content hash (SHA-256)</th><td class="mono">${esc(r.dataset.contentHash)}</td></tr></table>`);
  } else parts.push('<p>No image set in the project.</p>');
  parts.push('</section>');

  parts.push('<section id="model"><h2>3. Model under audit</h2>');
  if (r.model) {
    parts.push(`<table><tr><th>Name</th><td>${esc(r.model.name)}</td></tr><tr><th>Hash (SHA-256)</th><td class="mono">${esc(r.model.hash)}</td></tr>
      <tr><th>Input</th><td>${r.model.inputSize}×${r.model.inputSize}×${r.model.channels}, normalisation ${esc(JSON.stringify(r.model.normalization))}</td></tr>
      <tr><th>Classes</th><td>${r.model.classNames.map(esc).join(', ')} (explained: ${esc(r.model.positiveClass)})</td></tr>
      <tr><th>Declared provenance</th><td class="small">${esc(JSON.stringify(r.model.provenance))}</td></tr></table>`);
  } else parts.push('<p>No model attached.</p>');
  parts.push('</section>');

  parts.push('<section id="evaluation"><h2>4. Evaluation</h2>');
  if (ev && r.evaluation) {
    parts.push(`<p class="muted">${esc(r.evaluation.split)} split, n = ${ev.n} (${ev.positives} positive), threshold ${ev.threshold}; 95% percentile bootstrap intervals over ${ev.bootstrap.resamples} resamples (seed ${esc(ev.bootstrap.seed)}).</p>`);
    parts.push(`<table><tr><th>Metric</th><th>Value (95% CI)</th></tr>${ev.metricInfo.map((m) => `<tr><td>${esc(m.label)}</td><td>${ci(ev.metrics[m.id])}</td></tr>`).join('')}</table>`);
    parts.push(`<table class="small"><tr><th></th><th>predicted +</th><th>predicted −</th></tr><tr><th>actual +</th><td>${ev.confusion.tp}</td><td>${ev.confusion.fn}</td></tr><tr><th>actual −</th><td>${ev.confusion.fp}</td><td>${ev.confusion.tn}</td></tr></table>`);
    const bins = ev.calibration.bins.filter((b) => b.count > 0);
    const lo = ev.calibration.mode === 'top-label' ? 0.5 : 0;
    parts.push(`<div class="charts">${lineChartSvg(
      [
        { name: `ROC (AUC ${fmt(ev.metrics.rocAuc?.value)})`, x: ev.roc.fpr, y: ev.roc.tpr, color: '#1f6fd1' },
        { name: 'chance', x: [0, 1], y: [0, 1], color: '#999', dashed: true },
      ],
      { xLabel: 'false positive rate', yLabel: 'true positive rate' },
    )}${lineChartSvg(
      [
        { name: `observed (ECE ${fmt(ev.calibration.ece)})`, x: bins.map((b) => b.meanConfidence ?? 0), y: bins.map((b) => b.accuracy), color: '#d1651f', points: true },
        { name: 'perfect calibration', x: [0, 1], y: [0, 1], color: '#999', dashed: true },
      ],
      { xLabel: 'confidence', yLabel: 'accuracy', x0: lo, y0: 0 },
    )}</div>`);
  } else parts.push('<p>Not evaluated.</p>');
  parts.push('</section>');

  parts.push('<section id="subgroups"><h2>5. Subgroup audit</h2>');
  const audit = r.evaluation?.subgroups;
  if (audit) {
    const ids = ['rocAuc', 'sensitivity', 'specificity', 'positiveRate', 'ece'];
    for (const set of audit.attributes) {
      parts.push(`<h3>${esc(set.key)} ${set.flagged.length ? `<span class="flag">— gap flagged: ${esc(set.flagged.join(', '))}</span>` : '<span class="muted">— no gap flagged</span>'}</h3>`);
      parts.push(`<table class="small"><tr><th>group</th><th>n</th><th>positives</th>${ids.map((m) => `<th>${esc(audit.metricInfo.find((i) => i.id === m)?.label ?? m)}</th>`).join('')}</tr>`);
      for (const g of set.groups) parts.push(`<tr><td>${esc(g.label)}${g.small ? ` <span class="muted">(small: ${esc(g.smallReasons.join(', '))})</span>` : ''}</td><td>${g.n}</td><td>${g.positives}</td>${ids.map((m) => `<td>${ci(g.metrics[m], 2)}</td>`).join('')}</tr>`);
      parts.push(`<tr><td colspan="3"><em>largest gap</em></td>${ids.map((m) => `<td class="${set.gaps[m]?.flagged ? 'flag' : ''}">${set.gaps[m] ? ci(set.gaps[m], 2) : '—'}</td>`).join('')}</tr></table>`);
      parts.push(`<p class="small">Equalized-odds difference <span class="${set.equalizedOdds.flagged ? 'flag' : ''}">${ci(set.equalizedOdds, 3)}</span>; demographic-parity difference <span class="${set.demographicParity.flagged ? 'flag' : ''}">${ci(set.demographicParity, 3)}</span>.</p>`);
    }
  } else parts.push('<p>No subgroup audit (no attribute columns, or not evaluated).</p>');
  parts.push('</section>');

  parts.push('<section id="cases"><h2>6. Selected cases</h2>');
  if (r.cases.length) {
    parts.push('<div class="cases">');
    for (const c of r.cases) {
      parts.push(`<div class="case"><div class="small"><strong>${esc(c.id)}</strong> · ${esc(c.label)} · f(x) = ${fmt(c.probability)}</div><div class="panels"><div class="panel"><img src="${dataUrl(c.image)}" alt=""><div>image</div></div>${c.panels
        .map((p) => `<div class="panel"><img src="${dataUrl(p.image)}" alt=""><div>${esc(p.title)}</div>${p.caption ? `<div class="muted">${esc(p.caption)}</div>` : ''}</div>`)
        .join('')}</div></div>`);
    }
    parts.push('</div>');
  } else parts.push('<p>No cases selected.</p>');
  parts.push('</section>');

  let n = 7;
  for (const s of r.sections) parts.push(`<section id="${esc(s.id)}"><h2>${n++}. ${esc(s.title)}</h2>${s.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('')}${sectionExtras(s)}</section>`);

  parts.push(`<section id="methods"><h2>${n++}. Methods and settings</h2><table class="small"><tr><th>Method</th><th>Settings</th><th>Reference</th></tr>${r.methods.map((m) => `<tr><td>${esc(m.name)}</td><td class="mono">${esc(JSON.stringify(m.settings))}</td><td>${esc(m.reference)}</td></tr>`).join('')}</table></section>`);
  parts.push(`<section id="limitations"><h2>${n++}. Limitations</h2><ul>${r.limitations.map((l) => `<li>${esc(l)}</li>`).join('')}</ul></section>`);
  parts.push(`<p class="muted small">Report ${esc(r.format)} v${r.version} · project ${esc(r.project.id)} revision ${r.project.revision} · ${esc(r.generatedAt)}</p>`);

  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"><title>Audit report — ${esc(r.project.name)}</title><style>${CSS}</style></head><body>${parts.join('\n')}</body></html>`;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
const cell = (v: string | number | null): string => (typeof v === 'number' ? fmt(v) : v === null ? '—' : esc(v));

/** A provider section's tables, charts (inline SVG) and image strips. */
function sectionExtras(s: ReportSection): string {
  const out: string[] = [];
  for (const t of s.tables ?? []) {
    out.push(`<table class="small">${t.caption ? `<caption>${esc(t.caption)}</caption>` : ''}<tr>${t.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${t.rows.map((r) => `<tr>${r.map((v) => `<td>${cell(v)}</td>`).join('')}</tr>`).join('')}</table>`);
  }
  if (s.charts?.length) {
    out.push('<div class="charts">');
    for (const c of s.charts) {
      const xs = c.series.flatMap((q) => q.points.map((p) => p[0]));
      const ys = c.series.flatMap((q) => q.points.map((p) => p[1]));
      const svg = lineChartSvg(
        c.series.map((q, i) => ({ name: q.name, x: q.points.map((p) => p[0]), y: q.points.map((p) => p[1]), color: PALETTE[i % PALETTE.length], points: q.points.length < 30 })),
        { xLabel: c.xLabel, yLabel: c.yLabel, x0: Math.min(...xs), x1: Math.max(...xs), y0: c.y0 ?? Math.min(0, ...ys), y1: c.y1 ?? Math.max(1, ...ys) },
      );
      out.push(`<figure><figcaption class="small"><strong>${esc(c.title)}</strong></figcaption>${svg}</figure>`);
    }
    out.push('</div>');
  }
  for (const st of s.strips ?? []) {
    out.push(`<h3>${esc(st.title)}</h3><div class="panels">${st.frames.map((f) => `<div class="panel"><img src="${dataUrl(f.image)}" alt="" style="width:72px;height:72px;image-rendering:pixelated">${f.caption ? `<div>${esc(f.caption)}</div>` : ''}</div>`).join('')}</div>${st.caption ? `<div class="small muted">${esc(st.caption)}</div>` : ''}`);
  }
  return out.join('');
}
