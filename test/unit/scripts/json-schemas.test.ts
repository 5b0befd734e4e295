import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from '#scripts/json-schemas';

describe('docs/schemas', () => {
  it.each(Object.keys(jsonSchemas()))('%s is what the zod schemas generate (npm run schemas)', (file) => {
    const committed = JSON.parse(readFileSync(`docs/schemas/${file}`, 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(jsonSchemas()[file])));
  });
});
