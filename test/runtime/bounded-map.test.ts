/** The memory bound shared by the per-instance caches (roles, burst buckets, activity shards). */
import { BoundedMap } from '../../shared/bounded-map';

const keysOf = (map: Map<string, number>) => [...map.keys()];

test('holds at most max entries: a new key when full drops the oldest', () => {
  const map = new BoundedMap<string, number>(2);
  map.set('a', 1).set('b', 2);
  expect(keysOf(map)).toEqual(['a', 'b']);
  map.set('c', 3);
  expect(keysOf(map)).toEqual(['b', 'c']);
  expect(map.get('a')).toBeUndefined();
});

test('setting a key it holds moves it to the end, and drops nothing', () => {
  const map = new BoundedMap<string, number>(2);
  map.set('a', 1).set('b', 2);
  map.set('b', 20);
  expect([...map.entries()]).toEqual([['a', 1], ['b', 20]]);
  map.set('a', 10);
  expect(keysOf(map)).toEqual(['b', 'a']);
  // The oldest is now b, the one set least recently.
  map.set('c', 3);
  expect([...map.entries()]).toEqual([['a', 10], ['c', 3]]);
});
