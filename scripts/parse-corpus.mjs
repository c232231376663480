#!/usr/bin/env node
// Real-code check of the Cython grammar: parses every .pyx/.pxd/.pxi of the pinned corpora with the built
// grammar/tree-sitter-cython.wasm (web-tree-sitter 0.25.10 from grammar/node_modules) and reports, per corpus,
// the number of files, the files containing any ERROR or MISSING node, the percentage of clean files, and each
// failing file with the line of its first error.
//
// Corpora (unpacked by scripts/fetch-sdists.sh under $CYTHON_LENS_CACHE/corpus):
//   scikit-learn-1.9.1            the whole sdist
//   cython-3.3.1/Cython/Includes  Cython's shipped .pxd declarations
//   cython-3.3.1/tests/run        Cython's runtime test-suite
//   cython-plus-0.3.0/tests       the cypclass_*.pyx tests of Cython+ (cython-plus 0.3.0)
// Files that are not meant to compile are listed with a reason in scripts/parse-corpus-exclusions.txt.
//
// With --python-parity it also parses every .py file of the scikit-learn sdist with both this grammar and the pinned
// tree-sitter-python 0.25.0 (its own WASM, shipped in its npm package) and lists the files whose trees differ: plain
// Python must parse exactly as tree-sitter-python parses it.
//
// With --root DIR it parses, instead of the pinned corpora, every immediate subdirectory of DIR as one corpus (e.g. a
// folder of unpacked sdists of other Cython projects, kept outside the repository); exclusions do not apply there.
//
// Usage: node scripts/parse-corpus.mjs [--fetch] [--root DIR] [--wasm FILE] [--corpus NAME] [--min PERCENT] [--json]
//                                      [--all-errors] [--python-parity]
//   --fetch        run scripts/fetch-sdists.sh first when a corpus is missing
//   --root DIR     one corpus per subdirectory of DIR (the total over all of them is printed last)
//   --wasm FILE    parse with another build of the grammar (e.g. an older commit's, for a before/after figure)
//   --min PERCENT  exit 1 when a corpus is below PERCENT clean files
//   --json         print a JSON summary instead of text
//   --all-errors   print every error line of a failing file, not only the first
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'grammar', 'package.json'));
const { Parser, Language } = require('web-tree-sitter');

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : undefined;
};

const cache = process.env.CYTHON_LENS_CACHE || path.join(os.homedir(), '.cache', 'cython-lens');
const extraRoot = option('--root') === undefined ? undefined : path.resolve(option('--root'));
const corpusRoot = extraRoot ?? path.join(cache, 'corpus');
const PINNED_CORPORA = [
  { name: 'scikit-learn-1.9.1', dir: 'scikit-learn-1.9.1' },
  { name: 'cython-3.3.1/Cython/Includes', dir: 'cython-3.3.1/Cython/Includes' },
  { name: 'cython-3.3.1/tests/run', dir: 'cython-3.3.1/tests/run' },
  // Cython+ (cypclass): the 38 cypclass tests of cython-plus 0.3.0 (tests/{compile,errors,run}/cypclass_*.pyx)
  { name: 'cython-plus-0.3.0/tests/cypclass_*', dir: 'cython-plus-0.3.0/tests', match: /^cypclass_/ },
];
const CORPORA = extraRoot === undefined ? PINNED_CORPORA : fs.readdirSync(extraRoot, { withFileTypes: true })
  .filter((e) => e.isDirectory()).map((e) => e.name).sort((a, b) => a.localeCompare(b))
  .map((name) => ({ name, dir: name }));
const EXTENSIONS = new Set(['.pyx', '.pxd', '.pxi']);

function readExclusions() {
  const file = path.join(root, 'scripts', 'parse-corpus-exclusions.txt');
  const map = new Map();
  if (!fs.existsSync(file)) return map;
  for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const bar = line.indexOf('|');
    if (bar < 0) throw new Error(`parse-corpus-exclusions.txt: missing "| reason" in: ${line}`);
    const rel = line.slice(0, bar).trim();
    const reason = line.slice(bar + 1).trim();
    if (!reason) throw new Error(`parse-corpus-exclusions.txt: empty reason for ${rel}`);
    map.set(rel, reason);
  }
  return map;
}

function listFiles(dir, extensions = EXTENSIONS, match = undefined) {
  const out = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && extensions.has(path.extname(entry.name)) && (!match || match.test(entry.name))) out.push(p);
    }
  };
  walk(dir);
  return out;
}

// Error and missing nodes, in document order; only subtrees that contain an error are visited.
function findErrors(node, out, limit) {
  if (out.length >= limit) return;
  if (node.isError || node.isMissing) {
    out.push(node);
    if (node.isError) return;
  }
  for (let i = 0; i < node.childCount && out.length < limit; i++) {
    const child = node.child(i);
    if (child && (child.hasError || child.isMissing)) findErrors(child, out, limit);
  }
}

