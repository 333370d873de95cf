package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The key layout. Every constant in this file is part of the on-disk format:
// a value, once released, is never changed or reused. A retired value stays
// here as a comment so that nobody picks it again. A change in the meaning of
// any key or value is a new FormatVersion (see pebble.go: Open refuses
// versions it does not know).
//
//	0x01 0x01                                format version   (uint32 BE)
//	0x02 0x01                                catalog version  (uint64 BE)
//	0x02 0x02                                ID/OID allocator (uint32 BE, last ID handed out)
//	0x02 0x03 dbID                           DatabaseDesc     (JSON)
//	0x02 0x04 tableID                        TableDesc        (JSON)
//	0x02 0x05 seqOID                         SequenceDesc     (JSON)
//	0x03 0x01 name                           legacy serial sequence (int64 BE, see NextSequence;
//	                                         moved to 0x03 0x03 by MigrateSerialSequences)
//	0x03 0x02 tableID                        row-id sequence  (int64 BE)
//	0x03 0x03 seqOID                         catalog sequence state (EncodeSequenceState)
//	0x10 tableID pk                          table row        (encoded by the executor)
//	0x11 tableID indexID key [pk]            secondary index entry
//	0x12 tableID indexID 0x01                vector index image header (length, CRC)
//	0x12 tableID indexID 0x02 chunk          vector index image chunk  (<= 1 MiB)
//	0x12 tableID indexID 0x03                vector index "applied up to" marker
//	0x13 tableID                             table statistics (opaque to storage)
//
// IDs (dbID, tableID, indexID, chunk) are uint32 big-endian, so that numeric
// order is key order. The first byte of every key is below 0xff, so
// PrefixEnd of any prefix here exists.

// FormatVersion is the version of the key layout and value encodings this
// binary writes and reads. It is stored under the format-version key when a
// store is created and checked on every open.
//
// Part of the on-disk format. History:
//
//	1: initial layout (this file).
const FormatVersion uint32 = 1

// Key prefixes (the first byte of every key). Part of the on-disk format;
// never change.
const (
	prefixMeta        byte = 0x01
	prefixCatalog     byte = 0x02
	prefixSequence    byte = 0x03
	prefixTableRow    byte = 0x10
	prefixIndex       byte = 0x11
	prefixVectorBlob  byte = 0x12
	prefixTableStats  byte = 0x13
	prefixUpperBound  byte = 0x14 // first byte after every prefix in use; not a key prefix
	tagFormatVersion  byte = 0x01 // under prefixMeta
	tagCatalogVersion byte = 0x01 // under prefixCatalog
	tagIDAllocator    byte = 0x02 // under prefixCatalog
	tagDatabaseDesc   byte = 0x03 // under prefixCatalog
	tagTableDesc      byte = 0x04 // under prefixCatalog
	tagSequenceDesc   byte = 0x05 // under prefixCatalog
	tagSerialSequence byte = 0x01 // under prefixSequence
	tagRowIDSequence  byte = 0x02 // under prefixSequence
	tagSequenceValue  byte = 0x03 // under prefixSequence
	tagBlobHeader     byte = 0x01 // under VectorBlobPrefix
	tagBlobChunk      byte = 0x02 // under VectorBlobPrefix
	tagBlobApplied    byte = 0x03 // under VectorBlobPrefix
)

// FirstID is the first ID the catalog's allocator hands out, for databases,
// tables and indexes alike (they share one OID space, as in PostgreSQL).
// NB: PostgreSQL's builtin OIDs end below 16384 (FirstNormalObjectId) and
// types.VectorOID is 16385; starting at 16400 keeps our OIDs clear of both.
// Part of the on-disk format.
const FirstID uint32 = 16400

// VectorBlobChunkSize is the size of every chunk of a vector index image but
// the last. Readers accept any chunk size; writers use this one.
const VectorBlobChunkSize = 1 << 20

// errKeyDecode is wrapped by the key and value decoders on malformed input.
var errKeyDecode = errors.New("storage: malformed key or value")

// FormatVersionKey returns the key holding the format version.
func FormatVersionKey() []byte { return []byte{prefixMeta, tagFormatVersion} }

