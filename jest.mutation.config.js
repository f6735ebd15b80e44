/**
 * Jest for mutation testing (stryker.config.json): only the unit tests of the pure rule
 * modules, no database, no global setup, so that each mutant costs one short test run.
 */
const base = require('./jest.config.js');

module.exports = {
  testEnvironment: 'node',
  setupFiles: base.setupFiles,
  transform: base.transform,
  transformIgnorePatterns: base.transformIgnorePatterns,
  roots: ['<rootDir>/src'],
  testMatch: [
    '<rootDir>/src/modules/matching/scoring.test.ts',
    '<rootDir>/src/modules/matching/scoring-values.test.ts',
    '<rootDir>/src/modules/matching/ranking-model.test.ts',
    '<rootDir>/src/modules/matching/reasons.test.ts',
    '<rootDir>/src/modules/matching/diversify.test.ts',
    '<rootDir>/src/modules/matching/eligibility.test.ts',
    '<rootDir>/src/modules/reports/report-rules.test.ts',
    '<rootDir>/src/modules/proposals/proposal-state.test.ts',
    '<rootDir>/src/modules/signals/signal-rules.test.ts',
    '<rootDir>/src/modules/analytics/periods.test.ts',
    '<rootDir>/src/text/redact.test.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  maxWorkers: 1,
};
