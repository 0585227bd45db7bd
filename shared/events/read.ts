/**
 * Reading untrusted JSON field by field. Each reader names the path it failed on, so a 400
 * says exactly what is wrong; nothing is cast to a wire type without being checked.
 */
import { BadRequestError } from '../errors';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A rule a string field must pass, and what a 400 says it expects (`users/{id}`), kept together. */
export interface StringFormat {
  test(value: string): boolean;
  expects: string;
}

/** A pattern as a `StringFormat`. */
export const stringFormat = (pattern: RegExp, expects: string): StringFormat => ({ test: (v) => pattern.test(v), expects });

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class Reader {
  constructor(
    private readonly value: JsonObject,
    private readonly path: string,
  ) {}

  static root(value: unknown): Reader {
    if (!isObject(value)) throw new BadRequestError('the body must be a JSON object');
    return new Reader(value, '');
  }

  private at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null;
  }

  object(key: string): Reader {
    const v = this.value[key];
    if (!isObject(v)) throw new BadRequestError(`${this.at(key)} must be an object`);
    return new Reader(v, this.at(key));
  }

  optionalObject(key: string): Reader | undefined {
    return this.has(key) ? this.object(key) : undefined;
  }

  string(key: string, format?: StringFormat): string {
    const v = this.value[key];
    if (typeof v !== 'string') throw new BadRequestError(`${this.at(key)} must be a string${format ? ` (${format.expects})` : ''}`);
    if (format && !format.test(v)) throw new BadRequestError(`${this.at(key)} must be ${format.expects}`);
    return v;
  }

  optionalString(key: string, format?: StringFormat): string | undefined {
    return this.has(key) ? this.string(key, format) : undefined;
  }

  boolean(key: string): boolean {
    const v = this.value[key];
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') throw new BadRequestError(`${this.at(key)} must be a boolean`);
    return v;
  }

  /** Numbers arrive as numbers, as int64 strings ("3") or as floats ("3.0" in add-on payloads): accept all three. */
  integer(key: string): number {
    const v = this.value[key];
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isSafeInteger(n)) throw new BadRequestError(`${this.at(key)} must be an integer`);
    return n;
  }

  optionalInteger(key: string): number | undefined {
    return this.has(key) ? this.integer(key) : undefined;
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    if (!this.has(key)) return undefined;
    const v = this.string(key);
    if (!(values as readonly string[]).includes(v)) {
      throw new BadRequestError(`${this.at(key)} must be one of ${values.join(', ')}`);
    }
    return v as T;
  }

  array(key: string): Reader[] {
    const v = this.value[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw new BadRequestError(`${this.at(key)} must be an array`);
    return v.map((item, i) => {
      if (!isObject(item)) throw new BadRequestError(`${this.at(key)}[${i}] must be an object`);
      return new Reader(item, `${this.at(key)}[${i}]`);
    });
  }

  /** A map of string values (`common.parameters`); other value types are a 400. */
  stringMap(key: string): Record<string, string> {
    if (!this.has(key)) return {};
    const obj = this.object(key);
    const out: Record<string, string> = {};
    for (const k of obj.keys()) out[k] = obj.string(k);
    return out;
  }

  /** This object with `key` set to another reader's object (or removed): how a wrapped event is read as a flat one. */
  with(key: string, other: Reader | undefined): Reader {
    const { [key]: _replaced, ...rest } = this.value;
    return new Reader(other ? { ...rest, [key]: other.value } : rest, this.path);
  }

  keys(): string[] {
    return Object.keys(this.value);
  }

  stringArray(key: string): string[] {
    const v = this.value[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) {
      throw new BadRequestError(`${this.at(key)} must be an array of strings`);
    }
    return v as string[];
  }
}
