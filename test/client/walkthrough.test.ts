/** The VS Code walkthrough (package.json contributes.walkthroughs): every page, picture and command it names exists
 *  and goes into the .vsix. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../support/paths';

interface Step { id: string; title: string; description: string; media: { markdown?: string; image?: string }; completionEvents?: string[] }

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; walkthroughs: { id: string; steps: Step[] }[] };
};

/** The .vscodeignore rules, as vsce applies them here: everything excluded (`**`) except the `!` patterns. */
function shipped(rel: string): boolean {
  const rules = fs.readFileSync(path.join(REPO_ROOT, '.vscodeignore'), 'utf8').split('\n')
    .filter((l) => l.startsWith('!')).map((l) => l.slice(1).trim());
  const toRegExp = (glob: string): RegExp => new RegExp(`^${glob.replace(/[.]/g, '\\.').replace(/\*\*/g, '\u0000')
    .replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*')}$`);
  return rules.some((r) => toRegExp(r).test(rel));
}

test('the walkthrough covers the GIL state, yellow lines, LAPACK hovers, quick fixes and exact mode', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;
  assert.ok(walkthrough, 'no walkthrough contributed');
  const titles = walkthrough.steps.map((s) => `${s.title} ${s.description}`).join('\n');
  for (const topic of [/GIL state/, /yellow/i, /LAPACK/, /Ctrl\+\./, /cython -a/]) assert.match(titles, topic);
});

test('every page, picture and command of the walkthrough exists and is packaged', () => {
  const commands = new Set(manifest.contributes.commands.map((c) => c.command));
  for (const step of manifest.contributes.walkthroughs.flatMap((w) => w.steps)) {
    const page = step.media.markdown ?? step.media.image;
    assert.ok(page, `${step.id}: no media`);
    assert.ok(fs.existsSync(path.join(REPO_ROOT, page)), `${step.id}: ${page} is missing`);
    assert.ok(shipped(page), `${step.id}: ${page} is not in the .vsix (.vscodeignore)`);
    if (step.media.markdown) {
      const md = fs.readFileSync(path.join(REPO_ROOT, page), 'utf8');
      for (const m of md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) {
        const pic = path.posix.normalize(path.posix.join(path.posix.dirname(page), m[1] as string));
        assert.ok(fs.existsSync(path.join(REPO_ROOT, pic)), `${page}: picture ${pic} is missing`);
        assert.ok(shipped(pic), `${page}: picture ${pic} is not in the .vsix`);
      }
      for (const m of md.matchAll(/`cythonLens\.([\w.]+)`/g)) {
        const setting = `cythonLens.${m[1]}`;
        assert.ok(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8').includes(`"${setting}"`), `${page}: no setting ${setting}`);
      }
    }
    for (const m of `${step.description} ${(step.completionEvents ?? []).join(' ')}`.matchAll(/(?:command:|onCommand:)([\w.]+)/g)) {
      assert.ok(commands.has(m[1] as string), `${step.id}: unknown command ${m[1]}`);
    }
  }
});