// CatalogVersionKey returns the key of the catalog version counter, bumped by
// every catalog write.
func CatalogVersionKey() []byte { return []byte{prefixCatalog, tagCatalogVersion} }

// IDAllocatorKey returns the key of the catalog's ID/OID allocator.
func IDAllocatorKey() []byte { return []byte{prefixCatalog, tagIDAllocator} }

// CatalogPrefix returns the prefix of every catalog key.
func CatalogPrefix() []byte { return []byte{prefixCatalog} }

// DatabaseDescPrefix returns the prefix of all database descriptors.
func DatabaseDescPrefix() []byte { return []byte{prefixCatalog, tagDatabaseDesc} }

// DatabaseDescKey returns the key of database id's descriptor.
func DatabaseDescKey(id uint32) []byte {
	return binary.BigEndian.AppendUint32(DatabaseDescPrefix(), id)
}

// TableDescPrefix returns the prefix of all table descriptors.
func TableDescPrefix() []byte { return []byte{prefixCatalog, tagTableDesc} }

// TableDescKey returns the key of table id's descriptor.
func TableDescKey(id uint32) []byte {
	return binary.BigEndian.AppendUint32(TableDescPrefix(), id)
}

// SequenceDescPrefix returns the prefix of all sequence descriptors.
func SequenceDescPrefix() []byte { return []byte{prefixCatalog, tagSequenceDesc} }

// SequenceDescKey returns the key of sequence oid's descriptor.
func SequenceDescKey(oid uint32) []byte {
	return binary.BigEndian.AppendUint32(SequenceDescPrefix(), oid)
}

// SequenceValueKey returns the key of the state (value, is_called) of the
// catalog sequence oid; see NextSequenceValue.
func SequenceValueKey(oid uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte{prefixSequence, tagSequenceValue}, oid)
}

// SequencePrefix returns the prefix of every sequence key (serial and row-id).
func SequencePrefix() []byte { return []byte{prefixSequence} }

// SequenceKey returns the key of the serial sequence called name (as in
// pg_class, e.g. "items_id_seq"; callers qualify it if names can clash
// across schemas or databases, e.g. "<dbID>.public.items_id_seq").
func SequenceKey(name string) []byte {
	k := make([]byte, 0, 2+len(name))
	k = append(k, prefixSequence, tagSerialSequence)
	return append(k, name...)
}

// RowIDSequenceKey returns the key of the hidden row-id sequence of a table
// without a primary key. Table IDs are never reused, so neither is this key.
func RowIDSequenceKey(tableID uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte{prefixSequence, tagRowIDSequence}, tableID)
}

// TableRowPrefix returns the prefix of every row of table tableID.
func TableRowPrefix(tableID uint32) []byte {
	return tableScopedPrefix(prefixTableRow, tableID)
}

// TableRowKey appends the key of the row with encoded primary key pk of table
// tableID to buf and returns the result (pass buf[:0] of a reused buffer to
// avoid allocating). pk is the order-preserving encoding made by the caller.
func TableRowKey(buf []byte, tableID uint32, pk []byte) []byte {
	buf = append(buf, prefixTableRow)
	buf = binary.BigEndian.AppendUint32(buf, tableID)
	return append(buf, pk...)
}

// DecodeTableRowKey splits a key made by TableRowKey into table ID and
// primary key; pk aliases key.
func DecodeTableRowKey(key []byte) (tableID uint32, pk []byte, err error) {
	if len(key) < 5 || key[0] != prefixTableRow {
		return 0, nil, fmt.Errorf("%w: %x is not a table row key", errKeyDecode, key)
	}
	return binary.BigEndian.Uint32(key[1:5]), key[5:], nil
}

// tableScopedPrefix returns prefix followed by tableID: under prefixIndex and
// prefixVectorBlob it covers every index of the table (what DropTable
// removes).
func tableScopedPrefix(prefix byte, tableID uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte{prefix}, tableID)
}

// IndexPrefix returns the prefix of every entry of index indexID of table
// tableID.
func IndexPrefix(tableID, indexID uint32) []byte {
	return IndexKey(make([]byte, 0, 9), tableID, indexID, nil)
}

