'use strict';
// The official Node clients against the emulator (started by run.sh): @alicloud/openapi-client
// in its default mode (signature V3) and in V1 mode, driven with the operation settings the
// generated Dds clients use, and @alicloud/pop-core with GET and with POST.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { CLIENTS, call, serviceError } = require('./clients/node_clients.js');

const FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixture.json'), 'utf8'));
const LOCKED = FIXTURE.locked;

// How long an SSL change may take to show: the emulator runs with a short restart time.
const SETTLE_MS = 20000;

function env(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run this suite through tests/interop/run.sh`);
  }
  return value;
}

const endpoint = env('DDS_INTEROP_ENDPOINT');
const credentials = {
  accessKeyId: env('DDS_INTEROP_ACCESS_KEY_ID'),
  accessKeySecret: env('DDS_INTEROP_ACCESS_KEY_SECRET'),
};

// Calls and resolves to the service error the client raised; fails if the call succeeded.
async function expectServiceError(client, creds, action, params) {
  let body;
  try {
    body = await call(client, endpoint, creds, action, params);
  } catch (error) {
    const found = serviceError(error);
    if (found === null) {
      throw error;
    }
    return found;
  }
  assert.fail(`${action} succeeded with ${JSON.stringify(body)}; a service error was expected`);
}

function sslStatus(client, instanceId) {
  return call(client, endpoint, credentials, 'DescribeDBInstanceSSL', { DBInstanceId: instanceId });
}

// The error name each client reports a lock-mode refusal with: openapi-client throws
// tea-typescript's ResponseError, which is named `Error` at run time; pop-core names its
// errors after the code.
function lockErrorName(client) {
  return client.startsWith('pop-core-') ? 'IncorrectDBInstanceLockModeError' : 'Error';
}

for (const client of Object.keys(CLIENTS)) {
  test(`${client}: ModifyDBInstanceSSL opens SSL and DescribeDBInstanceSSL shows it`, async () => {
    const instance = FIXTURE.perClient[client];
    const before = await sslStatus(client, instance);
    assert.equal(before.SSLStatus, 'Closed', JSON.stringify(before));

    const answer = await call(client, endpoint, credentials, 'ModifyDBInstanceSSL',
      { DBInstanceId: instance, SSLAction: 'Open' });
    assert.ok(answer.RequestId, JSON.stringify(answer));

    // The change restarts the instance; it shows once the restart is over.
    const deadline = Date.now() + SETTLE_MS;
    let after = await sslStatus(client, instance);
    while (after.SSLStatus !== 'Open' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = await sslStatus(client, instance);
    }
    assert.equal(after.SSLStatus, 'Open', JSON.stringify(after));
    assert.ok(after.CertCommonName, JSON.stringify(after));
    assert.ok(after.SSLExpiredTime, JSON.stringify(after));
  });

  test(`${client}: a locked instance answers IncorrectDBInstanceLockMode with 403`, async () => {
    const error = await expectServiceError(client, credentials, 'ModifyDBInstanceSSL',
      { DBInstanceId: LOCKED, SSLAction: 'Open' });
    assert.deepEqual([error.code, error.status], ['IncorrectDBInstanceLockMode', 403]);
    assert.equal(error.exceptionType, lockErrorName(client));
    assert.equal(error.body.Code, 'IncorrectDBInstanceLockMode');
    assert.ok(error.body.RequestId, JSON.stringify(error.body));
  });

  test(`${client}: a wrong secret answers SignatureDoesNotMatch`, async () => {
    const wrong = { ...credentials, accessKeySecret: `${credentials.accessKeySecret}-wrong` };
    const error = await expectServiceError(client, wrong, 'DescribeDBInstanceSSL',
      { DBInstanceId: FIXTURE.perClient[client] });
    assert.deepEqual([error.code, error.status], ['SignatureDoesNotMatch', 400]);
  });

  for (const [kind, instance] of Object.entries(FIXTURE.specialIds)) {
    // The instance exists only under this exact id, so an answer proves the value arrived
    // unchanged and the signature over it was accepted.
    test(`${client}: unusual parameter values (${kind}) are signed and decoded intact`, async () => {
      const answer = await sslStatus(client, instance);
      assert.equal(answer.SSLStatus, 'Closed', JSON.stringify(answer));
      assert.ok(answer.RequestId, JSON.stringify(answer));
    });
  }

  test(`${client}: empty parameter values are signed and reach the operation`, async () => {
    // An empty value is signed as `Key=`. The emulator gets past the signature check and
    // refuses the value itself: InvalidParameter naming SSLAction (an absent SSLAction would
    // be a Missing... code instead).
    const error = await expectServiceError(client, credentials, 'ModifyDBInstanceSSL',
      { DBInstanceId: LOCKED, SSLAction: '' });
    assert.deepEqual([error.code, error.status], ['InvalidParameter', 400]);
    assert.match(error.body.Message, /SSLAction/);
  });
}
