/** Per-test result parsers: JUnit XML and TAP. */
export { JUnitParseError, parseJUnit } from './junit';
export { parseTap } from './tap';
export { boundText, MAX_MESSAGE_BYTES, type TestCase, type TestStatus, testCaseSchema } from './test-case';
