const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Shows `text` with a spinner on the terminal's current line until the returned stop function
 * is called (which clears the line, for the result to take its place).
 */
export function spin(out: NodeJS.WriteStream, text: string): () => void {
  let frame = 0;
  const width = Math.max(20, (out.columns || 80) - 1);
  const draw = () =>
    out.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${text}`.slice(0, width + 8));
  draw();
  const timer = setInterval(draw, 100);
  return () => {
    clearInterval(timer);
    out.write('\r\x1b[2K');
  };
}
