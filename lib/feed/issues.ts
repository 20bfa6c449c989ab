import type { z } from 'zod';

/** One schema problem: where (`channels[2].sellers[14].id`) and what is expected there. */
export type SchemaProblem = { path: string; message: string };

/** `["channels", 2, "sellers", 14, "id"]` -> `channels[2].sellers[14].id`; `[]` -> `(document)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$]*$/.test(segment))
      out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out || '(document)';
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    if (typeof segment === 'symbol') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

function shortValue(value: unknown): string | null {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** Turns zod's issues into one readable line each, with the JSON path and the offending value. */
export function schemaProblems(error: z.ZodError, input: unknown): SchemaProblem[] {
  return error.issues.map((issue) => {
    const value = valueAt(input, issue.path);
    let message = issue.message.replace(/^Invalid (input|option): /, '');
    if (issue.code === 'invalid_type' && value === undefined) {
      message = `missing (expected ${issue.expected})`;
    } else if (issue.code !== 'invalid_type') {
      const got = shortValue(value);
      if (got !== null) message += ` (got ${got})`;
    }
    return { path: formatPath(issue.path), message };
  });
}

export function formatProblem(problem: SchemaProblem): string {
  return `${problem.path}: ${problem.message}`;
}