// IndexKey appends the key of an index entry to buf and returns it. key is
// the order-preserving encoding of the indexed columns, followed by the
// encoded primary key for non-unique indexes (so that equal index keys stay
// distinct); the caller makes both.
func IndexKey(buf []byte, tableID, indexID uint32, key []byte) []byte {
	buf = append(buf, prefixIndex)
	buf = binary.BigEndian.AppendUint32(buf, tableID)
	buf = binary.BigEndian.AppendUint32(buf, indexID)
	return append(buf, key...)
}

// DecodeIndexKey splits a key made by IndexKey; key aliases k.
func DecodeIndexKey(k []byte) (tableID, indexID uint32, key []byte, err error) {
	if len(k) < 9 || k[0] != prefixIndex {
		return 0, 0, nil, fmt.Errorf("%w: %x is not an index key", errKeyDecode, k)
	}
	return binary.BigEndian.Uint32(k[1:5]), binary.BigEndian.Uint32(k[5:9]), k[9:], nil
}

// VectorBlobPrefix returns the prefix of every key of vector index indexID's
// persisted state (image header, chunks, applied marker).
func VectorBlobPrefix(tableID, indexID uint32) []byte {
	k := make([]byte, 0, 14)
	k = append(k, prefixVectorBlob)
	k = binary.BigEndian.AppendUint32(k, tableID)
	return binary.BigEndian.AppendUint32(k, indexID)
}

// VectorBlobHeaderKey returns the key of the image header (see WriteVectorImage).
func VectorBlobHeaderKey(tableID, indexID uint32) []byte {
	return append(VectorBlobPrefix(tableID, indexID), tagBlobHeader)
}

// VectorBlobChunkKey returns the key of chunk number chunk of the image.
func VectorBlobChunkKey(tableID, indexID, chunk uint32) []byte {
	k := append(VectorBlobPrefix(tableID, indexID), tagBlobChunk)
	return binary.BigEndian.AppendUint32(k, chunk)
}

// VectorAppliedKey returns the key of the index's "applied up to" marker:
// the vector index stores there how far its persisted image reflects the
// rows (its encoding is the vector index's business), so that on restart it
// replays only the rows after it.
func VectorAppliedKey(tableID, indexID uint32) []byte {
	return append(VectorBlobPrefix(tableID, indexID), tagBlobApplied)
}

// TableStatsKey returns the key of table tableID's statistics (value opaque
// to storage; the planner owns its encoding).
func TableStatsKey(tableID uint32) []byte {
	return tableScopedPrefix(prefixTableStats, tableID)
}

// PrefixEnd returns the smallest key greater than every key that starts with
// prefix, for use as an exclusive upper bound; nil (unbounded) when prefix
// is empty or all 0xff. It does not modify prefix.
func PrefixEnd(prefix []byte) []byte {
	for i := len(prefix) - 1; i >= 0; i-- {
		if prefix[i] != 0xff {
			end := make([]byte, i+1)
			copy(end, prefix)
			end[i]++
			return end
		}
	}
	return nil
}

// encodeUint64 and the other value codecs below are the fixed-width
// big-endian encodings used by the counters in this file. Part of the
// on-disk format.
func encodeUint64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

func decodeUint64(b []byte) (uint64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("%w: counter value has %d bytes, want 8", errKeyDecode, len(b))
	}
	return binary.BigEndian.Uint64(b), nil
}

func decodeUint32(b []byte) (uint32, error) {
	if len(b) != 4 {
		return 0, fmt.Errorf("%w: value has %d bytes, want 4", errKeyDecode, len(b))
	}
	return binary.BigEndian.Uint32(b), nil
}

// EncodeSequenceValue encodes a sequence's current value as stored under
// SequenceKey/RowIDSequenceKey (int64 big-endian). A transaction that writes
// it (setval) makes the engine drop its cached block on commit.
func EncodeSequenceValue(v int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(v)) }

// DecodeSequenceValue decodes a value made by EncodeSequenceValue.
func DecodeSequenceValue(b []byte) (int64, error) {
	v, err := decodeUint64(b)
	return int64(v), err
}
