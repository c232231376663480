/**
 * The parse time limit: the server keeps its 4 s (a keystroke must not wait on a pathological parse), a batch run of
 * the CLI gets a much larger one (no keystroke is waiting: a big file is analysed, not "not-analysed", on a loaded
 * machine). The limit is an option of the engine, not module state.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyses } from '../../server/src/checks';
import { CLI_PARSE_TIME_LIMIT_MS, cliEngine } from '../../server/src/cli/cli-host';
import { Engine, SKIPPED_CODE } from '../../server/src/engine/engine';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { PARSE_TIME_LIMIT_MS } from '../../server/src/text/document-store';

describe('parse time limit: server vs CLI batch', () => {
  it('an engine created as the server creates it has the server limit; the CLI engine a much larger one', async () => {
    const server = await Engine.create({ ...analyses, log: () => {} });
    const cli = await cliEngine(() => {});
    try {
      assert.equal(server.parseTimeLimitMs, PARSE_TIME_LIMIT_MS);
      assert.equal(cli.parseTimeLimitMs, CLI_PARSE_TIME_LIMIT_MS);
      assert.ok(CLI_PARSE_TIME_LIMIT_MS >= 15 * PARSE_TIME_LIMIT_MS);
    } finally {
      server.dispose();
      cli.dispose();
    }
  });

  it('the option reaches the parse: one engine abandons the parse, another one with its own limit does not', async () => {
    // a limit already passed: the first progress check abandons the parse (text/document-store.ts)
    const tight = await Engine.create({ ...analyses, log: () => {}, parseTimeLimitMs: -1 });
    const cli = await cliEngine(() => {});
    const text = 'def f(x):\n' + '    y = x + 1\n'.repeat(5000);
    try {
      for (const engine of [tight, cli]) engine.open('file:///big.pyx', text, 1);
      const skipped = tight.analyze('file:///big.pyx', defaultSettings());
      assert.ok(skipped?.diagnostics.some((d) => d.code === SKIPPED_CODE && /took longer than/.test(d.message)),
        JSON.stringify(skipped?.diagnostics.slice(0, 3)));
      const analysed = cli.analyze('file:///big.pyx', defaultSettings());
      assert.ok(analysed && !analysed.diagnostics.some((d) => d.code === SKIPPED_CODE));
      assert.ok(analysed.annotations.length > 0, 'the lines are scored');
    } finally {
      tight.dispose();
      cli.dispose();
    }
  });
});
