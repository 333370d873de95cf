package sql

import (
	"strings"

	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// The catalog views of constraints: pg_constraint (primary key and unique
// constraints from their indexes, CHECK and FOREIGN KEY from the table
// descriptors), pg_get_constraintdef, and information_schema's
// table_constraints, referential_constraints, key_column_usage and
// check_constraints. psql's \d reads "Check constraints:",
// "Foreign-key constraints:" and "Referenced by:" from pg_constraint;
// pgjdbc's getImportedKeys/getExportedKeys join pg_constraint too.

// indexConstraintOID is the pg_constraint OID of the primary key or unique
// constraint of an index (constraintDef undoes it).
func indexConstraintOID(ix *storage.IndexDesc) uint32 { return ix.OID + 1<<30 }

var pgConstraintRel = virtualRel{
	cols: []vcol{{"oid", tOid}, {"conname", tName}, {"connamespace", tOid}, {"contype", tChar}, {"condeferrable", tBool},
		{"condeferred", tBool}, {"convalidated", tBool}, {"conrelid", tOid}, {"contypid", tOid}, {"conindid", tOid},
		{"conparentid", tOid}, {"confrelid", tOid}, {"confupdtype", tChar}, {"confdeltype", tChar}, {"confmatchtype", tChar},
		{"conislocal", tBool}, {"coninhcount", tInt4}, {"connoinherit", tBool}, {"conkey", tInt2Arr}, {"confkey", tInt2Arr},
		{"conbin", tText}},
	rows: func(b *binder) [][]types.Datum {
		var out [][]types.Datum
		for _, t := range b.tables() {
			for i := range t.Indexes {
				ix := &t.Indexes[i]
				kind := ""
				switch {
				case ix.Primary:
					kind = "p"
				case ix.Unique && strings.HasSuffix(ix.Name, "_key"):
					kind = "u"
				default:
					continue
				}
				out = append(out, []types.Datum{dOid(indexConstraintOID(ix)), dStr(ix.Name), dOid(oidPublic), dStr(kind), dBool(false), dBool(false),
					dBool(true), dOid(t.ID), dOid(0), dOid(ix.OID), dOid(0), dOid(0), dStr(" "), dStr(" "), dStr(" "), dBool(true), dInt(0), dBool(true),
					int2vector(t, ix.Columns), types.Null, types.Null})
			}
			for _, c := range t.Checks {
				out = append(out, []types.Datum{dOid(c.OID), dStr(c.Name), dOid(oidPublic), dStr("c"), dBool(false), dBool(false),
					dBool(true), dOid(t.ID), dOid(0), dOid(0), dOid(0), dOid(0), dStr(" "), dStr(" "), dStr(" "), dBool(true), dInt(0), dBool(false),
					checkConkey(t, c.Columns), types.Null, dStr(c.Expr)})
			}
			for _, f := range t.ForeignKeys {
				parent := b.cat.cat.Table(f.RefTable)
				var indid uint32
				if parent != nil {
					if ix := referencedIndex(parent, f.RefColumns); ix != nil {
						indid = ix.OID
					}
				}
				out = append(out, []types.Datum{dOid(f.OID), dStr(f.Name), dOid(oidPublic), dStr("f"), dBool(false), dBool(false),
					dBool(true), dOid(t.ID), dOid(0), dOid(indid), dOid(0), dOid(f.RefTable), dStr(f.OnUpdate), dStr(f.OnDelete), dStr(f.Match),
					dBool(true), dInt(0), dBool(true), int2vector(t, f.Columns), int2vector(parent, f.RefColumns), types.Null})
			}
		}
		return out
	},
}

// hasRITriggers is pg_class.relhastriggers. PostgreSQL implements foreign
// keys with triggers and sets it on both tables; psql's \d lists
// "Foreign-key constraints:" and "Referenced by:" only when it is set, but
// then also queries pg_trigger with pg_get_triggerdef, pg_depend and
// pg_partition_ancestors(...) WITH ORDINALITY in FROM, which vecgres does
// not provide yet.
// NB: so it stays false: \d shows "Check constraints:" but not the
// foreign keys, rather than failing.
func hasRITriggers(*binder, *storage.TableDesc) bool { return false }

// checkOrForeignKeyDef is pg_get_constraintdef of a CHECK or FOREIGN KEY
// constraint; ok is false for other OIDs.
func checkOrForeignKeyDef(b *binder, oid uint32, pretty bool) (string, bool) {
	for _, t := range b.tables() {
		for _, c := range t.Checks {
			if c.OID == oid {
				if pretty {
					return "CHECK (" + stripOuterParens(c.Expr) + ")", true
				}
				return checkDef(c), true
			}
		}
		for _, f := range t.ForeignKeys {
			if f.OID == oid {
				return foreignKeyDef(b.cat.cat.Table(f.RefTable), t, &f), true
			}
		}
	}
	return "", false
}

// stripOuterParens removes one pair of parentheses around the whole of e,
// as PostgreSQL's pretty deparser leaves out the top-level ones.
func stripOuterParens(e string) string {
	if len(e) < 2 || e[0] != '(' || e[len(e)-1] != ')' {
		return e
	}
	depth, quoted := 0, false
	for i := 0; i < len(e); i++ {
		switch {
		case e[i] == '\'':
			quoted = !quoted
		case quoted:
		case e[i] == '(':
			depth++
		case e[i] == ')':
			depth--
			if depth == 0 && i != len(e)-1 {
				return e
			}
		}
	}
	return e[1 : len(e)-1]
}

// partitionAncestors is pg_partition_ancestors for psql's "Referenced by:"
// query: vecgres has no partitions, and a table is its own only ancestor.
// NB: PostgreSQL returns no rows for a table that is not a partition; psql
// unions the table itself in anyway, so one row of it is equivalent there.
func partitionAncestors(_ *binder, a []types.Datum) (types.Datum, error) { return a[0], nil }

// checkDef renders "CHECK ((a > 0))" as PostgreSQL does: the stored
// expression is already in deparsed form, parenthesised once more.
func checkDef(c storage.CheckDesc) string {
	return "CHECK (" + c.Expr + ")"
}

// foreignKeyDef renders "FOREIGN KEY (a) REFERENCES s(id) ON DELETE CASCADE".
func foreignKeyDef(parent, child *storage.TableDesc, f *storage.ForeignKeyDesc) string {
	var sb strings.Builder
	sb.WriteString("FOREIGN KEY (" + columnNames(child, f.Columns) + ") REFERENCES ")
	if parent != nil {
		sb.WriteString(tree.QuoteIdent(parent.Name) + "(" + columnNames(parent, f.RefColumns) + ")")
	}
	if f.OnUpdate != storage.FKNoAction {
		sb.WriteString(" ON UPDATE " + fkRule(f.OnUpdate))
	}
	if f.OnDelete != storage.FKNoAction {
		sb.WriteString(" ON DELETE " + fkRule(f.OnDelete))
	}
	return sb.String()
}

func columnNames(t *storage.TableDesc, cols []int) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = tree.QuoteIdent(t.Columns[c].Name)
	}
	return strings.Join(names, ", ")
}

