import { PassThrough } from 'node:stream';

/** An in-memory terminal for benchmarks: a TTY-like stdout of the given size and a raw-mode stdin. */
export function fakeTerminal(
  columns: number,
  rows: number,
): { stdout: NodeJS.WriteStream; stdin: NodeJS.ReadStream } {
  const stdout = Object.assign(new PassThrough(), {
    columns,
    rows,
    isTTY: true,
  }) as unknown as NodeJS.WriteStream;
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    setRawMode: () => undefined,
    ref: () => undefined,
    unref: () => undefined,
  }) as unknown as NodeJS.ReadStream;
  return { stdout, stdin };
}
