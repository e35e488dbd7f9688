import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { Ledger, LedgerError } from '../../source/chaos/ledger.js';
import type { FaultRecord } from '../../source/domain/fault.js';
import { target } from '../helpers/fake-chaos.js';

const record = (id: string, pid = 4242): FaultRecord => ({
  id,
  kind: 'pause',
  target,
  params: {},
  appliedAt: 1_700_000_000_000,
  undo: { kind: 'unpause', containerId: 'c1', nodeId: 'n1' },
  status: 'active',
  pid,
});

function ledgerWith(text: string | undefined): Ledger {
  const dir = mkdtempSync(join(tmpdir(), 'chaosdeck-ledger-'));
  const file = join(dir, 'ledger.json');
  if (text !== undefined) writeFileSync(file, text);
  return new Ledger(file);
}

describe('ledger file shapes', () => {
  it.each([
    ['{"faults":"x"}', /not a chaosdeck ledger \(version/],
    ['{}', /not a chaosdeck ledger/],
    ['[]', /not a chaosdeck ledger/],
    ['null', /not a chaosdeck ledger/],
    ['5', /not a chaosdeck ledger/],
    ['"ledger"', /not a chaosdeck ledger/],
    ['{"version":2,"faults":[]}', /not a chaosdeck ledger \(version/],
    ['{"version":1}', /not a chaosdeck ledger \(faults/],
    ['{"version":1,"faults":{}}', /not a chaosdeck ledger \(faults/],
    ['{"version":1,"faul', /is not valid JSON/],
    ['', /is not valid JSON/],
    ['\u0000\u0000\u0000', /is not valid JSON/],
  ])('%j is refused, never read as empty', (text, message) => {
    const ledger = ledgerWith(text);
    expect(() => ledger.read()).toThrow(LedgerError);
    expect(() => ledger.read()).toThrow(message);
    expect(() => ledger.read()).toThrow(/ledger\.json .*fix it, or move it aside/);
  });

  it('a directory in its place is refused', () => {
    const ledger = ledgerWith(undefined);
    mkdirSync(ledger.file);
    expect(() => ledger.read()).toThrow(/cannot read the fault ledger .*EISDIR/);
  });

  it('a missing file is an empty ledger; an empty list is too', () => {
    expect(ledgerWith(undefined).read()).toEqual({ records: [], invalid: [] });
    expect(ledgerWith('{"version":1,"faults":[]}').read()).toEqual({ records: [], invalid: [] });
  });

  it('reports bad entries one by one and keeps the good ones', () => {
    const good = record('ok');
    const ledger = ledgerWith(
      JSON.stringify({
        version: 1,
        faults: [{ kind: 'pause' }, null, good, { ...good, id: 'y', appliedAt: 'soon' }],
      }),
    );
    const { records, invalid } = ledger.read();
    expect(records.map((r) => r.id)).toEqual(['ok']);
    expect(invalid.map((e) => e.index)).toEqual([1, 2, 4]);
    expect(invalid[0]!.problem).toMatch(/^id: /);
    expect(invalid[2]!.problem).toMatch(/^appliedAt: /);
  });

  it('a change never rewrites a file it cannot read, and keeps entries it cannot read', async () => {
    const damaged = ledgerWith('{"faults":"x"}');
    await expect(damaged.add(record('a'))).rejects.toThrow(LedgerError);
    expect(readFileSync(damaged.file, 'utf8')).toBe('{"faults":"x"}');

    const partly = ledgerWith(JSON.stringify({ version: 1, faults: [{ kind: 'pause' }] }));
    await partly.add(record('a'));
    await partly.remove('a');
    expect(JSON.parse(readFileSync(partly.file, 'utf8'))).toEqual({
      version: 1,
      faults: [{ kind: 'pause' }],
    });
  });
});

describe('ledger shared by several chaosdecks', () => {
  it('loses no entry when three processes change it at the same moment', async () => {
    const ledger = ledgerWith(undefined);
    const writer = join(import.meta.dirname, '../helpers/ledger-writer.ts');
    await Promise.all(
      ['a', 'b', 'c'].map((p) => execa('node', ['--import', 'tsx', writer, ledger.file, p, '30'])),
    );
    const expected = ['a', 'b', 'c'].flatMap((p) =>
      Array.from({ length: 15 }, (_, i) => [`${p}${i * 2}`, 'active']),
    );
    expect(
      ledger
        .list()
        .map((r) => [r.id, r.status])
        .sort(),
    ).toEqual(expected.sort());
  }, 60_000);

  it('gives a dead chaosdeck’s entry to one claimant only', async () => {
    const a = ledgerWith(undefined);
    const b = new Ledger(a.file);
    await a.add(record('x', 999_999));
    const [takenA, takenB] = await Promise.all([
      a.claim([record('x', 999_999)], { pid: 1001 }),
      b.claim([record('x', 999_999)], { pid: 1002 }),
    ]);
    expect([...takenA, ...takenB]).toEqual(['x']);
    expect([1001, 1002]).toContain(a.list()[0]!.pid);
  });
});
