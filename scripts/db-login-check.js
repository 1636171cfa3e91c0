#!/usr/bin/env node
/**
 * Logs in to the PostgreSQL server of DATABASE_URL once and says which of three things is true,
 * so a new user knows what to fix: the server answers and accepts the login (exit 0); no server
 * answers there (exit 2: not running, or the URL names the wrong host or port); or the URL or
 * its credentials are wrong (exit 3). Never prints the URL or the password.
 */
const { Client } = require('pg');

const NOT_RUNNING = 2;
const WRONG_URL_OR_CREDENTIALS = 3;
const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/safeguarding';

function fail(code, message) {
  console.error(`postgres: ${message}`);
  process.exit(code);
}

let parsed;
try {
  parsed = new URL(url);
} catch {
  fail(
    WRONG_URL_OR_CREDENTIALS,
    'DATABASE_URL is not a URL (postgres://user:password@host:port/database)',
  );
}
if (!['postgres:', 'postgresql:'].includes(parsed.protocol)) {
  fail(
    WRONG_URL_OR_CREDENTIALS,
    `DATABASE_URL must start with postgres://, not ${parsed.protocol}//`,
  );
}
const where = `${parsed.hostname}:${parsed.port || 5432}`;
const user = decodeURIComponent(parsed.username) || '(none)';
const database = decodeURIComponent(parsed.pathname.slice(1));

async function main() {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    console.log(`postgres: server on ${where} accepts user ${user}`);
  } catch (error) {
    const { code, message } = error;
    // 3D000 comes after a successful login: the deploy step creates the database.
    if (code === '3D000') {
      console.log(
        `postgres: server on ${where} accepts user ${user}; database ${database} will be created`,
      );
      return;
    }
    if (
      ['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET'].includes(code) ||
      /timeout/i.test(message)
    ) {
      fail(
        NOT_RUNNING,
        `no server answers on ${where} (${code ?? message}): not running, or DATABASE_URL names the wrong host or port`,
      );
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      fail(
        WRONG_URL_OR_CREDENTIALS,
        `host ${parsed.hostname} in DATABASE_URL is unknown: wrong URL`,
      );
    }
    if (code === '28P01') {
      fail(
        WRONG_URL_OR_CREDENTIALS,
        `server on ${where} refused the password of user ${user}: wrong credentials in DATABASE_URL`,
      );
    }
    if (code === '28000') {
      fail(
        WRONG_URL_OR_CREDENTIALS,
        `server on ${where} refused user ${user} (${message}): wrong user in DATABASE_URL, or pg_hba.conf does not allow it`,
      );
    }
    if (/password must be a string|SASL/.test(message)) {
      fail(
        WRONG_URL_OR_CREDENTIALS,
        `server on ${where} asks user ${user} for a password and DATABASE_URL gives none or a wrong one`,
      );
    }
    fail(
      WRONG_URL_OR_CREDENTIALS,
      `server on ${where} refused the login of user ${user} (${code ?? 'no code'}: ${message})`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}

void main();
