import { closeSync, openSync } from 'node:fs';
import { isatty } from 'node:tty';

/** The terminal fds (0–2) that were TTYs when chaosdeck started. */
const startTtys = [0, 1, 2].filter((fd) => {
  const stream = [process.stdin, process.stdout, process.stderr][fd] as { isTTY?: boolean };
  return stream.isTTY === true;
});

/** Errors that mean the terminal is gone (pane closed, SSH dropped), not a bug. */
export function isTerminalGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EIO' || code === 'EPIPE' || code === 'ENXIO' || code === 'EBADF';
}

/**
 * Calls `onLost` once when the terminal goes away without a hang-up signal reaching chaosdeck
 * (a shell that ignores HUP, some SSH and tmux setups): stdin ends or fails with EIO, or a write
 * fails with EPIPE/EIO. Returns the stop function.
 */
export function watchTerminal(
  stdin: NodeJS.ReadStream,
  outputs: NodeJS.WriteStream[],
  onLost: (why: string) => void,
): () => void {
  let told = false;
  const lost = (why: string) => {
    if (told) return;
    told = true;
    onLost(why);
  };
  const onEnd = () => lost('the terminal closed (end of input)');
  const onInputError = (error: Error) =>
    isTerminalGone(error)
      ? lost(`the terminal closed (${(error as NodeJS.ErrnoException).code})`)
      : undefined;
  const onOutputError = (error: Error) =>
    isTerminalGone(error)
      ? lost(`the terminal closed (${(error as NodeJS.ErrnoException).code})`)
      : undefined;
  stdin.on('end', onEnd);
  stdin.on('error', onInputError);
  for (const out of outputs) out.on('error', onOutputError);
  return () => {
    stdin.off('end', onEnd);
    stdin.off('error', onInputError);
    for (const out of outputs) out.off('error', onOutputError);
  };
}

/**
 * Points fds 0–2 that were a terminal at /dev/null, right before exit, when that terminal is gone
 * (a hung-up terminal answers isatty with EIO).
 * At exit Node restores the terminal's settings on those fds and aborts (exit 134/139,
 * "node::ResetStdio" assertion) when tcsetattr fails with EIO on a hung-up terminal; it leaves
 * alone an fd that no longer refers to the file it started with, so a reopened fd is skipped.
 */
export function detachTerminal(): void {
  for (const fd of startTtys) {
    if (isatty(fd)) continue;
    try {
      closeSync(fd);
      // The lowest free fd is the one just closed.
      openSync('/dev/null', fd === 0 ? 'r' : 'w');
    } catch {
      // Nothing more to do for this fd.
    }
  }
}
