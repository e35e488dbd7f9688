// A separate chaosdeck process as far as the ledger is concerned: adds, updates and removes
// its own entries in the ledger file given as argv[2], as fast as it can.
import { Ledger } from '../../source/chaos/ledger.js';
import { target } from './fake-chaos.js';

const [file, prefix, countText] = process.argv.slice(2);
const ledger = new Ledger(file!);
const count = Number(countText);
for (let i = 0; i < count; i++) {
  const id = `${prefix}${i}`;
  await ledger.add({
    id,
    kind: 'pause',
    target,
    params: {},
    appliedAt: Date.now(),
    undo: { kind: 'unpause', containerId: 'c1', nodeId: 'n1' },
    status: 'applying',
    pid: process.pid,
  });
  await ledger.update(id, { status: 'active' });
  // Every other entry is undone again; the rest must survive the other writer.
  if (i % 2 === 1) await ledger.remove(id);
}
