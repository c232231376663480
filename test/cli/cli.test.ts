/** The bundled CLI (dist/cli.js, built by `npm run build`), run as a user would. */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/paths';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd = REPO_ROOT, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('cython-lens CLI', () => {
  let dir: string;
  before(() => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js missing: run `npm run build` first');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-cli-'));
    fs.writeFileSync(path.join(dir, 'good.pyx'), 'def f(a):\n    return a + 1\n');
    fs.writeFileSync(path.join(dir, 'bad.pyx'), 'x = 1\ny = (2 +\nz = 3\n');
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'also_bad.pxi'), 'é = 1\nw = ]\n');
    fs.writeFileSync(path.join(dir, 'sub', 'notes.txt'), 'w = ]\n');
    fs.mkdirSync(path.join(dir, '.hidden'));
    fs.writeFileSync(path.join(dir, '.hidden', 'skip.pyx'), 'w = ]\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('parse --format json walks folders and reports 1-based error positions; exit 1', async () => {
    const r = await run(['parse', '--format', 'json', dir]);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as { file: string; errors: { line: number; column: number }[] }[];
    assert.deepEqual(
      out.map((f) => path.relative(dir, f.file)),
      ['bad.pyx', 'good.pyx', path.join('sub', 'also_bad.pxi')],
    );
    assert.deepEqual(out[1]?.errors, []);
    assert.equal(out[0]?.errors.length, 1);
    assert.equal(out[0]?.errors[0]?.line, 2);
    assert.deepEqual(Object.keys(out[0]?.errors[0] ?? {}).sort(), ['column', 'line']);
    assert.equal(out[2]?.errors.length, 1);
    assert.equal(out[2]?.errors[0]?.line, 2);
  });

  it('parse text output; exit 0 without errors', async () => {
    const r = await run(['parse', path.join(dir, 'good.pyx')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1 file\(s\) parsed, 0 with syntax errors/);
    const bad = await run(['parse', path.join(dir, 'bad.pyx')]);
    assert.match(bad.stdout, /bad\.pyx:2:\d+: syntax error/);
  });

  it('check --format json has exactly the documented shape', async () => {
    const r = await run(['check', '--format', 'json', path.join(dir, 'bad.pyx'), path.join(dir, 'good.pyx')]);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.equal(out.length, 2);
    assert.deepEqual(Object.keys(out[0] ?? {}), ['file', 'diagnostics']);
    const [d] = out[0]?.['diagnostics'] as Record<string, unknown>[];
    assert.deepEqual(Object.keys(d ?? {}), ['line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message']);
    assert.equal(d?.['line'], 2);
    assert.equal(d?.['severity'], 'error');
    assert.equal(d?.['code'], 'syntax');
    assert.deepEqual(out[1]?.['diagnostics'], []);
  });

  it('check --annotate adds an annotations array; exit 0 on a clean file', async () => {
    const r = await run(['check', '--annotate', '--format=json', '-I', dir, path.join(dir, 'good.pyx')]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.deepEqual(Object.keys(out[0] ?? {}), ['file', 'diagnostics', 'annotations']);
    assert.ok(Array.isArray(out[0]?.['annotations']));
  });

  it('check --format sarif emits SARIF 2.1.0', async () => {
    const r = await run(['check', '--format', 'sarif', 'bad.pyx'], dir);
    assert.equal(r.code, 1, r.stderr);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0].tool.driver.name, 'cython-lens');
    assert.deepEqual(sarif.runs[0].tool.driver.rules, [{ id: 'syntax' }]);
    const result = sarif.runs[0].results[0];
    assert.equal(result.ruleId, 'syntax');
    assert.equal(result.level, 'error');
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'bad.pyx');
    assert.equal(result.locations[0].physicalLocation.region.startLine, 2);
  });

  it('check text output lists diagnostics and a summary', async () => {
    const r = await run(['check', path.join(dir, 'bad.pyx')]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /bad\.pyx:2:\d+: error: Syntax error: .* \[syntax\]/);
    assert.match(r.stdout, /1 file\(s\) checked: 1 error\(s\)/);
  });

  it('a reader that closes early (`| head -1`) ends the output quietly, with the exit status of the check', async () => {
    // enough output to outgrow the pipe's buffer after the reader is gone
    const many = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-epipe-'));
    try {
      for (let i = 0; i < 400; i++) fs.writeFileSync(path.join(many, `bad${i}.pyx`), 'x = 1\ny = (2 +\nz = 3\n');
      const r = await new Promise<{ code: number | null; stderr: string; first: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, 'check', many], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        let first = '';
        child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
        child.stdout.once('data', (b: Buffer) => {
          first = b.toString().split('\n')[0] ?? '';
          child.stdout.destroy(); // like `head -1`: read one line, close the pipe
        });
        child.on('close', (code) => resolve({ code, stderr, first }));
      });
      assert.match(r.first, /bad\d+\.pyx:2:\d+: error: Syntax error/);
      assert.doesNotMatch(r.stderr, /EPIPE|Unhandled|at .*\(node:/, r.stderr);
      assert.equal(r.code, 1, r.stderr);
    } finally {
      fs.rmSync(many, { recursive: true, force: true });
    }
  });

  it('report: a project summary (json) and a static HTML report with a page per file', async () => {
    const proj = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-report-'));
    try {
      fs.writeFileSync(path.join(proj, 'kernels.pyx'), [
        'cdef double dot(double[::1] a, double[::1] b) noexcept nogil:', // 1: runs without the GIL
        '    cdef double s = 0',
        '    for i in range(a.shape[0]):',
        '        s += a[i] * b[i]',
        '    return s',
        '',
        'def norms(rows):', // 7: Python
        '    out = []',
        '    for r in rows:',
        '        with nogil:',
        '            print(r)', // 11: an error
        '        out.append(dot(r, r))',
        '    return out',
        '',
      ].join('\n'));
      const json = await run(['report', '--format', 'json', proj]);
      assert.equal(json.code, 1, json.stderr);
      const r = JSON.parse(json.stdout) as {
        summary: { files: number; errors: number; yellowLines: number; nogilLines: number; codeLines: number; nogilShare: number };
        files: { file: string; nogilLines: number[]; functions: { name: string; line: number; score: number; gil: string }[];
          annotations: { line: number; score: number; reasons: string[] }[]; findings: { line: number; severity: string }[] }[];
      };
      assert.equal(r.summary.files, 1);
      assert.ok(r.summary.errors >= 1);
      const [f] = r.files;
      assert.ok(f);
      assert.ok(f.findings.some((d) => d.line === 11 && d.severity === 'error'), JSON.stringify(f.findings));
      for (const line of [2, 3, 4, 5, 11]) assert.ok(f.nogilLines.includes(line), `line ${line} runs without the GIL: ${f.nogilLines}`);
      for (const line of [8, 9, 12, 13]) assert.ok(!f.nogilLines.includes(line), `line ${line} holds the GIL`);
      assert.equal(r.summary.nogilLines, f.nogilLines.length);
      assert.equal(r.summary.nogilShare, r.summary.nogilLines / r.summary.codeLines);
      const names = f.functions.map((fn) => `${fn.name}:${fn.line}:${fn.gil}`);
      assert.deepEqual(names, ['dot:1:nogil-function', 'norms:7:held']);
      const norms = f.functions[1];
      assert.ok(norms && norms.score > 0 && norms.score === f.annotations.filter((a) => a.line >= 7).reduce((t, a) => t + a.score, 0));
      assert.ok(f.annotations.every((a) => a.score > 0 && a.reasons.length > 0));

      const html = path.join(proj, 'html');
      const h = await run(['report', '--html', html, proj]);
      assert.equal(h.code, 1, h.stderr);
      assert.match(h.stdout, /1 file\(s\), \d+ code lines: \d+ error/);
      const index = fs.readFileSync(path.join(html, 'index.html'), 'utf8');
      assert.match(index, /<table class="sortable" id="files">/);
      assert.match(index, /href="files\/0001-kernels\.pyx\.html#L7">norms</);
      assert.doesNotMatch(index, /<(?:script|link|img)[^>]+(?:src|href)="https?:/, 'the report loads nothing from elsewhere');
      const pageFile = fs.readdirSync(path.join(html, 'files'));
      assert.deepEqual(pageFile, ['0001-kernels.pyx.html']);
      const page = fs.readFileSync(path.join(html, 'files', '0001-kernels.pyx.html'), 'utf8');
      assert.match(page, /<details id="L9"[^>]*><summary style="background:#ffff[0-9a-f]{2}">/);
      assert.match(page, /<div class="f error">error 11:\d+: /);
      assert.match(page, /out\.append\(dot\(r, r\)\)/);
    } finally {
      fs.rmSync(proj, { recursive: true, force: true });
    }
  });

  it("notes name the CLI's own options, and a Python that cannot help is said once per run", async () => {
    const two = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-notes-'));
    try {
      for (const name of ['a', 'b']) fs.writeFileSync(path.join(two, `${name}.pyx`), 'from nowhere.at_all cimport thing\nfrom libc.math cimport sqrt\n');
      const r = await run(['check', two], REPO_ROOT, { ...process.env, CYTHON_LENS_PYTHON: '/nonexistent/python' });
      assert.equal(r.code, 0, r.stderr);
      const notes = r.stdout.split('\n').filter((l) => l.includes('[unresolved-cimport]'));
      assert.equal(notes.length, 4, r.stdout);
      assert.ok(notes.every((l) => /Pass its folder with -I DIR\./.test(l)), r.stdout);
      assert.doesNotMatch(r.stdout, /cythonLens\.includeDirs|nonexistent/);
      assert.equal(r.stderr.split('\n').filter((l) => l.includes('/nonexistent/python')).length, 1, r.stderr);
      // the main thread and a worker both need it: still said once, the same output
      const jobs = await run(['check', '--jobs', '2', two], REPO_ROOT, { ...process.env, CYTHON_LENS_PYTHON: '/nonexistent/python' });
      assert.equal(jobs.stdout, r.stdout);
      assert.equal(jobs.stderr, r.stderr);
    } finally {
      fs.rmSync(two, { recursive: true, force: true });
    }
  });

  it('check and report: the same output with --jobs 1, 2 and 3 (the main thread is one of the jobs; they share nothing but the order of files)', async () => {
    const proj = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-jobs-'));
    try {
      // the examples (a .pyx with its .pxd, GIL mistakes) and files that cimport a shared local .pxd
      fs.cpSync(path.join(REPO_ROOT, 'examples'), path.join(proj, 'examples'), { recursive: true });
      fs.writeFileSync(path.join(proj, 'shared.pxd'), 'cdef double scale(double x) noexcept nogil\ncdef class Box:\n    cdef double w\n');
      for (let i = 0; i < 5; i++) {
        fs.writeFileSync(path.join(proj, `m${i}.pyx`), [
          'from shared cimport scale, Box',
          'from libc.math cimport sqrt',
          `cdef double f${i}(double x) noexcept nogil:`,
          `    return sqrt(scale(x)) + ${i}`,
          'def g(Box b, items):',
          '    with nogil:',
          '        print(b.w)', // an error
          '    return [f' + i + '(v) for v in items]',
          i === 3 ? 'y = (2 +' : '',
          '',
        ].join('\n'));
      }
      for (const command of [['check', '--annotate'], ['check', '--format', 'sarif'], ['report', '--format', 'json']]) {
        const one = await run([...command, '--jobs', '1', '-I', proj, proj]);
        const two = await run([...command, '--jobs=2', '-I', proj, proj]);
        assert.equal(one.code, 1, one.stderr);
        assert.equal(two.code, one.code, two.stderr);
        assert.ok(one.stdout.length > 200 && one.stdout.includes('m3.pyx'), one.stdout);
        assert.equal(two.stdout, one.stdout, command.join(' '));
        assert.equal(two.stderr, one.stderr, command.join(' '));
      }
      // the main thread and two workers
      const one = await run(['check', '--annotate', '--jobs', '1', '-I', proj, proj]);
      const three = await run(['check', '--annotate', '--jobs', '3', '-I', proj, proj]);
      assert.equal(three.stdout, one.stdout);
      assert.equal(three.stderr, one.stderr);
      const bad = await run(['check', '--jobs', '0', proj]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--jobs needs a number of jobs from 1/);
    } finally {
      fs.rmSync(proj, { recursive: true, force: true });
    }
  });

  it('usage errors exit 2 with a message', async () => {
    for (const args of [['check'], ['check', '--format', 'xml', 'a.pyx'], ['frobnicate'], ['parse', '--bogus', 'x'], ['check', path.join(dir, 'nope.pyx')]]) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(' ')} -> ${r.code}`);
      assert.match(r.stderr, /^cython-lens: /);
    }
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /cython-lens check/);
  });

  for (const [name, args] of [
    ['cython-lens lsp --stdio', [CLI, 'lsp', '--stdio']],
    ['dist/server.js --stdio', [path.join(REPO_ROOT, 'dist', 'server.js'), '--stdio']],
  ] as const) {
    it(`${name} answers initialize and exits on shutdown/exit`, async () => {
      const child = spawn(process.execPath, [...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      const frame = (msg: object): string => {
        const body = JSON.stringify({ jsonrpc: '2.0', ...msg });
        return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      };
      let out = '';
      const got = (needle: string): Promise<void> =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`timeout; got ${out}`)), 10000);
          const check = (): void => {
            if (out.includes(needle)) {
              clearTimeout(timer);
              child.stdout.off('data', onData);
              resolve();
            }
          };
          const onData = (b: Buffer): void => {
            out += b.toString();
            check();
          };
          child.stdout.on('data', onData);
          check();
        });
      child.stdin.write(frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
      await got('"textDocumentSync"');
      child.stdin.write(frame({ method: 'initialized', params: {} }));
      child.stdin.write(frame({ method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///t.pyx', languageId: 'cython', version: 1, text: 'w = ]\n' } } }));
      await got('"textDocument/publishDiagnostics"');
      child.stdin.write(frame({ id: 2, method: 'shutdown' }));
      await got('"id":2');
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.stdin.write(frame({ method: 'exit' }));
      assert.equal(await exited, 0);
    });
  }
});
