import http from 'node:http';
import { createRequire } from 'node:module';

/** The calls the probes make of Node's http and https modules (the same for both). */
export type HttpClient = Pick<typeof http, 'get' | 'request'>;

const require = createRequire(import.meta.url);

/**
 * Node's http client, or its https client for an `https:` URL. https is required on first use:
 * with tls it costs ~2 MB of memory for the console's life, and most probes are plain http.
 */
export function httpClientFor(url: string): HttpClient {
  return /^https:/i.test(url) ? (require('node:https') as HttpClient) : http;
}
