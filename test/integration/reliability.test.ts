import { expect, it } from 'vitest';
import { describeLab } from '../helpers/lab.js';
import { consoleCases } from '../helpers/tui.js';
import { formatReport, runHarness } from '../soak/reliability.js';

describeLab('the reliability harness, short mode', () => {
  consoleCases();

  it('20 console deaths, 2 ledger races and the bad-input corpus: nothing left, nothing unclear', async () => {
    const report = await runHarness({ deaths: 20, races: 2, restart: false });
    console.log(formatReport(report));
    expect(report.deaths).toHaveLength(20);
    expect(report.deaths.filter((d) => d.leftover)).toEqual([]);
    expect(report.races.filter((r) => r.lost)).toEqual([]);
    expect(report.inputs.length).toBeGreaterThanOrEqual(30);
    expect(report.inputs.filter((i) => !i.clear)).toEqual([]);
  }, 900_000);
});
