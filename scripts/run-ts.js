// Runs a TypeScript script of the project (transpile only, @app/* aliases resolved).
require('ts-node').register({
  transpileOnly: true,
  project: require('path').join(__dirname, '..', 'tsconfig.json'),
});
require('tsconfig-paths/register');
if (require('node:fs').existsSync('.env')) process.loadEnvFile('.env');
