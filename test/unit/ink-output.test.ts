import { describe, expect, it } from 'vitest';
// Ink's own frame buffer (not exported by the package: reached by its file).
import InkOutput from '../../node_modules/ink/build/output.js';
import Output from '../../source/ui/ink-output.js';
import widestLine from 'widest-line';
import rememberedWidestLine from '../../source/ui/ink-widest-line.js';
import InkMeasureText from '../../node_modules/ink/build/measure-text.js';
import { endFrame, FrameMemo } from '../../source/ui/frame-memo.js';
import measureText from '../../source/ui/ink-measure-text.js';

type Op =
  | ['write', number, number, string, ((line: string, index: number) => string)[]?]
  | ['clip', Clip]
  | ['unclip'];

interface Clip {
  x1: number | undefined;
  x2: number | undefined;
  y1: number | undefined;
  y2: number | undefined;
}
const clip = (c: Partial<Clip>): Clip => ({
  x1: undefined,
  x2: undefined,
  y1: undefined,
  y2: undefined,
  ...c,
});

const red = (s: string) => `\u001B[31m${s}\u001B[39m`;
const bold = (s: string) => `\u001B[1m${s}\u001B[22m`;

/** The same writes and clips, given to one buffer; its frame. */
function frame(make: () => InkOutput | Output, ops: Op[]) {
  const out = make();
  for (const op of ops) {
    if (op[0] === 'write') out.write(op[1], op[2], op[3], { transformers: op[4] ?? [] });
    else if (op[0] === 'clip') out.clip(op[1]);
    else out.unclip();
  }
  return out.get();
}

const cases: [string, number, number, Op[]][] = [
  ['plain lines', 20, 3, [['write', 0, 0, 'hello\nworld']]],
  [
    'styled, overlapping',
    20,
    2,
    [
      ['write', 0, 0, red('abcdef')],
      ['write', 3, 0, bold('XY')],
    ],
  ],
  [
    'styles nested, changed and ended mid-row',
    24,
    2,
    [
      [
        'write',
        0,
        0,
        `${bold(red('ab'))}c${red('d')}${bold('e')}\u001B[2mf\u001B[22m${bold(bold('g'))}`,
      ],
    ],
  ],
  [
    'wide characters and emoji',
    12,
    2,
    [
      ['write', 1, 0, '表格 ✓ 🔥x'],
      ['write', 0, 1, 'ok'],
    ],
  ],
  [
    // A wide character takes two cells: what is written after it on the row (a border) must
    // land where Ink puts it.
    'a wide character before a border on its row',
    10,
    2,
    [
      ['write', 0, 0, '表a\nbc'],
      ['write', 9, 0, '│\n│'],
      ['write', 3, 1, 'x'],
    ],
  ],
  [
    'clipped on both axes',
    10,
    4,
    [
      ['clip', clip({ x1: 2, x2: 7, y1: 1, y2: 3 })],
      ['write', 0, 0, red('0123456789\nabcdefghij\nklmnopqrst\nuvwxyz')],
      ['unclip'],
      ['write', 0, 3, 'tail'],
    ],
  ],
  [
    'outside the clip',
    10,
    2,
    [['clip', clip({ x1: 5, x2: 9 })], ['write', 0, 0, 'abc'], ['unclip']],
  ],
  ['transformers per line', 10, 2, [['write', 0, 0, 'a\nb', [(line, i) => `${i}:${bold(line)}`]]]],
  ['past the right edge', 4, 1, [['write', 2, 0, 'abcdef']]],
  ['below the last row', 4, 1, [['write', 0, 0, 'a\nb\nc']]],
];

describe('the bundle frame buffer (source/ui/ink-output.ts)', () => {
  it.each(cases)('%s: the same frame as Ink', (_name, width, height, ops) => {
    const mine = frame(() => new Output({ width, height }), ops);
    const ink = frame(() => new InkOutput({ width, height }), ops);
    expect(mine).toEqual(ink);
  });

  it('frame after frame: rows it remembers and rows that changed both read as Ink reads them', () => {
    const screens: Op[][] = [
      [['write', 0, 0, `${red('cpu 1%')}\nlog a\nlog b`]],
      [['write', 0, 0, `${red('cpu 1%')}\nlog b\nlog c`]],
      [['write', 0, 0, `${red('cpu 2%')}\nlog b\nlog c`]],
      [['write', 0, 0, `${red('cpu 2%')}\nlog b`]],
      [['write', 0, 0, `${red('cpu 2%')}\nlog b\nlog c`]],
    ];
    for (const ops of screens) {
      expect(frame(() => new Output({ width: 10, height: 3 }), ops)).toEqual(
        frame(() => new InkOutput({ width: 10, height: 3 }), ops),
      );
    }
  });
});

describe('rememberedWidestLine', () => {
  it.each(['', 'abc', 'a\nlonger line\nb', red('styled'), '表格\nab', 'abc'])('%j', (text) =>
    expect(rememberedWidestLine(text)).toBe(widestLine(text)),
  );
});

describe('measureText (the bundle gives Ink this one)', () => {
  it.each(['', 'abc', 'a\nlonger line\nb', red('styled'), '表格\nab', 'a\n'])('%j', (text) => {
    expect(measureText(text)).toEqual(InkMeasureText(text));
    endFrame();
    expect(measureText(text)).toEqual(InkMeasureText(text));
  });
});

describe('FrameMemo', () => {
  it('remembers what this frame or the last one asked; forgets what a whole frame did not', () => {
    const made: string[] = [];
    const memo = new FrameMemo<number>(100);
    const get = (key: string) => memo.get(key, () => (made.push(key), key.length));
    expect([get('a'), get('bb'), get('a')]).toEqual([1, 2, 1]);
    memo.turn(); // frame 2 asks for 'a' only
    get('a');
    memo.turn(); // frame 3: 'a' was asked last frame, 'bb' was not
    get('a');
    get('bb');
    expect(made).toEqual(['a', 'bb', 'bb']);
  });

  it('a frame that asks for more than its limit starts its generation again', () => {
    const made: string[] = [];
    const memo = new FrameMemo<number>(2);
    const get = (key: string) => memo.get(key, () => (made.push(key), key.length));
    get('a');
    get('bb');
    get('ccc'); // the third key of one frame: the first two are forgotten
    get('a');
    expect(made).toEqual(['a', 'bb', 'ccc', 'a']);
  });
});
