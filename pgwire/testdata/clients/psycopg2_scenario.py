#!/usr/bin/python3
"""psycopg2 scenario against a vecgres server (see /work/shared/clients/psycopg2.md).

Usage: psycopg2_scenario.py HOST PORT

Runs the captured pgvector scenario through psycopg2 (simple query protocol,
client-side interpolation, implicit BEGIN) and asserts real results. Every
step prints "ok <step>"; the first mismatch raises, so the process exits
non-zero with a traceback naming the failing statement.
"""
import decimal
import io
import sys

import psycopg2
import psycopg2.errors
import psycopg2.extensions
import psycopg2.extras

TABLE = "items_psycopg2"


def step(name):
    print("ok", name, flush=True)


def expect(got, want, what):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


class Vec(list):
    """A vector adapted the way pgvector-python does: '[x,y,z]'::vector."""


def adapt_vec(v):
    text = "[" + ",".join(repr(float(x)) for x in v) + "]"
    return psycopg2.extensions.AsIs("'%s'::vector" % text)


psycopg2.extensions.register_adapter(Vec, adapt_vec)


def ids(cur, sql, args=None):
    cur.execute(sql, args)
    return [r[0] for r in cur.fetchall()]


def count(cur):
    cur.execute("SELECT count(*) FROM " + TABLE)
    return cur.fetchone()[0]


