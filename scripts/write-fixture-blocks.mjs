#!/usr/bin/env node
// Writes the message blocks at the end of rule fixtures (test/checks/rule-fixtures.test.ts reads them): `_ERRORS`,
// `_WARNINGS` and `_PERFORMANCE_HINTS` from what the pinned compiler (.venv, `cython -3`) says, and
// `_CYTHON_LENS_ONLY` from what our CLI (dist/cli.js: run `npm run build` first) reports under the codes the compiler
// has no message for (shared/src/diagnostic-codes.ts). A `_COMPILER_ONLY` block (compiler messages we do not
// reproduce) is written by hand and kept. Read the result before committing: the blocks are the expected output.
// Usage: node scripts/write-fixture-blocks.mjs FIXTURE.pyx...
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = fs.readFileSync(path.join(root, 'shared', 'src', 'diagnostic-codes.ts'), 'utf8');
const { DIAGNOSTIC_CODES } = await import(`data:text/javascript,${encodeURIComponent(
  esbuild.transformSync(source, { loader: 'ts', format: 'esm' }).code)}`);

const KINDS = { error: '_ERRORS', warning: '_WARNINGS', 'performance hint': '_PERFORMANCE_HINTS' };
const BLOCK = /^(_ERRORS|_WARNINGS|_PERFORMANCE_HINTS|_CYTHON_LENS_ONLY|_COMPILER_ONLY)\s*=\s*u?("""|''')[\s\S]*?\2[ \t]*\n?/gm;

for (const arg of process.argv.slice(2)) {
  const file = path.resolve(arg);
  const text = fs.readFileSync(file, 'utf8');
  const kept = /^_COMPILER_ONLY\s*=\s*u?("""|''')[\s\S]*?\1/m.exec(text)?.[0];
  const body = text.replace(BLOCK, '').trimEnd();
  // the blocks are module-level strings at the end: they give no message and move no line
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-blocks-'));
  let run;
  try {
    run = spawnSync(path.join(root, '.venv', 'bin', 'python'), ['-m', 'cython', '-3', '-o', path.join(tmp, 'out.c'), file],
      { encoding: 'utf8' });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const entries = { error: [], warning: [], 'performance hint': [] };
  for (const raw of `${run.stdout}\n${run.stderr}`.split('\n')) {
    const m = /^(warning: |performance hint: )?(.+?):(\d+):(\d+): (.*)$/.exec(raw);
    if (!m || path.resolve(m[2]) !== file) continue;
    const kind = m[1] === 'warning: ' ? 'warning' : m[1] === 'performance hint: ' ? 'performance hint' : 'error';
    entries[kind].push(`${m[3]}:${m[4]}: ${m[5].trim()}`);
  }
  const cli = spawnSync('node', [path.join(root, 'dist', 'cli.js'), 'check', '--format', 'json', file],
    { encoding: 'utf8', env: { ...process.env, CYTHON_LENS_PYTHON: path.join(root, '.venv', 'bin', 'python') } });
  if (cli.status !== 0 && cli.status !== 1) throw new Error(`dist/cli.js failed on ${file}: ${cli.stderr}`);
  const ours = JSON.parse(cli.stdout);
  const oursOnly = ours.flatMap((f) => f.diagnostics)
    .filter((d) => DIAGNOSTIC_CODES[d.code] && DIAGNOSTIC_CODES[d.code].compiler.length === 0)
    .map((d) => `${d.line}:${d.column - 1}: ${d.message.split('\n')[0]}`);
  const blocks = [];
  for (const [kind, name] of Object.entries(KINDS)) {
    if (entries[kind].length) blocks.push(`${name} = """\n${entries[kind].join('\n')}\n"""`);
  }
  if (oursOnly.length) blocks.push(`_CYTHON_LENS_ONLY = """\n${oursOnly.join('\n')}\n"""`);
  if (kept) blocks.push(kept);
  fs.writeFileSync(file, `${body}\n${blocks.length ? `\n\n${blocks.join('\n\n')}\n` : ''}`);
  console.log(`${path.relative(root, file)}: ${Object.entries(entries).map(([k, v]) => `${v.length} ${k}`).join(', ')}, ${oursOnly.length} ours only`);
}
