// node-postgres (pg + pgvector + pg-copy-streams) scenario against a vecgres
// server (see /work/shared/clients/node.md).
//
// Usage: node scenario.js HOST PORT
//
// Simple Query for statements without values, unnamed and named extended
// protocol (no parameter OIDs, all-text parameters) for the rest, COPY FROM
// STDIN text, metadata through information_schema and pg_indexes. Asserts
// real results; exits 1 with the failing step on the first mismatch.
'use strict';

const assert = require('assert/strict');
const { Readable } = require('stream');
const { pipeline } = require('stream/promises');
const pg = require('pg');
const pgvector = require('pgvector/pg');
const { from: copyFrom } = require('pg-copy-streams');

const TABLE = 'items_node';

function step(name) {
  console.log('ok ' + name);
}

async function ids(client, text, values) {
  const res = await client.query(text, values);
  return res.rows.map((r) => Number(r.id));
}

async function count(client) {
  const res = await client.query('SELECT count(*) AS n FROM ' + TABLE);
  return Number(res.rows[0].n);
}

async function main(host, port) {
  const client = new pg.Client({
    host, port, user: 'postgres', database: 'postgres',
    application_name: 'probe-node', client_encoding: 'UTF8', connectionTimeoutMillis: 10000,
  });
  await client.connect();
  step('connect');

  await client.query('CREATE EXTENSION IF NOT EXISTS vector');
  await pgvector.registerTypes(client);
  const typ = await client.query("SELECT typname, oid FROM pg_type WHERE typname IN ($1, $2, $3) ORDER BY typname",
    ['vector', 'halfvec', 'sparsevec']);
  assert.ok(typ.rows.some((r) => r.typname === 'vector'), 'pg_type has vector: ' + JSON.stringify(typ.rows));
  const vectorOid = Number(typ.rows.find((r) => r.typname === 'vector').oid);
  step('extension + pgvector.registerTypes');

  await client.query('DROP TABLE IF EXISTS ' + TABLE);
  await client.query('CREATE TABLE ' + TABLE + ' (id bigint PRIMARY KEY, embedding vector(3), label text, price numeric(10,2))');
  step('create table');

  let r = await client.query('INSERT INTO ' + TABLE + " (id, embedding, label, price) VALUES (1, '[1,0,0]', 'a', 1.10)");
  assert.equal(r.rowCount, 1, 'literal insert rowCount');
  r = await client.query('INSERT INTO ' + TABLE + ' (id, embedding, label, price) VALUES ($1, $2, $3, $4), ($5, $6, $7, $8), ($9, $10, $11, $12)',
    [2, pgvector.toSql([0, 1, 0]), 'b', 2.2, 3, pgvector.toSql([0, 0, 1]), 'c', 3.3, 4, pgvector.toSql([1, 1, 0]), 'd', '4.40']);
  assert.equal(r.rowCount, 3, 'multi-row parameterised insert rowCount');
  const ins = 'INSERT INTO ' + TABLE + ' (id, embedding, label, price) VALUES ($1, $2, $3, $4)';
  r = await client.query({ name: 'insert-item', text: ins, values: [5, pgvector.toSql([1, 1, 1]), 'e', 5.5] });
  assert.equal(r.rowCount, 1, 'named statement first use');
  r = await client.query({ name: 'insert-item', text: ins, values: [6, pgvector.toSql([2, 2, 2]), 'f', 6.6] });
  assert.equal(r.rowCount, 1, 'named statement reuse');
  step('insert (literal, multi-row $n, named prepared statement x2)');

  const stream = client.query(copyFrom('COPY ' + TABLE + ' (id, embedding, label, price) FROM STDIN'));
  await pipeline(Readable.from(['7\t[0.5,0.5,0.5]\tg\t7.70\n8\t[3,3,3]\th\t8.80\n', '9\t[-1,0,0]\ti\t9.90\n10\t[0,-1,0]\tj\t10.00\n']), stream);
  assert.equal(stream.rowCount, 4, 'COPY rowCount');
  assert.equal(await count(client), 10, 'count after COPY');
  step('COPY FROM STDIN (pg-copy-streams)');

  await client.query('CREATE INDEX ON ' + TABLE + ' USING hnsw (embedding vector_l2_ops)');
  await client.query('SET hnsw.ef_search = 40');
  step('create hnsw index + SET hnsw.ef_search');

  const q = pgvector.toSql([1, 1, 1]);
  assert.deepEqual(await ids(client, 'SELECT id FROM ' + TABLE + ' ORDER BY embedding <-> $1 LIMIT 3', [q]), [5, 7, 4], 'top-3 l2');
  assert.deepEqual(await ids(client, 'SELECT id FROM ' + TABLE + ' WHERE price > $2 ORDER BY embedding <-> $1 LIMIT $3', [q, 5, 3]),
    [5, 7, 6], 'filtered top-3 l2');
  assert.deepEqual(await ids(client, 'SELECT id FROM ' + TABLE + ' ORDER BY embedding <=> $1 LIMIT 2', [pgvector.toSql([1, 0, 0])]),
    [1, 4], 'top-2 cosine');
  r = await client.query('SELECT embedding <-> $1 AS dist FROM ' + TABLE + ' WHERE id = 7', [q]);
  assert.equal(r.fields[0].dataTypeID, 701, 'distance is float8');
  assert.ok(Math.abs(r.rows[0].dist - 0.8660254037844386) < 1e-12, 'distance ' + r.rows[0].dist);
  r = await client.query('SELECT id, embedding, label, price FROM ' + TABLE + ' WHERE id = $1', ['7']);
  assert.deepEqual(r.rows, [{ id: '7', embedding: [0.5, 0.5, 0.5], label: 'g', price: '7.70' }], 'read back row 7');
  assert.deepEqual(r.fields.map((f) => [f.name, f.dataTypeID, f.dataTypeModifier]),
    [['id', 20, -1], ['embedding', vectorOid, 3], ['label', 25, -1], ['price', 1700, 655366]], 'RowDescription');
  assert.ok(r.fields[0].tableID > 0 && r.fields[0].columnID === 1, 'table OID + column number: ' + JSON.stringify(r.fields[0]));
  r = await client.query({ text: 'SELECT embedding FROM ' + TABLE + ' WHERE id = 3', rowMode: 'array' });
  assert.deepEqual(r.rows, [[[0, 0, 1]]], 'rowMode array + vector parser');
  step('top-k (l2, filtered with $2/$3, cosine), distance, read back, RowDescription');

  r = await client.query('UPDATE ' + TABLE + ' SET embedding = $1, price = price + 1 WHERE id = $2', [pgvector.toSql([9, 9, 9]), 5]);
  assert.equal(r.rowCount, 1, 'update rowCount');
  assert.deepEqual(await ids(client, 'SELECT id FROM ' + TABLE + ' ORDER BY embedding <-> $1 LIMIT 1', [q]), [7], 'top-1 after update');
  r = await client.query('DELETE FROM ' + TABLE + ' WHERE id = ANY($1)', [[9, 10]]);
  assert.equal(r.rowCount, 2, 'delete ANY($1) rowCount');
  assert.equal(await count(client), 8, 'count after delete');
  r = await client.query('SELECT price FROM ' + TABLE + ' WHERE id = 5');
  assert.equal(r.rows[0].price, '6.50', 'price after update');
  step('update + delete ANY($1)');

  await client.query('BEGIN');
  await client.query('INSERT INTO ' + TABLE + ' VALUES ($1, $2, $3, $4)', [11, q, 'k', '11.00']);
  assert.equal(await count(client), 9, 'count inside transaction');
  await client.query('ROLLBACK');
  assert.equal(await count(client), 8, 'count after rollback');
  step('rollback');

  await assert.rejects(client.query('INSERT INTO ' + TABLE + ' (id, embedding) VALUES ($1, $2)', [100, '[1,2]']),
    (e) => e.code === '22000' && /expected 3 dimensions, not 2/.test(e.message), 'extended-protocol 22000');
  assert.equal(await count(client), 8, 'count after failed extended insert');
  await client.query('BEGIN');
  await assert.rejects(client.query('INSERT INTO ' + TABLE + " (id, embedding) VALUES (100, '[1,2]')"),
    (e) => e.code === '22000', 'simple-query 22000');
  await assert.rejects(client.query('SELECT 1'), (e) => e.code === '25P02', 'aborted transaction 25P02');
  await client.query('ROLLBACK');
  assert.equal(await count(client), 8, 'count after failed transaction');
  step('errors 22000 (extended + simple) + 25P02');

  r = await client.query("SELECT column_name, data_type, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position", [TABLE]);
  assert.deepEqual(r.rows.map((x) => [x.column_name, x.data_type, x.udt_name, x.is_nullable]), [
    ['id', 'bigint', 'int8', 'NO'], ['embedding', 'USER-DEFINED', 'vector', 'YES'],
    ['label', 'text', 'text', 'YES'], ['price', 'numeric', 'numeric', 'YES']], 'information_schema.columns');
  r = await client.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
  assert.ok(r.rows.some((x) => x.table_name === TABLE), 'information_schema.tables: ' + JSON.stringify(r.rows));
  r = await client.query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1 ORDER BY indexname", [TABLE]);
  assert.deepEqual(r.rows.map((x) => x.indexname), [TABLE + '_embedding_idx', TABLE + '_pkey'], 'pg_indexes names');
  // NB: PostgreSQL prints no WITH clause for an index created without one;
  // vecgres prints the defaulted options, so only the prefix is compared.
  assert.ok(r.rows[0].indexdef.startsWith('CREATE INDEX ' + TABLE + '_embedding_idx ON public.' + TABLE + ' USING hnsw (embedding vector_l2_ops)'),
    'hnsw indexdef ' + r.rows[0].indexdef);
  assert.equal(r.rows[1].indexdef, 'CREATE UNIQUE INDEX ' + TABLE + '_pkey ON public.' + TABLE + ' USING btree (id)', 'pkey indexdef');
  step('metadata (information_schema.columns/tables, pg_indexes)');

  await client.query('DROP TABLE IF EXISTS ' + TABLE);
  await client.end();
  step('drop + end');
}

main(process.argv[2], Number(process.argv[3])).catch((e) => {
  console.error('FAIL:', e && e.stack ? e.stack : e);
  process.exit(1);
});
