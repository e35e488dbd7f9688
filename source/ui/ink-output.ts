// Ink's Output (ink/build/output.js of ink 6.8, MIT, © Vadim Demedes), with what it computes
// kept from one frame to the next. The bundle puts this module in place of Ink's own
// (scripts/bundle.mjs); under vitest Ink keeps its own, and ink-output.test.ts holds the two to
// the same text.
//
// Why: Ink builds every frame from nothing — each line of each box tokenised into styled
// characters, each character's width measured, each clipped line sliced, each row of the screen
// turned back into a string. Its caches live for one frame only. At 120×40 with the health and
// tasks panes full, that was ~19 ms a frame and about half of the console's idle CPU, although a
// new probe result changes one line. Here lines, widths and slices are remembered across frames
// (for the next frame), and a row made of the very same characters as last frame reuses last
// frame's string.
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import {
  ansiCodesToString,
  diffAnsiCodes,
  reduceAnsiCodesIncremental,
  tokenize,
  type AnsiCode,
  type StyledChar,
} from '@alcalzone/ansi-tokenize';
import { endFrame, FrameMemo } from './frame-memo.js';
import rememberedWidestLine from './ink-widest-line.js';

// Remembered for two frames (what is on screen stays): a 120×40 screen holds a few hundred
// distinct lines. The limits only bound a frame that writes far more.
const LINES = 5000;
/** A line's styled characters, and whether each takes one cell (then they are copied as they are). */
interface LineCells {
  cells: StyledChar[];
  narrow: boolean;
}
const styledChars = new FrameMemo<LineCells>(LINES);
const widths = new FrameMemo<number>(4 * LINES);
const slices = new FrameMemo<string>(LINES);

const widthOf = (text: string) => widths.get(text, () => stringWidth(text));
const lineCellsOf = (line: string) =>
  styledChars.get(line, () => {
    const cells = styledCells(line);
    return { cells, narrow: cells.every((c) => widthOf(c.value) <= 1) };
  });

/**
 * ansi-tokenize's styledCharsFromTokens(tokenize(line)), built as plain literals: its object
 * spread gave every character a hidden class of its own (~300 bytes each, 26 KB a 120-cell line;
 * measured in a heap snapshot, where they were most of what the console's heap grew by). Cells
 * between two codes share one styles array (never changed: reducing makes a new one).
 */
function styledCells(line: string): StyledChar[] {
  let styles: AnsiCode[] = [];
  const cells: StyledChar[] = [];
  for (const token of tokenize(line)) {
    if (token.type === 'ansi') styles = reduceAnsiCodesIncremental(styles, [token]);
    else cells.push({ type: 'char', value: token.value, fullWidth: token.fullWidth, styles });
  }
  return cells;
}

// Never changed in place: Ink replaces cells, it does not edit them.
const BLANK: StyledChar = Object.freeze({
  type: 'char',
  value: ' ',
  fullWidth: false,
  styles: [],
}) as StyledChar;

/** Last frame's rows, by line number: the characters and the string they made. */
const lastRows: { cells: StyledChar[]; text: string }[] = [];

function sameCells(a: readonly StyledChar[], b: readonly StyledChar[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

type Styles = StyledChar['styles'];

function sameStyles(a: Styles, b: Styles): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++)
    if (a[i]!.code !== b[i]!.code || a[i]!.endCode !== b[i]!.endCode) return false;
  return true;
}

/**
 * styledCharsToString, diffing styles only where they change: each cell carries its own copy of
 * its styles, and diffing every neighbouring pair (sets and arrays each) cost most of a new row.
 * The diff of equal styles is empty, so the text is the same.
 */
function cellsToString(cells: readonly StyledChar[]): string {
  let text = '';
  let styles: Styles = [];
  for (const cell of cells) {
    if (cell === undefined) continue;
    if (!sameStyles(styles, cell.styles))
      text += ansiCodesToString(diffAnsiCodes(styles, cell.styles));
    text += cell.value;
    styles = cell.styles;
  }
  return styles.length ? text + ansiCodesToString(diffAnsiCodes(styles, [])) : text;
}

