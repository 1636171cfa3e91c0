/**
 * Keeps only the allowed fields of a message body. Field names are dotted paths
 * (`child.name`); an absent list keeps everything, an empty list keeps nothing.
 */
export function minimise(
  body: Record<string, unknown>,
  fields?: string[],
): Record<string, unknown> {
  if (!fields) return structuredClone(body);
  const view: Record<string, unknown> = {};
  for (const path of fields) {
    const parts = path.split('.');
    let source: unknown = body;
    for (const part of parts) {
      source =
        source && typeof source === 'object'
          ? (source as Record<string, unknown>)[part]
          : undefined;
    }
    if (source === undefined) continue;
    let target = view;
    parts.slice(0, -1).forEach((part) => {
      target[part] = (target[part] as Record<string, unknown>) ?? {};
      target = target[part] as Record<string, unknown>;
    });
    target[parts[parts.length - 1]] = structuredClone(source);
  }
  return view;
}
