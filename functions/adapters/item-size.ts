/**
 * The size DynamoDB bills an item by, from its unmarshalled form (the document client's): attribute
 * names plus values; strings as UTF-8, binary as its bytes, numbers about one byte per two digits
 * plus one, sets the sum of their members, lists and maps 3 bytes plus their elements (and, for
 * maps, the element names) plus one byte per element. The search reports it per read so that reads
 * per search are measured from what came back, not estimated from a layout.
 */
export function itemSize(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += utf8(name) + valueSize(value);
  return size;
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

function numberSize(value: number | bigint): number {
  const digits = String(value).replace(/^-/, '').replace('.', '').replace(/^0+/, '').length;
  return Math.ceil(digits / 2) + 1;
}

function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberSize(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) {
    let size = 0;
    for (const member of value as Set<unknown>) size += valueSize(member);
    return size;
  }
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, element) => sum + 1 + valueSize(element), 0);
  if (typeof value === 'object') {
    let size = 3;
    for (const [name, element] of Object.entries(value as Record<string, unknown>)) {
      size += 1 + utf8(name) + valueSize(element);
    }
    return size;
  }
  return 0;
}
