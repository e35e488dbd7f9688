import type Dockerode from 'dockerode';
import { describe, expect, it, vi } from 'vitest';
import type { Endpoint } from '../../source/docker/endpoint.js';
import { EngineError } from '../../source/docker/errors.js';
import {
  isSwarmLost,
  lostReason,
  ManagerFollow,
  type ManagerLink,
} from '../../source/docker/manager-follow.js';
import type { ManagerSwitch } from '../../source/domain/manager-switch.js';
import { managerSwitchLine, viaText } from '../../source/format/manager-lines.js';

const at = (name: string): Endpoint => ({
  kind: 'unix',
  path: `/run/${name}.sock`,
  url: `unix:///run/${name}.sock`,
});

const NO_LEADER = {
  statusCode: 500,
  json: {
    message:
      "rpc error: code = Unknown desc = The swarm does not have a leader. It's possible that too few managers are online.",
  },
};

/** A manager as the engine API answers: each call names the manager, or throws what it is told. */
class FakeManager {
  fails: unknown;
  /** Holds every call without an answer (a manager cut off, its raft still waiting). */
  hangs = false;
  calls = 0;
  constructor(readonly name: string) {}
  get docker(): Dockerode {
    const answer = async () => {
      this.calls++;
      if (this.hangs) await new Promise(() => undefined);
      if (this.fails) throw this.fails;
      return [{ ID: this.name }];
    };
    return { listNodes: answer, listServices: answer } as unknown as Dockerode;
  }
}

