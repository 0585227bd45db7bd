import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpGet } from '../../shared/http/get';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/keys') res.writeHead(200, { 'cache-control': 'public, max-age=60' }).end('{"k":"v"}');
    else if (req.url === '/big') res.writeHead(200).end('x'.repeat(5000));
    else if (req.url === '/hang') setTimeout(() => res.end('late'), 2000);
    else res.writeHead(503).end('down');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('httpGet (the signing keys fetch)', () => {
  const options = { timeoutMs: 500, maxBytes: 1000 };

  it('returns status, headers and body', async () => {
    const res = await httpGet(`${base}/keys`, options);
    expect(res).toMatchObject({ status: 200, body: '{"k":"v"}' });
    expect(res.headers['cache-control']).toBe('public, max-age=60');
  });

  it('returns an error status as it is, for the caller to refuse', async () => {
    await expect(httpGet(`${base}/other`, options)).resolves.toMatchObject({ status: 503, body: 'down' });
  });

  it('gives up on a server that does not answer in time', async () => {
    const started = Date.now();
    await expect(httpGet(`${base}/hang`, options)).rejects.toThrow('no answer within 500 ms');
    expect(Date.now() - started).toBeLessThan(1900);
  });

  it('refuses an answer larger than the bound', async () => {
    await expect(httpGet(`${base}/big`, options)).rejects.toThrow('answer larger than 1000 bytes');
  });

  it('rejects when nothing listens', async () => {
    await expect(httpGet('http://127.0.0.1:9/keys', options)).rejects.toThrow();
  });
});
