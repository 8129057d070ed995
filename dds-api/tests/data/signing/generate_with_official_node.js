// Writes the `node_*.json` signing vectors with Alibaba Cloud's official Node signing
// helpers, which sign a different header set than the Python ones (host, content-type and
// x-acs-* only).
//
//   npm install @alicloud/openapi-util@0.3.3
//   node generate_with_official_node.js
//
// The tests only read the JSON files; this script is how they were made.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const Util = require('@alicloud/openapi-util').default;

const emptySha256 = crypto.createHash('sha256').update('').digest('hex');
const query = { DBInstanceId: 'dds-bp1', SSLAction: 'Update', 'Tag.1.Key': 'env name*', Empty: '' };
const headers = {
  host: 'localhost:9443',
  accept: 'application/json',
  'user-agent': 'AlibabaCloud (linux; x64) Node.js/v20 Core/1 TeaDSL/2',
  'content-type': 'application/x-www-form-urlencoded',
  'x-acs-action': 'ModifyDBInstanceSSL',
  'x-acs-version': '2015-12-01',
  'x-acs-date': '2026-12-03T13:00:00Z',
  'x-acs-signature-nonce': 'abcdefabcdefabcdefabcdefabcdef12',
  'x-acs-content-sha256': emptySha256,
  'x-acs-credentials-provider': 'env',
};
const request = { method: 'POST', pathname: '/', query, headers };
const authorization = Util.getAuthorization(
  request, 'ACS3-HMAC-SHA256', emptySha256, 'node-id', 'node-secret');
const signedHeaders = /SignedHeaders=([^,]*)/.exec(authorization)[1];

// The canonical request, step by step as the helper builds it (it returns only the header).
const encode = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const canonicalQuery = Object.keys(query).sort().map((k) => `${k}=${encode(query[k])}`).join('&');
const canonicalHeaders = signedHeaders.split(';').map((h) => `${h}:${headers[h].trim()}\n`).join('');
const canonicalRequest = ['POST', '/', canonicalQuery, canonicalHeaders, signedHeaders, emptySha256].join('\n');
const digest = crypto.createHash('sha256').update(canonicalRequest).digest('hex');

const expected = {
  payload_sha256: emptySha256,
  canonical_request: canonicalRequest,
  canonical_request_sha256: digest,
  string_to_sign: `ACS3-HMAC-SHA256\n${digest}`,
  signature: authorization.split('Signature=')[1],
  authorization,
};
const check = crypto.createHmac('sha256', 'node-secret').update(expected.string_to_sign).digest('hex');
if (check !== expected.signature) throw new Error('step-by-step canonical request differs from the helper');

const testCase = {
  description: 'V3 as the official Node client signs it: host, content-type and x-acs-* headers; accept and user-agent sent but not signed',
  source: '@alicloud/openapi-util 0.3.3 (Node), getAuthorization',
  version: 'V3',
  method: 'POST',
  path: '/',
  access_key_id: 'node-id',
  access_key_secret: 'node-secret',
  query,
  headers,
  body: '',
  signed_headers: signedHeaders,
  expected,
};
fs.writeFileSync(path.join(__dirname, 'node_v3_client_headers.json'), JSON.stringify(testCase, null, 2) + '\n');
