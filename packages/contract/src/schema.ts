/**
 * A deliberately small schema library: each schema is both the TypeScript type of a command
 * argument (via `Infer`) and its runtime check, so the two cannot drift. The contract package has
 * no dependencies (it runs in the browser and in Node), hence no zod/valibot here.
 *
 * Every failure is a `RuntimeError(400, message)` whose message names the offending argument,
 * e.g. `path must be a string` or `maxResults must be a finite number`.
 */
import { RuntimeError } from './errors.js';

export interface Schema<T> {
  /** True when a missing (`undefined`) or `null` value is accepted and parsed as `undefined`. */
  readonly optional: boolean;
  /** A short description used in generated docs and error messages. */
  readonly description: string;
  /** Returns the checked value or throws `RuntimeError(400, ...)`. `label` names the value. */
  parse(value: unknown, label: string): T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

export type Shape = Record<string, Schema<unknown>>;

type OptionalKeys<S extends Shape> = {
  [K in keyof S]: S[K] extends { readonly optional: true } ? K : never;
}[keyof S];

export type InferShape<S extends Shape> = Simplify<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & {
    [K in OptionalKeys<S>]?: Infer<S[K]>;
  }
>;

export interface ObjectSchema<S extends Shape> extends Schema<InferShape<S>> {
  readonly shape: S;
}

function fail(message: string): never {
  throw new RuntimeError(400, message);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export interface StringOptions {
  /** Longest accepted value, in UTF-16 code units. Default 65 536. */
  maxLength?: number;
  /** Message used when the value is missing, null or empty (e.g. the reference's `Path is required`). */
  requiredMessage?: string;
  /** Accept NUL characters (never true for paths: the OS would truncate or reject them). */
  allowNul?: boolean;
}

export function string(options: StringOptions = {}): Schema<string> {
  const maxLength = options.maxLength ?? 65_536;
  return {
    optional: false,
    description: 'string',
    parse(value, label) {
      if (value === undefined || value === null || value === '') {
        if (options.requiredMessage) fail(options.requiredMessage);
        if (value === '') return value;
        fail(`${label} is required`);
      }
      if (typeof value !== 'string') fail(`${label} must be a string, not ${describeType(value)}`);
      if (value.length > maxLength) fail(`${label} is too long (at most ${maxLength} characters)`);
      if (!options.allowNul && value.includes('\0')) fail(`${label} must not contain NUL bytes`);
      return value;
    },
  };
}

export interface NumberOptions {
  integer?: boolean;
  min?: number;
  max?: number;
}

export function number(options: NumberOptions = {}): Schema<number> {
  return {
    optional: false,
    description: options.integer ? 'integer' : 'number',
    parse(value, label) {
      if (value === undefined || value === null) fail(`${label} is required`);
      if (typeof value !== 'number') fail(`${label} must be a number, not ${describeType(value)}`);
      if (!Number.isFinite(value)) fail(`${label} must be a finite number`);
      if (options.integer && !Number.isInteger(value)) fail(`${label} must be an integer`);
      if (options.min !== undefined && value < options.min) fail(`${label} must be at least ${options.min}`);
      if (options.max !== undefined && value > options.max) fail(`${label} must be at most ${options.max}`);
      return value;
    },
  };
}

export function boolean(): Schema<boolean> {
  return {
    optional: false,
    description: 'boolean',
    parse(value, label) {
      if (value === undefined || value === null) fail(`${label} is required`);
      if (typeof value !== 'boolean') fail(`${label} must be a boolean, not ${describeType(value)}`);
      return value;
    },
  };
}

/** Missing and `null` both mean "absent", as with the desktop reference's IPC arguments. */
export function optional<T>(inner: Schema<T>): Schema<T | undefined> & { readonly optional: true } {
  return {
    optional: true,
    description: `${inner.description}?`,
    parse(value, label) {
      if (value === undefined || value === null) return undefined;
      return inner.parse(value, label);
    },
  };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Any JSON object (not an array, not null); its members are checked by the handler. */
export function jsonObject(): Schema<Record<string, unknown>> {
  return {
    optional: false,
    description: 'object',
    parse(value, label) {
      if (value === undefined || value === null) fail(`${label} is required`);
      if (!isPlainObject(value)) fail(`${label} must be a JSON object, not ${describeType(value)}`);
      return value;
    },
  };
}

export function array<T>(item: Schema<T>, options: { maxItems?: number } = {}): Schema<T[]> {
  const maxItems = options.maxItems ?? 10_000;
  return {
    optional: false,
    description: `${item.description}[]`,
    parse(value, label) {
      if (value === undefined || value === null) fail(`${label} is required`);
      if (!Array.isArray(value)) fail(`${label} must be an array, not ${describeType(value)}`);
      if (value.length > maxItems) fail(`${label} has too many items (at most ${maxItems})`);
      return value.map((element, index) => item.parse(element, `${label}[${index}]`));
    },
  };
}

/**
 * An object with known members. Unknown members are ignored (the desktop reference ignores extra
 * IPC keys too, e.g. `includeHidden`), and the result holds only the declared ones.
 */
export function object<S extends Shape>(shape: S): ObjectSchema<S> {
  return {
    optional: false,
    description: `{ ${Object.entries(shape)
      .map(([key, schema]) => `${key}${schema.optional ? '?' : ''}: ${schema.description.replace(/\?$/, '')}`)
      .join('; ')} }`,
    shape,
    parse(value, label) {
      if (value === undefined || value === null) value = {};
      if (!isPlainObject(value)) fail(`${label || 'arguments'} must be a JSON object, not ${describeType(value)}`);
      const out: Record<string, unknown> = {};
      for (const [key, schema] of Object.entries(shape)) {
        const parsed = schema.parse(value[key], label ? `${label}.${key}` : key);
        if (parsed !== undefined) out[key] = parsed;
      }
      return out as InferShape<S>;
    },
  };
}
