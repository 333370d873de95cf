package sql

import (
	"sort"
	"strings"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/planner"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// The system catalogs clients query (psql's \d family, JDBC and ODBC
// metadata, pgx and SQLAlchemy reflection), built on demand from the
// catalog as read-only relations. They project the stored descriptors the
// way PostgreSQL's own catalogs describe the same objects, so OIDs agree
// with RowDescription (table OID, attnum, type OID, typmod).

// Well-known OIDs, as in PostgreSQL.
const (
	oidPgCatalog         = 11
	oidPublic            = 2200
	oidInformationSchema = 13000
	oidSuperuser         = 10
	oidHeapAM            = 2
	oidBtreeAM           = 403
)

// accessMethodOIDs gives the vector access methods fixed OIDs above the
// vector type's (pgvector's are assigned at CREATE EXTENSION time).
var accessMethodOIDs = map[string]uint32{"heap": oidHeapAM, "btree": oidBtreeAM, "hash": 405, "gist": 783, "gin": 2742,
	"hnsw": 16387, "ivfflat": 16388, "ivf_pq": 16389, "annoy": 16390}

type vcol struct {
	name string
	typ  types.T
}

// virtualRel is one system relation: its columns and a row producer.
type virtualRel struct {
	cols []vcol
	rows func(b *binder) [][]types.Datum
}

var (
	tOid     = types.OidType
	tName    = types.NameType
	tText    = types.TextType
	tBool    = types.BoolType
	tInt2    = types.Int2Type
	tInt4    = types.Int4Type
	tInt8    = types.Int8Type
	tFloat4  = types.Float4Type
	tChar    = types.T{Family: types.Char, Typmod: -1}
	tInt2Vec = types.T{Family: types.Int2Vector, Typmod: -1}
	tTextArr = types.ArrayOf(types.TextType)
	tInt2Arr = types.ArrayOf(types.Int2Type)
)

func dOid(v uint32) types.Datum { return types.NewInt(int64(v)) }
func dStr(s string) types.Datum { return types.NewString(s) }
func dInt(v int64) types.Datum  { return types.NewInt(v) }
func dBool(b bool) types.Datum  { return types.NewBool(b) }

// catalogRelOIDs are the OIDs PostgreSQL gives its catalogs, for
// 'pg_catalog.pg_class'::regclass and the like.
var catalogRelOIDs = map[string]uint32{"pg_class": 1259, "pg_type": 1247, "pg_attribute": 1249, "pg_namespace": 2615,
	"pg_index": 2610, "pg_am": 2601, "pg_database": 1262, "pg_constraint": 2606, "pg_description": 2609,
	"pg_extension": 3079, "pg_attrdef": 2604, "pg_inherits": 2611, "pg_policy": 3256, "pg_roles": 1260,
	"pg_statistic_ext": 3381, "pg_publication": 6104, "pg_collation": 3456, "pg_trigger": 2620, "pg_rewrite": 2618,
	"pg_sequence": 2224, "pg_enum": 3501, "pg_proc": 1255, "pg_depend": 2608}

// virtualTable resolves the system catalogs; ok is false for other names.
func (b *binder) virtualTable(schema, name string) (planner.Node, bool, error) {
	var rel virtualRel
	var found bool
	switch schema {
	case "", "pg_catalog":
		rel, found = pgCatalog[name]
		if !found && schema == "" {
			// NB: user tables shadow nothing here: pg_catalog is searched
			// first, as PostgreSQL does when it is not in search_path.
			return nil, false, nil
		}
	case "information_schema":
		rel, found = informationSchema[name]
	}
	if !found {
		return nil, false, nil
	}
	cols := make([]planner.Column, len(rel.cols))
	for i, c := range rel.cols {
		cols[i] = planner.Column{Name: c.name, Type: c.typ, Table: name}
	}
	b.readsSystemViews = true
	data := rel.rows(b)
	rows := make([][]executor.Expr, len(data))
	for i, r := range data {
		row := make([]executor.Expr, len(r))
		for j, d := range r {
			row[j] = &executor.Const{Value: d, Typ: rel.cols[j].typ}
		}
		rows[i] = row
	}
	if len(rows) == 0 {
		// An empty relation: a filter that is always false over one row.
		empty := make([]executor.Expr, len(cols))
		for j := range empty {
			empty[j] = &executor.Const{Typ: cols[j].Type}
		}
		return &planner.Filter{Input: &planner.Values{Rows: [][]executor.Expr{empty}, Cols: cols},
			Pred: &executor.Const{Value: types.NewBool(false), Typ: types.BoolType}}, true, nil
	}
	return &planner.Values{Rows: rows, Cols: cols}, true, nil
}

func (b *binder) tables() []*storage.TableDesc {
	ts := append([]*storage.TableDesc(nil), b.cat.cat.Tables(b.cat.db.ID)...)
	sort.Slice(ts, func(i, j int) bool { return ts[i].ID < ts[j].ID })
	return ts
}

func colType(c storage.ColumnDesc) types.T {
	t, ok := types.FromOID(c.TypeOID, c.Typmod)
	if !ok {
		return types.UnknownType
	}
	return t
}

// catalogTypes are the types pg_type lists.
func catalogTypes() []types.T {
	oids := []uint32{16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 30, 114, 700, 701, 1042, 1043, 1082, 1114, 1184, 1186,
		1700, 2205, 2206, 2249, 2278, 2950, 3802, 4089, 705, types.OidBit, types.OidVarBit, types.VectorOID, types.HalfVecOID}
	var out []types.T
	for _, o := range oids {
		if t, ok := types.FromOID(o, -1); ok {
			out = append(out, t)
			if t.Family != types.Void && t.Family != types.Record && t.Family != types.Unknown && t.Family != types.Int2Vector && t.Family != types.OidVector {
				out = append(out, types.ArrayOf(t))
			}
		}
	}
	return out
}

// indexDef is pg_get_indexdef's text for ix; pretty as its third
// argument (only expression keys print differently).
func indexDef(t *storage.TableDesc, ix *storage.IndexDesc, pretty bool) string {
	var sb strings.Builder
	sb.WriteString("CREATE ")
	if ix.Unique {
		sb.WriteString("UNIQUE ")
	}
	sb.WriteString("INDEX " + ix.Name + " ON public." + t.Name + " USING " + ix.Method + " (")
	if ix.Expr != "" {
		sb.WriteString(indexExprText(ix, pretty))
		if len(ix.Opclasses) > 0 && ix.Opclasses[0] != "" {
			sb.WriteString(" " + ix.Opclasses[0])
		}
	}
	for i, c := range ix.Columns {
		if ix.Expr != "" {
			break // NB: Columns are what the expression reads, not keys.
		}
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(t.Columns[c].Name)
		if i < len(ix.Opclasses) && ix.Opclasses[i] != "" {
			sb.WriteString(" " + ix.Opclasses[i])
		}
	}
	sb.WriteString(")")
	if len(ix.Options) > 0 {
		parts := make([]string, len(ix.Options))
		for i, o := range ix.Options {
			parts[i] = o.Name + "='" + o.Value + "'"
		}
		sb.WriteString(" WITH (" + strings.Join(parts, ", ") + ")")
	}
	return sb.String()
}

func int2vector(t *storage.TableDesc, cols []int) types.Datum {
	elems := make([]types.Datum, len(cols))
	for i, c := range cols {
		elems[i] = dInt(int64(c + 1))
	}
	return types.NewArray(elems)
}

func reloptions(ix *storage.IndexDesc) types.Datum {
	if len(ix.Options) == 0 {
		return types.Null
	}
	elems := make([]types.Datum, len(ix.Options))
	for i, o := range ix.Options {
		elems[i] = dStr(o.Name + "=" + o.Value)
	}
	return types.NewArray(elems)
}

// infoDataType is information_schema's data_type for a column type.
func infoDataType(t types.T) string {
	switch t.Family {
	case types.Vector, types.HalfVec:
		return "USER-DEFINED"
	case types.Array:
		return "ARRAY"
	case types.Varchar:
		return "character varying"
	case types.Bpchar:
		return "character"
	case types.Numeric:
		return "numeric"
	}
	s := t.String()
	if i := strings.IndexByte(s, '('); i >= 0 {
		s = s[:i]
	}
	return s
}

var pgCatalog = map[string]virtualRel{
	"pg_namespace": {
		cols: []vcol{{"oid", tOid}, {"nspname", tName}, {"nspowner", tOid}, {"nspacl", tTextArr}},
		rows: func(*binder) [][]types.Datum {
			return [][]types.Datum{
				{dOid(oidPgCatalog), dStr("pg_catalog"), dOid(oidSuperuser), types.Null},
				{dOid(oidPublic), dStr("public"), dOid(oidSuperuser), types.Null},
				{dOid(oidInformationSchema), dStr("information_schema"), dOid(oidSuperuser), types.Null},
			}
		},
	},
	"pg_class": {
		cols: []vcol{{"oid", tOid}, {"relname", tName}, {"relnamespace", tOid}, {"reltype", tOid}, {"reloftype", tOid},
			{"relowner", tOid}, {"relam", tOid}, {"relfilenode", tOid}, {"reltablespace", tOid}, {"relpages", tInt4},
			{"reltuples", tFloat4}, {"relallvisible", tInt4}, {"reltoastrelid", tOid}, {"relhasindex", tBool},
			{"relisshared", tBool}, {"relpersistence", tChar}, {"relkind", tChar}, {"relnatts", tInt2}, {"relchecks", tInt2},
			{"relhasrules", tBool}, {"relhastriggers", tBool}, {"relhassubclass", tBool}, {"relrowsecurity", tBool},
			{"relforcerowsecurity", tBool}, {"relispopulated", tBool}, {"relreplident", tChar}, {"relispartition", tBool},
			{"relacl", tTextArr}, {"reloptions", tTextArr}, {"relpartbound", tText}},
		rows: func(b *binder) [][]types.Datum {
			var out [][]types.Datum
			row := func(oid uint32, name string, am uint32, kind string, natts int, hasIndex bool, tuples float64, opts types.Datum) []types.Datum {
				return []types.Datum{dOid(oid), dStr(name), dOid(oidPublic), dOid(0), dOid(0), dOid(oidSuperuser), dOid(am), dOid(oid),
					dOid(0), dInt(0), types.NewFloat(tuples), dInt(0), dOid(0), dBool(hasIndex), dBool(false), dStr("p"), dStr(kind),
					dInt(int64(natts)), dInt(0), dBool(false), dBool(false), dBool(false), dBool(false), dBool(false), dBool(true),
					dStr("d"), dBool(false), types.Null, opts, types.Null}
			}
			for _, t := range b.tables() {
				r := row(t.ID, t.Name, oidHeapAM, "r", len(t.Columns), len(t.Indexes) > 0, -1, types.Null)
				r[18], r[20] = dInt(int64(len(t.Checks))), dBool(hasRITriggers(b, t)) // relchecks, relhastriggers
				out = append(out, r)
				for i := range t.Indexes {
					ix := &t.Indexes[i]
					out = append(out, row(ix.OID, ix.Name, accessMethodOIDs[ix.Method], "i", indexKeyCount(ix), false, 0, reloptions(ix)))
				}
			}
			return append(out, b.sequenceClassRows(row)...)
		},
	},
	"pg_attribute": {
		cols: []vcol{{"attrelid", tOid}, {"attname", tName}, {"atttypid", tOid}, {"attstattarget", tInt4}, {"attlen", tInt2},
			{"attnum", tInt2}, {"attndims", tInt4}, {"atttypmod", tInt4}, {"attbyval", tBool}, {"attstorage", tChar},
			{"attnotnull", tBool}, {"atthasdef", tBool}, {"atthasmissing", tBool}, {"attidentity", tChar}, {"attgenerated", tChar},
			{"attisdropped", tBool}, {"attislocal", tBool}, {"attinhcount", tInt4}, {"attcollation", tOid}, {"attcompression", tChar},
			{"attacl", tTextArr}, {"attoptions", tTextArr}},
		rows: func(b *binder) [][]types.Datum {
			var out [][]types.Datum
			add := func(rel uint32, num int, name string, t types.T, notNull, hasDef bool) {
				dims := 0
				if t.Family == types.Array {
					dims = 1
				}
				storageKind := "p"
				if t.TypLen() < 0 {
					storageKind = "x"
				}
				out = append(out, []types.Datum{dOid(rel), dStr(name), dOid(t.OID()), dInt(-1), dInt(int64(t.TypLen())), dInt(int64(num)),
					dInt(int64(dims)), dInt(int64(t.WireTypmod())), dBool(t.TypLen() > 0 && t.TypLen() <= 8), dStr(storageKind),
					dBool(notNull), dBool(hasDef), dBool(false), dStr(""), dStr(""), dBool(false), dBool(true), dInt(0), dOid(0),
					dStr(""), types.Null, types.Null})
			}
			for _, t := range b.tables() {
				for i, c := range t.Columns {
					add(t.ID, i+1, c.Name, colType(c), c.NotNull, c.Default != "")
					out[len(out)-1][13] = dStr(c.Identity) // attidentity
				}
				for i := range t.Indexes {
					ix := &t.Indexes[i]
					if ix.Expr != "" {
						name, typ := indexExprAttr(ix)
						add(ix.OID, 1, name, typ, false, false)
						continue
					}
					for j, c := range ix.Columns {
						add(ix.OID, j+1, t.Columns[c].Name, colType(t.Columns[c]), false, false)
					}
				}
			}
			return out
		},
	},
	"pg_type": {
		cols: []vcol{{"oid", tOid}, {"typname", tName}, {"typnamespace", tOid}, {"typowner", tOid}, {"typlen", tInt2},
			{"typbyval", tBool}, {"typtype", tChar}, {"typcategory", tChar}, {"typispreferred", tBool}, {"typisdefined", tBool},
			{"typdelim", tChar}, {"typrelid", tOid}, {"typelem", tOid}, {"typarray", tOid}, {"typinput", types.RegprocType}, {"typoutput", types.RegprocType},
			{"typnotnull", tBool}, {"typbasetype", tOid}, {"typtypmod", tInt4}, {"typndims", tInt4}, {"typcollation", tOid},
			{"typdefault", tText}},
		rows: func(b *binder) [][]types.Datum {
			var out [][]types.Datum
			for _, t := range catalogTypes() {
				ns := uint32(oidPgCatalog)
				if isExtensionType(t) || (t.Family == types.Array && isExtensionType(*t.Elem)) {
					ns = oidPublic
				}
				elem := uint32(0)
				cat := "U"
				if t.Family == types.Array {
					elem, cat = t.Elem.OID(), "A"
				} else if t.Family == types.Bit || t.Family == types.VarBit {
					cat = "V"
				}
				arr := uint32(0)
				if t.Family != types.Array {
					arr = t.ArrayOID()
				}
				_, input := typeIOProc(t, false)
				_, output := typeIOProc(t, true)
				out = append(out, []types.Datum{dOid(t.OID()), dStr(t.TypName()), dOid(ns), dOid(oidSuperuser), dInt(int64(t.TypLen())),
					dBool(t.TypLen() > 0 && t.TypLen() <= 8), dStr("b"), dStr(cat), dBool(false), dBool(true), dStr(","), dOid(0), dOid(elem),
					dOid(arr), dOid(input), dOid(output), dBool(false), dOid(0), dInt(-1), dInt(0), dOid(0), types.Null})
			}
			return out
		},
	},
	"pg_index": {
		cols: []vcol{{"indexrelid", tOid}, {"indrelid", tOid}, {"indnatts", tInt2}, {"indnkeyatts", tInt2}, {"indisunique", tBool},
			{"indnullsnotdistinct", tBool}, {"indisprimary", tBool}, {"indisexclusion", tBool}, {"indimmediate", tBool},
			{"indisclustered", tBool}, {"indisvalid", tBool}, {"indcheckxmin", tBool}, {"indisready", tBool}, {"indislive", tBool},
			{"indisreplident", tBool}, {"indkey", tInt2Vec}, {"indoption", tInt2Vec}, {"indexprs", tText}, {"indpred", tText}},
		rows: func(b *binder) [][]types.Datum {
			var out [][]types.Datum
			for _, t := range b.tables() {
				for i := range t.Indexes {
					ix := &t.Indexes[i]
					n := indexKeyCount(ix)
					zeros := make([]types.Datum, n)
					for j := range zeros {
						zeros[j] = dInt(0)
					}
					// NB: an expression key is attribute number 0 in indkey,
					// its text in indexprs, as PostgreSQL shows it.
					indkey, indexprs := int2vector(t, ix.Columns), types.Null
					if ix.Expr != "" {
						indkey, indexprs = types.NewArray([]types.Datum{dInt(0)}), dStr(ix.Expr)
					}
					out = append(out, []types.Datum{dOid(ix.OID), dOid(t.ID), dInt(int64(n)), dInt(int64(n)),
						dBool(ix.Unique), dBool(false), dBool(ix.Primary), dBool(false), dBool(true), dBool(false), dBool(true), dBool(false),
						dBool(true), dBool(true), dBool(false), indkey, types.NewArray(zeros), indexprs, types.Null})
				}
			}
			return out
		},
	},
	"pg_am": {
		cols: []vcol{{"oid", tOid}, {"amname", tName}, {"amhandler", tText}, {"amtype", tChar}},
		rows: func(*binder) [][]types.Datum {
			names := []string{"heap", "btree", "hash", "gist", "gin", "hnsw", "ivfflat", "ivf_pq", "annoy"}
			var out [][]types.Datum
			for _, n := range names {
				kind := "i"
				if n == "heap" {
					kind = "t"
				}
				out = append(out, []types.Datum{dOid(accessMethodOIDs[n]), dStr(n), dStr(n + "handler"), dStr(kind)})
			}
			return out
		},
	},
	"pg_database": {
		cols: []vcol{{"oid", tOid}, {"datname", tName}, {"datdba", tOid}, {"encoding", tInt4}, {"datlocprovider", tChar},
			{"datistemplate", tBool}, {"datallowconn", tBool}, {"datconnlimit", tInt4}, {"datcollate", tText}, {"datctype", tText},
			{"daticulocale", tText}, {"datcollversion", tText}, {"datacl", tTextArr}},
		rows: func(b *binder) [][]types.Datum {
			var out [][]types.Datum
			for _, db := range b.cat.cat.Databases() {
				out = append(out, []types.Datum{dOid(db.ID), dStr(db.Name), dOid(oidSuperuser), dInt(6), dStr("c"), dBool(false),
					dBool(true), dInt(-1), dStr("C.UTF-8"), dStr("C.UTF-8"), types.Null, types.Null, types.Null})
			}
			return out
		},
	},
	"pg_extension": {
		cols: []vcol{{"oid", tOid}, {"extname", tName}, {"extowner", tOid}, {"extnamespace", tOid}, {"extrelocatable", tBool},
			{"extversion", tText}, {"extconfig", tTextArr}, {"extcondition", tTextArr}},
		rows: func(b *binder) [][]types.Datum {
			out := [][]types.Datum{{dOid(13500), dStr("plpgsql"), dOid(oidSuperuser), dOid(oidPgCatalog), dBool(false), dStr("1.0"), types.Null, types.Null}}
			if b.cat.hasExtension("vector") {
				out = append(out, []types.Datum{dOid(16384), dStr("vector"), dOid(oidSuperuser), dOid(oidPublic), dBool(true), dStr("0.8.0"), types.Null, types.Null})
			}
			return out
		},
	},
	"pg_roles":      rolesRel,
	"pg_constraint": pgConstraintRel,
	"pg_attrdef": {
		cols: []vcol{{"oid", tOid}, {"adrelid", tOid}, {"adnum", tInt2}, {"adbin", tText}},
		rows: func(b *binder) [][]types.Datum {
			var out [][]types.Datum
			for _, t := range b.tables() {
				for i, c := range t.Columns {
					if c.Default != "" {
						out = append(out, []types.Datum{dOid(t.ID<<8 + uint32(i)), dOid(t.ID), dInt(int64(i + 1)), dStr(c.Default)})
					}
				}
			}
			return out
		},
	},
	"pg_indexes": {
		cols: []vcol{{"schemaname", tName}, {"tablename", tName}, {"indexname", tName}, {"tablespace", tName}, {"indexdef", tText}},
		rows: func(b *binder) [][]types.Datum {
			var out [][]types.Datum
			for _, t := range b.tables() {
				for i := range t.Indexes {
					out = append(out, []types.Datum{dStr("public"), dStr(t.Name), dStr(t.Indexes[i].Name), types.Null, dStr(indexDef(t, &t.Indexes[i], false))})
				}
			}
			return out
		},
	},
	"pg_tables": {
		cols: []vcol{{"schemaname", tName}, {"tablename", tName}, {"tableowner", tName}, {"tablespace", tName}, {"hasindexes", tBool},
			{"hasrules", tBool}, {"hastriggers", tBool}, {"rowsecurity", tBool}},
		rows: func(b *binder) [][]types.Datum {
			var out [][]types.Datum
			for _, t := range b.tables() {
				out = append(out, []types.Datum{dStr("public"), dStr(t.Name), dStr("postgres"), types.Null, dBool(len(t.Indexes) > 0),
					dBool(false), dBool(false), dBool(false)})
			}
			return out
		},
	},
	"pg_settings": {
		cols: []vcol{{"name", tText}, {"setting", tText}, {"unit", tText}, {"category", tText}, {"short_desc", tText},
			{"context", tText}, {"vartype", tText}, {"source", tText}, {"boot_val", tText}, {"reset_val", tText}},
		rows: func(b *binder) [][]types.Datum {
			var out [][]types.Datum
			for _, st := range settingsTable {
				v, _ := b.s.settings.get(st.name)
				out = append(out, []types.Datum{dStr(st.name), dStr(v), types.Null, dStr(""), dStr(""), dStr("user"), dStr("string"),
					dStr("default"), dStr(st.def), dStr(st.def)})
			}
			return out
		},
	},
	"pg_inherits": emptyRel(vcol{"inhrelid", tOid}, vcol{"inhparent", tOid}, vcol{"inhseqno", tInt4}, vcol{"inhdetachpending", tBool}),
	"pg_policy": emptyRel(vcol{"oid", tOid}, vcol{"polname", tName}, vcol{"polrelid", tOid}, vcol{"polcmd", tChar},
		vcol{"polpermissive", tBool}, vcol{"polroles", types.ArrayOf(tOid)}, vcol{"polqual", tText}, vcol{"polwithcheck", tText}),
	"pg_description": emptyRel(vcol{"objoid", tOid}, vcol{"classoid", tOid}, vcol{"objsubid", tInt4}, vcol{"description", tText}),
	"pg_statistic_ext": emptyRel(vcol{"oid", tOid}, vcol{"stxrelid", tOid}, vcol{"stxname", tName},
		vcol{"stxnamespace", tOid}, vcol{"stxowner", tOid}, vcol{"stxstattarget", tInt4}, vcol{"stxkeys", tInt2Vec}, vcol{"stxkind", tTextArr}),
	"pg_publication":           emptyRel(vcol{"oid", tOid}, vcol{"pubname", tName}, vcol{"pubowner", tOid}, vcol{"puballtables", tBool}, vcol{"pubinsert", tBool}, vcol{"pubupdate", tBool}, vcol{"pubdelete", tBool}, vcol{"pubtruncate", tBool}, vcol{"pubviaroot", tBool}),
	"pg_publication_rel":       emptyRel(vcol{"oid", tOid}, vcol{"prpubid", tOid}, vcol{"prrelid", tOid}, vcol{"prqual", tText}, vcol{"prattrs", tInt2Vec}),
	"pg_publication_namespace": emptyRel(vcol{"oid", tOid}, vcol{"pnpubid", tOid}, vcol{"pnnspid", tOid}),
	"pg_sequence":              pgSequenceRel,
	"pg_sequences":             pgSequencesRel,
	"pg_depend":                pgDependRel,
	"pg_enum":                  emptyRel(vcol{"oid", tOid}, vcol{"enumtypid", tOid}, vcol{"enumsortorder", tFloat4}, vcol{"enumlabel", tName}),
	"pg_collation":             emptyRel(vcol{"oid", tOid}, vcol{"collname", tName}, vcol{"collnamespace", tOid}),
	"pg_trigger":               emptyRel(vcol{"oid", tOid}, vcol{"tgrelid", tOid}, vcol{"tgname", tName}),
	"pg_rewrite":               emptyRel(vcol{"oid", tOid}, vcol{"rulename", tName}, vcol{"ev_class", tOid}),
	"pg_user":                  rolesRel,
	"pg_stat_progress_create_index": {
		cols: []vcol{{"pid", tInt4}, {"datid", tOid}, {"datname", tName}, {"relid", tOid}, {"index_relid", tOid}, {"command", tText},
			{"phase", tText}, {"lockers_total", tInt8}, {"lockers_done", tInt8}, {"current_locker_pid", tInt8}, {"blocks_total", tInt8},
			{"blocks_done", tInt8}, {"tuples_total", tInt8}, {"tuples_done", tInt8}, {"partitions_total", tInt8}, {"partitions_done", tInt8}},
		rows: func(b *binder) [][]types.Datum {
			var out [][]types.Datum
			for _, bp := range b.s.e.builds.snapshot() {
				db := b.cat.cat.Database(bp.database)
				var dbID uint32
				if db != nil {
					dbID = db.ID
				}
				out = append(out, []types.Datum{dInt(int64(bp.pid)), dOid(dbID), dStr(bp.database), dOid(bp.tableOID), dOid(bp.indexOID),
					dStr(bp.command), dStr(bp.phase), dInt(0), dInt(0), dInt(0), dInt(0), dInt(0), dInt(int64(bp.tuplesTotal)),
					dInt(int64(bp.tuplesDone)), dInt(0), dInt(0)})
			}
			return out
		},
	},
}

// emptyRel is a relation clients query that vecgres has no rows for
// (inheritance, policies, publications, comments, sequences...).
func emptyRel(cols ...vcol) virtualRel {
	return virtualRel{cols: cols, rows: func(*binder) [][]types.Datum { return nil }}
}

var rolesRel = virtualRel{
	cols: []vcol{{"oid", tOid}, {"rolname", tName}, {"rolsuper", tBool}, {"rolinherit", tBool}, {"rolcreaterole", tBool},
		{"rolcreatedb", tBool}, {"rolcanlogin", tBool}, {"rolreplication", tBool}, {"rolconnlimit", tInt4}, {"rolvaliduntil", tText},
		{"rolbypassrls", tBool}, {"rolconfig", tTextArr}},
	rows: func(*binder) [][]types.Datum {
		return [][]types.Datum{{dOid(oidSuperuser), dStr("postgres"), dBool(true), dBool(true), dBool(true), dBool(true), dBool(true),
			dBool(true), dInt(-1), types.Null, dBool(true), types.Null}}
	},
}

var informationSchema = map[string]virtualRel{
	"table_constraints":       tableConstraintsRel,
	"referential_constraints": referentialConstraintsRel,
	"key_column_usage":        keyColumnUsageRel,
	"check_constraints":       checkConstraintsRel,
	"sequences":               infoSequencesRel,
	"tables": {
		cols: []vcol{{"table_catalog", tName}, {"table_schema", tName}, {"table_name", tName}, {"table_type", types.VarcharType}},
		rows: func(b *binder) [][]types.Datum {
			var out [][]types.Datum
			for _, t := range b.tables() {
				out = append(out, []types.Datum{dStr(b.cat.db.Name), dStr("public"), dStr(t.Name), dStr("BASE TABLE")})
			}
			return out
		},
	},
	"columns": {
		cols: []vcol{{"table_catalog", tName}, {"table_schema", tName}, {"table_name", tName}, {"column_name", tName},
			{"ordinal_position", tInt4}, {"column_default", types.VarcharType}, {"is_nullable", types.VarcharType},
			{"data_type", types.VarcharType}, {"character_maximum_length", tInt4}, {"numeric_precision", tInt4},
			{"numeric_scale", tInt4}, {"udt_schema", tName}, {"udt_name", tName}, {"is_identity", types.VarcharType},
			{"identity_generation", types.VarcharType}},
		rows: func(b *binder) [][]types.Datum {
			var out [][]types.Datum
			for _, t := range b.tables() {
				for i, c := range t.Columns {
					ct := colType(c)
					nullable := "YES"
					if c.NotNull {
						nullable = "NO"
					}
					def := types.Null
					if c.Default != "" {
						def = dStr(c.Default)
					}
					maxLen, prec, scale := types.Null, types.Null, types.Null
					switch ct.Family {
					case types.Varchar, types.Bpchar:
						if ct.Typmod > 4 {
							maxLen = dInt(int64(ct.Typmod - 4))
						}
					case types.Int2:
						prec, scale = dInt(16), dInt(0)
					case types.Int4:
						prec, scale = dInt(32), dInt(0)
					case types.Int8:
						prec, scale = dInt(64), dInt(0)
					case types.Numeric:
						if ct.Typmod > 4 {
							prec, scale = dInt(int64((ct.Typmod-4)>>16)), dInt(int64((ct.Typmod-4)&0xffff))
						}
					}
					udtSchema := "pg_catalog"
					if isExtensionType(ct) {
						udtSchema = "public"
					}
					out = append(out, []types.Datum{dStr(b.cat.db.Name), dStr("public"), dStr(t.Name), dStr(c.Name), dInt(int64(i + 1)),
						def, dStr(nullable), dStr(infoDataType(ct)), maxLen, prec, scale, dStr(udtSchema), dStr(ct.TypName()),
						dStr(map[bool]string{true: "YES", false: "NO"}[c.Identity != ""]), identityGeneration(c)})
				}
			}
			return out
		},
	},
}

// isExtensionType reports whether t is one of pgvector's types, which
// live in the public schema (where CREATE EXTENSION vector puts them).
func isExtensionType(t types.T) bool { return t.Family == types.Vector || t.Family == types.HalfVec }
