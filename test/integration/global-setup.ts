import { execa } from 'execa';

/**
 * Once per integration run: the single executable and the image around it (npm run image), for
 * the tests that run chaosdeck as operators install it (distribution.test.ts, the reliability
 * harness's container deaths). Built afresh each run: an image left by an earlier run of another
 * commit must not be what is tested.
 */
export default async function setup(): Promise<void> {
  if (process.env.CI !== 'true' && process.env.CHAOSDECK_INTEGRATION !== '1') return;
  await execa('npm', ['run', 'image'], { stdio: 'inherit', timeout: 300_000 });
}
