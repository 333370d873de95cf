-- A newcomer's first psql session against vecgres.
CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE items (id bigint PRIMARY KEY, embedding vector(3), label text);
INSERT INTO items VALUES (1, '[1,0,0]', 'x'), (2, '[0,1,0]', 'y'), (3, '[0,0,1]', 'z'), (4, '[0.5,0.5,0]', NULL);
SELECT id, label, embedding FROM items ORDER BY embedding <-> '[0.9,0.1,0]' LIMIT 2;
SELECT id, embedding <-> '[1,1,1]' AS l2, embedding <=> '[1,1,1]' AS cosine FROM items ORDER BY id;
INSERT INTO items VALUES (5, '[1,2]', 'bad');
SELECT count(*) FROM items;
BEGIN;
UPDATE items SET label = 'w' WHERE id = 4;
SELECT * FROM items WHERE id = 4;
ROLLBACK;
SELECT id, label FROM items WHERE label IS NULL;
SELECT 1 AS a; SELECT 2 AS b;
\copy (SELECT id, label FROM items ORDER BY id) to stdout with (format csv, header true)
COPY items (id, embedding) TO STDOUT;
DROP TABLE items;
CREATE TABLE hv (id bigint PRIMARY KEY, embedding halfvec(3));
CREATE INDEX hv_l2 ON hv USING hnsw (embedding halfvec_l2_ops);
INSERT INTO hv VALUES (1, '[1.1,2,3]'), (2, '[0,0,1]');
\d hv
SELECT id, embedding, embedding <-> '[0,0,1]' AS l2 FROM hv ORDER BY embedding <-> '[0,0,1]' LIMIT 2;
DROP TABLE hv;
