#!/usr/bin/python3
"""SQLAlchemy (Core + ORM over psycopg2) scenario against a vecgres server
(see /work/shared/clients/sqlalchemy.md).

Usage: sqlalchemy_scenario.py HOST PORT

A user-defined VECTOR type (rendered VECTOR(3), list <-> '[x,y,z]' text,
<-> / <=> comparators) registered in the dialect's ischema_names so that
reflection maps vector columns back to it. Asserts real results; exits
non-zero (traceback) on the first mismatch.
"""
import decimal
import io
import sys

import sqlalchemy as sa
from sqlalchemy import exc, inspect, text
from sqlalchemy.dialects.postgresql.base import ischema_names
from sqlalchemy.orm import Session, declarative_base
from sqlalchemy.types import UserDefinedType, Float

TABLE = "items_sqlalchemy"


def step(name):
    print("ok", name, flush=True)


def expect(got, want, what):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


class VECTOR(UserDefinedType):
    cache_ok = True

    def __init__(self, dim=None):
        self.dim = dim

    def get_col_spec(self, **kw):
        return "VECTOR" if self.dim is None else "VECTOR(%d)" % self.dim

    def bind_processor(self, dialect):
        def process(value):
            if value is None:
                return None
            return "[" + ",".join(repr(float(x)) for x in value) + "]"
        return process

    def result_processor(self, dialect, coltype):
        def process(value):
            if value is None:
                return None
            return [float(x) for x in value[1:-1].split(",")]
        return process

    class comparator_factory(UserDefinedType.Comparator):
        def l2_distance(self, other):
            return self.op("<->", return_type=Float)(other)

        def cosine_distance(self, other):
            return self.op("<=>", return_type=Float)(other)


ischema_names["vector"] = VECTOR

Base = declarative_base()


class Item(Base):
    __tablename__ = TABLE
    id = sa.Column(sa.BigInteger, primary_key=True, autoincrement=False)
    embedding = sa.Column(VECTOR(3))
    label = sa.Column(sa.Text)
    price = sa.Column(sa.Numeric(10, 2))
    __table_args__ = (
        sa.Index(TABLE + "_embedding_idx", "embedding", postgresql_using="hnsw",
                 postgresql_with={"m": 16, "ef_construction": 64},
                 postgresql_ops={"embedding": "vector_l2_ops"}),
    )


items = Item.__table__


def count(conn):
    return conn.execute(sa.select(sa.func.count()).select_from(items)).scalar()


