/**
 * A start command in miniature for test/integration/clean-stops: scripts/supervisor.js running
 * long-lived children (one of which spawns a grandchild) or a long step, so a test can signal it
 * and check that nothing it started is left. Prints READY once its children run.
 */
const { Supervisor } = require('../../scripts/supervisor');

const supervisor = new Supervisor('fixture', { cwd: __dirname, env: process.env });
const node = process.execPath;
const idle = ['-e', 'setInterval(() => {}, 1000)'];
const withGrandchild = [
  '-e',
  `require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
   setInterval(() => {}, 1000);`,
];

async function main() {
  switch (process.argv[2]) {
    case 'services':
      supervisor.service('idle service', node, idle);
      supervisor.service('service with a grandchild', node, withGrandchild);
      supervisor.onStop('the pretend broker', async () => console.log('pretend broker stopped'));
      supervisor.leaves('the pretend database');
      break;
    case 'service-exits':
      supervisor.service('idle service', node, idle);
      supervisor.service('short-lived service', node, [
        '-e',
        'setTimeout(() => process.exit(3), 1500)',
      ]);
      break;
    case 'long-step':
      setTimeout(() => console.log('READY'), 500);
      await supervisor.step('long step', node, withGrandchild);
      console.log('the next step ran');
      return;
  }
  setTimeout(() => console.log('READY'), 500);
}

void main();