/** A row's string: last frame's when its cells are the same objects (the cached lines' own). */
function rowText(y: number, cells: StyledChar[]): string {
  const last = lastRows[y];
  if (last && sameCells(last.cells, cells)) return last.text;
  const text = cellsToString(cells).trimEnd();
  lastRows[y] = { cells, text };
  return text;
}

type Transformer = (line: string, index: number) => string;
interface Clip {
  x1?: number;
  x2?: number;
  y1?: number;
  y2?: number;
}
type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };

/** Ink's frame buffer: writes and clips collected by the renderer, turned into the frame's text. */
export default class Output {
  width: number;
  height: number;
  private readonly operations: Operation[] = [];

  constructor(options: { width: number; height: number }) {
    this.width = options.width;
    this.height = options.height;
  }

  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void {
    if (!text) return;
    this.operations.push({ type: 'write', x, y, text, transformers: options.transformers });
  }

  clip(clip: Clip): void {
    this.operations.push({ type: 'clip', clip });
  }

  unclip(): void {
    this.operations.push({ type: 'unclip' });
  }

  get(): { output: string; height: number } {
    const output: StyledChar[][] = [];
    for (let y = 0; y < this.height; y++)
      output.push(new Array<StyledChar>(this.width).fill(BLANK));
    const clips: Clip[] = [];
    for (const operation of this.operations) {
      if (operation.type === 'clip') clips.push(operation.clip);
      else if (operation.type === 'unclip') clips.pop();
      else this.apply(output, operation, clips.at(-1));
    }
    const rows = output.map((cells, y) => rowText(y, cells));
    lastRows.length = Math.min(lastRows.length, output.length);
    endFrame();
    return { output: rows.join('\n'), height: output.length };
  }

  private apply(
    output: StyledChar[][],
    operation: Extract<Operation, { type: 'write' }>,
    clip: Clip | undefined,
  ): void {
    const { text, transformers } = operation;
    let { x, y } = operation;
    let lines = text.split('\n');
    if (clip) {
      const clipX = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
      const clipY = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
      if (clipX) {
        const width = rememberedWidestLine(text);
        if (x + width < clip.x1! || x > clip.x2!) return;
      }
      if (clipY && (y + lines.length < clip.y1! || y > clip.y2!)) return;
      if (clipX) {
        lines = lines.map((line) => {
          const from = x < clip.x1! ? clip.x1! - x : 0;
          const width = widthOf(line);
          const to = x + width > clip.x2! ? clip.x2! - x : width;
          return slices.get(`${from}:${to}:${line}`, () => sliceAnsi(line, from, to));
        });
        if (x < clip.x1!) x = clip.x1!;
      }
      if (clipY) {
        const from = y < clip.y1! ? clip.y1! - y : 0;
        const to = y + lines.length > clip.y2! ? clip.y2! - y : lines.length;
        lines = lines.slice(from, to);
        if (y < clip.y1!) y = clip.y1!;
      }
    }
    let offsetY = 0;
    for (const [index, text] of lines.entries()) {
      let line = text;
      const row = output[y + offsetY];
      if (!row) continue;
      for (const transformer of transformers) line = transformer(line, index);
      const { cells, narrow } = lineCellsOf(line);
      // One cell each (most lines): no width to look up per character.
      if (narrow) for (let i = 0; i < cells.length; i++) row[x + i] = cells[i]!;
      else copyWide(row, x, cells);
      offsetY++;
    }
  }
}

/** Copies a line with wide characters: each takes its cells, the second an empty one. */
function copyWide(row: StyledChar[], x: number, cells: readonly StyledChar[]): void {
  let offsetX = x;
  for (const character of cells) {
    row[offsetX] = character;
    const characterWidth = Math.max(1, widthOf(character.value));
    for (let i = 1; i < characterWidth; i++)
      row[offsetX + i] = { type: 'char', value: '', fullWidth: false, styles: character.styles };
    offsetX += characterWidth;
  }
}
