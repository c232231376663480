#!/usr/bin/env node
// Extension-host (API-level) tests of Cython Lens with @vscode/test-electron's runTests().
//   VSCODE_EXECUTABLE=/path/to/code  -> a real VS Code (desktop) runs the suite
//   otherwise                        -> fake-code.sh: code-server's extension host runs it (no Electron download)
// usage: node test/e2e/exthost/run-exthost.mjs [--features hover,gil,lapack,quickfix|all] [--dev EXTENSION_DIR]
//   --dev defaults to the repo root (needs `npm run build`: package.json main = dist/client.js).
// Exit status 0 when every check passed; the suite prints PASS/FAIL lines and "EXTHOST N passed, N failed".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../../..');
const CACHE = path.join(process.env.CYTHON_LENS_CACHE ?? path.join(os.homedir(), '.cache/cython-lens'), 'e2e');
const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf(name); if (i < 0) return undefined; const v = argv[i + 1]; argv.splice(i, 2); return v; };
const features = opt('--features');
const dev = path.resolve(opt('--dev') ?? REPO);
if (argv.length) { console.error('usage: run-exthost.mjs [--features LIST|all] [--dev EXTENSION_DIR]'); process.exit(2); }
const main = JSON.parse(fs.readFileSync(path.join(dev, 'package.json'), 'utf8')).main;
if (main && !fs.existsSync(path.join(dev, main))) { console.error(`missing ${path.join(dev, main)} (run \`npm run build\`)`); process.exit(2); }

// @vscode/test-electron: the e2e tool cache (scripts/setup-e2e.sh) or the repo's devDependency.
let runTests;
for (const base of [path.join(CACHE, 'package.json'), path.join(REPO, 'package.json')]) {
  try { ({ runTests } = createRequire(base)('@vscode/test-electron')); break; } catch {}
}
if (!runTests) { console.error('@vscode/test-electron not found (run scripts/setup-e2e.sh)'); process.exit(2); }

const T0 = Date.now();
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'clx-')); // short: chromium's socket path must stay < 108 bytes
const ws = path.join(root, 'ws');
fs.cpSync(path.join(REPO, 'test/fixtures/e2e-workspace'), ws, { recursive: true });
const python = process.env.CYTHON_LENS_PYTHON ?? [path.join(REPO, '.venv/bin/python')].find(p => fs.existsSync(p));
const real = process.env.VSCODE_EXECUTABLE;
fs.mkdirSync(path.join(root, 'ud/User'), { recursive: true });
fs.writeFileSync(path.join(root, 'ud/User/settings.json'), JSON.stringify({ 'security.workspace.trust.enabled': false,
  ...(python ? { 'cythonLens.pythonPath': python } : {}) }));
// Children inherit this TMPDIR: on timeout every process carrying it is killed (by pid).
const tmp = path.join(root, 't'); fs.mkdirSync(tmp);
process.env.TMPDIR = tmp;
const TIMEOUT_S = Number(process.env.EXTHOST_TIMEOUT_S ?? 240);
setTimeout(() => {
  console.log(`exthost tests TIMEOUT after ${TIMEOUT_S} s`);
  for (const p of fs.readdirSync('/proc').filter(p => /^\d+$/.test(p) && +p !== process.pid)) {
    try { if (fs.readFileSync(`/proc/${p}/environ`, 'latin1').split('\0').includes(`TMPDIR=${tmp}`)) process.kill(+p, 'SIGKILL'); } catch {}
  }
  fs.rmSync(root, { recursive: true, force: true });
  process.exit(1);
}, TIMEOUT_S * 1000).unref();
let code = 1;
try {
  code = await runTests({
    vscodeExecutablePath: real ?? path.join(HERE, 'fake-code.sh'),
    extensionDevelopmentPath: dev,
    extensionTestsPath: path.join(HERE, 'suite.cjs'),
    launchArgs: real ? [ws, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${path.join(root, 'ud')}`] : [ws],
    extensionTestsEnv: { ...(features !== undefined ? { CYTHON_LENS_E2E_FEATURES: features } : {}),
      ...(python ? { CYTHON_LENS_PYTHON: python } : {}) },
  });
} catch (e) {
  console.error('runTests failed:', e?.message ?? e);
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
console.log(`exthost tests ${code === 0 ? 'passed' : 'FAILED'} via ${real ? real : 'code-server (fake-code.sh)'} in ${((Date.now() - T0) / 1000).toFixed(1)} s`);
process.exit(code === 0 ? 0 : 1);
