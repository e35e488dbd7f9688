import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger, LedgerSpaceError, reserveBytes } from '../../source/chaos/ledger.js';
import { controllerSetup, target } from '../helpers/fake-chaos.js';

const noSpace = () =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC',
  });

describe('a full state disk after a fault was applied', () => {
  it('a status the ledger cannot take is a warning: the fault stands, listed and undoable', async () => {
    const warnings: string[] = [];
    const { ledger, chaos, log } = controllerSetup(false, { onWarning: (m) => warnings.push(m) });
    ledger.update = () => Promise.reject(noSpace());
    const record = await chaos.run({ kind: 'pause', target, params: { duration: '' } });
    expect(record?.status).toBe('active');
    expect(chaos.list().map((r) => r.status)).toEqual(['active']);
    expect(warnings).toEqual([
      expect.stringMatching(/pause .*: applied, but its ledger entry still says applying \(ENOSPC/),
    ]);
    // The entry on disk still holds the undo (restore undoes an applying entry).
    expect(ledger.list().map((r) => [r.status, r.undo.kind])).toEqual([['applying', 'unpause']]);
    expect(await chaos.undo(record!.id)).toBe('done');
    expect(log.at(-1)).toBe('unpause c1');
  });

  it('an entry the ledger cannot drop after the undo ran is a warning, not a failed undo', async () => {
    const warnings: string[] = [];
    const { ledger, chaos, log } = controllerSetup(false, { onWarning: (m) => warnings.push(m) });
    const record = await chaos.run({ kind: 'pause', target, params: { duration: '' } });
    ledger.remove = () => Promise.reject(noSpace());
    expect(await chaos.undo(record!.id)).toBe('done');
    expect(log.at(-1)).toBe('unpause c1');
    expect(chaos.list()).toEqual([]);
    expect(warnings).toEqual([
      expect.stringMatching(/undone, but its ledger entry stays \(ENOSPC.*restore will find it/),
    ]);
  });

  it('a ledger that cannot take the entry refuses the fault: nothing applied, nothing undone', async () => {
    const { ledger, chaos, log } = controllerSetup();
    ledger.add = () => Promise.reject(new LedgerSpaceError('no room on the state disk'));
    await expect(chaos.run({ kind: 'pause', target, params: {} })).rejects.toThrow(
      /no room on the state disk/,
    );
    expect(log).toEqual([]);
    expect(chaos.list()).toEqual([]);
  });
});

describe('the room the ledger keeps for undo', () => {
  it.each([
    [0, 8192],
    [900, 8192],
    [4096, 8192],
    [4097, 12288],
    [10_000, 20480],
  ])('a ledger of %i bytes keeps %i', (bytes, kept) => {
    expect(reserveBytes(bytes)).toBe(kept);
  });

  it('is kept while faults are listed and given back when the last one goes', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'chaosdeck-reserve-')), 'ledger.json');
    const ledger = new Ledger(file);
    const { chaos } = controllerSetup(false, { ledger });
    const record = await chaos.run({ kind: 'pause', target, params: {} });
    expect(statSync(`${file}.reserve`).size).toBeGreaterThanOrEqual(8192);
    await chaos.undo(record!.id);
    expect(existsSync(`${file}.reserve`)).toBe(false);
  });
});
