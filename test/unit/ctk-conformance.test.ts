import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkExperiment } from '../../source/experiment/load.js';

// Chaos Toolkit's own fixtures and validation rules (chaostoolkit-lib tests/fixtures and
// chaoslib's validators), as JSON files with the verdict Chaos Toolkit gives each.
const DIR = 'test/fixtures/ctk';
const verdicts = JSON.parse(readFileSync(join(DIR, 'verdicts.json'), 'utf8')) as Record<
  string,
  { chaostoolkit: 'valid' | 'invalid'; source: string }
>;

/**
 * Where chaosdeck's verdict differs from Chaos Toolkit's, on purpose, in one place: a python
 * provider cannot run here (Chaos Toolkit validates it by importing the module).
 */
const EXCEPTIONS: Record<string, { chaosdeck: 'valid' | 'invalid'; why: RegExp }> = {
  'python-provider': {
    chaosdeck: 'invalid',
    why: /a python provider \(os\.path\.exists\) cannot run here/,
  },
};

describe("chaosdeck's verdict on Chaos Toolkit's fixtures", () => {
  it.each(Object.entries(verdicts))('%s (%o)', (name, v) => {
    const raw = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as unknown;
    const r = checkExperiment(raw, {});
    const exception = EXCEPTIONS[name];
    const expected = exception?.chaosdeck ?? v.chaostoolkit;
    const problems = 'problems' in r ? r.problems.map((p) => `${p.path}: ${p.message}`) : [];
    expect(problems.length === 0 ? 'valid' : 'invalid', problems.join('\n')).toBe(expected);
    if (exception) expect(problems.join('\n')).toMatch(exception.why);
    // No raw schema wording: each problem names its path and says what is allowed.
    for (const p of problems) expect(p).not.toMatch(/Invalid input|expected \w+, received/);
  });
});
