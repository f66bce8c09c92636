/** Platform-checked test verdicts: run the project's tests, parse per-test results, decide, cross-check. */
export { type CrossCheck, crossCheck, type ModelTestReport } from './cross-check';
export { collectJUnit, JUnitDirError, MAX_JUNIT_BYTES, prepareJUnitDir } from './junit-files';
export {
  boundText,
  JUnitParseError,
  MAX_MESSAGE_BYTES,
  parseJUnit,
  parseTap,
  type TestCase,
  type TestStatus,
  testCaseSchema,
} from './results';
export {
  OUTPUT_TAIL_BYTES,
  pytestAddopts,
  type RunTestCommandOptions,
  runTestCommand,
  TEST_RESULT_FORMATS,
  type TestResultFormat,
  type TestRun,
  testRunSchema,
} from './run-tests';
export {
  isTestPath,
  parseStatusZ,
  type StatusEntry,
  testFilesChanged,
  testFilesDeleted,
} from './test-paths';
export {
  type BaselineSummary,
  baselineSummary,
  baselineSummarySchema,
  decideVerdict,
  type PlatformVerdict,
  platformVerdictSchema,
  type VerdictInput,
} from './verdict';
