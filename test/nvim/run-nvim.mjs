#!/usr/bin/env node
// Cython Lens in Neovim: headless nvim (Debian 0.7.2, its built-in LSP client) starts `node dist/cli.js lsp --stdio`
// on the fixture workspace, and test/nvim/lsp-probe.lua writes back diagnostics, hovers and code actions as JSON.
//
// usage: node test/nvim/run-nvim.mjs [--features hover,gil,lapack,quickfix|all] [--server "node dist/cli.js lsp --stdio"]
//   Base checks always run (server starts, syntax diagnostic). --features picks the feature checks (default: DEFAULT_FEATURES);
//   checks of features not picked are not run and not listed. env: NVIM (default nvim), NVIM_OUT (keep the JSON there).
// Prints one line per check, then "N passed, N failed"; exit 1 on any failure. nvim state stays out of $HOME.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const ALL_FEATURES = ['hover', 'gil', 'lapack', 'quickfix', 'navigation'];
const DEFAULT_FEATURES = ['gil', 'hover', 'lapack', 'navigation']; // what the product has today; add each as it lands
const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf(name); if (i < 0) return undefined; const v = argv[i + 1]; argv.splice(i, 2); return v; };
const featuresArg = opt('--features');
const serverArg = opt('--server');
if (argv.length) { console.error(`usage: run-nvim.mjs [--features ${ALL_FEATURES.join(',')}|all] [--server CMD]`); process.exit(2); }
const FEATURES = featuresArg === undefined ? DEFAULT_FEATURES
  : featuresArg === 'all' ? ALL_FEATURES : featuresArg.split(',').map(s => s.trim()).filter(Boolean);
const bad = FEATURES.find(f => !ALL_FEATURES.includes(f));
if (bad) { console.error(`unknown feature "${bad}" (known: ${ALL_FEATURES.join(', ')})`); process.exit(2); }
const cmd = serverArg ? serverArg.split(/\s+/).filter(Boolean) : ['node', path.join(REPO, 'dist/cli.js'), 'lsp', '--stdio'];
if (!serverArg && !fs.existsSync(cmd[1])) { console.error(`missing ${cmd[1]} (run \`npm run build\`)`); process.exit(2); }

// Same user setup as the e2e test: a Python with Cython + SciPy lets the server find cimported .pxd files (libc, scipy).
const PYTHON = process.env.CYTHON_LENS_PYTHON ?? [path.join(REPO, '.venv/bin/python')].find(p => fs.existsSync(p));
const T0 = Date.now();
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-nvim-'));
const ws = path.join(root, 'ws');
fs.cpSync(path.join(REPO, 'test/fixtures/e2e-workspace'), ws, { recursive: true });
const f = (name) => path.join(ws, name);
// 0-based positions in the fixtures (see test/e2e/run-e2e.mjs for the fixture facts).
const plan = {
  cmd, root: ws, settings: { cythonLens: PYTHON ? { pythonPath: PYTHON } : {} }, out: path.join(root, 'result.json'), timeout_ms: 15000,
  files: [
    { path: f('broken_syntax.pyx'), wait_diagnostics: true },
    { path: f('gil_demo.pyx'), wait_diagnostics: FEATURES.includes('gil') },
    { path: f('lapack_demo.pyx'), wait_diagnostics: false },
    { path: f('quickfix_demo.pyx'), wait_diagnostics: FEATURES.includes('quickfix') },
  ],
  hovers: [
    FEATURES.includes('hover') && { id: 'fast', path: f('gil_demo.pyx'), line: 21, character: 9 }, // `fast = c_norm(values)`
    FEATURES.includes('lapack') && { id: 'dgelss', path: f('lapack_demo.pyx'), line: 11, character: 10 },
  ].filter(Boolean),
  requests: [
    // `c_norm` in `fast = c_norm(values)` (line 22): its definition is on line 11
    FEATURES.includes('navigation') && { id: 'definition', method: 'textDocument/definition', path: f('gil_demo.pyx'), line: 21, character: 16 },
    FEATURES.includes('navigation') && { id: 'references', method: 'textDocument/references', path: f('gil_demo.pyx'), line: 21, character: 16,
      params: { context: { includeDeclaration: true } } },
  ].filter(Boolean),
  code_actions: [
    FEATURES.includes('quickfix') && { id: 'noexcept', path: f('quickfix_demo.pyx'), line: 11, character: 13, apply_title: 'nogil' },
  ].filter(Boolean),
};
fs.writeFileSync(path.join(root, 'plan.json'), JSON.stringify(plan));

