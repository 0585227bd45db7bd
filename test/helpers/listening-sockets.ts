/**
 * The TCP sockets some processes listen on, read from /proc (Linux): which address each is bound
 * to, so a test can check that a local stack is reachable from this machine only.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ListeningSocket {
  pid: number;
  address: string;
  port: number;
}

/** /proc/net/tcp's address: 4-byte words in host (little-endian) order. */
function decodeAddress(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  for (let i = 0; i < bytes.length; i += 4) bytes.subarray(i, i + 4).reverse();
  if (bytes.length === 4) return [...bytes].join('.');
  // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address.
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return [...bytes.subarray(12)].join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return groups.join(':');
}

const LISTEN = '0A';

/** Listening sockets by inode, from /proc/net/tcp and tcp6. */
function listeningByInode(): Map<string, { address: string; port: number }> {
  const out = new Map<string, { address: string; port: number }>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] !== LISTEN) continue;
      const [addr, port] = f[1].split(':');
      out.set(f[9], { address: decodeAddress(addr), port: parseInt(port, 16) });
    }
  }
  return out;
}

export function listeningSockets(pids: number[]): ListeningSocket[] {
  const byInode = listeningByInode();
  const found: ListeningSocket[] = [];
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone meanwhile
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const socket = byInode.get(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? '');
      if (socket) found.push({ pid, ...socket });
    }
  }
  return found;
}
