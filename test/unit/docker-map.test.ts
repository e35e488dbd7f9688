import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  negotiateApiVersion,
  parseEndpoint,
} from '../../source/docker/endpoint.js';
import { toEngineError } from '../../source/docker/errors.js';
import {
  mapEvent,
  mapHealth,
  mapService,
  mapTask,
  parseTime,
  shortImage,
} from '../../source/docker/map.js';

describe('parseEndpoint', () => {
  it.each([
    [undefined, {}, { kind: 'unix', path: '/var/run/docker.sock' }],
    [undefined, { DOCKER_HOST: 'unix:///run/x.sock' }, { kind: 'unix', path: '/run/x.sock' }],
    [
      'unix:///tmp/d.sock',
      { DOCKER_HOST: 'tcp://ignored:1' },
      { kind: 'unix', path: '/tmp/d.sock' },
    ],
    ['tcp://10.0.0.5:2375', {}, { kind: 'tcp', host: '10.0.0.5', port: 2375, tls: false }],
    [
      'tcp://m1',
      { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/c' },
      { kind: 'tcp', host: 'm1', port: 2376, tls: true, certPath: '/c' },
    ],
    ['ssh://ops@m1', {}, { kind: 'ssh', host: 'm1', port: 22, user: 'ops' }],
    ['ssh://m1:2222', {}, { kind: 'ssh', host: 'm1', port: 2222 }],
  ])('%s with %j', (url, env, expected) => {
    expect(parseEndpoint(url, env)).toMatchObject(expected);
  });
  it.each(['ftp://x', 'unix://relative', 'not a url'])('rejects %s with a message', (url) => {
    expect(() => parseEndpoint(url, {})).toThrow(/bad docker host/);
  });
});

describe('API version negotiation', () => {
  it.each([
    ['1.41', '1.45', '1.41'],
    ['1.47', '1.45', '1.45'],
    ['1.9', '1.45', '1.9'],
  ])('server %s, client %s → %s', (server, client, expected) =>
    expect(negotiateApiVersion(server, client)).toBe(expected),
  );
  it('compares numerically', () => expect(compareVersions('1.9', '1.41')).toBeLessThan(0));
});

describe('mapping raw shapes', () => {
  it('maps a replicated service with ServiceStatus, healthcheck and host ports', () => {
    const s = mapService({
      ID: 'abc',
      Spec: {
        Name: 'lab_web',
        Mode: { Replicated: { Replicas: 3 } },
        TaskTemplate: {
          ContainerSpec: {
            Image: 'registry.io:5000/team/web:1@sha256:ff',
            Healthcheck: { Test: ['CMD-SHELL', 'true'] },
          },
        },
      },
      Endpoint: {
        Ports: [{ Protocol: 'tcp', TargetPort: 8080, PublishedPort: 18080, PublishMode: 'host' }],
      },
      ServiceStatus: { RunningTasks: 2, DesiredTasks: 3 },
      UpdateStatus: {
        State: 'paused',
        Message: 'update paused due to failure or early termination of task x',
      },
    });
    expect(s).toMatchObject({
      updateState: 'paused',
      updateMessage: 'update paused due to failure or early termination of task x',
      name: 'lab_web',
      mode: 'replicated',
      running: 2,
      desired: 3,
      image: 'team/web:1',
      hasHealthcheck: true,
      restartDelayMs: 5000,
      ports: [{ target: 8080, published: 18080, mode: 'host', protocol: 'tcp' }],
    });
  });
  it('maps a global service and an explicit NONE healthcheck', () => {
    const s = mapService({
      ID: 'g',
      Spec: {
        Name: 'agent',
        Mode: { Global: {} },
        TaskTemplate: {
          ContainerSpec: { Healthcheck: { Test: ['NONE'] } },
          RestartPolicy: { Delay: 2e9 },
        },
      },
    });
    expect(s).toMatchObject({ mode: 'global', hasHealthcheck: false, restartDelayMs: 2000 });
  });
  it('maps a failed task with exit code and error', () => {
    const t = mapTask({
      ID: 't',
      ServiceID: 's',
      Slot: 1,
      NodeID: 'n',
      CreatedAt: '2026-01-01T00:00:00.000Z',
      DesiredState: 'shutdown',
      Status: {
        Timestamp: '2026-01-01T00:00:07.600123456Z',
        State: 'failed',
        Err: 'task: non-zero exit (137)',
        ContainerStatus: { ContainerID: 'c1', ExitCode: 137 },
      },
    });
    expect(t).toMatchObject({
      state: 'failed',
      desiredState: 'shutdown',
      exitCode: 137,
      error: 'task: non-zero exit (137)',
      containerId: 'c1',
    });
    expect(t.stateSince - t.createdAt).toBe(7600);
  });
  it('maps container health with probes, OOM and restarts', () => {
    const h = mapHealth({
      Id: 'c',
      RestartCount: 2,
      State: {
        Status: 'running',
        Running: true,
        OOMKilled: true,
        Health: {
          Status: 'unhealthy',
          FailingStreak: 3,
          Log: [
            {
              Start: '2026-01-01T00:00:00Z',
              End: '2026-01-01T00:00:00.050Z',
              ExitCode: 1,
              Output: 'boom\n',
            },
          ],
        },
      },
    });
    expect(h).toMatchObject({
      status: 'unhealthy',
      failingStreak: 3,
      oomKilled: true,
      restartCount: 2,
      probes: [{ exitCode: 1, output: 'boom' }],
    });
  });
  it('treats the Go zero time as no time', () =>
    expect(parseTime('0001-01-01T00:00:00Z')).toBeUndefined());
  it.each([
    ['nginx:1.25', 'nginx:1.25'],
    ['docker.io/library/nginx:1.25@sha256:abc', 'library/nginx:1.25'],
    ['localhost:5000/app', 'app'],
  ])('shortImage %s → %s', (image, short) => expect(shortImage(image)).toBe(short));
  it('maps container events with swarm labels and nanosecond time', () => {
    const e = mapEvent({
      Type: 'container',
      Action: 'die',
      Actor: {
        ID: 'c',
        Attributes: { 'com.docker.swarm.task.id': 't', 'com.docker.swarm.service.name': 'lab_web' },
      },
      time: 1,
      timeNano: 1_700_000_000_123_456_000,
    });
    expect(e).toMatchObject({
      type: 'container',
      action: 'die',
      taskId: 't',
      serviceName: 'lab_web',
    });
    expect(e.time).toBeCloseTo(1_700_000_000_123.456, 2);
  });
  it.each([
    [{ Action: 'die', Attributes: { exitCode: '137' } }, { exitCode: 137 }],
    [{ Action: 'kill', Attributes: { signal: '9' } }, { signal: 'SIGKILL' }],
    [{ Action: 'kill', Attributes: { signal: '15' } }, { signal: 'SIGTERM' }],
    [{ Action: 'kill', Attributes: { signal: '10' } }, { signal: 'signal 10' }],
  ])('carries a die event’s exit code and a kill event’s signal: %j', (raw, fields) => {
    const e = mapEvent({
      Type: 'container',
      Action: raw.Action,
      Actor: { ID: 'c', Attributes: raw.Attributes },
    });
    expect(e).toMatchObject(fields);
  });
});

describe('engine errors say how to fix them', () => {
  const unix = parseEndpoint('unix:///var/run/docker.sock', {});
  it.each([
    [
      { code: 'ENOENT' },
      'unreachable',
      /cannot connect to the Docker daemon at unix:\/\/\/var\/run\/docker.sock/,
    ],
    [{ code: 'ECONNREFUSED' }, 'unreachable', /Is dockerd running/],
    [{ code: 'EACCES' }, 'permission', /permission denied.*docker group/],
    [
      {
        statusCode: 503,
        json: { message: 'This node is not a swarm manager. Use "docker swarm init"' },
      },
      'not-manager',
      /manager/,
    ],
    [
      { statusCode: 503, json: { message: 'This node is not part of a swarm' } },
      'not-swarm',
      /docker swarm init/,
    ],
    [
      { statusCode: 404, json: { message: 'No such container: x' } },
      'not-found',
      /No such container/,
    ],
    [{ statusCode: 500, json: { message: 'oops' } }, 'engine', /oops/],
  ])('%j → %s', (raw, kind, message) => {
    const e = toEngineError(raw, unix);
    expect(e.kind).toBe(kind);
    expect(e.message).toMatch(message);
  });
});