const xdg = Object.fromEntries(['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR']
  .map(k => { const d = path.join(root, k.toLowerCase()); fs.mkdirSync(d, { recursive: true, mode: 0o700 }); return [k, d]; }));
const env = { ...process.env, ...xdg, TMPDIR: root, CL_NVIM_PLAN: path.join(root, 'plan.json'), NVIM_LOG_FILE: path.join(root, 'nvim.log') };
const nvim = spawn(process.env.NVIM ?? 'nvim', ['--headless', '--clean', '-n', '-i', 'NONE', '-c', `luafile ${path.join(HERE, 'lsp-probe.lua')}`],
  { env, cwd: ws, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
let stderr = '';
nvim.stdout.on('data', d => { stderr += d; });
nvim.stderr.on('data', d => { stderr += d; });
const killGroup = (sig) => { try { process.kill(-nvim.pid, sig); } catch {} };
const exit = await Promise.race([
  new Promise(r => nvim.once('exit', (code, signal) => r({ code, signal }))),
  new Promise(r => setTimeout(() => r(null), 60000)),
]);
if (!exit) { killGroup('SIGTERM'); await new Promise(r => setTimeout(r, 1000)); }
killGroup('SIGKILL'); // the language server too, if it outlived nvim
const nvimSecs = ((Date.now() - T0) / 1000).toFixed(1);

let result = null;
try { result = JSON.parse(fs.readFileSync(plan.out, 'utf8')); } catch {}

// The Neovim 0.7 snippet users paste (test/nvim/README-snippet.md), run as init.lua on a .pxi file: does it attach?
const snippetMd = fs.readFileSync(path.join(HERE, 'README-snippet.md'), 'utf8');
const snippet07 = [...snippetMd.matchAll(/```lua\n([\s\S]*?)```/g)].map(m => m[1]).find(b => b.includes('vim.lsp.start_client'));
let snippet = { error: 'no Neovim 0.7 snippet (a lua block with vim.lsp.start_client) in README-snippet.md' };
if (snippet07) {
  const luaCmd = `{ ${cmd.map(c => JSON.stringify(c)).join(', ')} }`;
  const init = path.join(root, 'init.lua');
  fs.writeFileSync(init, snippet07.replace("{ 'cython-lens', 'lsp', '--stdio' }", luaCmd));
  fs.copyFileSync(f('broken_syntax.pyx'), f('broken_include.pxi'));
  const out = path.join(root, 'snippet.json');
  const probe = `lua vim.wait(15000, function() return #vim.diagnostic.get(0) > 0 end, 50); ` +
    `vim.fn.writefile({ vim.fn.json_encode({ filetype = vim.bo.filetype, clients = #vim.tbl_keys(vim.lsp.buf_get_clients(0)), ` +
    `diagnostics = vim.tbl_map(function(d) return { lnum = d.lnum, source = d.source } end, vim.diagnostic.get(0)) }) }, '${out}'); vim.cmd('qall!')`;
  const sn = spawn(process.env.NVIM ?? 'nvim', ['--headless', '-u', init, '-n', '-i', 'NONE', f('broken_include.pxi'), '-c', probe],
    { env, cwd: ws, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let snOut = '';
  sn.stdout.on('data', d => { snOut += d; });
  sn.stderr.on('data', d => { snOut += d; });
  const done = await Promise.race([new Promise(r => sn.once('exit', () => r(true))), new Promise(r => setTimeout(() => r(false), 30000))]);
  try { process.kill(-sn.pid, 'SIGKILL'); } catch {}
  try { snippet = JSON.parse(fs.readFileSync(out, 'utf8')); } catch {
    snippet = { error: `${done ? 'nvim exited' : 'nvim timed out'} without a result: ${snOut.slice(-300)}` };
  }
}

if (process.env.NVIM_OUT && result) fs.writeFileSync(process.env.NVIM_OUT, JSON.stringify({ ...result, snippet }, null, 1));
fs.rmSync(root, { recursive: true, force: true });

let passed = 0, failed = 0;
const check = (name, fn) => {
  try { fn(); passed++; console.log(`PASS ${name}`); } catch (e) { failed++; console.log(`FAIL ${name}: ${e.message}`); }
};
const diags = (name) => result?.files?.[f(name)]?.diagnostics ?? [];
const must = (cond, msg) => { if (!cond) throw new Error(msg); };
const unsupported = (id) => result?.unsupported?.[id] ? ` (${result.unsupported[id]})` : '';
const GIL_CALL = /Calling gil-requiring function not allowed without gil/;

check('nvim runs the probe and the server initializes', () => {
  must(exit, `nvim did not finish within 60 s; output: ${stderr.slice(-400)}`);
  must(result, `no result JSON (nvim exit ${JSON.stringify(exit)}); output: ${stderr.slice(-400)}`);
  must(!result.errors.length, `errors: ${result.errors.join('; ').slice(0, 400)}`);
  must(result.initialized, 'the server never answered initialize');
});
check('syntax diagnostic on broken_syntax.pyx line 4', () => {
  const d = diags('broken_syntax.pyx');
  const hit = d.find(x => x.lnum === 3 && x.source === 'cython-lens' && x.code === 'syntax' && x.severity === 1);
  must(hit, `got ${JSON.stringify(d).slice(0, 400)}`);
});
check('the README Neovim 0.7 snippet attaches to a .pxi and shows its syntax error', () => {
  must(!snippet.error, snippet.error);
  must(snippet.filetype === 'pyrex' && snippet.clients === 1, `filetype ${snippet.filetype}, ${snippet.clients} client(s)`);
  must(snippet.diagnostics.some(d => d.lnum === 3 && d.source === 'cython-lens'), `diagnostics: ${JSON.stringify(snippet.diagnostics)}`);
});
if (FEATURES.includes('hover')) check('hover on a cdef variable shows its C type', () => {
  const t = result?.hovers?.fast;
  must(typeof t === 'string' && /\bdouble\b/.test(t) && /fast/.test(t), `hover: ${JSON.stringify(t)}${unsupported('fast')}`);
});
if (FEATURES.includes('gil')) check('GIL diagnostic for the Python call in `with nogil:`', () => {
  const d = diags('gil_demo.pyx');
  must(d.some(x => x.lnum === 22 && GIL_CALL.test(x.message) && x.source === 'cython-lens'), `got ${JSON.stringify(d).slice(0, 400)}`);
  must(!d.some(x => x.lnum === 21 && GIL_CALL.test(x.message)), 'the noexcept nogil call on line 22 is reported too');
});
if (FEATURES.includes('lapack')) check('dgelss hover lists parameter intents', () => {
  const t = result?.hovers?.dgelss;
  must(typeof t === 'string' && /dgelss/i.test(t) && /\bin\s*,\s*out\b/i.test(t), `hover: ${JSON.stringify(t)?.slice(0, 400)}${unsupported('dgelss')}`);
});
if (FEATURES.includes('quickfix')) check('code action inserts `noexcept nogil`', () => {
  const a = result?.code_actions?.noexcept;
  must(a?.applied, `no action mentioning nogil; offered: ${JSON.stringify(a?.titles)}${unsupported('noexcept')}`);
  must(/^cdef double scale\(double x\)\s+noexcept\s+nogil\s*:/.test(a.lines[4]), `line 5 is now ${JSON.stringify(a.lines[4])}`);
  must(!diags('quickfix_demo.pyx').some(x => GIL_CALL.test(x.message)), 'the GIL error is still there after the fix');
});
if (FEATURES.includes('navigation')) check('definition and references of a cdef function', () => {
  const def = result?.requests?.definition;
  const defs = Array.isArray(def) ? def : def ? [def] : [];
  must(defs.length === 1 && defs[0].uri.endsWith('/gil_demo.pyx') && defs[0].range.start.line === 10
    && defs[0].range.start.character === 12, `definition: ${JSON.stringify(def)}`);
  const refs = result?.requests?.references ?? [];
  const lines = refs.map(r => r.range.start.line).sort((a, b) => a - b);
  must(lines.length === 2 && lines[0] === 10 && lines[1] === 21, `references: ${JSON.stringify(refs)}`);
});
console.log(`(nvim ${result?.nvim ?? '?'}, ${nvimSecs} s${result ? `, diagnostics after ${result.diagnostics_ms} ms` : ''})`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
