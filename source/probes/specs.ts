/** A probe as given on the command line. */
export type ProbeSpec =
  { name: string; kind: 'http'; url: string } | { name: string; kind: 'cmd'; command: string };

/** Parses `--probe NAME=URL` or `--probe NAME=cmd:COMMAND`; throws with a message on junk. */
export function parseProbe(value: string): ProbeSpec {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new Error(`--probe wants NAME=URL or NAME=cmd:COMMAND, got "${value}"`);
  const name = value.slice(0, eq);
  const target = value.slice(eq + 1);
  if (target.startsWith('cmd:')) {
    const command = target.slice(4).trim();
    if (!command) throw new Error(`--probe ${name}: cmd: needs a command`);
    return { name, kind: 'cmd', command };
  }
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new Error(
      `--probe ${name}: "${target}" is not a URL (http://host:port/path) nor cmd:COMMAND`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`--probe ${name}: only http(s) URLs, got ${url.protocol}`);
  return { name, kind: 'http', url: target };
}
