import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpGet } from '../../shared/http/get';
import { until } from '../helpers/until';

let server: Server;

/** A key server that is never silent long enough for an idle timeout: a byte every 100 ms, for ever. */
function trickle(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"k":"');
  const timer = setInterval(() => res.write('v'), 100);
  res.on('close', () => clearInterval(timer));
}
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/keys') res.writeHead(200, { 'cache-control': 'public, max-age=60' }).end('{"k":"v"}');
    else if (req.url === '/big') res.writeHead(200).end('x'.repeat(5000));
    else if (req.url === '/hang') setTimeout(() => res.end('late'), 2000);
    else if (req.url === '/trickle') trickle(res);
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
    await expect(httpGet(`${base}/hang`, options)).rejects.toThrow('no complete answer within 500 ms');
    expect(Date.now() - started).toBeLessThan(1900);
  });

  it('gives up on a server that trickles bytes: the timeout bounds the whole answer, not a silence', async () => {
    const connections = () => new Promise<number>((r) => server.getConnections((_, n) => r(n)));
    // Under the bound (5000 bytes) after 2 s, at a byte per 100 ms: only a total deadline ends it.
    await expect(httpGet(`${base}/trickle`, { timeoutMs: 500, maxBytes: 5000 })).rejects.toThrow('no complete answer within 500 ms');
    // The connection is closed, not left trickling.
    await until('the trickling connection to close', async () => (await connections()) === 0, 2000);
  }, 5000);

  it('refuses an answer larger than the bound', async () => {
    await expect(httpGet(`${base}/big`, options)).rejects.toThrow('answer larger than 1000 bytes');
  });

  it('rejects when nothing listens', async () => {
    await expect(httpGet('http://127.0.0.1:9/keys', options)).rejects.toThrow();
  });
});
