// Package storage owns everything vecgres keeps on disk: the key-value
// engine (Engine, Txn, Iterator) on Pebble, the key layout, the catalog of
// databases and tables, durable sequences, and the persisted images of
// vector indexes.
//
// # What it owns
//
//   - engine.go: the Engine/Txn/Reader/Iterator interfaces (the seam for a
//     future distributed engine) and the sentinel errors.
//   - keys.go: every key prefix and tag with its frozen value, FormatVersion,
//     and the key constructors. testdata/keys.ddt is the golden test of the
//     encoded bytes.
//   - pebble.go, txn.go, writeset.go, iter.go: the Pebble engine.
//   - sequence.go: NextSequence (row-id counters).
//   - sequence_value.go: NextSequenceValue/SetSequenceValue, the state of
//     catalog sequences (CREATE SEQUENCE, serial, identity).
//   - catalog.go, catalog_write.go, catalog_desc.go: descriptors, the
//     Catalog snapshot and the DDL write functions; catalog_sequence.go:
//     sequence descriptors and the migration of legacy serial counters.
//   - blob.go: chunked, checksummed vector index images.
//
// Row and index-key encodings (order-preserving datums) belong to the
// executor; storage treats them as bytes.
//
// # Key layout
//
// One byte of prefix, then big-endian uint32 IDs so that numeric order is key
// order (full table in keys.go):
//
//	0x01 0x01                       format version
//	0x02 0x01 / 0x02 0x02           catalog version / ID allocator
//	0x02 0x03 dbID, 0x02 0x04 tblID database and table descriptors (JSON)
//	0x02 0x05 seqOID                sequence descriptors (JSON)
//	0x03 0x01 name, 0x03 0x02 tblID legacy serial and row-id sequences
//	0x03 0x03 seqOID                catalog sequence state
//	0x10 tblID pk                   rows
//	0x11 tblID idxID key [pk]       secondary index entries
//	0x12 tblID idxID tag [chunk]    vector index image, applied marker
//	0x13 tblID                      table statistics
//
// # Transaction model
//
// Snapshot isolation with first-committer-wins write-write conflicts:
//
//   - Begin records the commit counter; the first read takes a
//     pebble.Snapshot and, when nothing has been written yet, records the
//     counter again, both under the engine mutex, so they always agree
//     (pebbleTxn.snapshot: statements served from memory take none).
//   - Writes go into the transaction's writeSet (an ordered copy-on-write
//     B-tree of puts and tombstones plus sorted range deletions, with keys
//     and values in an append-only arena). Reads merge it over the
//     snapshot: Get looks in the write set first; iterators merge the two
//     sides (iter.go). Pebble's own indexed batch cannot do this, because it
//     reads through to the latest state rather than a snapshot.
//   - An iterator sees the writes made before it was created, never later
//     ones (a write while iterators are open freezes a clone for them), so an
//     UPDATE scanning a table never meets its own new rows.
//   - Savepoints are O(1) clones of the write set; RollbackTo restores one.
//   - Commit, under the engine mutex: check the write set against the write
//     sets of transactions that committed after this one's snapshot (kept in
//     memory only while some open transaction is older than them), apply one
//     pebble.Batch (range deletions first, then points) and bump the commit
//     counter; then wait for the WAL fsync outside the mutex, so concurrent
//     commits share syncs. A conflict returns ErrConflict (SQLSTATE 40001).
//     Read-only transactions commit without touching the WAL.
//   - Sequences (NextSequence) are outside transactions and reserve blocks
//     with one synced write; Close writes back the exact value.
//   - Every catalog write bumps the catalog version key, so concurrent DDL
//     always conflicts (DDL is serialised) and a cached Catalog is current
//     while CatalogVersion is unchanged.
//
// # Invariants
//
//   - A committed transaction is durable (synced WAL) when Commit returns.
//   - The format version is written when a store is created; Open refuses
//     any other version and any non-empty Pebble store without one.
//   - IDs and OIDs come from one transactional allocator starting at
//     FirstID (16400) and are never reused, so keys scoped by a table ID
//     (rows, indexes, row-id sequence) never outlive or leak into another
//     table.
//   - NextSequence never returns a value twice, across crashes included.
//   - A point entry in a write set is newer than every range deletion
//     covering it (DeleteRange removes the points it covers).
//
// # Where to start debugging
//
//   - Wrong rows from a scan inside a transaction: txnIter.findNext in
//     iter.go (merge of snapshot and write set), then writeSet.deleteRange.
//   - Unexpected ErrConflict: pebbleEngine.commit and commitRecord.conflicts;
//     every catalog write conflicts with every other by design.
//   - Open fails: checkFormat in pebble.go prints the stored version.
//   - Bytes on disk: TestKeys and testdata/keys.ddt show every key kind.
package storage
