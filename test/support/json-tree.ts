/** A JSON document as a tree of paths, and copies of it with one node replaced or removed. */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Path = readonly (string | number)[];
export interface Node {
  path: Path;
  value: Json;
}

export const pathText = (path: Path): string => (path.length > 0 ? path.join('.') : '(root)');

export const jsonType = (value: Json) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Every node of a document, the root first. */
export function nodesOf(value: Json, path: Path = []): Node[] {
  const here: Node[] = [{ path, value }];
  if (Array.isArray(value)) return here.concat(value.flatMap((item, i) => nodesOf(item, [...path, i])));
  if (value !== null && typeof value === 'object') {
    return here.concat(Object.entries(value).flatMap(([key, item]) => nodesOf(item, [...path, key])));
  }
  return here;
}

/** A copy of `root` with the value at `path` replaced (an own property even for `__proto__`). */
export function withValueAt(root: Json, path: Path, value: Json): Json {
  if (path.length === 0) return value;
  const copy = structuredClone(root);
  const parent = path.slice(0, -1).reduce<Json>((node, key) => (node as JsonObject)[key as string] as Json, copy);
  Object.defineProperty(parent, path[path.length - 1] as string, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

export function withoutKeyAt(root: Json, path: Path): Json {
  const copy = structuredClone(root);
  const parent = path.slice(0, -1).reduce<Json>((node, key) => (node as JsonObject)[key as string] as Json, copy);
  delete (parent as JsonObject)[path[path.length - 1] as string];
  return copy;
}
