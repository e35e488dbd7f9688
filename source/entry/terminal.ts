/** Escape sequences for the alternate screen and the cursor. */
const ENTER_ALT = '\u001B[?1049h\u001B[H';
const LEAVE_ALT = '\u001B[?1049l';
const SHOW_CURSOR = '\u001B[?25h';

/**
 * Switches the terminal to the alternate screen and returns the function that restores it
 * (safe to call more than once: quit, signals and crashes all call it).
 */
export function enterAlternateScreen(stream: NodeJS.WriteStream): () => void {
  stream.write(ENTER_ALT);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    stream.write(SHOW_CURSOR + LEAVE_ALT);
  };
}

/**
 * True when colour should be off: NO_COLOR set to anything non-empty, FORCE_COLOR=0, --no-color,
 * or TERM=dumb. The console writes its colours itself, so this alone decides.
 */
export function colorDisabled(
  env: Record<string, string | undefined>,
  flagColor: boolean,
): boolean {
  return (
    !flagColor ||
    (env.NO_COLOR !== undefined && env.NO_COLOR !== '') ||
    env.FORCE_COLOR === '0' ||
    env.TERM === 'dumb'
  );
}
