import stringWidth from 'string-width';
import { target } from '../helpers/fake-chaos.js';
import { describe, expect, it } from 'vitest';
import { createDeckStore } from '../../source/store/deck-store.js';
import { ESC, keys, mount, plain, press, seededStore, settle } from '../helpers/console.js';

describe('console frame', () => {
  it.each([
    [80, 24],
    [120, 40],
    [60, 15],
  ])('fits %dx%d: no line wider, no more lines than the terminal', (columns, rows) => {
    const { lastFrame, unmount } = mount(seededStore(columns, rows));
    const lines = plain(lastFrame()).split('\n');
    expect(lines.length).toBeLessThanOrEqual(rows);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
    unmount();
  });

  it('shows header facts, highlights nothing without colour, and has no escape codes under NO_COLOR', () => {
    const { lastFrame, unmount } = mount(seededStore(80, 24, false));
    const frame = lastFrame() ?? '';
    expect(frame.includes(ESC)).toBe(false);
    expect(frame).toContain('● live');
    expect(frame).toMatch(
      /vm \(manager, leader\) · swarm active · nodes 2\/2 ready · engine 20\.10\.24 API 1\.41/,
    );
    unmount();
  });

  it('re-lays out when the terminal is resized', async () => {
    const store = seededStore(120, 40);
    const { lastFrame, unmount } = mount(store);
    store.getState().actions.resize(80, 24);
    await settle();
    const lines = plain(lastFrame()).split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    unmount();
  });
});

describe('redraws', () => {
  it('a calm poll (nothing new) draws no frame; a task that changed does', async () => {
    const store = seededStore(120, 40);
    const { frames, lastFrame, unmount } = mount(store);
    const a = store.getState().actions;
    a.setSwarm({ at: Date.now() }); // the first good poll
    await settle();
    const drawn = frames.length;
    for (let i = 0; i < 3; i++) a.setSwarm({ at: Date.now() });
    await settle();
    expect(frames.length).toBe(drawn);
    const tasks = store
      .getState()
      .tasks.map((t) =>
        t.state === 'running' ? { ...t, state: 'failed' as const, exitCode: 137 } : t,
      );
    a.setSwarm({ tasks, at: Date.now() });
    await settle();
    expect(frames.length).toBeGreaterThan(drawn);
    expect(plain(lastFrame())).toMatch(/lab_web\.1 .*failed/);
    unmount();
  });
});

