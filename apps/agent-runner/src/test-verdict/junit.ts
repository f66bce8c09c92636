/** JUnit XML (pytest `--junitxml`, Jest/Vitest/Go junit reporters, Maven surefire) → test cases. */
import { OmakaseError } from '@omakase/domain';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { boundText, dedupeIds, type TestCase } from './test-case';

export class JUnitParseError extends OmakaseError<'junit_malformed'> {
  constructor(message: string) {
    super('junit_malformed', message);
  }
}

const ARRAY_TAGS = new Set(['testsuite', 'testcase', 'failure', 'error', 'skipped']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // The file is written by workspace code: keep entity expansion bounded (the parser's limits).
  processEntities: { enabled: true, maxEntityCount: 20, maxExpandedLength: 100_000 },
  isArray: (tagName) => ARRAY_TAGS.has(tagName),
});

type XmlNode = Record<string, unknown>;

/** Every test case in `xml` (nested `<testsuite>`s included). Throws JUnitParseError on malformed XML. */
export function parseJUnit(xml: string): TestCase[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw new JUnitParseError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(xml) as XmlNode;
  const cases: TestCase[] = [];
  const roots = doc.testsuites ? asNodes(asNode(doc.testsuites).testsuite) : asNodes(doc.testsuite);
  for (const suite of roots) walkSuite(suite, [], cases);
  return dedupeIds(cases);
}

function walkSuite(suite: XmlNode, outer: string[], into: TestCase[]): void {
  const path = attr(suite, 'name') ? [...outer, attr(suite, 'name') as string] : outer;
  for (const testcase of asNodes(suite.testcase)) into.push(toCase(testcase, path));
  for (const inner of asNodes(suite.testsuite)) walkSuite(inner, path, into);
}

function toCase(testcase: XmlNode, suitePath: string[]): TestCase {
  const name = attr(testcase, 'name') ?? '(unnamed)';
  const classname = attr(testcase, 'classname');
  const id = classname ? `${classname}::${name}` : [...suitePath, name].join(' > ');
  const failure = [...asNodes(testcase.failure), ...asNodes(testcase.error)][0];
  if (failure) return withMessage({ id, status: 'failed' }, describe(failure));
  const skipped = asNodes(testcase.skipped)[0];
  if (skipped) return withMessage({ id, status: 'skipped' }, describe(skipped));
  return { id, status: 'passed' };
}

const withMessage = (test: TestCase, message: string): TestCase => (message ? { ...test, message } : test);

function describe(node: XmlNode): string {
  const message = attr(node, 'message') ?? '';
  const body = typeof node['#text'] === 'string' ? node['#text'] : '';
  return boundText([message, body].filter((part) => part.trim() !== '').join('\n'));
}

function attr(node: XmlNode, name: string): string | undefined {
  const value = node[`@_${name}`];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

// `<skipped/>` parses to '', `<error>text</error>` to 'text', an element with attributes to an
// object: normalise all to nodes.
function asNode(value: unknown): XmlNode {
  if (typeof value === 'string') return { '#text': value };
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as XmlNode) : {};
}

function asNodes(value: unknown): XmlNode[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(asNode);
}
