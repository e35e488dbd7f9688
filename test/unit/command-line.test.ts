import { describe, expect, it } from 'vitest';
import { commandHint, completeCommand, parseCommandLine } from '../../source/store/command-line.js';

describe('the : command line parser', () => {
  it.each([
    ['kill', { type: 'fault', kind: 'kill', params: { signal: 'SIGKILL' } }],
    ['kill SIGTERM', { type: 'fault', kind: 'kill', params: { signal: 'SIGTERM' } }],
    ['stop 3', { type: 'fault', kind: 'stop', params: { grace: '3' } }],
    ['pause 30s', { type: 'fault', kind: 'pause', params: { duration: '30s' } }],
    ['pause', { type: 'fault', kind: 'pause', params: {} }],
    ['cpu 0.2', { type: 'fault', kind: 'cpu', params: { cpus: '0.2', scope: 'container' } }],
    [
      'cpu 50% 2m',
      { type: 'fault', kind: 'cpu', params: { cpus: '50%', scope: 'container', duration: '2m' } },
    ],
    [
      'mem 50m service',
      { type: 'fault', kind: 'memory', params: { limit: '50m', scope: 'service' } },
    ],
    [
      'memory --memory=64m --for 1m',
      {
        type: 'fault',
        kind: 'memory',
        params: { limit: '64m', scope: 'container', duration: '1m' },
      },
    ],
    [
      'net delay 1s',
      {
        type: 'fault',
        kind: 'net',
        params: { type: 'delay', amount: '1s', jitter: '', method: 'auto' },
      },
    ],
    [
      'net loss 30% 45s',
      {
        type: 'fault',
        kind: 'net',
        params: { type: 'loss', amount: '30%', jitter: '', method: 'auto', duration: '45s' },
      },
    ],
    [
      'net --rate 1mbit',
      {
        type: 'fault',
        kind: 'net',
        params: { type: 'rate', amount: '1mbit', jitter: '', method: 'auto' },
      },
    ],
    ['drain', { type: 'fault', kind: 'drain', params: {} }],
    ['undo', { type: 'undo' }],
    ['halt', { type: 'halt' }],
    ['note login spinner stuck', { type: 'note', text: 'login spinner stuck' }],
    ['report', { type: 'report' }],
    ['svc lab_api', { type: 'svc', name: 'lab_api' }],
    ['sort changed', { type: 'sort', by: 'changed' }],
    ['scale 3', { type: 'service', action: { kind: 'scale', replicas: 3 } }],
    ['scale 0', { type: 'service', action: { kind: 'scale', replicas: 0 } }],
    ['restart', { type: 'service', action: { kind: 'restart' } }],
    ['q', { type: 'quit' }],
    ['quit', { type: 'quit' }],
  ])(':%s', (text, parsed) => expect(parseCommandLine(text)).toEqual(parsed));

  it.each([
    ['cpu', /cpu needs --cpus/],
    ['net jitter 1s', /net takes delay, loss or rate/],
    ['net loss 30% --jitter 5ms', /--jitter goes with --delay/],
    ['kill --cpus 1', /--cpus is not an option of kill/],
    ['kill --bogus 1', /--bogus is not an option of kill/],
    ['pause 30s extra', /pause takes pause \[DURATION\]/],
    ['pause --for', /--for needs a value/],
    ['sort size', /sort name, replicas or changed/],
    ['svc', /svc NAME/],
    ['scale', /scale REPLICAS/],
    ['scale -1', /scale REPLICAS/],
    ['scale 2.5', /scale REPLICAS/],
    ['restart now', /restart takes nothing/],
    ['halt now', /halt takes nothing/],
    ['', /type a command/],
    ['frob', /no command "frob"/],
  ])(':%s is refused: %s', (text, message) => {
    const parsed = parseCommandLine(text);
    expect(parsed.type).toBe('error');
    expect(parsed.type === 'error' && parsed.message).toMatch(message);
  });

  it.each([
    ['p', 'pa'],
    ['pau', 'pause '],
    ['par', 'partition '],
    ['s', 's'],
    ['st', 'st'],
    ['sto', 'stop '],
    ['str', 'stress '],
    ['so', 'sort '],
    ['sc', 'scale '],
    ['r', 're'],
    ['res', 'restart '],
    ['n', 'n'],
    ['zz', 'zz'],
    ['pause 3', 'pause 3'],
  ])('Tab on %j gives %j', (text, completed) => expect(completeCommand(text)).toBe(completed));

  it.each([
    ['pa', '  (pause partition)'],
    ['pau', 'se [DURATION]'],
    ['s', '  (stop stress svc scale sort)'],
    ['cpu ', '  cpu CPUS [container|service] [DURATION]'],
    ['frob x', ''],
  ])('hint after %j: %j', (text, hint) => expect(commandHint(text)).toBe(hint));
});
