#!/usr/bin/env node
// Runs an extensionTestsPath module inside code-server's (node) extension host, with the extension loaded from
// source via extensionDevelopmentPath (no vsix): what VS Code does for @vscode/test-electron, without Electron.
// usage: node code-server-host.mjs <extensionDevelopmentPath> <extensionTestsPath> <workspaceFolder>
// env: CYTHON_LENS_CACHE (code-server + playwright-core from scripts/setup-e2e.sh), CODE_SERVER, CHROMIUM,
//      CYTHON_LENS_PYTHON (user setting cythonLens.pythonPath),
//      TEST_TIMEOUT_MS (default 120000). Exit status = the tests' status (1 on timeout or error).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [devPath, testsPath, wsPath] = process.argv.slice(2).map(p => path.resolve(p));
const CACHE = path.join(process.env.CYTHON_LENS_CACHE ?? path.join(os.homedir(), '.cache/cython-lens'), 'e2e');
const CS = process.env.CODE_SERVER ?? path.join(CACHE, 'cs/node_modules/.bin/code-server');
const { chromium } = await import(pathToFileURL(path.join(CACHE, 'node_modules/playwright-core/index.mjs')).href);
const T0 = Date.now();
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'h-')); // short: chromium's socket path must stay < 108 bytes
const sub = (d) => { const p = path.join(root, d); fs.mkdirSync(p, { recursive: true, mode: 0o700 }); return p; };
fs.writeFileSync(path.join(sub('ud/User'), 'settings.json'), JSON.stringify({
  'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false, 'extensions.autoCheckUpdates': false, 'git.enabled': false,
  ...(process.env.CYTHON_LENS_PYTHON ? { 'cythonLens.pythonPath': process.env.CYTHON_LENS_PYTHON } : {}) }));
const env = { ...process.env, XDG_CONFIG_HOME: sub('xdg/config'), XDG_DATA_HOME: sub('xdg/data'), XDG_CACHE_HOME: sub('xdg/cache'),
  XDG_STATE_HOME: sub('xdg/state'), XDG_RUNTIME_DIR: sub('xdg/run'), TMPDIR: sub('t') };
process.env.TMPDIR = env.TMPDIR; // playwright's temporary files too

const ourPids = () => fs.readdirSync('/proc').filter(p => /^\d+$/.test(p) && +p !== process.pid).filter(p => {
  try { return fs.readFileSync(`/proc/${p}/environ`, 'latin1').split('\0').includes(`TMPDIR=${env.TMPDIR}`); } catch { return false; }
}).map(Number);

const port = await new Promise((res, rej) => {
  const s = net.createServer().once('error', rej).listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
});
const logFd = fs.openSync(path.join(root, 'cs.log'), 'w');
const server = spawn(CS, ['--config', path.join(root, 'config.yaml'), '--user-data-dir', path.join(root, 'ud'),
  '--extensions-dir', sub('ext'), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
  '--disable-update-check', '--disable-workspace-trust'], { env, detached: true, stdio: ['ignore', logFd, logFd] });
let code = 'error', ctx;
try {
  for (let i = 0; ; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break; } catch {}
    if (i > 300 || server.exitCode !== null) throw new Error('code-server did not start');
    await new Promise(r => setTimeout(r, 100));
  }
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = JSON.stringify([['extensionDevelopmentPath', remote(devPath)], ['extensionTestsPath', remote(testsPath)]]);
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(wsPath)}&payload=${encodeURIComponent(payload)}`;
  ctx = await chromium.launchPersistentContext(sub('chrome'), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, env, timeout: 30000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
  const page = ctx.pages()[0] ?? await ctx.newPage();
  // The extension host's console reaches the page as "%c[Extension Host] %c<text>" e.g. "%c INFO color: #33f PASS ...".
  page.on('console', m => {
    if (process.env.EXTHOST_DEBUG) console.log('[console]', JSON.stringify(m.text()).slice(0, 300));
    const hit = m.text().match(/(?:^|\s)((?:PASS |FAIL |EXTHOST )[^\n]*)/);
    if (hit) console.log(hit[0].trim());
  });
  let exit; const done = new Promise(r => { exit = r; });
  await page.exposeFunction('codeAutomationExit', c => exit(c)); // called by the workbench when the tests finish
  // Newer VS Code builds ignore the payload's test paths unless developmentOptions.enableSmokeTestDriver is set;
  // code-server has no flag for it, so patch the served configuration (harmless where not needed).
  await page.addInitScript(() => {
    const get = Element.prototype.getAttribute;
    Element.prototype.getAttribute = function (name) {
      const v = get.call(this, name);
      if (name !== 'data-settings' || this.id !== 'vscode-workbench-web-configuration' || !v) return v;
      const c = JSON.parse(v);
      c.developmentOptions = { ...c.developmentOptions, enableSmokeTestDriver: true };
      return JSON.stringify(c);
    };
  });
  await page.goto(url);
  const ms = Number(process.env.TEST_TIMEOUT_MS ?? 120000);
  code = await Promise.race([done, new Promise(r => setTimeout(() => r('timeout'), ms))]);
  console.log(`extension tests exit code: ${code} (${((Date.now() - T0) / 1000).toFixed(1)} s)`);
} catch (e) { console.error(e); }
finally {
  await Promise.race([ctx?.close().catch(() => {}), new Promise(r => setTimeout(r, 5000))]);
  try { process.kill(-server.pid, 'SIGTERM'); } catch {}
  await new Promise(r => setTimeout(r, 500));
  try { process.kill(-server.pid, 'SIGKILL'); } catch {}
  for (const p of ourPids()) { try { process.kill(p, 'SIGKILL'); } catch {} }
  if (code !== 0) console.log(fs.readFileSync(path.join(root, 'cs.log'), 'utf8').slice(-2000));
  fs.rmSync(root, { recursive: true, force: true });
  process.exit(code === 0 ? 0 : 1);
}
