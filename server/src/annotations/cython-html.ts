/**
 * Reads the HTML report of `cython -a`: per source line its score (`<pre class="cython line score-N">`) and the C
 * code the compiler generated for it (the `<pre class='cython code ...'>` that follows, HTML-escaped with
 * highlighting spans).
 */

export interface CompiledLine {
  /** Zero-based source line. */
  line: number;
  score: number;
  /** The generated C for this line (plain text), empty when the line generated none. */
  code: string;
}

const LINE = /<pre class="cython line score-(\d+)"[^>]*>[\s\S]*?<span class="[^"]*">(\d+)<\/span>:/g;
const CODE = /^\s*<pre class='cython code score-\d+[^']*'>([\s\S]*?)<\/pre>/;

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };

export function htmlToText(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/&(lt|gt|amp|quot|#39|#x27);/g, (m) => ENTITIES[m] ?? m)
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)));
}

export function parseAnnotationHtml(html: string): CompiledLine[] {
  const out: CompiledLine[] = [];
  LINE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = LINE.exec(html)) !== null) {
    const score = Number(m[1]);
    const line = Number(m[2]) - 1;
    const closing = html.indexOf('</pre>', LINE.lastIndex);
    const rest = closing >= 0 ? html.slice(closing + 6, closing + 6 + 200_000) : '';
    const code = CODE.exec(rest);
    out.push({ line, score, code: code ? htmlToText(code[1] ?? '') : '' });
  }
  return out;
}

const COUNTED = /(__Pyx_X?(?:GOT|GIVE)REF|__Pyx_RefNanny[A-Za-z]+|__Pyx_Trace[A-Za-z]+)|(__Pyx_[A-Z][A-Z_]+|__Pyx_[A-Z][a-z_][A-Za-z_]*|__pyx_convert_[A-Za-z_]*|Py[A-Z][a-z]+_[A-Z][A-Z_]+|Py[A-Z][a-z]+_[A-Z][a-z][A-Za-z_]*)(?=\()/g;

/** The calls Annotate.py counts in a line's C code, most frequent first: "`PyObject_GetAttr` ×2". */
export function countedCalls(code: string, max = 8): string[] {
  const counts = new Map<string, number>();
  COUNTED.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = COUNTED.exec(code)) !== null) {
    const name = m[2];
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, max)
    .map(([name, n]) => `\`${name}\`${n > 1 ? ` ×${n}` : ''}`);
}
