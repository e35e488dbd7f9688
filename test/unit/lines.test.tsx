import chalk from 'chalk';
import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { colorDisabled } from '../../source/entry/terminal.js';
import { textField } from '../../source/store/text-field.js';
import { FieldLine } from '../../source/ui/FieldLine.js';
import { Line, Lines, type StyledLine } from '../../source/ui/Line.js';

const lines: StyledLine[] = [
  { text: '  NAME   REPLICAS', tone: 'dim' },
  { text: '› lab_api     2/2', tone: 'good', selected: true, bold: true },
  { text: '  lab_db      0/1', tone: 'warn' },
  { text: '' },
  { text: '  lab_web     1/1', tone: 'normal' },
];

const frame = (node: React.ReactElement) => {
  const { lastFrame, unmount } = render(node);
  const text = lastFrame();
  unmount();
  return text;
};

describe('lines drawn as one text', () => {
  it.each([true, false])('look as the same lines drawn one by one (colour %s)', (color) => {
    const one = frame(<Lines lines={lines} color={color} />);
    const each = frame(
      <Box flexDirection="column">
        {lines.map((l, i) => (
          <Line key={i} color={color} {...l} tone={l.tone ?? 'normal'} />
        ))}
      </Box>,
    );
    expect(one).toBe(each);
  });

  it("write the codes Ink's Text writes for colour, bold and inverse", () => {
    // Ink's chalk writes no colour to a stream that is not a terminal: as if to one.
    const level = chalk.level;
    chalk.level = 1;
    const ink = frame(
      <Text color="green" bold inverse>
        lab_api
      </Text>,
    );
    chalk.level = level;
    expect(ink).toContain('\u001B[32m');
    expect(frame(<Line text="lab_api" color tone="good" bold selected />)).toBe(ink);
    expect(frame(<Line text="lab_api" color={false} tone="good" bold selected />)).toBe('lab_api');
  });
});

describe('a text field in colour', () => {
  it('draws the cursor cell in inverse and the rest in its tone; without colour, a block', () => {
    const field = { ...textField('50%'), cursor: 1 };
    const line = (color: boolean, selected = false) =>
      frame(
        <FieldLine
          prefix="cpu: "
          field={{ ...field, selected }}
          hint="Enter applies"
          width={40}
          color={color}
        />,
      );
    // As the frame writes it: a code where the style changes.
    expect(line(true)).toBe(
      '\u001B[36mcpu: 5\u001B[7m0\u001B[27m%\u001B[90m  Enter applies\u001B[39m',
    );
    // A selected default: the text before the cursor in inverse, the cursor cell plain.
    expect(line(true, true)).toBe(
      '\u001B[36mcpu: \u001B[7m5\u001B[27m0%\u001B[90m  Enter applies\u001B[39m',
    );
    expect(line(false)).toBe('cpu: 5█0%  Enter applies');
  });
});

describe('colour off', () => {
  it.each([
    ['by default on', {}, true, false],
    ['--no-color', {}, false, true],
    ['NO_COLOR=1', { NO_COLOR: '1' }, true, true],
    ['NO_COLOR empty: on', { NO_COLOR: '' }, true, false],
    ['FORCE_COLOR=0', { FORCE_COLOR: '0' }, true, true],
    ['TERM=dumb', { TERM: 'dumb' }, true, true],
  ])('%s', (_, env, flag, off) => expect(colorDisabled(env, flag)).toBe(off));
});
