import { describe, expect, it } from 'vitest';
import { ephemeralStateWarning, mountOf, parseMountinfo } from '../../source/entry/state-volume.js';

// Lines as a container's /proc/self/mountinfo has them (docker run -v chaosdeck:/state …).
const CONTAINER = [
  '1210 1044 0:83 / / rw,relatime master:520 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/X',
  '1211 1210 0:86 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw',
  '1212 1210 0:87 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755',
  '1220 1210 254:1 /var/lib/docker/volumes/chaosdeck/_data /state rw,relatime master:1 - ext4 /dev/vda1 rw',
  '1221 1210 254:1 /var/lib/docker/containers/abc/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/vda1 rw',
  '1222 1210 0:90 / /scratch rw,nosuid,nodev - tmpfs tmpfs rw',
  '1223 1210 254:1 /home/op/my\\040state /my\\040state rw - ext4 /dev/vda1 rw',
].join('\n');

describe('the mount that holds the state directory', () => {
  const mounts = parseMountinfo(CONTAINER);
  it.each([
    ['/state', '/state', 'ext4'],
    ['/state/chaosdeck', '/state', 'ext4'],
    ['/stateful', '/', 'overlay'],
    ['/root/.local/state/chaosdeck', '/', 'overlay'],
    ['/scratch/x', '/scratch', 'tmpfs'],
    ['/my state/chaosdeck', '/my state', 'ext4'],
  ])('%s is on %s (%s)', (dir, point, fsType) => {
    expect(mountOf(dir, mounts)).toEqual({ point, fsType });
  });
});

describe('the warning for a state directory that dies with the container', () => {
  const mounts = parseMountinfo(CONTAINER);
  it.each([
    ['/state/chaosdeck', undefined],
    ['/my state/chaosdeck', undefined],
    ['/root/.local/state/chaosdeck', "this container's own filesystem"],
    ['/scratch/chaosdeck', 'a tmpfs'],
  ])('%s: %s', (dir, where) => {
    const warning = ephemeralStateWarning(dir, mounts);
    if (where === undefined) expect(warning).toBeUndefined();
    else {
      expect(warning).toContain(`${dir} is on ${where}`);
      expect(warning).toContain('-v chaosdeck:/state');
    }
  });
});
