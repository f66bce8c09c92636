/**
 * Linear's real schema (the 88.3.0 SDK's) made executable: our resolvers for what the platform
 * uses, and for every other field the parent's property or a type-correct default, so any
 * document the SDK sends validates and executes.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLAbstractType, GraphQLObjectType, GraphQLOutputType, GraphQLSchema } from 'graphql';

// Kinds by constructor name, not `instanceof`: test runners may load graphql's ESM build here
// while graphql-tools/yoga use its CJS build, and graphql's predicates reject the other copy.
const kind = (type: unknown) => (type as object).constructor.name;
const isNonNullType = (t: unknown): t is { ofType: GraphQLOutputType } => kind(t) === 'GraphQLNonNull';
const isListType = (t: unknown) => kind(t) === 'GraphQLList';
const isScalarType = (t: unknown): t is { name: string } => kind(t) === 'GraphQLScalarType';
const isEnumType = (t: unknown): t is { getValues(): { value: unknown }[] } => kind(t) === 'GraphQLEnumType';
const isObjectType = (t: unknown) => kind(t) === 'GraphQLObjectType';
const isAbstractType = (t: unknown) => kind(t) === 'GraphQLInterfaceType' || kind(t) === 'GraphQLUnionType';

/** Where CI keeps the schema: `../shared` beside the checkout. */
export const SCHEMA_PATH = fileURLToPath(
  new URL('../../../../shared/linear/schema.graphql', import.meta.url),
);

const SCALAR_DEFAULTS: Record<string, unknown> = {
  ID: 'fake-id',
  String: '',
  Int: 0,
  Float: 0,
  Boolean: false,
  DateTime: new Date(0).toISOString(),
  TimelessDate: '1970-01-01',
  TimelessDateOrDuration: '1970-01-01',
  Duration: 'P0D',
  JSON: {},
  JSONObject: {},
  UUID: '00000000-0000-4000-8000-000000000000',
};

function defaultFor(type: GraphQLOutputType): unknown {
  if (!isNonNullType(type)) return null;
  const inner = type.ofType;
  if (isListType(inner)) return [];
  if (isScalarType(inner)) return SCALAR_DEFAULTS[inner.name] ?? '';
  if (isEnumType(inner)) return inner.getValues()[0]?.value;
  return {};
}

type Resolvers = Record<string, Record<string, unknown>>;

const typeDefsByPath = new Map<string, string>();

/** `schemaPath`: Linear's schema (SDL); default SCHEMA_PATH. */
export function buildFakeSchema(resolvers: Resolvers, schemaPath: string = SCHEMA_PATH): GraphQLSchema {
  let typeDefs = typeDefsByPath.get(schemaPath);
  if (typeDefs === undefined) {
    typeDefs = readFileSync(schemaPath, 'utf8');
    typeDefsByPath.set(schemaPath, typeDefs);
  }
  const schema = makeExecutableSchema({ typeDefs, resolvers, resolverValidationOptions: {} });
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isAbstractType(type)) {
      const abstract = type as GraphQLAbstractType;
      const first = schema.getPossibleTypes(abstract)[0]?.name;
      abstract.resolveType ??= (value: { __typename?: string }) => value?.__typename ?? first;
    }
    if (!isObjectType(type)) continue;
    for (const field of Object.values((type as GraphQLObjectType).getFields())) {
      if (resolvers[type.name]?.[field.name]) continue;
      const name = field.name;
      field.resolve = (parent: Record<string, unknown> | null) => {
        const value = parent?.[name];
        return value === undefined || value === null ? defaultFor(field.type) : value;
      };
    }
  }
  return schema;
}
