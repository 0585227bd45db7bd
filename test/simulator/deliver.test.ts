/**
 * An add-on's card actions name the URL Chat calls. The simulator calls only the app's endpoint:
 * an action naming another URL, or a bare function name, fails as the app's failure, and no
 * request is made for it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDeliver } from '../../local/simulator/deliver';

test.each(['pollVote', 'http://127.0.0.1:1/other', 'https://elsewhere.example.com/chatEvents'])('an action naming %s is not sent', async (to) => {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    const deliver = createDeliver({ eventsUrl, token: () => 'token' });
    const refused = await deliver({}, to);
    expect(refused).toMatchObject({ status: 0, failure: expect.stringContaining(`names "${to}", not the app's endpoint URL ${eventsUrl}`) });
    expect(await deliver({}, eventsUrl)).toMatchObject({ status: 200, body: {} });
    expect(requests).toBe(1);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
