import { execa } from 'execa';
import { chaosdeckInSwarm } from '../helpers/swarm-objects.js';

/**
 * Once per integration run: the single executable and the image around it (npm run image), for
 * the tests that run chaosdeck as operators install it (distribution.test.ts, the reliability
 * harness's container deaths). Built afresh each run: an image left by an earlier run of another
 * commit must not be what is tested.
 */
export default async function setup(): Promise<void> {
  if (process.env.CI !== 'true' && process.env.CHAOSDECK_INTEGRATION !== '1') return;
  await execa('npm', ['run', 'image'], { stdio: 'inherit', timeout: 300_000 });
  // The lab's swarm keeps fault records of every run: one an earlier, interrupted run left would
  // show in these consoles as another operator's fault. The lab is the tests' own: start clean.
  const { records, watchdogs, cutters } = await chaosdeckInSwarm('{{.ID}}');
  if (records.length) {
    console.log(
      `removing ${records.length} fault record(s) an earlier run left in the lab's swarm`,
    );
    await execa('docker', ['config', 'rm', ...records]);
  }
  // And their watchdogs (an interrupted run's): each would undo a fault no test holds.
  if (watchdogs.length) await execa('docker', ['service', 'rm', ...watchdogs]);
  // And partitions' cutters (their rules ended with their windows; the services stay until undone).
  if (cutters.length) await execa('docker', ['service', 'rm', ...cutters]);
}
