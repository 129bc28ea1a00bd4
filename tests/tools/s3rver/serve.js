#!/usr/bin/env node
// The S3-compatible server the S3 state store tests run against: s3rver on 127.0.0.1, with what the tests need
// around it and nothing that weakens it:
//   - AWS Signature Version 4 verification of the Authorization header: s3rver 3.7.1 checks only that the access
//     key id exists ("Signature version 4 calculation is unimplemented"), so a wrong secret key would pass;
//   - aws-chunked bodies (x-amz-content-sha256: STREAMING-...) are refused with 501: s3rver would store the chunk
//     framing as the object's content, as some S3-compatible servers do;
//   - extra access keys, so a test can use a secret that appears nowhere else (S3RVER/S3RVER is built in);
//   - read-only access keys: any request signed with one that is not GET or HEAD gets 403 AccessDenied, as an IAM
//     policy without s3:PutObject would give;
//   - one line on stdout per request ("kratix-test-request <METHOD> <path> <status>"), so a test can count PUTs;
//   - POST /__kratix-test/fail-next?count=N (no bucket can be named so) makes the next N S3 requests fail with
//     503 SlowDown, to test the client's retries.
// Configuration comes from the environment so that no key is on a command line:
//   S3RVER_DIRECTORY (required), S3RVER_PORT (default 0: any free port), S3RVER_BUCKETS (comma-separated, created
//   at start), S3RVER_KEYS and S3RVER_READONLY_KEYS ("id:secret,id:secret").
// When it listens it prints "kratix-test-listening <port>".
'use strict';

const crypto = require('crypto');
const http = require('http');
const S3rver = require('s3rver');
const AWSAccount = require('s3rver/lib/models/account');

function keyPairs(variable) {
  return (process.env[variable] || '')
    .split(',')
    .filter(pair => pair.length > 0)
    .map(pair => {
      const colon = pair.indexOf(':');
      if (colon <= 0) {
        throw new Error(`${variable}: each entry must be <access key id>:<secret access key>`);
      }
      return [pair.slice(0, colon), pair.slice(colon + 1)];
    });
}

const directory = process.env.S3RVER_DIRECTORY;
if (!directory) {
  throw new Error('S3RVER_DIRECTORY is required: the folder s3rver keeps its buckets in');
}

const readOnly = new Set();
for (const [id, secret] of keyPairs('S3RVER_KEYS')) {
  AWSAccount.DUMMY_ACCOUNT.createKeyPair(id, secret);
}
for (const [id, secret] of keyPairs('S3RVER_READONLY_KEYS')) {
  AWSAccount.DUMMY_ACCOUNT.createKeyPair(id, secret);
  readOnly.add(id);
}

const s3rver = new S3rver({
  directory,
  silent: false,
  configureBuckets: (process.env.S3RVER_BUCKETS || '')
    .split(',')
    .filter(name => name.length > 0)
    .map(name => ({ name, configs: [] })),
});
const handle = s3rver.callback();
let failNext = 0;

function accessKeyOf(request) {
  const match = /Credential=([^/,\s]+)\//.exec(request.headers.authorization || '');
  return match ? match[1] : null;
}

function hmac(key, text) {
  return crypto.createHmac('sha256', key).update(text, 'utf8').digest();
}

function encodeRfc3986(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

// Returns null when the request is not signed with SigV4 in the Authorization header or the signature is right (or
// the key is unknown, which s3rver reports itself), else what is wrong.
function signatureProblem(request) {
  const match = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(
    request.headers.authorization || '');
  if (!match) {
    return null;
  }
  const [, credential, signedHeaders, signature] = match;
  const [accessKeyId, date, region, service, terminator] = credential.split('/');
  const account = AWSAccount.registry.get(accessKeyId);
  if (!account) {
    return null;
  }
  const secret = account.accessKeys.get(accessKeyId);
  const [rawPath, rawQuery = ''] = request.url.split('?');
  const canonicalPath = rawPath.split('/').map(segment => encodeRfc3986(decodeURIComponent(segment))).join('/');
  const canonicalQuery = rawQuery
    .split('&')
    .filter(pair => pair.length > 0)
    .map(pair => {
      const equals = pair.indexOf('=');
      const name = decodeURIComponent(equals < 0 ? pair : pair.slice(0, equals));
      const value = equals < 0 ? '' : decodeURIComponent(pair.slice(equals + 1));
      return [encodeRfc3986(name), encodeRfc3986(value)];
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalHeaders = signedHeaders
    .split(';')
    .map(name => `${name}:${String(request.headers[name] ?? '').trim().replace(/ +/g, ' ')}\n`)
    .join('');
  const canonicalRequest = [
    request.method,
    canonicalPath,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    request.headers['x-amz-content-sha256'] || 'UNSIGNED-PAYLOAD',
  ].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    request.headers['x-amz-date'],
    [date, region, service, terminator].join('/'),
    crypto.createHash('sha256').update(canonicalRequest, 'utf8').digest('hex'),
  ].join('\n');
  const signingKey = [date, region, service, terminator].reduce((key, part) => hmac(key, part), 'AWS4' + secret);
  const expected = hmac(signingKey, stringToSign).toString('hex');
  return expected === signature ? null : 'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
}

function fail(response, status, code, message) {
  response.writeHead(status, { 'Content-Type': 'application/xml' });
  response.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

const server = http.createServer((request, response) => {
  const path = request.url.split('?')[0];
  response.on('finish', () => {
    console.log(`kratix-test-request ${request.method} ${request.url} ${response.statusCode}`);
  });

  // Logged like every request, after those answered before it: the tests wait for its line to know the log is complete.
  if (path === '/__kratix-test/sync' && request.method === 'GET') {
    response.writeHead(204);
    response.end();
    return;
  }
  if (path === '/__kratix-test/fail-next' && request.method === 'POST') {
    failNext = Number(new URL(request.url, 'http://localhost').searchParams.get('count') || '1');
    response.writeHead(204);
    response.end();
    return;
  }
  if (failNext > 0) {
    failNext--;
    request.resume();
    fail(response, 503, 'SlowDown', 'Please reduce your request rate.');
    return;
  }
  const signature = signatureProblem(request);
  if (signature) {
    request.resume();
    fail(response, 403, 'SignatureDoesNotMatch', signature);
    return;
  }
  if ((request.headers['x-amz-content-sha256'] || '').startsWith('STREAMING-')) {
    request.resume();
    fail(response, 501, 'NotImplemented', 'aws-chunked (streaming) payloads are not supported by this server.');
    return;
  }
  if (readOnly.has(accessKeyOf(request)) && request.method !== 'GET' && request.method !== 'HEAD') {
    request.resume();
    fail(response, 403, 'AccessDenied', 'Access Denied');
    return;
  }
  handle(request, response);
});

s3rver
  .configureBuckets()
  .then(() => new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(process.env.S3RVER_PORT || '0'), '127.0.0.1', resolve);
  }))
  .then(() => console.log(`kratix-test-listening ${server.address().port}`))
  .catch(error => {
    console.error(`s3rver did not start: ${error.message}`);
    process.exit(1);
  });

// The test fixture ends the server by closing its standard input (and kills it if that is not enough).
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
