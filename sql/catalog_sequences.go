package sql

import (
	"strconv"

	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// The system catalogs' view of sequences: pg_class rows (relkind 'S'),
// pg_sequence, pg_sequences, pg_depend (OWNED BY and identity links, which
// psql's \d prints as "Owned by") and information_schema.sequences.

const oidPgClass = 1259

func (b *binder) sequences() []*storage.SequenceDesc { return b.cat.cat.Sequences(b.cat.db.ID) }

// seqTypeName is a sequence's data type as format_type prints it.
func seqTypeName(d *storage.SequenceDesc) string {
	return map[int]string{16: "smallint", 32: "integer", 64: "bigint"}[seqTypeBits[d.TypeOID]]
}

// sequenceClassRows are the pg_class rows of the sequences, made by row
// (pg_class's row builder).
func (b *binder) sequenceClassRows(row func(oid uint32, name string, am uint32, kind string, natts int, hasIndex bool,
	tuples float64, opts types.Datum) []types.Datum) [][]types.Datum {
	var out [][]types.Datum
	for _, s := range b.sequences() {
		out = append(out, row(s.ID, s.Name, 0, "S", 3, false, 1, types.Null))
	}
	return out
}

// sequenceLastValue is pg_sequences.last_value: NULL until the sequence
// has been called.
func (b *binder) sequenceLastValue(s *storage.SequenceDesc) types.Datum {
	v, called, ok, err := b.s.e.store.SequenceState(storage.SequenceValueKey(s.ID))
	if err != nil || !ok || !called {
		return types.Null
	}
	return dInt(v)
}

var pgSequenceRel = virtualRel{
	cols: []vcol{{"seqrelid", tOid}, {"seqtypid", tOid}, {"seqstart", tInt8}, {"seqincrement", tInt8},
		{"seqmax", tInt8}, {"seqmin", tInt8}, {"seqcache", tInt8}, {"seqcycle", tBool}},
	rows: func(b *binder) [][]types.Datum {
		var out [][]types.Datum
		for _, s := range b.sequences() {
			out = append(out, []types.Datum{dOid(s.ID), dOid(s.TypeOID), dInt(s.Start), dInt(s.Increment), dInt(s.Max),
				dInt(s.Min), dInt(s.Cache), dBool(s.Cycle)})
		}
		return out
	},
}

var pgSequencesRel = virtualRel{
	cols: []vcol{{"schemaname", tName}, {"sequencename", tName}, {"sequenceowner", tName}, {"data_type", types.RegtypeType},
		{"start_value", tInt8}, {"min_value", tInt8}, {"max_value", tInt8}, {"increment_by", tInt8}, {"cycle", tBool},
		{"cache_size", tInt8}, {"last_value", tInt8}},
	rows: func(b *binder) [][]types.Datum {
		var out [][]types.Datum
		for _, s := range b.sequences() {
			out = append(out, []types.Datum{dStr(s.Schema), dStr(s.Name), dStr("postgres"), dOid(s.TypeOID), dInt(s.Start),
				dInt(s.Min), dInt(s.Max), dInt(s.Increment), dBool(s.Cycle), dInt(s.Cache), b.sequenceLastValue(s)})
		}
		return out
	},
}

var pgDependRel = virtualRel{
	cols: []vcol{{"classid", tOid}, {"objid", tOid}, {"objsubid", tInt4}, {"refclassid", tOid}, {"refobjid", tOid},
		{"refobjsubid", tInt4}, {"deptype", tChar}},
	rows: func(b *binder) [][]types.Datum {
		var out [][]types.Datum
		for _, s := range b.sequences() {
			t := b.cat.cat.Table(s.OwnerTable)
			if t == nil {
				continue
			}
			col := descColumn(t, s.OwnerColumn)
			if col < 0 {
				continue
			}
			kind := "a"
			if s.Identity {
				kind = "i"
			}
			out = append(out, []types.Datum{dOid(oidPgClass), dOid(s.ID), dInt(0), dOid(oidPgClass), dOid(t.ID), dInt(int64(col + 1)), dStr(kind)})
		}
		return out
	},
}

var infoSequencesRel = virtualRel{
	cols: []vcol{{"sequence_catalog", tName}, {"sequence_schema", tName}, {"sequence_name", tName}, {"data_type", types.VarcharType},
		{"numeric_precision", tInt4}, {"numeric_precision_radix", tInt4}, {"numeric_scale", tInt4}, {"start_value", types.VarcharType},
		{"minimum_value", types.VarcharType}, {"maximum_value", types.VarcharType}, {"increment", types.VarcharType},
		{"cycle_option", types.VarcharType}},
	rows: func(b *binder) [][]types.Datum {
		var out [][]types.Datum
		for _, s := range b.sequences() {
			if s.Identity {
				continue // PostgreSQL lists only sequences users created
			}
			cycle := "NO"
			if s.Cycle {
				cycle = "YES"
			}
			out = append(out, []types.Datum{dStr(b.cat.db.Name), dStr(s.Schema), dStr(s.Name), dStr(seqTypeName(s)),
				dInt(int64(seqTypeBits[s.TypeOID])), dInt(2), dInt(0), dStr(strconv.FormatInt(s.Start, 10)),
				dStr(strconv.FormatInt(s.Min, 10)), dStr(strconv.FormatInt(s.Max, 10)), dStr(strconv.FormatInt(s.Increment, 10)),
				dStr(cycle)})
		}
		return out
	},
}

// identityGeneration is information_schema.columns.identity_generation.
func identityGeneration(c storage.ColumnDesc) types.Datum {
	switch c.Identity {
	case "a":
		return dStr("ALWAYS")
	case "d":
		return dStr("BY DEFAULT")
	}
	return types.Null
}
