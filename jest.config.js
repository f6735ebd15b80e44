/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/test/global-setup.js',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  // These packages ship only ES modules; jest runs CommonJS, so they are transformed too.
  transformIgnorePatterns: ['/node_modules/(?!(jose|graphql-request)/)'],
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/seeds/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 120_000,
  maxWorkers: 2,
  // Each e2e file starts a server (and an embedded database); what a file leaves in a worker's
  // heap adds up over ~95 files, so a worker past this is replaced before its next file.
  workerIdleMemoryLimit: '1GB',
};
