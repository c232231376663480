/**
 * The static HTML report of `cython-lens report --html DIR`: `index.html` (summary, a sortable table of files and
 * one of the hottest functions) and one page per file under `files/`, its source coloured like `cython -a` (the same
 * shade per score as Cython's Annotate.py), each yellow line expandable to its reasons, each finding inline.
 * Self-contained: no scripts, styles or fonts from anywhere else.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileReport, ProjectReport, ReportFinding } from './project-report';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Cython's colour for a score (Annotate.py: `#FFFF{255 // (1 + score / 10)}`), capped like its 255 CSS classes. */
export function scoreColour(score: number): string {
  const shade = Math.floor(255 / (1 + Math.min(score, 254) / 10));
  return `#ffff${shade.toString(16).padStart(2, '0')}`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1b1b1b;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}a{color:#0b57d0;text-decoration:none}
a:hover{text-decoration:underline}.muted{color:#666}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}.card{border:1px solid #ddd;border-radius:8px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:22px}.card.err b{color:#c5221f}.card.warn b{color:#b06000}.card.gil b{color:#137333}
table{border-collapse:collapse;font-size:13px}th,td{padding:4px 10px;border-bottom:1px solid #eee;text-align:right}
th{cursor:pointer;background:#f6f6f6;position:sticky;top:0;user-select:none}th:first-child,td:first-child{text-align:left}
th.sorted-asc::after{content:" \\25B2"}th.sorted-desc::after{content:" \\25BC"}
.bar{display:inline-block;height:8px;background:#f9d71c;vertical-align:middle}
.src{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;line-height:1.45}
.src details,.src .l{margin:0;white-space:pre}.src summary{list-style:none;cursor:pointer}.src summary::-webkit-details-marker{display:none}
.src .n{display:inline-block;width:5ch;text-align:right;color:#888;margin-right:1.5ch}.src .x{display:inline-block;width:2ch;color:#555}
.src .nogil .n{color:#137333;font-weight:600}
.src .why{margin:2px 0 6px 8.5ch;padding:4px 8px;border-left:3px solid #e0c000;background:#fffbe6;white-space:normal;font-family:system-ui,sans-serif}
.f{margin:1px 0 4px 8.5ch;padding:2px 8px;white-space:normal;font-family:system-ui,sans-serif;font-size:12.5px;border-left:3px solid}
.f.error{border-color:#c5221f;background:#fce8e6}.f.warning{border-color:#b06000;background:#fef7e0}
.f.information,.f.hint{border-color:#1a73e8;background:#e8f0fe}.f code{font-size:11.5px;color:#555}
.legend span{padding:1px 8px;margin-right:4px;font-family:ui-monospace,monospace;font-size:12px}
`;

// Click a header to sort its table (numbers numerically); no other behaviour.
const SORT_SCRIPT = `
document.querySelectorAll('table.sortable').forEach(function(t){
  t.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){
    var asc=!th.classList.contains('sorted-asc');
    t.querySelectorAll('th').forEach(function(h){h.classList.remove('sorted-asc','sorted-desc')});
    th.classList.add(asc?'sorted-asc':'sorted-desc');
    var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){var x=a.cells[i].getAttribute('data-v')||a.cells[i].textContent,y=b.cells[i].getAttribute('data-v')||b.cells[i].textContent;
      var nx=parseFloat(x),ny=parseFloat(y);var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?c:-c});
    rows.forEach(function(r){body.appendChild(r)});
  })});
});`;

function page(title: string, body: string, withSort: boolean): string {
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">`
    + `<title>${esc(title)}</title><style>${STYLE}</style></head><body>\n${body}\n`
    + (withSort ? `<script>${SORT_SCRIPT}</script>` : '') + '</body></html>\n';
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

function pageName(i: number, f: FileReport): string {
  return `files/${String(i + 1).padStart(4, '0')}-${path.basename(f.file).replace(/[^\w.-]/g, '_')}.html`;
}

function indexPage(r: ProjectReport, names: string[]): string {
  const s = r.summary;
  const maxScore = Math.max(1, ...r.files.map((f) => f.annotations.reduce((t, a) => t + a.score, 0)));
  const card = (cls: string, value: string, label: string): string =>
    `<div class="card ${cls}"><b>${value}</b><span class="muted">${label}</span></div>`;
  const rows = r.files.map((f, i) => {
    const score = f.annotations.reduce((t, a) => t + a.score, 0);
    const count = (sev: (d: ReportFinding) => boolean): number => f.findings.filter(sev).length;
    const share = f.codeLines ? f.nogilLines.length / f.codeLines : 0;
    return `<tr><td><a href="${names[i]}">${esc(f.file)}</a></td><td>${f.codeLines}</td>`
      + `<td>${count((d) => d.severity === 'error')}</td><td>${count((d) => d.severity === 'warning')}</td>`
      + `<td>${count((d) => d.severity === 'information' || d.severity === 'hint')}</td>`
      + `<td>${f.annotations.length}</td><td data-v="${score}"><span class="bar" style="width:${Math.round(60 * score / maxScore)}px"></span> ${score}</td>`
      + `<td data-v="${share}">${pct(share)}</td></tr>`;
  }).join('\n');
  const hottest = r.files.flatMap((f, i) => f.functions.map((fn) => ({ f, fn, i })))
    .filter((x) => x.fn.score > 0).sort((a, b) => b.fn.score - a.fn.score).slice(0, 100);
  const fnRows = hottest.map(({ f, fn, i }) =>
    `<tr><td><a href="${names[i]}#L${fn.line}">${esc(fn.name)}</a></td><td style="text-align:left">${esc(f.file)}:${fn.line}</td>`
    + `<td>${fn.endLine - fn.line + 1}</td><td>${fn.yellowLines}</td><td>${fn.score}</td>`
    + `<td style="text-align:left">${fn.gil === 'held' ? 'GIL held' : 'nogil'}</td></tr>`).join('\n');
  return page(`Cython Lens report (${s.files} files)`, `<h1>Cython Lens report</h1>
<div class="muted">${esc(r.tool.name)} ${esc(r.tool.version)} · scores estimate the Python interaction of each line like <code>cython -a</code></div>
<div class="cards">${card('', String(s.files), 'files')}${card('', String(s.codeLines), 'code lines')}`
    + `${card('err', String(s.errors), 'GIL and other errors')}${card('warn', String(s.warnings), 'warnings')}`
    + `${card('', String(s.notes), 'notes and hints')}${card('', String(s.yellowLines), 'lines with score &gt; 0')}`
    + `${card('gil', pct(s.nogilShare), 'of code runs without the GIL')}</div>
<h2>Files</h2>
<table class="sortable" id="files"><thead><tr><th>file</th><th>code lines</th><th>errors</th><th>warnings</th><th>notes</th>`
    + `<th>yellow lines</th><th>total score</th><th>without the GIL</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Hottest functions</h2>
<table class="sortable" id="functions"><thead><tr><th>function</th><th>where</th><th>lines</th><th>yellow lines</th>`
    + `<th>total score</th><th>GIL</th></tr></thead><tbody>
${fnRows || '<tr><td colspan="6">no function has a line with score &gt; 0</td></tr>'}
</tbody></table>`, true);
}

function filePage(f: FileReport): string {
  const lines = (f.source ?? '').split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const scores = new Map(f.annotations.map((a) => [a.line, a]));
  const nogil = new Set(f.nogilLines);
  const findings = new Map<number, ReportFinding[]>();
  for (const d of f.findings) findings.set(d.line, [...(findings.get(d.line) ?? []), d]);
  const out: string[] = [];
  lines.forEach((text, i) => {
    const n = i + 1;
    const a = scores.get(n);
    const cls = nogil.has(n) ? ' nogil' : '';
    const bg = a ? ` style="background:${scoreColour(a.score)}"` : '';
    const num = `<span class="n">${n}</span>`;
    if (a) {
      const reasons = a.reasons.length ? `<ul>${a.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : '';
      out.push(`<details id="L${n}" class="${cls.trim()}"><summary${bg}><span class="x">+</span>${num}${esc(text)}</summary>`
        + `<div class="why">score ${a.score}${reasons}</div></details>`);
    } else {
      out.push(`<div id="L${n}" class="l${cls}"><span class="x"> </span>${num}${esc(text)}</div>`);
    }
    for (const d of findings.get(n) ?? []) {
      out.push(`<div class="f ${d.severity}">${d.severity} ${n}:${d.column}: ${esc(d.message)} <code>${esc(d.code)}</code></div>`);
    }
  });
  const score = f.annotations.reduce((t, a) => t + a.score, 0);
  const legend = [0, 1, 5, 10, 20, 50].map((s) => `<span style="background:${scoreColour(s)}">${s}</span>`).join('');
  return page(f.file, `<div><a href="../index.html">← report</a></div><h1>${esc(f.file)}</h1>
<div class="muted">${f.codeLines} code lines · ${f.findings.length} finding(s) · ${f.annotations.length} line(s) with score &gt; 0 (total ${score})
 · line numbers in green run without the GIL · click a yellow line for its reasons</div>
<p class="legend">score ${legend}</p>
<div class="src">
${out.join('\n')}
</div>`, false);
}

/** Writes the report into `dir` (created if needed) and returns the path of its index.html. */
export function writeHtmlReport(r: ProjectReport, dir: string): string {
  const names = r.files.map((f, i) => pageName(i, f));
  fs.mkdirSync(path.join(dir, 'files'), { recursive: true });
  r.files.forEach((f, i) => fs.writeFileSync(path.join(dir, names[i] as string), filePage(f)));
  const index = path.join(dir, 'index.html');
  fs.writeFileSync(index, indexPage(r, names));
  return index;
}
