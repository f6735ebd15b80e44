// Tests that start the server as its own process, or open the bundled pages in a browser,
// need dist/ current: one incremental build before the suite.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async function globalSetup() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['run', 'build', '--silent'], { cwd: path.resolve(__dirname, '..'), stdio: 'inherit' });
};
