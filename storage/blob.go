package storage

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// Vector index images: a vector index persists itself as one opaque byte
// string (its own format, see vindex), stored in chunks of
// VectorBlobChunkSize under VectorBlobPrefix with a header holding the
// image's length and CRC-32C. The header is written last in the same
// transaction, and ReadVectorImage checks both, so a torn or partial image is
// reported as corrupt rather than loaded.
//
// Header value (part of the on-disk format): length uint64 BE, CRC-32C
// (Castagnoli) of the image uint32 BE.

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// WriteVectorImage replaces the persisted image of vector index indexID of
// table tableID with image, inside txn. The index's applied marker
// (VectorAppliedKey) is the caller's to write in the same transaction.
//
// NB: the transaction holds a copy of the image until it commits, so memory
// use is about twice the image; images of several GiB need a streaming
// writer committing chunk ranges in separate transactions (not provided).
func WriteVectorImage(txn Txn, tableID, indexID uint32, image []byte) error {
	chunks := append(VectorBlobPrefix(tableID, indexID), tagBlobChunk)
	if err := txn.DeleteRange(chunks, PrefixEnd(chunks)); err != nil {
		return fmt.Errorf("storage: write vector image: %w", err)
	}
	header := vectorHeader(image)
	var key []byte
	for n := uint32(0); ; n++ {
		size := min(len(image), VectorBlobChunkSize)
		key = binary.BigEndian.AppendUint32(append(key[:0], chunks...), n)
		if err := txn.Put(key, image[:size]); err != nil {
			return fmt.Errorf("storage: write vector image: %w", err)
		}
		image = image[size:]
		if len(image) == 0 {
			break
		}
	}
	// NB: the header goes last; a reader that finds it finds every chunk,
	// because all are in this transaction.
	if err := txn.Put(VectorBlobHeaderKey(tableID, indexID), header); err != nil {
		return fmt.Errorf("storage: write vector image: %w", err)
	}
	return nil
}

// vectorHeader encodes the image header: length and CRC-32C.
func vectorHeader(image []byte) []byte {
	h := binary.BigEndian.AppendUint64(nil, uint64(len(image)))
	return binary.BigEndian.AppendUint32(h, crc32.Checksum(image, castagnoli))
}

// ReadVectorImage returns the persisted image of vector index indexID of
// table tableID as visible to r. It returns ErrNotFound when none was
// written, and an error naming the index when the chunks do not match the
// header (length or checksum).
func ReadVectorImage(r Reader, tableID, indexID uint32) ([]byte, error) {
	h, err := r.Get(VectorBlobHeaderKey(tableID, indexID))
	if err != nil {
		return nil, err
	}
	if len(h) != 12 {
		return nil, fmt.Errorf("storage: vector image of table %d index %d: header has %d bytes, want 12",
			tableID, indexID, len(h))
	}
	length, sum := binary.BigEndian.Uint64(h[:8]), binary.BigEndian.Uint32(h[8:])
	chunks := append(VectorBlobPrefix(tableID, indexID), tagBlobChunk)
	it, err := r.NewIter(chunks, PrefixEnd(chunks))
	if err != nil {
		return nil, err
	}
	defer it.Close()
	// NB: the capacity is capped so that a corrupt header cannot ask for
	// an absurd allocation; append grows it if the image really is larger.
	image := make([]byte, 0, min(length, 1<<30))
	for n := uint32(0); it.Next(); n++ {
		if got := binary.BigEndian.Uint32(it.Key()[len(chunks):]); got != n || len(it.Key()) != len(chunks)+4 {
			return nil, fmt.Errorf("storage: vector image of table %d index %d is corrupt: chunk %d missing",
				tableID, indexID, n)
		}
		image = append(image, it.Value()...)
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	if uint64(len(image)) != length {
		return nil, fmt.Errorf("storage: vector image of table %d index %d is corrupt: %d bytes, header says %d; "+
			"rebuild the index (REINDEX)", tableID, indexID, len(image), length)
	}
	if crc32.Checksum(image, castagnoli) != sum {
		return nil, fmt.Errorf("storage: vector image of table %d index %d is corrupt: checksum mismatch; "+
			"rebuild the index (REINDEX)", tableID, indexID)
	}
	return image, nil
}
