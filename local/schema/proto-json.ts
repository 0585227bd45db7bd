/**
 * A strict reader of JSON against a protobuf message type, as the proto3 JSON mapping reads it
 * (what Google's front end applies to a Chat answer or API body): field names in lowerCamelCase or
 * as written in the proto, enum values by name (or number), 64-bit integers as strings or numbers,
 * well-known types in their JSON forms, `null` as "absent". It reports every violation with its JSON
 * path instead of stopping at the first. Written here (not protobufjs's `fromObject`) because that
 * one silently drops unknown fields and coerces wrong types, which is exactly what must be caught.
 */
import { Enum, MapField, Type, type Field } from 'protobufjs';
import { isRequired, jsonName } from './schema';

export interface Violation {
  /** JSON path in the checked payload, e.g. `cardsV2[0].card.sections[0].widgets[2].buttonList`. */
  path: string;
  problem: string;
}

/** Extra checks run on each message value of a given type (Chat's rules that the proto cannot express). */
export type TypeRule = (value: Record<string, unknown>, path: string, report: (path: string, problem: string) => void) => void;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (path: string, key: string) => (path ? `${path}.${key}` : key);

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const DURATION = /^-?\d+(\.\d{1,9})?s$/;
const INTEGER = /^-?\d+$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const RANGES: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  sint32: [-(2 ** 31), 2 ** 31 - 1],
  sfixed32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  fixed32: [0, 2 ** 32 - 1],
};
const INT64 = new Set(['int64', 'sint64', 'sfixed64', 'uint64', 'fixed64']);
const WRAPPERS: Record<string, string> = {
  '.google.protobuf.DoubleValue': 'double',
  '.google.protobuf.FloatValue': 'float',
  '.google.protobuf.Int64Value': 'int64',
  '.google.protobuf.UInt64Value': 'uint64',
  '.google.protobuf.Int32Value': 'int32',
  '.google.protobuf.UInt32Value': 'uint32',
  '.google.protobuf.BoolValue': 'bool',
  '.google.protobuf.StringValue': 'string',
  '.google.protobuf.BytesValue': 'bytes',
};

/** Both spellings of every field of a type, cached. */
const namesOf = new WeakMap<Type, Map<string, Field>>();
function fieldsByName(type: Type): Map<string, Field> {
  let names = namesOf.get(type);
  if (!names) {
    names = new Map();
    for (const field of type.fieldsArray) {
      names.set(field.name, field);
      names.set(jsonName(field.name), field);
    }
    namesOf.set(type, names);
  }
  return names;
}