// fkRule spells a referential action as information_schema and
// pg_get_constraintdef do.
func fkRule(a string) string {
	switch a {
	case storage.FKRestrict:
		return "RESTRICT"
	case storage.FKCascade:
		return "CASCADE"
	case storage.FKSetNull:
		return "SET NULL"
	case storage.FKSetDefault:
		return "SET DEFAULT"
	}
	return "NO ACTION"
}

// tableKeyConstraints lists the primary key and unique constraints of t
// (their indexes).
func tableKeyConstraints(t *storage.TableDesc) []*storage.IndexDesc {
	var out []*storage.IndexDesc
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		if ix.Primary || ix.Unique && strings.HasSuffix(ix.Name, "_key") {
			out = append(out, ix)
		}
	}
	return out
}

var tYesNo = types.VarcharType

var tableConstraintsRel = virtualRel{
	cols: []vcol{{"constraint_catalog", tName}, {"constraint_schema", tName}, {"constraint_name", tName}, {"table_catalog", tName},
		{"table_schema", tName}, {"table_name", tName}, {"constraint_type", tYesNo}, {"is_deferrable", tYesNo},
		{"initially_deferred", tYesNo}, {"enforced", tYesNo}, {"nulls_distinct", tYesNo}},
	rows: func(b *binder) [][]types.Datum {
		var out [][]types.Datum
		db := dStr(b.cat.db.Name)
		add := func(t *storage.TableDesc, name, kind string, nullsDistinct types.Datum) {
			out = append(out, []types.Datum{db, dStr("public"), dStr(name), db, dStr("public"), dStr(t.Name), dStr(kind),
				dStr("NO"), dStr("NO"), dStr("YES"), nullsDistinct})
		}
		for _, t := range b.tables() {
			for _, ix := range tableKeyConstraints(t) {
				if ix.Primary {
					add(t, ix.Name, "PRIMARY KEY", types.Null)
				} else {
					add(t, ix.Name, "UNIQUE", dStr("YES"))
				}
			}
			for _, c := range t.Checks {
				add(t, c.Name, "CHECK", types.Null)
			}
			for _, f := range t.ForeignKeys {
				add(t, f.Name, "FOREIGN KEY", types.Null)
			}
		}
		return out
	},
}

