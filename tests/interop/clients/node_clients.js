'use strict';
// Drives the official Alibaba Cloud Node clients the way an application would.
//
// Each client is pointed at a loopback endpoint over plain HTTP. `call` resolves to the decoded
// response body; a service error rejects with the client's own error, and `serviceError` reads
// the code and HTTP status out of it the way that client reports them.

const OpenApi = require('@alicloud/openapi-client');
const OpenApiUtil = require('@alicloud/openapi-util').default;
const { RuntimeOptions } = require('@alicloud/tea-util');
const RPCClient = require('@alicloud/pop-core').RPCClient;

const VERSION = '2015-12-01';

// The Node clients, with the signature each one sends.
const CLIENTS = {
  // @alicloud/openapi-client with default settings: signature V3.
  'node-openapi-v3': 'ACS3-HMAC-SHA256',
  // The same client given the application's own credential object, which names no provider:
  // it then signs `host` and the x-acs-* headers only, exactly the set our SDK signs.
  'node-openapi-v3-own-credential': 'ACS3-HMAC-SHA256',
  // The same client configured with signatureAlgorithm 'v2': signature V1.
  'node-openapi-v1': '1.0',
  // @alicloud/pop-core sending GET: everything in the query.
  'pop-core-get': '1.0',
  // @alicloud/pop-core sending POST: everything in a form body.
  'pop-core-post': '1.0',
};

async function call(client, endpoint, credentials, action, params, regionId = 'cn-hangzhou') {
  switch (client) {
    case 'node-openapi-v3':
    case 'node-openapi-v3-own-credential':
    case 'node-openapi-v1':
      return callOpenApi(client, endpoint, credentials, action, params, regionId);
    case 'pop-core-get':
    case 'pop-core-post':
      return callPopCore(client === 'pop-core-post' ? 'POST' : 'GET', endpoint, credentials,
        action, params);
    default:
      throw new Error(`unknown Node client '${client}'; known: ${Object.keys(CLIENTS).join(', ')}`);
  }
}

// The code and HTTP status of a service error raised by one of the clients, else null.
function serviceError(error) {
  if (!error || !error.code) {
    return null;
  }
  if (error.entry && error.entry.response) {
    // pop-core: an Error named `<Code>Error`, the status in the recorded exchange.
    return {
      code: error.code,
      status: error.entry.response.statusCode,
      exceptionType: error.name,
      body: error.data,
    };
  }
  if (error.statusCode !== undefined && error.data) {
    // openapi-client: tea-typescript's ResponseError, which is a plain `Error` at run time,
    // with `code`, `statusCode` and the decoded error body as `data`.
    return { code: error.code, status: error.statusCode, exceptionType: error.name, body: error.data };
  }
  return null;
}

async function callOpenApi(client, endpoint, credentials, action, params, regionId) {
  const config = new OpenApi.Config({ endpoint, protocol: 'http', regionId });
  if (client === 'node-openapi-v3-own-credential') {
    config.credential = {
      getCredential: async () => ({
        type: 'access_key',
        accessKeyId: credentials.accessKeyId,
        accessKeySecret: credentials.accessKeySecret,
      }),
    };
  } else {
    config.accessKeyId = credentials.accessKeyId;
    config.accessKeySecret = credentials.accessKeySecret;
  }
  if (client === 'node-openapi-v1') {
    config.signatureAlgorithm = 'v2';
  }
  const sdk = new OpenApi.default(config);

  // The operation settings the generated Dds clients use for every action of this API.
  const operation = new OpenApi.Params({
    action,
    version: VERSION,
    protocol: 'HTTPS',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  const request = new OpenApi.OpenApiRequest({ query: OpenApiUtil.query({ ...params }) });

  // One attempt: a retried request would hide what the first answer was.
  const response = await sdk.callApi(operation, request, new RuntimeOptions({ autoretry: false }));
  return response.body;
}

async function callPopCore(method, endpoint, credentials, action, params) {
  const client = new RPCClient({
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    endpoint: `http://${endpoint}`,
    apiVersion: VERSION,
  });
  return client.request(action, { ...params }, { method, timeout: 10000 });
}

module.exports = { CLIENTS, VERSION, call, serviceError };
