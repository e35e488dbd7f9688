import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { describeLab, docker } from '../helpers/lab.js';

describeLab('the npm package (issue 32)', () => {
  it('npm pack, then npm install -g of the tarball, gives a chaosdeck that reads the lab', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chaosdeck-pack-'));
    await execa('npm', ['pack', '--pack-destination', dir], { stdio: 'ignore' });
    const tarball = readdirSync(dir).find((f) => /^chaosdeck-.*\.tgz$/.test(f));
    expect(tarball).toBeDefined();
    const prefix = join(dir, 'prefix');
    // No build step at install: the tarball carries the bundle; dependencies come from npm.
    await execa('npm', ['install', '-g', '--prefix', prefix, join(dir, tarball!)], {
      cwd: dir,
      stdio: 'ignore',
      timeout: 300_000,
    });
    const bin = join(prefix, 'bin', 'chaosdeck');
    const version = await execa(bin, ['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const status = await execa(bin, ['status', '--json'], {
      cwd: dir,
      env: { XDG_STATE_HOME: join(dir, 'state') },
    });
    const doc = JSON.parse(status.stdout) as { services: { name: string; desired: number }[] };
    for (const name of ['lab_api', 'lab_web']) {
      const desired = await docker([
        'service',
        'inspect',
        '-f',
        '{{.Spec.Mode.Replicated.Replicas}}',
        name,
      ]);
      expect(doc.services.find((s) => s.name === name)?.desired).toBe(Number(desired));
    }
    // npx from the tarball: no install step of one's own, the same command.
    const npx = await execa('npx', ['--yes', `./${tarball!}`, 'status'], {
      cwd: dir,
      env: { XDG_STATE_HOME: join(dir, 'state'), npm_config_cache: join(dir, 'npm-cache') },
      timeout: 300_000,
    });
    expect(npx.stdout).toMatch(/^swarm active · /);
    expect(npx.stdout).toMatch(/\blab_api\.1\b/);
  }, 600_000);
});
