// pgjdbc scenario against a vecgres server (see /work/shared/clients/jdbc.md).
//
// Usage: java -cp /usr/share/java/postgresql.jar Scenario.java HOST PORT
//
// Statement and PreparedStatement (?::vector with setString, PGobject,
// setBigDecimal binary numeric), executeBatch, the prepareThreshold switch to
// named statements, a fetchSize cursor (named portal + PortalSuspended),
// CopyManager, errors, and DatabaseMetaData getTables, getColumns,
// getPrimaryKeys and getIndexInfo. Asserts real results; exits 1 on the first mismatch.
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.*;
import java.util.*;
import org.postgresql.PGConnection;
import org.postgresql.util.PGobject;

public class Scenario {
    static final String T = "items_jdbc";

    static void step(String s) { System.out.println("ok " + s); }

    static void expect(Object got, Object want, String what) {
        if (!Objects.equals(got, want)) {
            throw new AssertionError(what + ": got " + got + ", want " + want);
        }
    }

    static List<Long> ids(PreparedStatement ps) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getLong(1));
        }
        return out;
    }

    static long count(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + T)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static PGobject vec(String text) throws SQLException {
        PGobject o = new PGobject();
        o.setType("vector");
        o.setValue(text);
        return o;
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://" + args[0] + ":" + args[1] + "/postgres?ApplicationName=probe-jdbc&connectTimeout=10";
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            DatabaseMetaData md = c.getMetaData();
            expect(md.getDatabaseProductName(), "PostgreSQL", "product name");
            expect(md.getDatabaseMajorVersion(), 15, "major version");
            step("connect");
            run(c);
        }
    }

    static void run(Connection c) throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS vector");
            st.execute("DROP TABLE IF EXISTS " + T);
            st.execute("CREATE TABLE " + T + " (id bigint PRIMARY KEY, embedding vector(3), label text, price numeric(10,2))");
            expect(st.executeUpdate("INSERT INTO " + T + " (id, embedding, label, price) VALUES (1, '[1,0,0]', 'a', 1.1)"), 1, "Statement insert");
        }
        step("Statement DDL + insert");

        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + T + " (id, embedding, label, price) VALUES (?, ?::vector, ?, ?)")) {
            ps.setLong(1, 2); ps.setString(2, "[0,1,0]"); ps.setString(3, "b"); ps.setBigDecimal(4, new BigDecimal("2.2"));
            expect(ps.executeUpdate(), 1, "PreparedStatement ?::vector insert");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + T + " (id, embedding, label, price) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, 3); ps.setObject(2, vec("[0,0,1]")); ps.setString(3, "c"); ps.setBigDecimal(4, new BigDecimal("3.3"));
            expect(ps.executeUpdate(), 1, "PGobject insert");
            long[][] rows = {{4, 1, 1, 0}, {5, 1, 1, 1}, {6, 2, 2, 2}};
            String[] labels = {"d", "e", "f"};
            String[] prices = {"4.4", "5.5", "6.6"};
            for (int i = 0; i < rows.length; i++) {
                ps.setLong(1, rows[i][0]);
                ps.setObject(2, vec("[" + rows[i][1] + "," + rows[i][2] + "," + rows[i][3] + "]"));
                ps.setString(3, labels[i]);
                ps.setBigDecimal(4, new BigDecimal(prices[i]));
                ps.addBatch();
            }
            int[] n = ps.executeBatch();
            expect(Arrays.toString(n), "[1, 1, 1]", "executeBatch counts");
        }
        long copied = ((PGConnection) c.unwrap(PGConnection.class)).getCopyAPI().copyIn(
            "COPY " + T + " (id, embedding, label, price) FROM STDIN WITH (FORMAT csv)",
            new StringReader("7,\"[0.5,0.5,0.5]\",g,7.70\n8,\"[3,3,3]\",h,8.80\n9,\"[-1,0,0]\",i,9.90\n10,\"[0,-1,0]\",j,10.00\n"));
        expect(copied, 4L, "CopyManager rows");
        expect(count(c), 10L, "count after inserts");
        step("PreparedStatement (?::vector varchar, PGobject, numeric binary), executeBatch, CopyManager");

        try (Statement st = c.createStatement()) {
            st.execute("CREATE INDEX ON " + T + " USING hnsw (embedding vector_l2_ops) WITH (m = 16, ef_construction = 64)");
            st.execute("SET hnsw.ef_search = 40");
        }
        // Seven executions: the driver switches to a named statement (S_n) and binary results at the fifth.
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + T + " ORDER BY embedding <-> ?::vector LIMIT ?")) {
            for (int i = 0; i < 7; i++) {
                ps.setString(1, "[1,1,1]"); ps.setInt(2, 3);
                expect(ids(ps).toString(), "[5, 7, 4]", "top-3 l2, execution " + (i + 1));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + T + " WHERE price > ? ORDER BY embedding <-> ? LIMIT 3")) {
            ps.setBigDecimal(1, new BigDecimal("5")); ps.setObject(2, vec("[1,1,1]"));
            expect(ids(ps).toString(), "[5, 7, 6]", "filtered top-3");
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + T + " ORDER BY embedding <=> CAST(? AS vector) LIMIT 2")) {
            ps.setString(1, "[1,0,0]");
            expect(ids(ps).toString(), "[1, 4]", "top-2 cosine");
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, embedding, label, price, embedding <-> ?::vector AS dist FROM " + T + " WHERE id = ?")) {
            ps.setString(1, "[1,1,1]"); ps.setLong(2, 7);
            try (ResultSet rs = ps.executeQuery()) {
                expect(rs.next(), true, "row 7");
                expect(rs.getLong(1), 7L, "id");
                expect(rs.getString(2), "[0.5,0.5,0.5]", "embedding getString");
                // NB: for the vector type's OID pgjdbc asks pg_type, comparing
                // typinput with 'pg_catalog.array_in'::regproc.
                Object o = rs.getObject(2);
                expect(o.getClass().getName() + " " + o, "org.postgresql.util.PGobject [0.5,0.5,0.5]", "embedding getObject");
                expect(rs.getMetaData().getColumnTypeName(2), "vector", "getColumnTypeName");
                expect(rs.getString(3), "g", "label");
                expect(rs.getBigDecimal(4), new BigDecimal("7.70"), "price");
                expect(Math.abs(rs.getDouble(5) - 0.8660254037844386) < 1e-12, true, "distance " + rs.getDouble(5));
                ResultSetMetaData m = rs.getMetaData();
                expect(m.getPrecision(4) + "," + m.getScale(4), "10,2", "numeric(10,2) precision/scale");
                expect(m.getTableName(1), T, "ResultSetMetaData.getTableName");
                expect(m.isNullable(1), ResultSetMetaData.columnNoNulls, "id not nullable");
            }
        }
        step("top-k (l2 x7 incl. named statement + binary results, filtered, cosine), read back, ResultSetMetaData");

        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + T + " ORDER BY id")) {
            ps.setFetchSize(3);
            expect(ids(ps).toString(), "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", "fetchSize cursor");
        }
        c.commit();
        step("fetchSize(3) cursor (named portal, PortalSuspended)");

        try (PreparedStatement ps = c.prepareStatement("UPDATE " + T + " SET embedding = ?::vector, price = price + 1 WHERE id = ?")) {
            ps.setString(1, "[9,9,9]"); ps.setLong(2, 5);
            expect(ps.executeUpdate(), 1, "update count");
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + T + " WHERE id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("int8", new Long[] {9L, 10L}));
            expect(ps.executeUpdate(), 2, "delete count");
        }
        c.commit();
        expect(count(c), 8L, "count after delete");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + T + " VALUES (?, ?::vector, ?, ?)")) {
            ps.setLong(1, 11); ps.setString(2, "[1,1,1]"); ps.setString(3, "k"); ps.setBigDecimal(4, new BigDecimal("11"));
            ps.executeUpdate();
        }
        expect(count(c), 9L, "count inside transaction");
        c.rollback();
        expect(count(c), 8L, "count after rollback");
        step("update, delete = ANY(int8[]), rollback");

        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + T + " (id, embedding) VALUES (?, ?::vector)")) {
            ps.setLong(1, 100); ps.setString(2, "[1,2]");
            ps.executeUpdate();
            throw new AssertionError("2-dimensional vector into vector(3) succeeded");
        } catch (SQLException e) {
            expect(e.getSQLState(), "22000", "dimension error SQLSTATE (" + e.getMessage() + ")");
        }
        try (Statement st = c.createStatement()) {
            st.executeQuery("SELECT 1");
            throw new AssertionError("statement in aborted transaction succeeded");
        } catch (SQLException e) {
            expect(e.getSQLState(), "25P02", "aborted transaction SQLSTATE");
        }
        c.rollback();
        c.setAutoCommit(true);
        expect(count(c), 8L, "count after failed transaction");
        step("errors 22000 + 25P02");

        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getTables(null, "public", T, new String[] {"TABLE"})) {
            expect(rs.next(), true, "getTables row");
            expect(rs.getString("TABLE_NAME") + " " + rs.getString("TABLE_TYPE") + " " + rs.getString("TABLE_SCHEM"),
                T + " TABLE public", "getTables");
            expect(rs.next(), false, "getTables single row");
        }
        step("DatabaseMetaData getTables");
        // getColumns: row_number() OVER (PARTITION BY ...) numbers the columns;
        // types come from pg_type (the vector type is java.sql.Types.OTHER),
        // sizes from atttypmod.
        StringBuilder cols = new StringBuilder();
        try (ResultSet rs = md.getColumns(null, "public", T, "%")) {
            while (rs.next()) {
                cols.append(rs.getInt("ORDINAL_POSITION")).append(' ').append(rs.getString("COLUMN_NAME")).append(' ')
                    .append(rs.getString("TYPE_NAME")).append(' ').append(rs.getInt("DATA_TYPE")).append(' ')
                    .append(rs.getString("IS_NULLABLE"));
                if (rs.getString("COLUMN_NAME").equals("price")) {
                    cols.append(' ').append(rs.getInt("COLUMN_SIZE")).append(',').append(rs.getInt("DECIMAL_DIGITS"));
                }
                cols.append("; ");
            }
        }
        expect(cols.toString(), "1 id int8 -5 NO; 2 embedding vector 1111 YES; 3 label text 12 YES; 4 price numeric 2 YES 10,2; ", "getColumns");
        step("DatabaseMetaData getColumns");
        // getPrimaryKeys and getIndexInfo expand pg_index.indkey with
        // information_schema._pg_expandarray: field access on its (x, n)
        // composite, and the composite passed out of a subquery.
        StringBuilder pks = new StringBuilder();
        try (ResultSet rs = md.getPrimaryKeys(null, "public", T)) {
            while (rs.next()) {
                pks.append(rs.getString("COLUMN_NAME")).append(' ').append(rs.getInt("KEY_SEQ")).append(' ')
                    .append(rs.getString("PK_NAME")).append("; ");
            }
        }
        expect(pks.toString(), "id 1 " + T + "_pkey; ", "getPrimaryKeys");
        step("DatabaseMetaData getPrimaryKeys");
        StringBuilder idx = new StringBuilder();
        try (ResultSet rs = md.getIndexInfo(null, "public", T, false, false)) {
            while (rs.next()) {
                idx.append(rs.getString("INDEX_NAME")).append(' ').append(rs.getBoolean("NON_UNIQUE")).append(' ')
                    .append(rs.getInt("ORDINAL_POSITION")).append(' ').append(rs.getString("COLUMN_NAME")).append(' ')
                    .append(rs.getString("ASC_OR_DESC")).append("; ");
            }
        }
        expect(idx.toString(), T + "_pkey false 1 id A; " + T + "_embedding_idx true 1 embedding null; ", "getIndexInfo");
        step("DatabaseMetaData getIndexInfo");

        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE " + T);
        }
        step("drop");
    }
}
