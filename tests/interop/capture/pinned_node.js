'use strict';
// Runs requests through the official Node clients with the clock, the nonce and the user agent
// pinned, for capture.py. Reads the runs as JSON on standard input:
//   { endpoint, timestamp, accessKeyId, accessKeySecret, regionId,
//     runs: [ { client, nonce, action, params } ] }
// and sends them one after the other, so the capture server sees them in that order.
// Prints `sent N` at the end. Any failure ends the process with status 1.

const path = require('node:path');

const interop = path.resolve(__dirname, '..');
const nodeModules = path.join(interop, 'node_modules');

// The clock. pop-core formats `new Date()` itself, and openapi-util reads it too; both only ever
// ask for "now", so a Date whose "now" is the pinned instant pins them.
function pinClock(timestamp) {
  const pinned = Date.parse(timestamp);
  if (Number.isNaN(pinned)) {
    throw new Error(`timestamp '${timestamp}' is not a date`);
  }
  const RealDate = Date;
  class PinnedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) {
        super(pinned);
      } else {
        super(...args);
      }
    }

    static now() {
      return pinned;
    }
  }
  global.Date = PinnedDate;
}

// The nonce: openapi-client takes it from tea-util, pop-core from its own copy of kitx.
// Both modules are patched where the clients look them up, at call time.
let currentNonce = null;
function nextNonce() {
  if (currentNonce === null) {
    throw new Error('a client asked for a second nonce in one run');
  }
  const nonce = currentNonce;
  currentNonce = null;
  return nonce;
}

function pinModules() {
  const teaUtil = require(require.resolve('@alicloud/tea-util', { paths: [nodeModules] })).default;
  teaUtil.getNonce = nextNonce;
  teaUtil.getUserAgent = () => 'AlibabaCloud (pinned) Node.js Core TeaDSL/1 dds-interop-capture';

  const popCoreDir = path.dirname(require.resolve('@alicloud/pop-core/package.json', { paths: [nodeModules] }));
  const popKitx = require(require.resolve('kitx', { paths: [path.join(popCoreDir, 'lib')] }));
  popKitx.makeNonce = nextNonce;
  const popHelper = require(path.join(popCoreDir, 'lib', 'helper.js'));
  popHelper.DEFAULT_UA = 'AlibabaCloud (pinned) Node.js Core dds-interop-capture';
  popHelper.DEFAULT_CLIENT = 'Node.js(pinned), @alicloud/pop-core';
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));

  pinClock(input.timestamp);
  pinModules();
  const clients = require(path.join(interop, 'clients', 'node_clients.js'));

  const credentials = { accessKeyId: input.accessKeyId, accessKeySecret: input.accessKeySecret };
  for (const run of input.runs) {
    currentNonce = run.nonce;
    await clients.call(run.client, input.endpoint, credentials, run.action, run.params, input.regionId);
    if (currentNonce !== null) {
      throw new Error(`${run.client} did not ask for a nonce; the pin does not reach it`);
    }
  }
  console.log(`sent ${input.runs.length}`);
  // pop-core keeps its connections alive; do not wait for them to time out.
  process.exit(0);
}

main().catch((error) => {
  console.error(`pinned_node: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
});
