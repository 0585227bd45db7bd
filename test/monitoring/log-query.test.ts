/** The query evaluator the filter tests rely on: it must be able to say no. */
import { extract, filterMatches, ingest, matches, parseQuery } from './log-query';

const entry = ingest(
  {
    severity: 'WARNING',
    message: 'chat event',
    outcome: 'refused',
    detail: 'unauthorized',
    status: 401,
    latencyMs: 12.5,
    httpRequest: { requestMethod: 'POST', status: 401 },
    'logging.googleapis.com/trace': 'projects/p/traces/abc',
    time: '2026-01-01T00:00:00.000Z',
  },
  'chat-events',
  'p',
);

describe('ingest (structured line → LogEntry)', () => {
  it('lifts the special fields out of jsonPayload and names the Cloud Run resource', () => {
    expect(entry.severity).toBe('WARNING');
    expect(entry.trace).toBe('projects/p/traces/abc');
    expect(entry.timestamp).toBe('2026-01-01T00:00:00.000Z');
    expect(entry.httpRequest).toEqual({ requestMethod: 'POST', status: 401 });
    expect(entry.jsonPayload).toEqual({ message: 'chat event', outcome: 'refused', detail: 'unauthorized', status: 401, latencyMs: 12.5 });
    expect(entry.resource).toMatchObject({ type: 'cloud_run_revision', labels: { service_name: 'chat-events' } });
  });
});

describe('filterMatches', () => {
  it.each([
    ['resource.type="cloud_run_revision" AND jsonPayload.detail="unauthorized"', true],
    ['resource.labels.service_name="chat-worker" AND jsonPayload.detail="unauthorized"', false],
    ['resource.label.service_name="chat-events"', true],
    ['jsonPayload.status=401', true],
    ['jsonPayload.status=429', false],
    ['jsonPayload.latencyMs>=0 jsonPayload.latencyMs<13', true],
    ['jsonPayload.latencyMs>13', false],
    ['severity>=WARNING', true],
    ['severity>=ERROR', false],
    ['jsonPayload.missing="x"', false],
    ['NOT jsonPayload.missing="x"', true],
    ['jsonPayload.message:"chat"', true],
    ['jsonPayload.detail:*', true],
    ['jsonPayload.reason:*', false],
    ['httpRequest.status=401', true],
    ['jsonPayload.httpRequest.status=401', false],
  ])('%s → %s', (query, expected) => {
    expect(filterMatches(query, entry)).toBe(expected);
  });

  it('binds OR tighter than AND, as the Logging query language does', () => {
    // (a OR b) AND c: false with c false, whereas a OR (b AND c) would be true.
    expect(filterMatches('jsonPayload.outcome="refused" OR jsonPayload.outcome="new" AND jsonPayload.status=200', entry)).toBe(false);
    expect(parseQuery('a="1" OR b="2" c="3"')).toEqual({
      and: [
        { or: [{ path: ['a'], op: '=', value: '1', quoted: true }, { path: ['b'], op: '=', value: '2', quoted: true }] },
        { path: ['c'], op: '=', value: '3', quoted: true },
      ],
    });
  });

  it('refuses a filter whose result depends on case, and what it does not evaluate', () => {
    expect(matches(parseQuery('jsonPayload.detail="Unauthorized"'), entry, { caseSensitive: true })).toBe(false);
    expect(() => filterMatches('jsonPayload.detail="Unauthorized"', entry)).toThrow(/case sensitivity/);
    expect(() => parseQuery('jsonPayload.detail!="x"')).toThrow(/outside the evaluated subset/);
    expect(() => parseQuery('jsonPayload.detail=~"x"')).toThrow(/outside the evaluated subset/);
    expect(() => parseQuery('"unauthorized"')).toThrow();
    expect(() => parseQuery('(jsonPayload.detail="x"')).toThrow(/missing \)/);
  });

  it('extracts values and labels with EXTRACT(field)', () => {
    expect(extract('EXTRACT(jsonPayload.latencyMs)', entry)).toBe(12.5);
    expect(extract('EXTRACT(jsonPayload.nothing)', entry)).toBeUndefined();
    expect(() => extract('REGEXP_EXTRACT(jsonPayload.detail, "(.*)")', entry)).toThrow();
  });
});