def main(host, port):
    engine = sa.create_engine("postgresql+psycopg2://postgres@%s:%d/postgres" % (host, port),
                              connect_args={"application_name": "probe-sqlalchemy", "connect_timeout": 10})
    with engine.connect() as conn:
        expect(engine.dialect.server_version_info[:1], (15,), "server_version_info")
        expect(conn.execute(text("show transaction isolation level")).scalar(), "read committed", "isolation")
    step("connect + dialect initialisation")

    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    expect(inspect(engine).has_table(TABLE), True, "has_table")
    step("create_all (VECTOR(3), table-level PRIMARY KEY, hnsw index WITH)")

    with engine.begin() as conn:
        conn.execute(items.insert().values(id=1, embedding=[1, 0, 0], label="a", price=1.1))
        r = conn.execute(items.insert(), [dict(id=2, embedding=[0, 1, 0], label="b", price=2.2),
                                          dict(id=3, embedding=[0, 0, 1], label="c", price=3.3)])
        expect(r.rowcount, 2, "executemany rowcount")
        conn.execute(text("INSERT INTO " + TABLE + " (id, embedding, label, price) "
                          "VALUES (:id, CAST(:e AS vector), :l, :p)"),
                     dict(id=4, e="[1,1,0]", l="d", p=4.4))
        expect(count(conn), 4, "count after Core inserts")
    with Session(engine) as session:
        session.add_all([Item(id=5, embedding=[1, 1, 1], label="e", price=decimal.Decimal("5.5")),
                         Item(id=6, embedding=[2, 2, 2], label="f", price=decimal.Decimal("6.6"))])
        session.commit()
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.copy_expert("COPY " + TABLE + " (id, embedding, label, price) FROM STDIN WITH (FORMAT csv)",
                        io.StringIO('7,"[0.5,0.5,0.5]",g,7.70\n8,"[3,3,3]",h,8.80\n'
                                    '9,"[-1,0,0]",i,9.90\n10,"[0,-1,0]",j,10.00\n'))
        expect(cur.rowcount, 4, "copy_expert rowcount")
        raw.commit()
    finally:
        raw.close()
    with engine.connect() as conn:
        expect(count(conn), 10, "count after ORM add_all + COPY")
    step("insert (Core, executemany, text CAST, ORM add_all, raw COPY csv)")

    q = [1, 1, 1]
    with Session(engine) as session:
        session.execute(text("SET hnsw.ef_search = 40"))
        got = session.scalars(sa.select(Item.id).order_by(Item.embedding.l2_distance(q)).limit(3)).all()
        expect(got, [5, 7, 4], "ORM top-3 l2")
        got = session.scalars(sa.select(Item.id).where(Item.price > 5)
                              .order_by(Item.embedding.l2_distance(q)).limit(3)).all()
        expect(got, [5, 7, 6], "ORM filtered top-3 l2")
        got = session.scalars(sa.select(Item.id).order_by(Item.embedding.cosine_distance([1, 0, 0])).limit(2)).all()
        expect(got, [1, 4], "ORM top-2 cosine")
        got = session.execute(text("SELECT id FROM " + TABLE + " ORDER BY embedding <-> CAST(:q AS vector) LIMIT :k"),
                              dict(q="[1,1,1]", k=3)).scalars().all()
        expect(got, [5, 7, 4], "text() CAST top-3")
        dist = session.scalar(sa.select(Item.embedding.l2_distance(q)).where(Item.id == 7))
        expect(abs(dist - 0.8660254037844386) < 1e-12, True, "distance %r" % dist)
        it = session.get(Item, 7)
        expect((it.id, it.embedding, it.label, it.price), (7, [0.5, 0.5, 0.5], "g", decimal.Decimal("7.70")),
               "session.get(7)")
    step("top-k (ORM l2, filtered, cosine, text CAST), distance, session.get")

    with Session(engine) as session:
        it = session.get(Item, 5)
        it.embedding = [9, 9, 9]
        it.price = decimal.Decimal("6.50")
        session.commit()
    with Session(engine) as session:
        got = session.scalars(sa.select(Item.id).order_by(Item.embedding.l2_distance(q)).limit(1)).all()
        expect(got, [7], "top-1 after ORM update")
        expect(session.get(Item, 5).price, decimal.Decimal("6.50"), "price after update")
    with engine.begin() as conn:
        r = conn.execute(items.delete().where(items.c.id.in_([9, 10])))
        expect(r.rowcount, 2, "delete rowcount")
        expect(count(conn), 8, "count after delete")
    step("ORM update + Core delete IN")

    with Session(engine) as session:
        session.add(Item(id=11, embedding=[1, 1, 1], label="k", price=11))
        session.flush()
        expect(session.scalar(sa.select(sa.func.count()).select_from(items)), 9, "count inside transaction")
        session.rollback()
    with engine.connect() as conn:
        expect(count(conn), 8, "count after rollback")
    step("session rollback")

    try:
        with engine.begin() as conn:
            conn.execute(items.insert().values(id=100, embedding=[1, 2]))
        raise AssertionError("2-dimensional vector into vector(3) succeeded")
    except exc.DataError as e:
        expect(e.orig.pgcode, "22000", "dimension error code")
        expect("expected 3 dimensions, not 2" in str(e.orig), True, "dimension error message %r" % str(e.orig))
    with engine.connect() as conn:
        expect(count(conn), 8, "count after failed insert (pooled connection reused)")
    step("error 22000 -> DataError")

    insp = inspect(engine)
    expect(TABLE in insp.get_table_names(), True, "get_table_names")
    cols = insp.get_columns(TABLE)
    expect([c["name"] for c in cols], ["id", "embedding", "label", "price"], "column names")
    expect(isinstance(cols[0]["type"], sa.BigInteger), True, "id type %r" % cols[0]["type"])
    expect(isinstance(cols[1]["type"], VECTOR) and cols[1]["type"].dim == 3, True,
           "embedding reflected as VECTOR(3): %r" % cols[1]["type"])
    expect(isinstance(cols[2]["type"], sa.Text), True, "label type %r" % cols[2]["type"])
    expect((isinstance(cols[3]["type"], sa.Numeric), cols[3]["type"].precision, cols[3]["type"].scale),
           (True, 10, 2), "price type")
    expect([c["nullable"] for c in cols], [False, True, True, True], "nullable")
    expect(insp.get_pk_constraint(TABLE), {"constrained_columns": ["id"], "name": TABLE + "_pkey"}, "pk constraint")
    idx = insp.get_indexes(TABLE)
    expect(len(idx), 1, "one non-primary index: %r" % idx)
    expect((idx[0]["name"], idx[0]["column_names"], idx[0]["unique"]),
           (TABLE + "_embedding_idx", ["embedding"], False), "index %r" % idx[0])
    expect(idx[0]["dialect_options"].get("postgresql_using"), "hnsw", "index method")
    expect(idx[0]["dialect_options"].get("postgresql_with"), {"m": "16", "ef_construction": "64"}, "index WITH")
    expect(insp.get_foreign_keys(TABLE), [], "foreign keys")
    expect(insp.get_unique_constraints(TABLE), [], "unique constraints")
    step("inspect: get_table_names/get_columns/get_pk_constraint/get_indexes/get_foreign_keys")

    md = sa.MetaData()
    t = sa.Table(TABLE, md, autoload_with=engine)
    expect([c.name for c in t.columns], ["id", "embedding", "label", "price"], "autoload columns")
    expect([c.name for c in t.primary_key.columns], ["id"], "autoload pk")
    with engine.connect() as conn:
        got = conn.execute(sa.select(t.c.id).order_by(t.c.embedding.l2_distance([1, 1, 1])).limit(2)).scalars().all()
        expect(got, [7, 4], "top-2 through the reflected table")
    step("Table(autoload_with=engine) + query through it")

    Base.metadata.drop_all(engine)
    expect(inspect(engine).has_table(TABLE), False, "table dropped")
    engine.dispose()
    step("drop_all")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
