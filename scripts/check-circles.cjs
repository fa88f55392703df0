// `npm run check:circles`: madge over src/ (config in .madgerc). madge parses TypeScript with
// @typescript-eslint/typescript-estree, which needs TypeScript's JavaScript API; TypeScript 7 (our compiler)
// has none, so madge's process resolves `typescript` to TypeScript 5.9 (the `typescript-api` alias).
const Module = require("node:module");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, request === "typescript" ? "typescript-api" : request, ...rest);
};
process.argv = [process.argv[0], "madge", "--circular", "--extensions", "ts", "src"];
require("madge/bin/cli.js");
