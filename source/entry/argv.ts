/**
 * Joins `--flag -1s` into `--flag=-1s` for flags that take a value, so a negative value reaches
 * the flag's own check ("not a duration") instead of being read as an unknown flag "-1s".
 */
export function joinNegativeValues(argv: string[], valueFlags: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (valueFlags.includes(arg) && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}
