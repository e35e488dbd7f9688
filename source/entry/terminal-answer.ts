/** How often the terminal is asked, and how long it may stay silent once it has answered. */
export interface AnswerTiming {
  askEveryMs: number;
  silentMs: number;
}

/** Asks every 5 s; 15 s without an answer (three asks) is a terminal that went away. */
export const ANSWER_TIMING: AnswerTiming = { askEveryMs: 5_000, silentMs: 15_000 };

// DSR 5 ("status?"): every VT100-style terminal answers ESC [ 0 n ("ok"; 3 n: "malfunction").
const ASK = '\u001B[5n';
// eslint-disable-next-line no-control-regex -- the escape byte is what it looks for
const ANSWER = /\u001B\[[03]n/;

/**
 * Calls `onLost` once when the terminal stops answering. For a console inside a container: its
 * terminal is a pty the container holds, so when `docker run -it`'s client goes away (the ssh
 * run drops and takes it along) nothing reaches chaosdeck — Docker CLIs before 25 do not
 * pass the hang-up on with a tty, and the container's input stays open. The terminal at the other
 * end answers a status request; the pty alone does not. Watching starts at the first answer, so
 * a terminal that never answers (none known) is never taken for gone. The answers reach Ink too,
 * which ignores them (a sequence it cannot name: ui/key-guard.ts). Returns the stop function.
 */
export function watchTerminalAnswers(
  stdin: NodeJS.ReadStream,
  stdout: NodeJS.WriteStream,
  onLost: (why: string) => void,
  timing: AnswerTiming = ANSWER_TIMING,
  now: () => number = Date.now,
): () => void {
  let lastAnswer: number | undefined;
  let listening = false;
  let told = false;
  const onData = (chunk: Buffer | string) => {
    if (ANSWER.test(chunk.toString())) lastAnswer = now();
  };
  const ask = () => {
    // Ink reads stdin on 'readable'; a 'data' listener added after it sees each chunk Ink reads
    // and takes nothing from it ('readable' keeps control of the flow). Added before, it would
    // set stdin flowing and take keys from Ink: so it waits for Ink's listener.
    if (!listening) {
      if (stdin.listenerCount('readable') === 0) return;
      stdin.on('data', onData);
      listening = true;
    }
    if (lastAnswer !== undefined && now() - lastAnswer > timing.silentMs) {
      if (!told) onLost('the terminal stopped answering (its client went away)');
      told = true;
      return;
    }
    stdout.write(ASK);
  };
  const timer = setInterval(ask, timing.askEveryMs);
  timer.unref();
  const first = setTimeout(ask, 0);
  return () => {
    clearInterval(timer);
    clearTimeout(first);
    stdin.off('data', onData);
  };
}