function swarmOf(names: string[]) {
  const managers = new Map(names.map((n) => [n, new FakeManager(n)]));
  const link = (n: string): ManagerLink => ({
    docker: managers.get(n)!.docker,
    where: at(n),
    name: n,
  });
  const unreachable = new Set<string>();
  const connected: string[] = [];
  let now = 0;
  const follow = new ManagerFollow(
    link(names[0]!),
    names.slice(1).map(at),
    (e) => {
      const n = /\/run\/(\w+)\.sock/.exec(e.url)![1]!;
      connected.push(n);
      return unreachable.has(n)
        ? Promise.reject(new EngineError('unreachable', `cannot connect to ${e.url}`))
        : Promise.resolve(link(n));
    },
    () => now,
  );
  const switches: ManagerSwitch[] = [];
  follow.onSwitch((s) => switches.push(s));
  const who = async () =>
    ((await follow.run((d) => d.listNodes(), 1000)) as { ID: string }[])[0]!.ID;
  return {
    follow,
    managers,
    unreachable,
    connected,
    switches,
    who,
    tick: (ms: number) => (now += ms),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('ManagerFollow: the swarm through another manager while ours cannot serve it', () => {
  it('goes through the next manager when ours has no leader, says so once, and stays there', async () => {
    const s = swarmOf(['m1', 'm2', 'm3']);
    expect(await s.who()).toBe('m1');
    expect(s.connected).toEqual([]);
    s.managers.get('m1')!.fails = NO_LEADER;
    expect(await s.who()).toBe('m2');
    expect(await s.who()).toBe('m2');
    await settle();
    expect(s.switches.map((x) => [x.from, x.to, x.home, x.reason])).toEqual([
      ['m1', 'm2', false, 'no leader there'],
    ]);
    expect(s.follow.away).toBe(true);
    // Ours was asked once for each call until the switch, then no more (its look waits 2 s).
    expect(s.managers.get('m1')!.calls).toBe(2);
  });

  it("a kept client (the helpers') goes to the manager used now, and back", async () => {
    const s = swarmOf(['m1', 'm2']);
    const kept = s.follow.followingClient();
    const whoKept = async () => ((await kept.listNodes()) as { ID: string }[])[0]!.ID;
    expect(await whoKept()).toBe('m1');
    s.managers.get('m1')!.fails = NO_LEADER;
    await s.who();
    s.managers.get('m1')!.fails = undefined;
    expect(await whoKept()).toBe('m2');
    s.tick(2000);
    await s.who();
    await settle();
    expect(await whoKept()).toBe('m1');
  });

  it('a listener that throws does not silence the switches after it', async () => {
    const s = swarmOf(['m1', 'm2']);
    let calls = 0;
    s.follow.onSwitch(() => {
      calls++;
      throw new Error('a listener bug');
    });
    s.managers.get('m1')!.fails = NO_LEADER;
    await s.who();
    await settle();
    s.managers.get('m1')!.fails = undefined;
    s.tick(2000);
    await s.who();
    await settle();
    await settle();
    expect([calls, s.switches.map((x) => x.to)]).toEqual([2, ['m2', 'm1']]);
  });

  it('comes back to ours once it answers again, asking at most every 2 s', async () => {
    const s = swarmOf(['m1', 'm2']);
    s.managers.get('m1')!.fails = NO_LEADER;
    await s.who();
    s.managers.get('m1')!.fails = undefined;
    await s.who();
    await settle();
    expect(s.follow.away).toBe(true);
    s.tick(2000);
    expect(await s.who()).toBe('m2');
    await settle();
    expect(s.follow.away).toBe(false);
    expect(s.switches.at(-1)).toMatchObject({ from: 'm2', to: 'm1', home: true });
    expect(await s.who()).toBe('m1');
  });

  it('skips a manager that cannot be reached, and tries it afresh the next time', async () => {
    const s = swarmOf(['m1', 'm2', 'm3']);
    s.unreachable.add('m2');
    s.managers.get('m1')!.fails = NO_LEADER;
    expect(await s.who()).toBe('m3');
    expect(s.connected).toEqual(['m2', 'm3']);
    s.managers.get('m3')!.fails = NO_LEADER;
    s.unreachable.delete('m2');
    expect(await s.who()).toBe('m2');
  });

  it('a read waits 5 s on a manager that holds it, a write its whole deadline', async () => {
    vi.useFakeTimers();
    try {
      const s = swarmOf(['m1', 'm2']);
      s.managers.get('m1')!.hangs = true;
      const read = s.follow.run((d) => d.listNodes(), 15_000, true);
      const write = s.follow.run((d) => d.listServices(), 15_000);
      let wrote = false;
      void write.then(() => (wrote = true));
      await vi.advanceTimersByTimeAsync(5000);
      expect(await read).toEqual([{ ID: 'm2' }]);
      expect(s.switches.map((x) => [x.to, x.reason])).toEqual([['m2', 'it does not answer']]);
      expect(wrote).toBe(false);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(await write).toEqual([{ ID: 'm2' }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("names a manager by its engine's name, asked when the switch is told if its connection could not", async () => {
    const m2 = {
      listNodes: async () => [{ ID: 'm2' }],
      info: async () => ({ Name: 'manager-two' }),
    } as unknown as Dockerode;
    const home = {
      listNodes: () => Promise.reject(NO_LEADER),
    } as unknown as Dockerode;
    const follow = new ManagerFollow(
      { docker: home, where: at('m1'), name: 'm1' },
      [at('m2')],
      (e) => Promise.resolve({ docker: m2, where: e }),
    );
    const told: ManagerSwitch[] = [];
    follow.onSwitch((x) => told.push(x));
    await follow.run((d) => d.listNodes(), 1000, true);
    await settle();
    expect(told.map((x) => [x.from, x.to, x.endpoint])).toEqual([
      ['m1', 'manager-two', 'unix:///run/m2.sock'],
    ]);
  });

  it('does not repeat elsewhere a call that was refused for itself (not found)', async () => {
    const s = swarmOf(['m1', 'm2']);
    s.managers.get('m1')!.fails = { statusCode: 404, json: { message: 'config x not found' } };
    await expect(s.who()).rejects.toMatchObject({ kind: 'not-found' });
    expect(s.connected).toEqual([]);
    expect(s.switches).toEqual([]);
  });

  it('when no manager can serve, fails with ours and names the others tried', async () => {
    const s = swarmOf(['m1', 'm2', 'm3']);
    for (const m of s.managers.values()) m.fails = NO_LEADER;
    await expect(s.who()).rejects.toThrow(
      /does not have a leader.*no other manager given could serve it either \(unix:\/\/\/run\/m2\.sock, unix:\/\/\/run\/m3\.sock\)/,
    );
    expect(s.follow.away).toBe(false);
  });

  it('takes a manager that answers with a refusal as serving (the request was wrong, not the swarm)', async () => {
    const s = swarmOf(['m1', 'm2']);
    s.managers.get('m1')!.fails = NO_LEADER;
    s.managers.get('m2')!.fails = { statusCode: 409, json: { message: 'name conflicts' } };
    await expect(s.who()).rejects.toMatchObject({ kind: 'conflict' });
    expect(s.switches.map((x) => x.to)).toEqual(['m2']);
  });
});

describe('isSwarmLost and lostReason', () => {
  it.each([
    [new EngineError('unreachable', 'no answer in 15 s'), true, 'it does not answer'],
    [
      new EngineError('not-manager', 'This node is not a swarm manager.'),
      true,
      'not a manager any more',
    ],
    [new EngineError('not-swarm', 'not in a swarm'), true, 'it left the swarm'],
    [
      new EngineError('engine', 'Docker engine at x: rpc error: The swarm does not have a leader.'),
      true,
      'no leader there',
    ],
    [
      new EngineError(
        'engine',
        'rpc error: code = DeadlineExceeded desc = context deadline exceeded',
      ),
      true,
      'its raft timed out',
    ],
    [
      new EngineError(
        'engine',
        'rpc error: code = Unknown desc = raft: failed to process the request: node lost leader status',
        500,
      ),
      true,
      'its raft lost the leader',
    ],
    [new EngineError('not-found', 'no such service'), false, 'its swarm is lost'],
    [new EngineError('conflict', 'update out of sequence'), false, 'its swarm is lost'],
    [new EngineError('engine', 'invalid mount config', 400), false, 'it fails (400)'],
    [new Error('plain'), false, 'it failed'],
  ])('%s: lost %s, "%s"', (error, lost, reason) => {
    expect(isSwarmLost(error)).toBe(lost);
    expect(lostReason(error)).toBe(reason);
  });

  it.each([
    [new EngineError('engine', 'rpc error: code = Unknown desc = something new', 500), true, false],
    [new EngineError('engine', 'invalid mount config', 400), false, false],
    [new EngineError('not-found', 'no such service', 404), false, false],
  ])(
    'for a read, any server error counts; for a write only the known words: %s',
    (e, read, write) => {
      expect([isSwarmLost(e, true), isSwarmLost(e, false)]).toEqual([read, write]);
    },
  );
});

describe('the lines that say which manager answers', () => {
  it.each([
    [
      { from: 'm1', to: 'm2', home: false, reason: 'no leader there' },
      'm1 cannot serve the swarm (no leader there): following it through m2',
      'via m2 (m1: no leader there)',
    ],
    [
      { from: 'm1', to: 'm2', home: false },
      'm1 cannot serve the swarm: following it through m2',
      'via m2 (m1: cannot serve the swarm)',
    ],
    [
      { from: 'm2', to: 'm1', home: true },
      'back on m1: it serves the swarm again (was following it through m2)',
      // The header clears its via on the way back: no text for it.
      undefined,
    ],
  ])('%j', (s, line, via) => {
    expect(managerSwitchLine(s)).toBe(line);
    if (via) expect(viaText(s)).toBe(via);
  });

  it('says nothing in the header while ours serves', () => {
    expect(viaText(undefined)).toBe('');
  });
});
