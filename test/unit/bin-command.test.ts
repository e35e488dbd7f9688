import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

// The installed command is bin/chaosdeck, a sh script that npm links into a bin directory. A
// package laid out as npm installs it, whose dist/cli.js reports what Node was given.
const root = mkdtempSync(join(tmpdir(), 'chaosdeck-bin-'));
const pkg = join(root, 'lib', 'node_modules', 'chaosdeck');
mkdirSync(join(pkg, 'bin'), { recursive: true });
mkdirSync(join(pkg, 'dist'));
copyFileSync(new URL('../../bin/chaosdeck', import.meta.url), join(pkg, 'bin', 'chaosdeck'));
writeFileSync(
  join(pkg, 'dist', 'cli.js'),
  'console.log(JSON.stringify({ script: process.argv[1], args: process.argv.slice(2), threshold: process.env.MALLOC_MMAP_THRESHOLD_ }));\n',
);
mkdirSync(join(root, 'bin'));
// As npm links it: relative, from the prefix's bin directory.
symlinkSync('../lib/node_modules/chaosdeck/bin/chaosdeck', join(root, 'bin', 'chaosdeck'));
// A link to that link, absolute (a user's own ~/bin/cd-prod, say).
mkdirSync(join(root, 'home'));
symlinkSync(join(root, 'bin', 'chaosdeck'), join(root, 'home', 'cd-prod'));
// A readlink as older macOS has it: no options.
mkdirSync(join(root, 'macos'));
writeFileSync(
  join(root, 'macos', 'readlink'),
  `#!/bin/sh\ncase "$1" in -*) echo "readlink: illegal option -- $1" >&2; exit 1;; esac\nexec /usr/bin/readlink "$@"\n`,
  { mode: 0o755 },
);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = async (env: Record<string, string> = {}, command = join(root, 'bin', 'chaosdeck')) => {
  // This process's own environment, less the variable: each case says whether it is set.
  const inherited = { ...process.env };
  delete inherited.MALLOC_MMAP_THRESHOLD_;
  const { stdout } = await execa(command, ['status', '--json', 'a b'], {
    env: { ...inherited, ...env },
    extendEnv: false,
  });
  return JSON.parse(stdout) as { script: string; args: string[]; threshold?: string };
};

describe('bin/chaosdeck', () => {
  it('runs dist/cli.js beside it through npm’s link, with every argument as given', async () => {
    const seen = await run();
    expect(seen.script).toBe(join(pkg, 'dist', 'cli.js'));
    expect(seen.args).toEqual(['status', '--json', 'a b']);
  });

  it('follows a link to that link with a readlink that has no -f (older macOS)', async () => {
    const seen = await run(
      { PATH: `${join(root, 'macos')}:${process.env.PATH ?? ''}` },
      join(root, 'home', 'cd-prod'),
    );
    expect(seen.script).toBe(join(pkg, 'dist', 'cli.js'));
  });

  it.each([
    ['nothing set', {}, '1048576'],
    ['a caller’s value', { MALLOC_MMAP_THRESHOLD_: '65536' }, '65536'],
  ])('sets glibc’s mmap threshold (%s → %s)', async (_, env, threshold) => {
    expect((await run(env)).threshold).toBe(threshold);
  });
});
