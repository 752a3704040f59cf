/**
 * The table in docs/api.md that says who may call each route, made from the OpenAPI document's `x-access`
 * (openapi.ts), which is made from the routes' own declarations: the documentation cannot drift from what the
 * server enforces (test/docs-route-access.test.ts compares them).
 */

interface Operation {
  security?: unknown[];
  'x-access'?: { permission: string; role: string };
  'x-reaches'?: string;
}

/** A Markdown table, one row per operation, in path then method order. */
export function routeAccessTable(document: { paths: Record<string, Record<string, Operation>> }): string {
  const rows: string[] = [];
  for (const path of Object.keys(document.paths).sort()) {
    const operations = document.paths[path]!;
    for (const method of Object.keys(operations).sort()) {
      const operation = operations[method]!;
      const url = path.replace(/\{(\w+)\}/g, ':$1');
      const access = operation['x-access'];
      const who = access === undefined ? 'anyone (public)' : `${access.role} (\`${access.permission}\`)`;
      const target = operation['x-reaches'];
      const reaches =
        target === undefined
          ? ''
          : target === 'conversation'
            ? 'the conversation'
            : `the ${target}'s conversation`;
      rows.push(`| \`${method.toUpperCase()} ${url}\` | ${who} | ${reaches} |`);
    }
  }
  return [
    '| route | least role (permission) | 404 unless the actor sees |',
    '| --- | --- | --- |',
    ...rows,
  ].join('\n');
}
