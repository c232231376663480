/**
 * engine/unit-texts.ts: a unit the edit did not touch answers `node.text` with the previous version's string (no
 * hashing, no comparison in the caches keyed by texts). The string must be the unit's text: after random keystrokes
 * (one or several changes per version, typing, deleting, line breaks, pasted blocks) every unit's text is compared
 * with the document's text at the unit's range, each class member's context (its class's header, shared too) with
 * the header its units are made with, and the report with a fresh engine's.
 */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Engine } from '../../server/src/engine';
import { definitionUnits, treeUnits } from '../../server/src/engine/definition-units';
import type { TextDocumentContentChangeEvent } from '../../server/src/text/document-store';
import { analyses } from '../../server/src/checks';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { fixture } from '../support/paths';
import { Random } from '../support/random';

const CLASS = [
  'cdef class Acc:',
  '    cdef double total',
  '    def add(self, double v):',
  '        self.total += v',
  '    cpdef double get(self, int k):',
  '        return self.total + k',
  '    cdef void reset(self) noexcept nogil:',
  '        self.total = 0',
  '',
].join('\n');

const SNIPPETS = ['x', ' ', '\n', '(', ')', ':', '\n    ', 'é', '😀', 'cdef int z\n', 'print(1)\n', '# c\n', ', int k', '\n\n'];

describe('unit texts shared across versions', () => {
  it('every unit text is its range of the document, and reports equal a fresh analysis, over 150 random keystrokes', async () => {
    const rnd = new Random(7);
    const original = `${CLASS}\n${fixture('kernels.pyx')}\n${CLASS.replace('Acc', 'Acc2')}`;
    const uri = pathToFileURL(path.join(os.tmpdir(), 'cl-unit-texts.pyx')).href;
    const settings = defaultSettings();
    const live = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 600_000 });
    const fresh = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 600_000 });
    let expected = original;
    let shared = 0;
    let units = 0;
    let members = 0;
    try {
      live.open(uri, expected, 1);
      live.analyze(uri, settings);
      for (let step = 0; step < 150; step++) {
        const batch: TextDocumentContentChangeEvent[] = [];
        const count = rnd.next() < 0.2 ? 2 : 1;
        for (let i = 0; i < count; i++) {
          const start = rnd.int(expected.length + 1);
          const end = Math.min(expected.length, start + (rnd.next() < 0.6 ? 0 : rnd.int(rnd.next() < 0.1 ? 300 : 6)));
          const insert = end > start && rnd.next() < 0.5 ? '' : rnd.pick(SNIPPETS);
          const ref = TextDocument.create(uri, 'cython', 0, expected);
          const range = { start: ref.positionAt(start), end: ref.positionAt(end) };
          batch.push({ range, text: insert });
          expected = TextDocument.update(ref, [{ range, text: insert }], 1).getText();
        }
        live.change(uri, step + 2, batch);
        const report = live.analyze(uri, settings)!;
        const doc = live.document(uri)!;
        assert.equal(doc.text, expected);
        const root = doc.tree!.rootNode;
        const sharing = (live as unknown as { unitTexts: Map<string, { shared: number }> }).unitTexts.get(uri)!;
        shared += sharing.shared;
        const all = treeUnits(root, live.session.splitClasses);
        for (const u of all) {
          units++;
          assert.equal(u.node.text, expected.slice(u.node.startIndex, u.node.endIndex), `step ${step}: unit at row ${u.node.startPosition.row}`);
        }
        // the class headers of member units (shared with the class's text) are the ones the units are made with
        const made = root.namedChildren.flatMap((s) => (s ? definitionUnits(s, live.session.splitClasses) : []));
        assert.deepEqual(all.map((u) => u.context), made.map((u) => u.context), `step ${step}: contexts`);
        members += all.filter((u) => u.context !== '').length;
        if (step % 10 === 9) {
          fresh.open(uri, expected, 1);
          const reference = fresh.analyze(uri, settings)!;
          fresh.close(uri);
          // the fresh parse places errors its own way: compare where the live tree is settled
          if (!doc.tree!.rootNode.hasError) {
            assert.deepEqual(report.diagnostics, reference.diagnostics, `step ${step}: diagnostics`);
            assert.deepEqual(report.annotations, reference.annotations, `step ${step}: scores`);
          }
        }
      }
    } finally {
      live.dispose();
      fresh.dispose();
    }
    // the sharing was exercised: most units of most versions
    assert.ok(shared > units / 2, `${shared} of ${units} unit texts shared`);
    assert.ok(members > 100, `${members} member units`);
  });
});
