/**
 * The routing cases of test/events/routing.test.ts, run in both wire formats: the same classic events
 * converted for an add-on must reach the same handlers, with the same normalized event, and be
 * answered with the add-on form of the same reply.
 */
import { FORMATS, formatKit, startServerFor } from '../helpers/addon-events';
import { randomProjectId } from '../helpers/chat-events';
import type { EventsServer } from '../helpers/events-server';
import { routingCases, routingRouter } from '../events/routing-cases';

describe.each(FORMATS)('routing, %s format', (format) => {
  let server: EventsServer;
  beforeAll(async () => {
    server = await startServerFor(format, { projectId: randomProjectId(`routing-${format}`), router: routingRouter });
  });
  afterAll(() => server?.stop());

  routingCases(formatKit(format), () => server);
});