async function main() {
  const missing = extraRoot !== undefined ? [] : CORPORA.filter((c) => !fs.existsSync(path.join(corpusRoot, c.dir)));
  if (missing.length > 0) {
    if (!flag('--fetch')) {
      console.error(`parse-corpus: missing ${missing.map((c) => c.name).join(', ')} under ${corpusRoot}; ` +
        'run scripts/fetch-sdists.sh (or pass --fetch)');
      process.exit(2);
    }
    execFileSync('bash', [path.join(root, 'scripts', 'fetch-sdists.sh')], { stdio: 'inherit' });
  }
  await Parser.init();
  const language = await Language.load(option('--wasm') ?? path.join(root, 'grammar', 'tree-sitter-cython.wasm'));
  const parser = new Parser();
  parser.setLanguage(language);
  const exclusions = extraRoot === undefined ? readExclusions() : new Map();
  const only = option('--corpus');
  const min = option('--min') === undefined ? undefined : Number(option('--min'));
  const allErrors = flag('--all-errors');
  const summary = [];
  const usedExclusions = new Set();

  for (const corpus of CORPORA) {
    if (only && corpus.name !== only) continue;
    const base = path.join(corpusRoot, corpus.dir);
    const files = listFiles(base, EXTENSIONS, corpus.match);
    const failing = [];
    const excluded = [];
    let bytes = 0;
    const t0 = process.hrtime.bigint();
    for (const file of files) {
      const rel = path.relative(corpusRoot, file);
      if (exclusions.has(rel)) {
        usedExclusions.add(rel);
        excluded.push({ file: rel, reason: exclusions.get(rel) });
        continue;
      }
      const text = fs.readFileSync(file, 'utf8');
      bytes += text.length;
      const tree = parser.parse(text);
      if (tree.rootNode.hasError) {
        const errors = [];
        findErrors(tree.rootNode, errors, allErrors ? 1000 : 1);
        const lines = text.split('\n');
        failing.push({
          file: rel,
          errors: errors.map((n) => ({
            line: n.startPosition.row + 1,
            column: n.startPosition.column,
            kind: n.isMissing ? `MISSING ${n.type}` : 'ERROR',
            text: (lines[n.startPosition.row] ?? '').trim().slice(0, 120),
          })),
        });
      }
      tree.delete();
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const parsed = files.length - excluded.length;
    const clean = parsed - failing.length;
    const percent = parsed === 0 ? 100 : (100 * clean) / parsed;
    summary.push({ corpus: corpus.name, files: files.length, excluded: excluded.length, parsed, failing: failing.length,
      clean, percentClean: Number(percent.toFixed(2)), bytes, ms: Math.round(ms), failingFiles: failing, excludedFiles: excluded });
  }

  let parity;
  if (flag('--python-parity')) {
    const pyParser = new Parser();
    pyParser.setLanguage(await Language.load(
      path.join(root, 'grammar', 'node_modules', 'tree-sitter-python', 'tree-sitter-python.wasm')));
    // The pinned run compares scikit-learn's .py files; with --root, those of every corpus (minus --corpus filtering).
    const pyCorpora = extraRoot === undefined ? [CORPORA[0]] : CORPORA.filter((c) => !only || c.name === only);
    const pyFiles = pyCorpora.flatMap((c) => listFiles(path.join(corpusRoot, c.dir), new Set(['.py'])));
    const differing = [];
    for (const file of pyFiles) {
      const text = fs.readFileSync(file, 'utf8');
      const a = parser.parse(text);
      const b = pyParser.parse(text);
      const sa = a.rootNode.toString();
      const sb = b.rootNode.toString();
      if (sa !== sb) {
        let i = 0;
        while (i < sa.length && sa[i] === sb[i]) i++;
        differing.push({ file: path.relative(corpusRoot, file), cython: sa.slice(Math.max(0, i - 60), i + 60),
          python: sb.slice(Math.max(0, i - 60), i + 60) });
      }
      a.delete();
      b.delete();
    }
    parity = { files: pyFiles.length, differing };
  }

  const stale = [...exclusions.keys()].filter((rel) => !usedExclusions.has(rel) &&
    (!only || rel.startsWith(CORPORA.find((c) => c.name === only)?.dir ?? '\0')));
  if (flag('--json')) {
    console.log(JSON.stringify({ corpora: summary, staleExclusions: stale, pythonParity: parity }, null, 2));
  } else {
    for (const s of summary) {
      console.log(`== ${s.corpus}: ${s.files} files, ${s.excluded} excluded, ${s.parsed} parsed, ` +
        `${s.failing} with ERROR/MISSING, ${s.percentClean.toFixed(2)}% clean (${(s.bytes / 1024).toFixed(0)} KiB in ${s.ms} ms)`);
      for (const f of s.failingFiles) {
        for (const e of f.errors) console.log(`  ${f.file}:${e.line}:${e.column}: ${e.kind}: ${e.text}`);
      }
    }
    if (extraRoot !== undefined) {
      const parsed = summary.reduce((n, s) => n + s.parsed, 0);
      const clean = summary.reduce((n, s) => n + s.clean, 0);
      console.log(`== total over ${summary.length} corpora under ${extraRoot}: ${clean}/${parsed} clean ` +
        `(${parsed === 0 ? '100.00' : ((100 * clean) / parsed).toFixed(2)}%)`);
    }
    for (const rel of stale) console.log(`warning: exclusion not found in corpus: ${rel}`);
    if (parity) {
      console.log(`== python parity (${extraRoot === undefined ? CORPORA[0].name : extraRoot} .py files vs tree-sitter-python 0.25.0): ${parity.files} files, ` +
        `${parity.differing.length} with a different tree`);
      for (const d of parity.differing) console.log(`  ${d.file}\n    cython: …${d.cython}…\n    python: …${d.python}…`);
    }
  }
  if (min !== undefined && summary.some((s) => s.percentClean < min)) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
