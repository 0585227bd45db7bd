/** Keys built from the event, not the clock: map fields by person or route, documents by day in the space's time zone. */
import { dayKey, fieldKey, shardOf, spaceDayKey } from '../../shared/stores/keys';
import { createSpaceStore } from '../../shared/stores/spaces';
import { randomProjectId } from '../helpers/chat-events';
import { testFirestore } from '../helpers/firestore';

test('fieldKey keeps letters, digits, _ and -, and replaces the rest (a field path must not split)', () => {
  expect(fieldKey('users/123')).toBe('users_123');
  expect(fieldKey('command:4')).toBe('command_4');
  expect(fieldKey('a.b`c d-e_f')).toBe('a_b_c_d-e_f');
});

test("shardOf is FNV-1a (its published test vectors), taken modulo the shard count", () => {
  // With 2^32 shards the shard is the hash itself (FNV's 32-bit vectors: "", "a", "foobar").
  expect([shardOf('', 2 ** 32), shardOf('a', 2 ** 32), shardOf('foobar', 2 ** 32)]).toEqual([0x811c9dc5, 0xe40c292c, 0xbf9cf968]);
  expect(shardOf('foobar', 10)).toBe(0xbf9cf968 % 10);
});

describe('dayKey: the day of the event, in a time zone', () => {
  const at = (eventTime: string) => ({ eventTime });

  // Far from today, so a key taken from the clock instead of the event cannot pass.
  test.each([
    ['2026-05-01T23:30:00Z', 'UTC', '2026-05-01'],
    ['2026-05-01T23:30:00Z', 'Europe/Paris', '2026-05-02'],
    ['2026-05-01T03:30:00.123456Z', 'America/Los_Angeles', '2026-04-30'],
    ['2026-12-31T10:00:00Z', 'Pacific/Kiritimati', '2027-01-01'],
    ['0099-01-01T12:00:00Z', 'UTC', '0099-01-01'],
    // Year 0 is 1 BC to a calendar formatter; its key must still say 0000.
    ['0000-06-15T12:00:00Z', 'UTC', '0000-06-15'],
    // Before year 0000 in the zone (the event's own offset, or the space's zone): ISO 8601's signed year.
    ['0000-01-01T00:00:00+01:00', 'UTC', '-0001-12-31'],
    ['0000-01-01T04:00:00Z', 'America/New_York', '-0001-12-31'],
  ])('%s in %s is %s', (eventTime, zone, day) => {
    expect(dayKey(at(eventTime), zone)).toBe(day);
  });

  test('one formatter per zone, built once however many events (building one costs more than formatting with it)', () => {
    const built = jest.spyOn(Intl, 'DateTimeFormat');
    try {
      for (const hour of ['01', '02', '03']) expect(dayKey(at(`2026-05-01T${hour}:00:00Z`), 'Asia/Kathmandu')).toBe('2026-05-01');
      expect(built).toHaveBeenCalledTimes(1);
      dayKey(at('2026-05-01T01:00:00Z'), 'Asia/Tokyo');
      expect(built).toHaveBeenCalledTimes(2);
    } finally {
      built.mockRestore();
    }
  });

  test('an unknown zone counts in UTC instead of failing the event', () => {
    expect(dayKey(at('2026-05-01T23:30:00Z'), 'Mars/Olympus_Mons')).toBe('2026-05-01');
  });
});

test("spaceDayKey uses the space's /config time zone, and UTC for a space without settings", async () => {
  const projectId = randomProjectId('keys');
  const db = testFirestore(projectId);
  try {
    const spaces = createSpaceStore(async () => db);
    await spaces.updateSettings('SPARIS', { timeZone: 'Europe/Paris' });
    const eventTime = '2026-05-01T22:30:00Z';
    expect(await spaceDayKey({ eventTime, space: { id: 'SPARIS' } }, spaces)).toBe('2026-05-02');
    expect(await spaceDayKey({ eventTime, space: { id: 'SNONE' } }, spaces)).toBe('2026-05-01');
  } finally {
    await db.terminate();
  }
});
