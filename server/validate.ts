import type { z } from 'zod';
import { AppError } from '../shared/errors.js';

/** Parses with a shared schema; a failure is INVALID_INPUT with the issues as details. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const details = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError('INVALID_INPUT', `invalid ${what}`, details);
  }
  return result.data;
}
