/**
 * Markdown hover for a BLAS/LAPACK routine: scipy's C declaration, LAPACK's purpose, a parameter table
 * (name | C type | intent | doc), the workspace rules with a worked workspace query in Cython, and the reference link.
 */
import type { MarkupContent } from 'vscode-languageserver';
import { LapackParam, LapackRoutine, WorkspaceRule, normaliseParamName } from './database';
import { expandType, intentLabel } from './declaration';
import { workspaceQuerySnippet } from './workspace-rules';

export interface HoverRenderOptions {
  /** Typedefs of the pxd (`d` → `double`), shown next to the C types. */
  readonly typedefs?: Readonly<Record<string, string>>;
  /** LAPACK version the docs come from, shown in the header line. */
  readonly lapackVersion?: string;
  /** Longest documentation text in a table cell before it is shortened (default 320 characters). */
  readonly maxParamDocChars?: number;
  /** Include the full Purpose section (default true). */
  readonly purpose?: boolean;
  /** Include the Cython workspace-query example (default true). */
  readonly workspaceSnippet?: boolean;
}

/** Escapes text for a markdown paragraph (not code). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|]/g, (c) => `\\${c}`);
}

function tableCell(text: string, max: number): string {
  let flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length > max) flat = `${flat.slice(0, max - 1).replace(/\s+\S*$/, '')} …`;
  return escapeMarkdown(flat);
}

function codeSpan(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${text}${ticks}`;
}

function fence(lang: string, body: string): string {
  const longest = Math.max(2, ...Array.from(body.matchAll(/`+/g), (m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${body}\n${f}`;
}

/** Renders LAPACK's fixed-layout prose: flowing paragraphs as text, laid-out blocks (formulas, tables) as code. */
export function renderProse(text: string): string {
  const blocks = text.split(/\n\s*\n/).map((b) => b.replace(/\s+$/, '')).filter((b) => b.trim() !== '');
  return blocks.map((block) => {
    const lines = block.split('\n');
    const laidOut = lines.some((l) => /^\s/.test(l) || /\S {2,}\S/.test(l) || /^\s*[=<>|[]/.test(l));
    return laidOut ? fence('text', block) : escapeMarkdown(lines.map((l) => l.trim()).join(' '));
  }).join('\n\n');
}

function typeCell(param: LapackParam, typedefs: Readonly<Record<string, string>> | undefined): string {
  const expanded = typedefs === undefined ? param.type : expandType(param.type, typedefs);
  return expanded === param.type ? codeSpan(param.type) : `${codeSpan(param.type)} (${codeSpan(expanded)})`;
}

function ruleKind(rule: WorkspaceRule): string {
  switch (rule.kind) {
    case 'minimum': return rule.conditional ? 'minimum, in this case' : 'minimum';
    case 'optimal': return 'for performance';
    case 'sufficient': return 'sufficient';
  }
  return rule.kind;
}

/** The workspace section, or '' when the routine has no workspace information. */
export function renderWorkspace(routine: LapackRoutine, options: HoverRenderOptions = {}): string {
  const ws = routine.workspace;
  if (ws === undefined) return '';
  const out: string[] = [];
  const sizeParams = routine.params.filter((p) => ['lwork', 'liwork', 'lrwork'].includes(normaliseParamName(p.name)));
  const items: string[] = [];
  for (const p of sizeParams) {
    const norm = normaliseParamName(p.name);
    for (const r of ws.rules.filter((x) => x.param === norm)) {
      items.push(`- ${codeSpan(p.name)}, ${ruleKind(r)}: ${codeSpan(r.text)}`);
    }
    if (ws.query.includes(p.name)) {
      const arr = norm.slice(1);
      items.push(`- ${codeSpan(`${p.name} = -1`)} is a workspace query: the routine only computes the optimal size ` +
        `and returns it in ${codeSpan(`${arr}[0]`)}` + (ws.queryDocumented.includes(p.name) ? '.' : ' (read from the code).'));
    }
  }
  if (sizeParams.length === 0 || items.length === 0) {
    for (const a of ws.arrays) items.push(`- ${codeSpan(a.param)}: dimension ${codeSpan(a.dimension)}`);
  } else {
    for (const a of ws.arrays) {
      if (!sizeParams.some((p) => normaliseParamName(p.name) === `l${normaliseParamName(a.param)}`)) {
        items.push(`- ${codeSpan(a.param)}: dimension ${codeSpan(a.dimension)}`);
      }
    }
  }
  if (ws.definitions.length > 0) {
    items.push(`- where ${ws.definitions.map((d) => codeSpan(`${d.name} = ${d.expr}`)).join(', ')}`);
  }
  if (items.length === 0) return '';
  out.push('**Workspace**', '', ...items);
  if (options.workspaceSnippet !== false) {
    const snippet = workspaceQuerySnippet(routine, options.typedefs ?? {});
    if (snippet !== undefined) out.push('', 'Workspace query, then allocate:', '', fence('cython', snippet));
  }
  return out.join('\n');
}

/** The parameter table (name | C type | intent | doc). */
export function renderParamTable(routine: LapackRoutine, options: HoverRenderOptions = {}): string {
  if (routine.params.length === 0) return '';
  const max = options.maxParamDocChars ?? 320;
  const rows = routine.params.map((p) =>
    `| ${codeSpan(p.name)} | ${typeCell(p, options.typedefs)} | ${intentLabel(p)} | ${tableCell(p.doc ?? 'not documented by LAPACK', max)} |`);
  return ['| name | C type | intent | doc |', '|---|---|---|---|', ...rows].join('\n');
}

/** The whole hover as markdown. */
export function renderRoutineHover(routine: LapackRoutine, options: HoverRenderOptions = {}): string {
  const parts: string[] = [];
  parts.push(fence('cython', `cdef ${routine.decl}`));
  const source = `scipy.linalg.${routine.module}` + (options.lapackVersion ? ` · LAPACK ${options.lapackVersion}` : '');
  const upper = routine.name.toUpperCase();
  const summary = routine.summary.startsWith(`${upper} `)
    ? `**${escapeMarkdown(upper)}** ${escapeMarkdown(routine.summary.slice(upper.length + 1))}`
    : `**${escapeMarkdown(upper)}**: ${escapeMarkdown(routine.summary)}`;
  parts.push(`${summary}  \n*${escapeMarkdown(source)}*`);
  if (routine.returns !== 'void') {
    const ret = options.typedefs === undefined ? routine.returns : expandType(routine.returns, options.typedefs);
    parts.push(`Returns ${codeSpan(routine.returns)}${ret !== routine.returns ? ` (${codeSpan(ret)})` : ''}.`);
  }
  if (options.purpose !== false && routine.purpose.trim() !== '' &&
    routine.purpose.replace(/\s+/g, ' ').trim() !== routine.summary) {
    parts.push(renderProse(routine.purpose));
  }
  const table = renderParamTable(routine, options);
  if (table !== '') parts.push(table);
  const ws = renderWorkspace(routine, options);
  if (ws !== '') parts.push(ws);
  parts.push(`[${escapeMarkdown(routine.name.toUpperCase())} reference (netlib LAPACK)](${routine.url}) · source ${codeSpan(routine.source)}`);
  return parts.join('\n\n');
}

export function renderRoutineHoverContent(routine: LapackRoutine, options: HoverRenderOptions = {}): MarkupContent {
  return { kind: 'markdown', value: renderRoutineHover(routine, options) };
}
