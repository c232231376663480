// Cython Lens through the VS Code extension API, run inside the extension host (extensionTestsPath module).
// Same fixture facts as test/e2e/run-e2e.mjs. Contract: exports run(), rejecting when any check failed.
// Features: env CYTHON_LENS_E2E_FEATURES (comma list of hover,gil,lapack,quickfix; "all"); default DEFAULT_FEATURES.
// Prints "PASS name" / "FAIL name: why" per check and "EXTHOST N passed, N failed".
const assert = require('assert');
const vscode = require('vscode');

const ALL = ['hover', 'gil', 'lapack', 'quickfix'];
const raw = process.env.CYTHON_LENS_E2E_FEATURES;
const DEFAULT_FEATURES = ['gil', 'hover', 'lapack']; // as in test/e2e/run-e2e.mjs (annotations, status: UI only)
const FEATURES = raw === undefined ? DEFAULT_FEATURES : raw === 'all' ? ALL : raw.split(',').map(s => s.trim()).filter(Boolean);
const GIL_CALL = /Calling gil-requiring function not allowed without gil/;

async function waitFor(what, fn, ms = 20000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise(r => setTimeout(r, 100));
  }
}
const ws = () => vscode.workspace.workspaceFolders[0].uri;
async function open(name) {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(ws(), name));
  await vscode.window.showTextDocument(doc);
  return doc;
}
/** Position of the character `offset` into the first occurrence of `needle`. */
function pos(doc, needle, offset = 1) {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `${needle} not in ${doc.fileName}`);
  return doc.positionAt(i + offset);
}
const codeOf = (d) => (typeof d.code === 'object' && d.code !== null ? d.code.value : d.code);
async function hoverText(doc, p) {
  const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, p);
  return hovers.flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : c.value))).join('\n');
}
const diagsOn = (doc, line, re) => vscode.languages.getDiagnostics(doc.uri).filter(d => d.range.start.line === line && re.test(d.message));

const checks = [
  ['a .pyx opens as cython and the extension activates', async () => {
    const doc = await open('gil_demo.pyx');
    assert.strictEqual(doc.languageId, 'cython');
    const ext = vscode.extensions.all.find(e => (e.packageJSON.contributes?.languages ?? []).some(l => l.id === 'cython'));
    assert.ok(ext, 'no extension contributes the language cython');
    await waitFor(`${ext.id} to activate`, () => ext.isActive, 15000);
  }],
  ['syntax diagnostic on broken_syntax.pyx line 4', async () => {
    const doc = await open('broken_syntax.pyx');
    const d = await waitFor('diagnostics', () => vscode.languages.getDiagnostics(doc.uri).find(x => x.range.start.line === 3));
    assert.strictEqual(d.source, 'cython-lens');
    assert.strictEqual(codeOf(d), 'syntax');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
  }],
  ['hover', 'hover on a cdef variable shows its C type', async () => {
    const doc = await open('gil_demo.pyx');
    const t = await waitFor('a hover', async () => (await hoverText(doc, pos(doc, 'fast = c_norm'))) || null, 10000);
    assert.match(t, /\bdouble\b/);
    assert.match(t, /fast/);
  }],
  ['gil', 'GIL diagnostic for the Python call in `with nogil:`', async () => {
    const doc = await open('gil_demo.pyx');
    const d = await waitFor('the GIL diagnostic on line 23', () => diagsOn(doc, 22, GIL_CALL)[0]);
    assert.strictEqual(d.source, 'cython-lens');
    assert.strictEqual(diagsOn(doc, 21, GIL_CALL).length, 0, 'the noexcept nogil call on line 22 is reported too');
  }],
  ['lapack', 'dgelss hover lists parameter intents', async () => {
    const doc = await open('lapack_demo.pyx');
    const t = await waitFor('a dgelss hover', async () => { const h = await hoverText(doc, pos(doc, 'dgelss(&m')); return /dgelss/i.test(h) && h; }, 10000);
    assert.match(t, /\bin\s*,\s*out\b/i);
  }],
  ['quickfix', 'quick fix inserts `noexcept nogil`', async () => {
    const doc = await open('quickfix_demo.pyx');
    const d = await waitFor('the GIL diagnostic on line 12', () => diagsOn(doc, 11, GIL_CALL)[0]);
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    // The title may say "noexcept nogil" or e.g. "Make `scale` nogil": pick it by "nogil", judge it by its edit.
    const fix = (actions ?? []).find(a => /nogil/i.test(a.title));
    assert.ok(fix, `offered: ${JSON.stringify((actions ?? []).map(a => a.title))}`);
    if (fix.edit) assert.ok(await vscode.workspace.applyEdit(fix.edit), 'applyEdit failed');
    if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    await waitFor('the signature to change', () => /^cdef double scale\(double x\)\s+noexcept\s+nogil\s*:/.test(doc.lineAt(4).text), 5000)
      .catch(() => assert.fail(`line 5 is ${JSON.stringify(doc.lineAt(4).text)}`));
    await waitFor('the GIL error to go away', () => !vscode.languages.getDiagnostics(doc.uri).some(x => GIL_CALL.test(x.message)), 10000);
  }],
].map(c => (c.length === 3 ? { feature: c[0], name: c[1], run: c[2] } : { name: c[0], run: c[1] }))
  .filter(c => !c.feature || FEATURES.includes(c.feature));

exports.run = async function run() {
  let passed = 0, failed = 0;
  console.log(`EXTHOST features: ${FEATURES.join(',') || '(none)'}`);
  for (const c of checks) {
    const t = Date.now();
    try {
      await c.run();
      passed++;
      console.log(`PASS ${c.name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${c.name}: ${String(e && e.message).split('\n')[0]}`);
    }
  }
  console.log(`EXTHOST ${passed} passed, ${failed} failed`);
  if (failed) throw new Error(`${failed} extension-host check(s) failed`);
};