var referentialConstraintsRel = virtualRel{
	cols: []vcol{{"constraint_catalog", tName}, {"constraint_schema", tName}, {"constraint_name", tName},
		{"unique_constraint_catalog", tName}, {"unique_constraint_schema", tName}, {"unique_constraint_name", tName},
		{"match_option", tYesNo}, {"update_rule", tYesNo}, {"delete_rule", tYesNo}},
	rows: func(b *binder) [][]types.Datum {
		var out [][]types.Datum
		db := dStr(b.cat.db.Name)
		for _, t := range b.tables() {
			for _, f := range t.ForeignKeys {
				uname := types.Null
				if p := b.cat.cat.Table(f.RefTable); p != nil {
					if ix := referencedIndex(p, f.RefColumns); ix != nil {
						uname = dStr(ix.Name)
					}
				}
				out = append(out, []types.Datum{db, dStr("public"), dStr(f.Name), db, dStr("public"), uname,
					dStr("NONE"), dStr(fkRule(f.OnUpdate)), dStr(fkRule(f.OnDelete))})
			}
		}
		return out
	},
}

var keyColumnUsageRel = virtualRel{
	cols: []vcol{{"constraint_catalog", tName}, {"constraint_schema", tName}, {"constraint_name", tName}, {"table_catalog", tName},
		{"table_schema", tName}, {"table_name", tName}, {"column_name", tName}, {"ordinal_position", tInt4},
		{"position_in_unique_constraint", tInt4}},
	rows: func(b *binder) [][]types.Datum {
		var out [][]types.Datum
		db := dStr(b.cat.db.Name)
		for _, t := range b.tables() {
			for _, ix := range tableKeyConstraints(t) {
				for i, c := range ix.Columns {
					out = append(out, []types.Datum{db, dStr("public"), dStr(ix.Name), db, dStr("public"), dStr(t.Name),
						dStr(t.Columns[c].Name), dInt(int64(i + 1)), types.Null})
				}
			}
			for _, f := range t.ForeignKeys {
				var uniq *storage.IndexDesc
				if p := b.cat.cat.Table(f.RefTable); p != nil {
					uniq = referencedIndex(p, f.RefColumns)
				}
				for i, c := range f.Columns {
					pos := types.Null
					if uniq != nil {
						for j, uc := range uniq.Columns {
							if uc == f.RefColumns[i] {
								pos = dInt(int64(j + 1))
							}
						}
					}
					out = append(out, []types.Datum{db, dStr("public"), dStr(f.Name), db, dStr("public"), dStr(t.Name),
						dStr(t.Columns[c].Name), dInt(int64(i + 1)), pos})
				}
			}
		}
		return out
	},
}

var checkConstraintsRel = virtualRel{
	cols: []vcol{{"constraint_catalog", tName}, {"constraint_schema", tName}, {"constraint_name", tName}, {"check_clause", tYesNo}},
	rows: func(b *binder) [][]types.Datum {
		var out [][]types.Datum
		db := dStr(b.cat.db.Name)
		for _, t := range b.tables() {
			for _, c := range t.Checks {
				out = append(out, []types.Datum{db, dStr("public"), dStr(c.Name), dStr(c.Expr)})
			}
		}
		return out
	},
}

// checkConkey is conkey of a CHECK constraint: NULL when it uses no column.
func checkConkey(t *storage.TableDesc, cols []int) types.Datum {
	if len(cols) == 0 {
		return types.Null
	}
	return int2vector(t, cols)
}
