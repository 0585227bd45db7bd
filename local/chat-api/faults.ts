/**
 * Injected failures: a queue of specs, each good for `count` matching calls. A call consumes the
 * oldest spec that matches its method, so faults play out in the order they were injected.
 */
import { ControlError } from './errors';
import { isApiMethod, type ApiMethod, type FaultSpec } from './types';

/** How one faulted call ends. */
export interface FaultOutcome {
  hangMs: number;
  /** The status to answer with, `close` to drop the connection, or `serve` to answer as usual (a delay only). */
  end: number | 'close' | 'serve';
}

const DEFAULT_FAULT_STATUS = 503;

export function checkFaultSpec(f: FaultSpec): void {
  if (f.method !== '*' && !isApiMethod(f.method)) {
    throw new ControlError(`fault method must be create, get, patch, update, delete, getMember, getSpace, listMembers or *`, 'INVALID');
  }
  if (!Number.isInteger(f.count) || f.count < 1) throw new ControlError('fault count must be an integer ≥ 1', 'INVALID');
  if (f.status !== undefined && (!Number.isInteger(f.status) || f.status < 400 || f.status > 599)) {
    throw new ControlError('fault status must be an HTTP error status (400–599)', 'INVALID');
  }
  if (f.hangMs !== undefined && (!Number.isFinite(f.hangMs) || f.hangMs < 0)) {
    throw new ControlError('fault hangMs must be a number ≥ 0', 'INVALID');
  }
  if (f.delayOnly && (f.hangMs === undefined || f.status !== undefined)) throw new ControlError('a delayOnly fault takes hangMs and no status', 'INVALID');
}

export class FaultQueue {
  private pending: FaultSpec[] = [];

  add(fault: FaultSpec): void {
    checkFaultSpec(fault);
    this.pending.push({ ...fault });
  }

  /** Consumes one use of the first matching fault, if any. */
  take(method: ApiMethod): FaultOutcome | undefined {
    const fault = this.pending.find((f) => f.method === '*' || f.method === method);
    if (!fault) return undefined;
    fault.count -= 1;
    if (fault.count === 0) this.pending = this.pending.filter((f) => f !== fault);
    const hangMs = fault.hangMs ?? 0;
    const end = fault.delayOnly ? 'serve' : (fault.status ?? (fault.hangMs !== undefined ? 'close' : DEFAULT_FAULT_STATUS));
    return { hangMs, end };
  }

  list(): FaultSpec[] {
    return this.pending.map((f) => ({ ...f }));
  }

  clear(): void {
    this.pending = [];
  }
}
