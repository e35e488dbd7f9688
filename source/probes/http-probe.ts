import { httpClientFor } from './http-client.js';

/**
 * One HTTP GET on a fresh connection (like curl: connect, request, read the whole body).
 * Resolves on a 2xx/3xx answer, rejects on anything else, on errors and after the timeout.
 */
export function httpGet(url: string, timeoutMs: number): Promise<void> {
  const client = httpClientFor(url);
  return new Promise((resolve, reject) => {
    const request = client.get(url, { agent: false, timeout: timeoutMs }, (response) => {
      response.on('data', () => undefined);
      response.on('end', () => {
        const code = response.statusCode ?? 0;
        if (code >= 200 && code < 400) resolve();
        else reject(new Error(`HTTP ${code}`));
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}
