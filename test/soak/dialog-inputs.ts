import { LABW1 } from '../helpers/chaos-lab.js';
import { Tui } from '../helpers/tui.js';
import { UNCLEAR } from './bad-inputs.js';

/** A value typed into a fault dialog (or the filter) and what the console must answer. */
interface DialogInput {
  name: string;
  /** The key that opens the dialog on lab_api's first task; '/' for the filter. */
  key: string;
  text: string;
  message: RegExp;
}

const DIALOG_INPUTS: DialogInput[] = [
  { name: 'CPU "abc"', key: 'c', text: 'abc', message: /✗ "abc" is not a CPU limit/ },
  { name: 'CPU 0', key: 'c', text: '0', message: /✗ CPU limit must be at least 0\.01/ },
  {
    name: 'CPU 999',
    key: 'c',
    text: '999',
    message: /✗ CPU limit 999 is more than the node's \d+ CPUs/,
  },
  {
    name: 'memory "lots"',
    key: 'm',
    text: 'lots',
    message: /✗ .*"lots" is not a memory limit: give one like 50m/,
  },
  { name: 'memory "1t"', key: 'm', text: '1t', message: /✗ .*"t" is not a unit; use k, m or g/ },
  { name: 'memory 1k', key: 'm', text: '1k', message: /✗ memory limit must be at least 6m/ },
  { name: 'pause "soon"', key: 'p', text: 'soon', message: /✗ .*"soon" is not a duration/ },
  {
    name: 'pause for years',
    key: 'p',
    text: '9999999999999999h',
    message: /✗ .*is longer than 30 days/,
  },
  {
    // A paste with colour codes: the codes are dropped, the text is judged, nothing crashes.
    name: 'pause with pasted colour codes',
    key: 'p',
    text: '\u001b[31msoon\u001b[0m',
    message: /✗ .*"soon" is not a duration/,
  },
  { name: 'kill SIGFOO', key: 'x', text: 'SIGFOO', message: /✗ .*SIGFOO/ },
  { name: 'stop grace "x"', key: 's', text: 'x', message: /✗ .*grace/ },
  { name: 'filter re:(', key: '/', text: 're:(', message: /\/re:\( +not a regex/ },
  { name: 'filter re:[', key: '/', text: 're:[', message: /\/re:\[ +not a regex/ },
];

/** Result of one dialog input: matched the expected sentence, and nothing unclear on screen. */
export interface DialogResult {
  name: string;
  clear: boolean;
  seen: string;
}

/** Types every dialog input into one console (lab_api's first task selected) and reads the answer. */
export async function tryDialogInputs(): Promise<DialogResult[]> {
  const tui = await new Tui().start(['--node', `labw1=${LABW1}`]);
  const results: DialogResult[] = [];
  try {
    await tui.keys(['g', 'Enter']);
    await tui.waitScreen(/▸ Tasks of lab_api/);
    for (const input of DIALOG_INPUTS) {
      if (input.key === '/') {
        await tui.keys(['Escape']);
        await tui.waitScreen(/▸ Services/);
      }
      await tui.keys([input.key]);
      if (input.key !== '/') {
        await tui.waitScreen(/Enter check · Tab/);
        await tui.keys(Array.from({ length: 8 }, () => 'BSpace'));
      }
      await tui.keys([input.text], { literal: true });
      if (input.key !== '/') await tui.keys(['Enter']);
      let seen = '';
      let clear = true;
      try {
        seen = await tui.waitScreen(input.message, 10_000);
      } catch (error) {
        clear = false;
        seen = (error as Error).message;
      }
      if (UNCLEAR.test(seen)) clear = false;
      const line = seen.split('\n').find((l) => input.message.test(l)) ?? seen.slice(0, 200);
      results.push({ name: input.name, clear, seen: line.trim() });
      await tui.keys(['Escape']);
      if (input.key === '/') {
        await tui.waitScreen(/▸ Services/);
        await tui.keys(['g', 'Enter']);
        await tui.waitScreen(/▸ Tasks of lab_api/);
      } else await tui.waitScreen(/cancelled/);
    }
  } finally {
    await tui.stop();
  }
  return results;
}
