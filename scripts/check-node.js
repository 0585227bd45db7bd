// Run before npm start, npm test and npm run bench: the project runs on Node 22 or newer, the
// runtime the functions deploy on (nodejs22). An older Node stops here with how to get 22.
'use strict';

function nodeProblem(version) {
  const major = Number(version.split('.')[0]);
  if (major >= 22) return undefined;
  return [
    `This project runs on Node.js 22 or newer (the functions deploy on nodejs22); this is Node ${version}.`,
    'Install Node.js 22: https://nodejs.org/en/download (or your package manager).',
    'Or, where the system Node is older and cannot be changed: `source scripts/node22.sh` in your shell',
    '(it installs Node 22 from the npm registry into .tools/ once and puts it first on PATH), then run',
    'the command again.',
  ].join('\n');
}

module.exports = { nodeProblem };

if (require.main === module) {
  const problem = nodeProblem(process.versions.node);
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
}
