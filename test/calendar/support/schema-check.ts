// A small JSON Schema checker for the subset the API's schemas use (type incl. type lists, enum,
// properties, required, additionalProperties, items, anyOf, $ref to #/components/schemas), so tests can
// hold real responses against the served OpenAPI document.

type Schema = Record<string, unknown>;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

/** Problems of `value` against `schema` (empty when it conforms). */
export function checkSchema(value: unknown, schema: Schema, components: Record<string, Schema>, path = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = components[name];
    if (!target) return [`${path}: unknown $ref ${schema.$ref}`];
    return checkSchema(value, target, components, path);
  }
  if (Array.isArray(schema.anyOf)) {
    const ok = (schema.anyOf as Schema[]).some((s) => checkSchema(value, s, components, path).length === 0);
    return ok ? [] : [`${path}: matches no anyOf branch: ${JSON.stringify(value).slice(0, 200)}`];
  }
  const problems: string[] = [];
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => typeMatches(t, actual))) return [`${path}: ${actual} is not ${types.join('|')}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (actual === 'object') {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const r of (schema.required as string[] | undefined) ?? []) if (!(r in obj)) problems.push(`${path}: missing ${r}`);
    for (const [k, v] of Object.entries(obj)) {
      if (props[k]) problems.push(...checkSchema(v, props[k]!, components, `${path}.${k}`));
      else if (schema.additionalProperties === false) problems.push(`${path}: unexpected property ${k}`);
      else if (typeof schema.additionalProperties === 'object') {
        problems.push(...checkSchema(v, schema.additionalProperties as Schema, components, `${path}.${k}`));
      }
    }
  }
  if (actual === 'array' && schema.items) {
    (value as unknown[]).forEach((v, i) => problems.push(...checkSchema(v, schema.items as Schema, components, `${path}[${i}]`)));
  }
  return problems;
}
