import http from 'node:http';
import https from 'node:https';
import { describe, expect, it } from 'vitest';
import { httpClientFor } from '../../source/probes/http-client.js';

describe('httpClientFor', () => {
  it.each([
    ['http://127.0.0.1:18080/login', http],
    ['https://example.test/health', https],
    ['HTTPS://shouting.test/', https],
  ])('%s → Node’s own client', (url, client) => {
    expect(httpClientFor(url).request).toBe(client.request);
  });
});
