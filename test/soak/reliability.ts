// The reliability harness: console deaths, ledger races and a bad-input corpus against the lab.
//   node --import tsx test/soak/reliability.ts [--deaths N] [--races N] [--restart] [--faults dns,stress]
//     [--only left-killed,left-cut,left-both]
// The integration suite runs its short mode (20 deaths, 2 races, the corpus); docs/testing.md quotes
// a full run (100 deaths, a dockerd restart).
import { execa } from 'execa';
import { percentile } from '../../bench/stats.js';
import { waitLabConverged } from '../helpers/lab.js';
import { BAD_INPUTS, tryInput, UNCLEAR } from './bad-inputs.js';
import { DEATHS, FAULTS, oneDeath, type Death, type DeathResult, type Fault } from './deaths.js';
import { tryDialogInputs } from './dialog-inputs.js';
import { consolesAndRestore, dockerdRestart, type RaceResult } from './races.js';

/** Everything one harness run saw. */
export interface HarnessReport {
  deaths: DeathResult[];
  races: RaceResult[];
  inputs: { name: string; clear: boolean; seen: string }[];
}

/** Runs the harness; `log` gets one line per step so a long run shows progress. */
export async function runHarness(
  options: {
    deaths: number;
    races: number;
    restart: boolean;
    faults?: readonly Fault[];
    /** Only these deaths (--only left-killed,left-cut). */
    only?: readonly Death[];
  },
  log: (line: string) => void = () => undefined,
): Promise<HarnessReport> {
  // The faults' watchdogs: chaosdeck's image as npm run image builds it, helpers from the lab's.
  process.env.CHAOSDECK_WATCHDOG_IMAGE ??= 'chaosdeck:local';
  process.env.CHAOSDECK_HELPER_IMAGE ??= 'demo/swarm-helper:local';
  await waitLabConverged();
  const report: HarnessReport = { deaths: [], races: [], inputs: [] };
  for (const input of BAD_INPUTS) {
    const { code, output } = await tryInput(input);
    const clear = code === input.code && input.message.test(output) && !UNCLEAR.test(output);
    const seen =
      output
        .trim()
        .split('\n')
        .find((l) => input.message.test(l)) ?? output.trim();
    report.inputs.push({
      name: `${input.group}: ${input.name}`,
      clear,
      seen: `exit ${code}: ${seen}`,
    });
  }
  for (const r of await tryDialogInputs()) report.inputs.push({ ...r, name: `dialog: ${r.name}` });
  log(`inputs: ${report.inputs.filter((i) => !i.clear).length} unclear of ${report.inputs.length}`);
  for (let i = 0; i < options.deaths; i++) {
    // Rotated so every death meets every fault: 11 deaths × 6 faults repeat every 66.
    const faults = options.faults ?? FAULTS;
    const deaths = options.only ?? DEATHS;
    const result = await oneDeath(
      deaths[i % deaths.length]!,
      faults[Math.floor(i / deaths.length) % faults.length]!,
    );
    report.deaths.push(result);
    log(
      `death ${i + 1}/${options.deaths}: ${result.death} ${result.fault} exit ${result.exitCode} in ${result.exitMs} ms${result.leftover ? ` LEFTOVER ${result.detail}` : ''}`,
    );
  }
  for (let i = 0; i < options.races; i++) {
    const race = await consolesAndRestore(i + 1);
    report.races.push(race);
    log(`${race.name}: ${race.lost ? `LOST ${race.detail}` : 'ok'}`);
  }
  if (options.restart) {
    const race = await dockerdRestart();
    report.races.push(race);
    log(`${race.name}: ${race.lost ? `LOST ${race.detail}` : 'ok'}`);
  }
  return report;
}

/** The one table the harness prints. */
export function formatReport(report: HarnessReport): string {
  const lines = ['death              runs  leftovers  exit p50   exit p95   exit codes'];
  for (const death of DEATHS) {
    const runs = report.deaths.filter((d) => d.death === death);
    if (runs.length === 0) continue;
    const ms = runs.map((d) => d.exitMs);
    const codes = [...new Set(runs.map((d) => d.exitCode))].join(',');
    lines.push(
      `${death.padEnd(18)} ${String(runs.length).padStart(4)}  ${String(runs.filter((d) => d.leftover).length).padStart(9)}  ${`${percentile(ms, 50)} ms`.padStart(9)}  ${`${percentile(ms, 95)} ms`.padStart(9)}   ${codes}`,
    );
  }
  const all = report.deaths;
  lines.push(
    `${'all'.padEnd(18)} ${String(all.length).padStart(4)}  ${String(all.filter((d) => d.leftover).length).padStart(9)}`,
    '',
    `races: ${report.races.length} run, ${report.races.filter((r) => r.lost).length} lost`,
    `bad inputs: ${report.inputs.length}, ${report.inputs.filter((i) => !i.clear).length} with an unclear message`,
  );
  for (const d of all.filter((x) => x.leftover))
    lines.push(`  LEFTOVER ${d.death} ${d.fault}: ${d.detail}`);
  for (const r of report.races.filter((x) => x.lost)) lines.push(`  LOST ${r.name}: ${r.detail}`);
  for (const i of report.inputs.filter((x) => !x.clear))
    lines.push(`  UNCLEAR ${i.name}: ${i.seen}`);
  return lines.join('\n');
}

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // The container deaths run the image as operators install it, built from this checkout.
  await execa('npm', ['run', 'image'], { stdio: 'inherit' });
  const report = await runHarness(
    {
      deaths: flag('--deaths', 100),
      races: flag('--races', 5),
      restart: process.argv.includes('--restart'),
      ...(process.argv.includes('--faults')
        ? {
            faults: String(process.argv[process.argv.indexOf('--faults') + 1]).split(
              ',',
            ) as Fault[],
          }
        : {}),
      ...(process.argv.includes('--only')
        ? {
            only: String(process.argv[process.argv.indexOf('--only') + 1]).split(',') as Death[],
          }
        : {}),
    },
    (line) => console.error(line),
  );
  console.log(formatReport(report));
  const bad =
    report.deaths.some((d) => d.leftover) ||
    report.races.some((r) => r.lost) ||
    report.inputs.some((i) => !i.clear);
  process.exit(bad ? 1 : 0);
}
