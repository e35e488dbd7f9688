import { describe, expect, it } from 'vitest';
import {
  editField,
  fieldParts,
  textField,
  type EditKey,
  type TextField,
} from '../../source/store/text-field.js';

const at = (text: string, cursor = text.length): TextField => ({ text, cursor, selected: false });
const k = (flags: EditKey, input = ''): [string, EditKey] => [input, flags];
const typed = (input: string): [string, EditKey] => [input, {}];

describe('text fields edit the way a shell does', () => {
  const table: [string, TextField, [string, EditKey], string, number][] = [
    ['typing over a selected default replaces it', textField('50%', true), typed('0.2'), '0.2', 3],
    [
      'Backspace on a selected default empties it',
      textField('50%', true),
      k({ delete: true }),
      '',
      0,
    ],
    [
      '← on a selected default keeps it and moves',
      textField('50m', true),
      k({ leftArrow: true }),
      '50m',
      2,
    ],
    [
      'Home on a selected default goes to the start',
      textField('50m', true),
      k({ home: true }),
      '50m',
      0,
    ],
    ['typing inserts at the cursor', at('lab', 1), typed('X'), 'lXab', 2],
    [
      'a pasted burst goes in whole, control characters dropped',
      at(''),
      typed('log\tin'),
      'login',
      5,
    ],
    ['Backspace (DEL, Ink says delete) deletes left', at('abc'), k({ delete: true }), 'ab', 2],
    ['Backspace (^H) deletes left', at('abc', 2), k({ backspace: true }), 'ac', 1],
    ['← moves left', at('abc'), k({ leftArrow: true }), 'abc', 2],
    ['→ stops at the end', at('abc'), k({ rightArrow: true }), 'abc', 3],
    ['Home', at('abc'), k({ home: true }), 'abc', 0],
    ['End', at('abc', 0), k({ end: true }), 'abc', 3],
    ['Ctrl-A', at('abc'), k({ ctrl: true }, 'a'), 'abc', 0],
    ['Ctrl-E', at('abc', 1), k({ ctrl: true }, 'e'), 'abc', 3],
    ['Ctrl-U deletes to the start', at('net delay', 4), k({ ctrl: true }, 'u'), 'delay', 0],
    ['Ctrl-W deletes the word before', at('pause 30s'), k({ ctrl: true }, 'w'), 'pause ', 6],
    ['Ctrl-K deletes to the end', at('pause 30s', 5), k({ ctrl: true }, 'k'), 'pause', 5],
    ['Ctrl-D deletes forward', at('abc', 0), k({ ctrl: true }, 'd'), 'bc', 0],
    ['Ctrl-D on an empty field does nothing', at(''), k({ ctrl: true }, 'd'), '', 0],
    ['Alt-B moves a word back', at('net delay'), k({ meta: true }, 'b'), 'net delay', 4],
    [
      'Ctrl-← moves a word back',
      at('net delay'),
      k({ ctrl: true, leftArrow: true }),
      'net delay',
      4,
    ],
    ['multi-byte text keeps its characters', at('é'), typed('ü'), 'éü', 2],
  ];
  it.each(table)('%s', (_name, field, [input, key], text, cursor) => {
    const next = editField(field, input, key);
    expect(next).toMatchObject({ text, cursor, selected: false });
  });

  const ignored: [string, [string, EditKey]][] = [
    ['Enter', k({ return: true })],
    ['Esc', k({ escape: true })],
    ['Tab', k({ tab: true })],
    ['↑', k({ upArrow: true })],
    ['↓', k({ downArrow: true })],
    ['PgDn', k({ pageDown: true })],
    ['Ctrl-C', k({ ctrl: true }, 'c')],
    ['Ctrl-Z', k({ ctrl: true }, 'z')],
    ['Ctrl-L', k({ ctrl: true }, 'l')],
  ];
  it.each(ignored)('%s is not an edit (the caller decides)', (_name, [input, key]) => {
    expect(editField(at('abc'), input, key)).toBeUndefined();
  });

  it('splits at the cursor for drawing', () => {
    expect(fieldParts(at('abc', 1))).toEqual({ before: 'a', at: 'b', after: 'c' });
    expect(fieldParts(at('abc'))).toEqual({ before: 'abc', at: '', after: '' });
  });
});
