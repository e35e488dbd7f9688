/** Runs a shell command; resolves on exit 0, rejects with its output otherwise or after the timeout. */
export async function runCommand(command: string, timeoutMs: number): Promise<void> {
  // Loaded on first use, like every execa user: it is not needed to start the console.
  const { execa } = await import('execa');
  const result = await execa({
    shell: true,
    timeout: timeoutMs,
    reject: false,
    stdin: 'ignore',
  })`${command}`;
  if (result.timedOut) throw new Error(`timeout after ${timeoutMs} ms`);
  if (result.exitCode !== 0)
    throw new Error(
      `exit ${result.exitCode}${result.stderr ? `: ${String(result.stderr).split('\n')[0]}` : ''}`,
    );
}