describe('keys', () => {
  it('moves with j/k and arrows, g/G, and scrolls the list', async () => {
    const { lastFrame, stdin, unmount } = mount(seededStore());
    expect(plain(lastFrame())).toMatch(/› lab_web/);
    await press(stdin, 'j');
    expect(plain(lastFrame())).toMatch(/› svc-00/);
    await press(stdin, keys.down, keys.down);
    expect(plain(lastFrame())).toMatch(/› svc-02/);
    await press(stdin, 'G');
    expect(plain(lastFrame())).toMatch(/› svc-29/);
    await press(stdin, 'k', keys.up, 'g');
    expect(plain(lastFrame())).toMatch(/› lab_web/);
    unmount();
  });

  it('Enter opens the tasks with history indented; Esc goes back', async () => {
    const { lastFrame, stdin, unmount } = mount(seededStore(100, 30));
    await press(stdin, keys.enter);
    const frame = plain(lastFrame());
    expect(frame).toMatch(/▸ Tasks of lab_web \(2\)/);
    expect(frame).toMatch(/› lab_web\.1\s+vm\s+running\s+running/);
    expect(frame).toMatch(
      /\\_ lab_web\.1\s+vm\s+shutdown\s+failed \d+s ago\s+137 task: non-zero exit \(137\)/,
    );
    await press(stdin, keys.esc);
    expect(plain(lastFrame())).toMatch(/▸ Services/);
    unmount();
  });

  it('Tab and Shift-Tab cycle the panes', async () => {
    const { lastFrame, stdin, unmount } = mount(seededStore());
    await press(stdin, keys.tab);
    expect(plain(lastFrame())).toMatch(/▸ Tasks/);
    await press(stdin, keys.tab);
    expect(plain(lastFrame())).toMatch(/▸ Health/);
    await press(stdin, keys.shiftTab, keys.shiftTab);
    expect(plain(lastFrame())).toMatch(/▸ Services/);
    unmount();
  });

  it('the last pane is the nodes: a row per node, a lost one said in the title and its row', async () => {
    const store = seededStore(80, 24);
    const { lastFrame, stdin, unmount } = mount(store);
    await press(stdin, keys.shiftTab);
    let frame = plain(lastFrame());
    expect(frame).toMatch(/▸ Nodes · 2 · all ready/);
    expect(frame).toMatch(/NODE +ROLE +STATE +AVAIL +MANAGER +TASKS ADDRESS/);
    expect(frame).toMatch(/vm \* +manager +ready +active +leader/);
    const nodes = store
      .getState()
      .nodes.map((n) =>
        n.hostname === 'labw1'
          ? { ...n, ready: false, state: 'down', updatedAt: store.getState().now - 12_000 }
          : n,
      );
    store.getState().actions.setSwarm({ nodes, at: Date.now() });
    await settle();
    frame = plain(lastFrame());
    expect(frame).toMatch(/▸ Nodes · 2 · 1 lost or unreachable/);
    expect(frame).toMatch(/labw1 +worker +down 12s +active +–/);
    for (const line of frame.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    // A partition's fault stays in sight below the nodes, as below the tasks.
    store.getState().actions.setFaults([
      {
        id: 'cut',
        kind: 'partition',
        target: { ...target, slotName: 'labw1', nodeName: 'labw1' },
        params: { from: 'managers' },
        appliedAt: Date.now() - 5000,
        undo: { kind: 'cutter', nodeId: 'n1', faultTag: 'n1-x', endsAtSec: 0 },
        status: 'active',
        pid: 4242,
      },
    ]);
    await settle();
    frame = plain(lastFrame());
    expect(frame).toMatch(/▸ Nodes · 2 · 1 lost or unreachable/);
    expect(frame).toMatch(/Active faults 1 /);
    expect(frame.split('\n').length).toBeLessThanOrEqual(24);
    await press(stdin, keys.tab);
    expect(plain(lastFrame())).toMatch(/▸ Services/);
    unmount();
  });

  it('/ filters by substring and by re:, Backspace edits, Esc clears', async () => {
    const { lastFrame, stdin, unmount } = mount(seededStore());
    await press(stdin, '/', 'w', 'e', 'b');
    expect(plain(lastFrame())).toMatch(/Services 1\/31 filter "web"/);
    await press(stdin, keys.enter);
    expect(plain(lastFrame())).not.toContain('svc-00');
    await press(
      stdin,
      '/',
      keys.backspace,
      keys.backspace,
      keys.backspace,
      ...'re:^svc-0[12]-'.split(''),
      keys.enter,
    );
    const frame = plain(lastFrame());
    expect(frame).toMatch(/Services 2\/31/);
    expect(frame).toContain('svc-01');
    await press(stdin, keys.esc);
    expect(plain(lastFrame())).toMatch(/Services 31\/31/);
    unmount();
  });

  it('l names the action: the letters typed are the name, not moves (gG, q)', async () => {
    const store = seededStore();
    const { lastFrame, stdin, unmount } = mount(store);
    const before = store.getState().ui;
    await press(stdin, 'l', keys.backspace.repeat(6), 'g', 'G', 'q', keys.enter);
    expect(store.getState().stopwatch.action).toBe('gGq');
    expect(store.getState().ui.selectedServiceId).toBe(before.selectedServiceId);
    expect(plain(lastFrame())).toContain('Services');
    unmount();
  });

  it('N types a note into the footer; Enter adds it, Esc drops it', async () => {
    const notes: string[] = [];
    const store = createDeckStore({
      size: { columns: 80, rows: 24 },
      recorder: {
        recordSample: () => undefined,
        note: (t) => notes.push(t),
        report: async () => [],
      },
    });
    const { lastFrame, stdin, unmount } = mount(store);
    await press(stdin, 'N', ...'login spinner stuck'.split(''));
    expect(plain(lastFrame())).toMatch(/note: login spinner stuck\s+Enter adds it/);
    await press(stdin, keys.enter, 'N', 'x', keys.esc);
    expect(notes).toEqual(['login spinner stuck']);
    unmount();
  });

  it('? shows every key, scrolling at 80×24 with nothing cut; Esc, ? and q close it', async () => {
    const { lastFrame, stdin, unmount } = mount(seededStore(80, 24));
    await press(stdin, '?');
    let frame = plain(lastFrame());
    expect(frame).toMatch(/↓ \d+ more/);
    // Scrolled to the end, every line seen once: the whole help, no description cut.
    const seen = new Set(frame.split('\n'));
    for (let i = 0; i < 40; i++) {
      await press(stdin, 'j');
      for (const line of plain(lastFrame()).split('\n')) seen.add(line);
    }
    frame = [...seen].join('\n');
    expect(frame).not.toContain('…');
    for (const k of ['j/k', 'g / G', 'Enter', 'Esc', 'Tab', '/', 'q / Ctrl-C', 'space', ':']) {
      expect(frame).toContain(k);
    }
    // Each fault key stands alone, followed by its description.
    for (const k of ['x', 's', 'p', 'c', 'm', 'd', 'n', 'u', '!', 'l']) {
      expect(frame.split(/\s+/)).toContain(k);
    }
    expect(frame).toContain('kill the selected task');
    expect(frame).toContain('halt: undo every');
    await press(stdin, keys.esc);
    expect(plain(lastFrame())).toMatch(/▸ Services/);
    await press(stdin, '?', '?');
    expect(plain(lastFrame())).toMatch(/▸ Services/);
    await press(stdin, '?', 'q');
    expect(plain(lastFrame())).toMatch(/▸ Services/);
    unmount();
  });

  it('q and Ctrl-C quit', async () => {
    let quits = 0;
    const { stdin, unmount } = mount(seededStore(), () => quits++);
    await press(stdin, 'q', '\u0003');
    expect(quits).toBe(2);
    unmount();
  });

  it('says where a container on another node runs', async () => {
    const store = seededStore(100, 30);
    store.getState().actions.setHealth('c-remote', { kind: 'remote', nodeName: 'labw1' });
    const { lastFrame, stdin, unmount } = mount(store);
    await press(stdin, 'j'); // svc-00, whose task runs on labw1
    expect(plain(lastFrame())).toMatch(/runs on node labw1/);
    unmount();
  });
});
