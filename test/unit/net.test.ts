import { describe, expect, it } from 'vitest';
import {
  isDefaultQdisc,
  parseNetSpec,
  planNet,
  rootQdisc,
} from '../../source/faults/net/net-plan.js';

describe('parseNetSpec', () => {
  it.each([
    ['delay', '1000ms', '', { type: 'delay', delayMs: 1000 }],
    ['delay', '2s', '100ms', { type: 'delay', delayMs: 2000, jitterMs: 100 }],
    ['DELAY', '150', '', { type: 'delay', delayMs: 150 }],
    ['loss', '30%', '', { type: 'loss', percent: 30 }],
    ['loss', '5', '', { type: 'loss', percent: 5 }],
    ['rate', '1mbit', '', { type: 'rate', rate: '1mbit' }],
    ['rate', '256KBIT', '', { type: 'rate', rate: '256kbit' }],
  ])('%s %s %s', (type, amount, jitter, spec) =>
    expect(parseNetSpec(type, amount, jitter)).toEqual(spec),
  );
  it.each([
    ['delay', '0ms', '', /1 to 60000 ms/],
    ['delay', 'abc', '', /1 to 60000 ms/],
    ['delay', '100ms', '500ms', /jitter wants 0 to 100 ms/],
    ['loss', '0%', '', /above 0 up to 100/],
    ['loss', '150%', '', /above 0 up to 100/],
    ['rate', 'fast', '', /1mbit/],
    ['corrupt', '1', '', /delay, loss or rate/],
  ])('%s %s %s is refused', (type, amount, jitter, message) => {
    const r = parseNetSpec(type, amount, jitter);
    expect('error' in r && r.error).toMatch(message);
  });
});

describe('qdiscs', () => {
  it.each([
    ['qdisc noqueue 0: root refcnt 2', 'noqueue', true],
    ['qdisc tbf 8001: root refcnt 3 rate 1Mbit burst 4Kb lat 400ms', 'tbf', false],
    ['qdisc htb 1: root refcnt 2 r2q 10 default 0', 'htb', false],
    ['', undefined, true],
  ])('%j → %s (default %s)', (out, kind, safe) => {
    expect(rootQdisc(out)).toBe(kind);
    expect(isDefaultQdisc(rootQdisc(out))).toBe(safe);
  });
});

describe('planNet', () => {
  it('delay with netem: replace, and undo deletes exactly the root qdisc', () => {
    expect(planNet({ type: 'delay', delayMs: 1000, jitterMs: 100 }, 'eth0', true, 'id1')).toEqual({
      apply: ['tc', 'qdisc', 'replace', 'dev', 'eth0', 'root', 'netem', 'delay', '1000ms', '100ms'],
      undo: ['tc', 'qdisc', 'del', 'dev', 'eth0', 'root'],
      via: 'netem',
    });
  });
  it('delay without netem says so and names what works', () => {
    const plan = planNet({ type: 'delay', delayMs: 1000 }, 'eth0', false, 'id1');
    expect('error' in plan && plan.error).toMatch(
      /no netem.*Specified qdisc kind is unknown.*loss \(iptables statistic\).*rate \(tbf\)/,
    );
  });
  it('loss without netem: an iptables statistic rule, removed by the same rule', () => {
    const plan = planNet({ type: 'loss', percent: 30 }, 'eth0', false, 'id1');
    expect(plan).toMatchObject({ via: 'iptables statistic' });
    if ('apply' in plan) {
      expect(plan.apply.slice(0, 2)).toEqual(['iptables', '-I']);
      expect(plan.undo.slice(0, 2)).toEqual(['iptables', '-D']);
      expect(plan.apply.slice(2)).toEqual(plan.undo.slice(2));
      expect(plan.apply).toContain('0.3000');
      expect(plan.apply).toContain('chaosdeck:id1');
    }
  });
  it('loss with netem and rate with tbf', () => {
    expect(planNet({ type: 'loss', percent: 30 }, 'eth0', true, 'x')).toMatchObject({
      via: 'netem',
      apply: ['tc', 'qdisc', 'replace', 'dev', 'eth0', 'root', 'netem', 'loss', '30%'],
    });
    expect(planNet({ type: 'rate', rate: '1mbit' }, 'eth0', false, 'x')).toMatchObject({
      via: 'tbf',
    });
  });
});