/** The problem with a scalar value, or undefined if the mapping accepts it. */
function scalarProblem(kind: string, v: unknown): string | undefined {
  switch (kind) {
    case 'string':
      return typeof v === 'string' ? undefined : `expected a string, got ${describe(v)}`;
    case 'bool':
      return typeof v === 'boolean' ? undefined : `expected a boolean, got ${describe(v)}`;
    case 'bytes':
      return typeof v === 'string' && BASE64.test(v) ? undefined : `expected base64 bytes, got ${describe(v)}`;
    case 'double':
    case 'float':
      if (typeof v === 'number' && Number.isFinite(v)) return undefined;
      if (typeof v === 'string' && (['NaN', 'Infinity', '-Infinity'].includes(v) || (v.trim() !== '' && Number.isFinite(Number(v))))) return undefined;
      return `expected a number, got ${describe(v)}`;
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' && INTEGER.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n)) return `expected an integer (${kind}), got ${describe(v)}`;
  if (INT64.has(kind)) return kind.startsWith('u') || kind === 'fixed64' ? (n < 0 ? `expected a non-negative ${kind}` : undefined) : undefined;
  const range = RANGES[kind];
  if (range && (n < range[0] || n > range[1])) return `${n} is out of range for ${kind}`;
  return undefined;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v).slice(0, 40)}`;
}

export class ProtoJsonChecker {
  readonly violations: Violation[] = [];

  constructor(private readonly rules: Record<string, TypeRule> = {}) {}

  private report = (path: string, problem: string) => {
    this.violations.push({ path: path || '(root)', problem });
  };

  /** Checks `value` as a `type` message at `path`. */
  message(type: Type, value: unknown, path: string): void {
    const special = this.wellKnown(type, value, path);
    if (special !== false) return;
    if (!isObject(value)) return this.report(path, `expected an object (${type.name}), got ${describe(value)}`);
    const names = fieldsByName(type);
    const seen = new Map<Field, string>();
    for (const [key, item] of Object.entries(value)) {
      const field = names.get(key);
      const p = at(path, key);
      if (!field) {
        this.report(p, `unknown field "${key}" in ${type.fullName.slice(1)}`);
        continue;
      }
      if (seen.has(field)) this.report(p, `field given twice, as "${seen.get(field)}" and "${key}"`);
      seen.set(field, key);
      if (item === null) continue; // proto3 JSON: null is the default value, i.e. absent
      this.field(field, item, p);
    }
    for (const oneof of type.oneofsArray) {
      const set = oneof.fieldsArray.filter((f) => seen.has(f) && value[seen.get(f)!] !== null);
      if (set.length > 1) this.report(path, `more than one of oneof "${oneof.name}": ${set.map((f) => seen.get(f)).join(', ')}`);
    }
    for (const field of type.fieldsArray) {
      if (isRequired(field) && !(seen.has(field) && value[seen.get(field)!] !== null)) {
        this.report(at(path, jsonName(field.name)), `required field is missing (${type.name}.${field.name})`);
      }
    }
    this.rules[type.fullName.slice(1)]?.(value, path, this.report);
  }

  private field(field: Field, value: unknown, path: string): void {
    if (field instanceof MapField) {
      if (!isObject(value)) return this.report(path, `expected a map (object), got ${describe(value)}`);
      const keyType = field.keyType;
      for (const [k, v] of Object.entries(value)) {
        if (keyType !== 'string' && scalarProblem(keyType, k)) this.report(`${path}.${k}`, `map key is not a ${keyType}`);
        this.single(field, v, `${path}.${k}`);
      }
      return;
    }
    if (field.repeated) {
      if (!Array.isArray(value)) return this.report(path, `expected an array, got ${describe(value)}`);
      value.forEach((item, i) => this.single(field, item, `${path}[${i}]`));
      return;
    }
    this.single(field, value, path);
  }

  private single(field: Field, value: unknown, path: string): void {
    const resolved = field.resolvedType;
    if (resolved instanceof Type) return this.message(resolved, value, path);
    if (resolved instanceof Enum) {
      if (resolved.fullName === '.google.protobuf.NullValue' && value === null) return;
      const known = typeof value === 'string' ? value in resolved.values : typeof value === 'number' && value in resolved.valuesById;
      if (!known) this.report(path, `unknown ${resolved.name} value ${describe(value)} (one of ${Object.keys(resolved.values).join(', ')})`);
      return;
    }
    if (value === null) return this.report(path, 'null is not a value here');
    const problem = scalarProblem(field.type, value);
    if (problem) this.report(path, problem);
  }

  /** The JSON forms of well-known types; `false` when `type` is an ordinary message. */
  private wellKnown(type: Type, value: unknown, path: string): void | false {
    const name = type.fullName;
    const wrapped = WRAPPERS[name];
    if (wrapped) {
      const problem = scalarProblem(wrapped, value);
      return problem ? this.report(path, problem) : undefined;
    }
    switch (name) {
      case '.google.protobuf.Timestamp':
        return typeof value === 'string' && RFC3339.test(value) ? undefined : this.report(path, `expected an RFC 3339 timestamp, got ${describe(value)}`);
      case '.google.protobuf.Duration':
        return typeof value === 'string' && DURATION.test(value) ? undefined : this.report(path, `expected a duration such as "1.5s", got ${describe(value)}`);
      case '.google.protobuf.FieldMask':
        return typeof value === 'string' ? undefined : this.report(path, `expected a field mask string, got ${describe(value)}`);
      case '.google.protobuf.Struct':
        return isObject(value) ? undefined : this.report(path, `expected an object, got ${describe(value)}`);
      case '.google.protobuf.ListValue':
        return Array.isArray(value) ? undefined : this.report(path, `expected an array, got ${describe(value)}`);
      case '.google.protobuf.Value':
        return undefined;
      case '.google.protobuf.Any':
        return isObject(value) && typeof value['@type'] === 'string' ? undefined : this.report(path, 'expected an object with "@type"');
      default:
        return false;
    }
  }
}
