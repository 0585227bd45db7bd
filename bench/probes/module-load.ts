/**
 * Run in a fresh process: loads one function's module the way the functions-framework CLI does
 * (with the framework itself already loaded) and prints how long the `require` took, as JSON.
 * Usage: node module-load.js <module path>   (FUNCTION_TARGET and the function's env set)
 */
export {};
require('@google-cloud/functions-framework');
const started = process.hrtime.bigint();
require(process.argv[2]);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(`${JSON.stringify({ ms })}\n`);
// Clients created at load may hold the event loop open; the figure is taken.
process.exit(0);
