import { describe, expect, it } from 'vitest';
import type { ContainerPort } from '../../source/docker/port.js';
import type { LogLine } from '../../source/domain/types.js';
import { latestMatch } from '../../source/store/log-actions.js';
import { watchLogs } from '../../source/console/logs-watch.js';
import { inputMode } from '../../source/store/selectors.js';
import { logsKey } from '../../source/ui/keymap.js';
import { keys, mount, plain, press, seededStore } from '../helpers/console.js';

const out = (text: string): LogLine => ({ text, stream: 'stdout' });

describe('logs keys', () => {
  it.each([
    ['\u001B', { escape: true }, { type: 'close' }],
    ['q', {}, { type: 'close' }],
    ['j', {}, { type: 'scroll', to: 1 }],
    ['', { upArrow: true }, { type: 'scroll', to: -1 }],
    ['G', {}, { type: 'scroll', to: 'end' }],
    ['g', {}, { type: 'scroll', to: 'top' }],
    ['', { pageDown: true }, { type: 'page', direction: 1 }],
    ['/', {}, { type: 'search' }],
    ['c', { ctrl: true }, { type: 'quit' }],
    ['x', {}, undefined],
    ['!', {}, undefined],
  ])('%j %j → %j', (input, key, command) => expect(logsKey(input, key)).toEqual(command));

  it('a search lands on the latest line containing it', () => {
    const lines = ['GET /login 200', 'GET / 200', 'POST /login 500', 'GET /x'].map(out);
    expect(latestMatch(lines, 'LOGIN')).toBe(2);
    expect(latestMatch(lines, 'nothing')).toBeUndefined();
    expect(latestMatch(lines, '')).toBeUndefined();
  });
});

describe('the logs view', () => {
  it('L in the tasks pane opens it; lines follow; j/k scroll back; / marks a search; Esc closes', async () => {
    const store = seededStore(100, 30);
    const app = mount(store);
    await press(app.stdin, 'L');
    expect(store.getState().logs).toBeUndefined(); // services pane: no task selected
    await press(app.stdin, keys.enter, 'L');
    expect(inputMode(store.getState())).toBe('logs');
    const a = store.getState().actions;
    a.appendLogs(
      'c-web-1',
      Array.from({ length: 60 }, (_, i) => out(`line ${i}`)),
    );
    await press(app.stdin);
    let frame = plain(app.lastFrame());
    expect(frame).toMatch(/Logs of lab_web\.1 \(container c-web-1\) · ↑ \d+ more · following/);
    expect(frame).toContain('line 59');
    await press(app.stdin, 'k', 'k');
    frame = plain(app.lastFrame());
    expect(frame).not.toContain('line 59');
    expect(frame).toMatch(/↓ 2 more/);
    // x, s, q typed into the search are text; Enter jumps to the latest match.
    await press(app.stdin, '/', ...'line 1'.split(''), keys.enter);
    frame = plain(app.lastFrame());
    expect(frame).toMatch(/"line 1": 11 lines/);
    expect(frame).toMatch(/› line 19/);
    await press(app.stdin, 'G');
    expect(plain(app.lastFrame())).toMatch(/following/);
    await press(app.stdin, keys.esc);
    expect(store.getState().logs).toBeUndefined();
    expect(inputMode(store.getState())).toBe('normal');
    app.unmount();
  });
});

describe('watchLogs', () => {
  it('follows the open container through its node engine, in batches, and stops when closed', async () => {
    const store = seededStore(100, 30);
    let deliver!: (lines: LogLine[]) => void;
    let end!: (error?: Error) => void;
    const asked: string[] = [];
    let stopped = 0;
    const port = {
      followLogs: async (id: string, tail: number, onLines: typeof deliver, onEnd: typeof end) => {
        asked.push(`${id} ${tail}`);
        deliver = onLines;
        end = onEnd;
        return { stop: () => void stopped++ };
      },
    } as unknown as ContainerPort;
    const stop = watchLogs(store, (nodeId) => (nodeId === 'n1' ? port : undefined));
    const a = store.getState().actions;
    a.focus('tasks');
    a.openLogs();
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toEqual(['c-web-1 200']);
    deliver([out('a')]);
    deliver([out('b')]);
    expect(store.getState().logs!.lines).toEqual([]); // batched
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(store.getState().logs!.lines.map((l) => l.text)).toEqual(['a', 'b']);
    end();
    expect(store.getState().logs!.ended).toEqual({});
    a.closeLogs();
    expect(stopped).toBe(1);
    stop();
  });

  it('a container on a node without an endpoint says how to reach it', () => {
    const store = seededStore(100, 30);
    const stop = watchLogs(store, () => undefined);
    store.setState({
      logs: { containerId: 'c-remote', nodeId: 'n2', slotName: 'svc.1', lines: [], search: '' },
    });
    expect(store.getState().logs!.ended?.error).toMatch(
      /runs on node labw1: give chaosdeck --node labw1=ENDPOINT/,
    );
    stop();
  });
});

describe('keys arriving together in the logs view', () => {
  it('"kk" in one chunk (fast typing over ssh) scrolls two lines', async () => {
    const store = seededStore(100, 30);
    const app = mount(store);
    await press(app.stdin, keys.enter, 'L');
    store.getState().actions.appendLogs(
      'c-web-1',
      Array.from({ length: 60 }, (_, i) => out(`line ${i}`)),
    );
    await press(app.stdin, 'kk');
    expect(plain(app.lastFrame())).toMatch(/↓ 2 more/);
    app.unmount();
  });
});
