package executor

import (
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// Table is a table descriptor with its column types resolved, and the row
// codec: how a row becomes a key and a value in storage.
//
// Row key: storage.TableRowKey(tableID, pk) where pk is the order-preserving
// encoding (types.AppendKey) of the primary key columns, or of the hidden
// int8 row id when the table has no primary key. Row value: the
// concatenation of types.AppendValue for every column in order.
// Index entries (btree): storage.IndexKey(tableID, indexID, k) where k is
// the key encoding of the indexed columns, followed by the row's pk bytes
// unless the index is unique and no indexed value is NULL; the entry's value
// is the pk bytes.
//
// A Table is immutable and shared by concurrent statements.
type Table struct {
	Desc  *storage.TableDesc
	Types []types.T
	// HiddenRowID is true when the table has no primary key.
	HiddenRowID bool
	// missing are the values of columns absent from older rows.
	missing []types.Datum
}

// NewTable resolves the column types of desc.
func NewTable(desc *storage.TableDesc) (*Table, error) {
	t := &Table{Desc: desc, Types: make([]types.T, len(desc.Columns)), HiddenRowID: len(desc.PrimaryKey) == 0,
		missing: make([]types.Datum, len(desc.Columns))}
	for i, c := range desc.Columns {
		typ, ok := types.FromOID(c.TypeOID, c.Typmod)
		if !ok {
			return nil, pgerr.Newf(pgerr.DataCorrupted, "column %q of table %q has unknown type OID %d", c.Name, desc.Name, c.TypeOID)
		}
		t.Types[i] = typ
		if c.MissingSet {
			v, err := types.ParseText(typ, c.Missing)
			if err != nil {
				return nil, pgerr.Wrap(err, pgerr.DataCorrupted, "missing value of column "+c.Name)
			}
			t.missing[i] = v
		}
	}
	return t, nil
}

// RowIDSequence is the sequence that numbers rows of a table without a
// primary key.
func RowIDSequence(tableID uint32) []byte { return storage.RowIDSequenceKey(tableID) }

// PKBytes encodes the primary key of row (ignored for hidden-row-id
// tables, where rowID is used).
func (t *Table) PKBytes(buf []byte, row []types.Datum, rowID int64) []byte {
	if t.HiddenRowID {
		return types.AppendKey(buf, types.Int8Type, types.NewInt(rowID), false)
	}
	for _, ord := range t.Desc.PrimaryKey {
		buf = types.AppendKey(buf, t.Types[ord], row[ord], false)
	}
	return buf
}

// RowKey returns the storage key of the row with primary key bytes pk.
func (t *Table) RowKey(buf, pk []byte) []byte {
	return storage.TableRowKey(buf, t.Desc.ID, pk)
}

// EncodeValue encodes every column of row.
func (t *Table) EncodeValue(buf []byte, row []types.Datum) []byte {
	for i, typ := range t.Types {
		buf = types.AppendValue(buf, typ, row[i])
	}
	return buf
}

// DecodeValue decodes a stored row value into dst (len(dst) >= columns).
// A row written before ALTER TABLE ADD COLUMN ends early: the columns it
// lacks read as their recorded missing value (NULL unless the column was
// added with a constant default).
func (t *Table) DecodeValue(b []byte, dst []types.Datum) error {
	for i, typ := range t.Types {
		if len(b) == 0 {
			dst[i] = t.missing[i]
			continue
		}
		d, rest, err := types.DecodeValue(b, typ)
		if err != nil {
			return pgerr.Wrap(err, pgerr.DataCorrupted, "decoding row of table "+t.Desc.Name)
		}
		dst[i] = d
		b = rest
	}
	return nil
}

// PKFromRowKey returns the pk bytes inside a row key of this table.
func (t *Table) PKFromRowKey(key []byte) []byte {
	return key[len(storage.TableRowPrefix(t.Desc.ID)):]
}

// IndexEntry returns the key of row's entry in the btree index ix.
func (t *Table) IndexEntry(buf []byte, ix *storage.IndexDesc, row []types.Datum, pk []byte) []byte {
	var k []byte
	hasNull := false
	for _, ord := range ix.Columns {
		if row[ord].IsNull() {
			hasNull = true
		}
		k = types.AppendKey(k, t.Types[ord], row[ord], false)
	}
	if !ix.Unique || hasNull {
		k = append(k, pk...)
	}
	return storage.IndexKey(buf, t.Desc.ID, ix.ID, k)
}

// IndexPrefixFor returns the key prefix of entries whose leading indexed
// columns equal vals.
func (t *Table) IndexPrefixFor(ix *storage.IndexDesc, vals []types.Datum) []byte {
	var k []byte
	for i, v := range vals {
		k = types.AppendKey(k, t.Types[ix.Columns[i]], v, false)
	}
	return storage.IndexKey(nil, t.Desc.ID, ix.ID, k)
}

// IsBtree reports whether ix is a btree index with its own entries (not the
// primary key, not a vector index).
func IsBtree(ix *storage.IndexDesc) bool {
	return !ix.Primary && (ix.Method == "" || ix.Method == "btree")
}