def main(host, port):
    conn = psycopg2.connect(host=host, port=port, user="postgres", dbname="postgres",
                            application_name="probe-psycopg2", connect_timeout=10)
    expect(conn.server_version >= 150000, True, "server_version %d" % conn.server_version)
    expect(conn.get_parameter_status("DateStyle").startswith("ISO"), True, "DateStyle")
    step("connect")

    cur = conn.cursor()
    cur.execute("CREATE EXTENSION IF NOT EXISTS vector")
    conn.commit()
    cur.execute("SELECT 'vector'::regtype::oid")
    vector_oid = cur.fetchone()[0]
    expect(isinstance(vector_oid, int) and vector_oid > 0, True, "vector oid %r" % (vector_oid,))

    def cast_vector(value, cur):
        if value is None:
            return None
        return [float(x) for x in value[1:-1].split(",")] if value != "[]" else []

    VECTOR = psycopg2.extensions.new_type((vector_oid,), "VECTOR", cast_vector)
    psycopg2.extensions.register_type(VECTOR, conn)
    step("extension + vector type oid")

    cur.execute("DROP TABLE IF EXISTS " + TABLE)
    cur.execute("CREATE TABLE " + TABLE + " (id bigint PRIMARY KEY, embedding vector(3), label text, price numeric(10,2))")
    conn.commit()
    step("create table")

    # Single insert with an untyped literal, execute_values, executemany.
    cur.execute("INSERT INTO " + TABLE + " (id, embedding, label, price) VALUES (%s, %s, %s, %s)",
                (1, "[1,0,0]", "a", 1.1))
    expect(cur.rowcount, 1, "insert rowcount")
    psycopg2.extras.execute_values(
        cur, "INSERT INTO " + TABLE + " (id, embedding, label, price) VALUES %s",
        [(2, Vec([0, 1, 0]), "b", 2.2), (3, Vec([0, 0, 1]), "c", 3.3)])
    expect(cur.rowcount, 2, "execute_values rowcount")
    cur.executemany("INSERT INTO " + TABLE + " (id, embedding, label, price) VALUES (%s, %s::vector, %s, %s)",
                    [(4, "[1,1,0]", "d", 4.4), (5, "[1,1,1]", "e", 5.5)])
    expect(count(cur), 5, "count after inserts")
    cur.execute("PREPARE ins (bigint, vector, text, numeric) AS INSERT INTO " + TABLE + " VALUES ($1, $2, $3, $4)")
    cur.execute("EXECUTE ins (%s, %s, %s, %s)", (6, "[2,2,2]", "f", 6.6))
    expect(cur.rowcount, 1, "EXECUTE rowcount")
    cur.execute("DEALLOCATE ins")
    step("insert (literal, execute_values, executemany, PREPARE/EXECUTE)")

    cur.copy_from(io.StringIO("7\t[0.5,0.5,0.5]\tg\t7.70\n8\t[3,3,3]\th\t8.80\n"), TABLE,
                  columns=("id", "embedding", "label", "price"))
    expect(cur.rowcount, 2, "copy_from rowcount")
    cur.copy_expert("COPY " + TABLE + " (id, embedding, label, price) FROM STDIN WITH (FORMAT csv, HEADER true)",
                    io.StringIO('id,embedding,label,price\n9,"[-1,0,0]",i,9.90\n10,"[0,-1,0]",j,10.00\n'))
    expect(cur.rowcount, 2, "copy_expert rowcount")
    conn.commit()
    expect(count(cur), 10, "count after copy")
    step("copy_from + copy_expert csv")

    cur.execute("CREATE INDEX ON " + TABLE + " USING hnsw (embedding vector_l2_ops)")
    cur.execute("SET hnsw.ef_search = 40")
    conn.commit()
    step("create hnsw index + SET hnsw.ef_search")

    expect(ids(cur, "SELECT id FROM " + TABLE + " ORDER BY embedding <-> %s LIMIT 3", (Vec([1, 1, 1]),)),
           [5, 7, 4], "top-3 l2")
    expect(ids(cur, "SELECT id FROM " + TABLE + " WHERE price > %s ORDER BY embedding <-> %s::vector LIMIT 3",
               (5, "[1,1,1]")), [5, 7, 6], "filtered top-3 l2")
    expect(ids(cur, "SELECT id FROM " + TABLE + " ORDER BY embedding <=> %s LIMIT 2", (Vec([1, 0, 0]),)),
           [1, 4], "top-2 cosine")
    cur.execute("SELECT embedding <-> %s FROM " + TABLE + " WHERE id = 7", (Vec([1, 1, 1]),))
    dist = cur.fetchone()[0]
    expect(abs(dist - 0.8660254037844386) < 1e-12, True, "distance %r" % dist)
    cur.execute("SELECT id, embedding, label, price FROM " + TABLE + " WHERE id = 7")
    expect(cur.fetchone(), (7, [0.5, 0.5, 0.5], "g", decimal.Decimal("7.70")), "read back row 7")
    expect([d.type_code for d in cur.description][0], 20, "id type oid")
    expect(cur.description[1].type_code, vector_oid, "embedding type oid")
    expect((cur.description[3].type_code, cur.description[3].precision, cur.description[3].scale),
           (1700, 10, 2), "price numeric(10,2) in description")
    cur.execute("SELECT embedding::text FROM " + TABLE + " WHERE id = 3")
    expect(cur.fetchone()[0], "[0,0,1]", "embedding::text")
    conn.commit()
    step("top-k (l2, filtered, cosine), distance, read back")

    cur.execute("UPDATE " + TABLE + " SET embedding = %s, price = price + 1 WHERE id = %s", (Vec([9, 9, 9]), 5))
    expect(cur.rowcount, 1, "update rowcount")
    expect(ids(cur, "SELECT id FROM " + TABLE + " ORDER BY embedding <-> %s LIMIT 1", ("[1,1,1]",)), [7],
           "top-1 after update (untyped literal operand)")
    cur.execute("DELETE FROM " + TABLE + " WHERE id = ANY(%s)", ([9, 10],))
    expect(cur.rowcount, 2, "delete rowcount")
    conn.commit()
    expect(count(cur), 8, "count after delete")
    cur.execute("SELECT price FROM " + TABLE + " WHERE id = 5")
    expect(cur.fetchone()[0], decimal.Decimal("6.50"), "price after update")
    conn.commit()
    step("update + delete ANY(ARRAY[...])")

    cur.execute("INSERT INTO " + TABLE + " VALUES (%s, %s, %s, %s)", (11, "[1,1,1]", "k", 11))
    expect(count(cur), 9, "count inside transaction")
    conn.rollback()
    expect(count(cur), 8, "count after rollback")
    conn.commit()
    step("rollback")

    try:
        cur.execute("INSERT INTO " + TABLE + " (id, embedding) VALUES (%s, %s)", (100, "[1,2]"))
        raise AssertionError("2-dimensional vector into vector(3) succeeded")
    except psycopg2.errors.DataException as e:
        expect(e.pgcode, "22000", "dimension error code")
        expect("expected 3 dimensions, not 2" in str(e), True, "dimension error message %r" % str(e))
    expect(conn.get_transaction_status(), psycopg2.extensions.TRANSACTION_STATUS_INERROR, "status after error")
    try:
        cur.execute("SELECT 1")
        raise AssertionError("statement in aborted transaction succeeded")
    except psycopg2.errors.InFailedSqlTransaction as e:
        expect(e.pgcode, "25P02", "aborted transaction code")
    conn.rollback()
    expect(count(cur), 8, "count after failed transaction")
    conn.commit()
    step("errors 22000 + 25P02")

    cur.execute("SELECT column_name, data_type, udt_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position", (TABLE,))
    expect(cur.fetchall(), [("id", "bigint", "int8"), ("embedding", "USER-DEFINED", "vector"),
                            ("label", "text", "text"), ("price", "numeric", "numeric")], "information_schema.columns")
    cur.execute("SELECT to_regclass(%s) IS NOT NULL", (TABLE,))
    expect(cur.fetchone()[0], True, "to_regclass")
    cur.execute("SELECT i.relname, am.amname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam "
                "WHERE x.indrelid = %s::regclass ORDER BY i.relname", (TABLE,))
    rows = cur.fetchall()
    expect([r[:2] for r in rows], [(TABLE + "_embedding_idx", "hnsw"), (TABLE + "_pkey", "btree")],
           "pg_index/pg_am index names and methods")
    # NB: PostgreSQL prints no WITH clause for an index created without one;
    # vecgres stores the defaulted options (m, ef_construction) and prints
    # them, so only the prefix is compared here.
    expect(rows[0][2].startswith("CREATE INDEX " + TABLE + "_embedding_idx ON public." + TABLE +
                                 " USING hnsw (embedding vector_l2_ops)"), True, "hnsw indexdef %r" % rows[0][2])
    expect(rows[1][2], "CREATE UNIQUE INDEX " + TABLE + "_pkey ON public." + TABLE + " USING btree (id)",
           "pkey indexdef")
    conn.commit()
    step("metadata (information_schema, to_regclass, pg_index)")

    cur.execute("DROP TABLE IF EXISTS " + TABLE)
    conn.commit()
    cur.execute("SELECT to_regclass(%s) IS NULL", (TABLE,))
    expect(cur.fetchone()[0], True, "table gone")
    conn.close()
    step("drop + close")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
