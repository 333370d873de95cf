package storage

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
)

// TestKeys is the golden test of the on-disk key layout: every line of input
// names a key constructor and its arguments, and the output is the encoded
// key in hex. A diff here is a format change: see keys.go before
// regenerating with -rewrite.
func TestKeys(t *testing.T) {
	datadriven.RunTest(t, "testdata/keys.ddt", func(t *testing.T, d *datadriven.TestData) string {
		switch d.Cmd {
		case "constants":
			return fmt.Sprintf("FormatVersion=%d FirstID=%d VectorBlobChunkSize=%d\n",
				FormatVersion, FirstID, VectorBlobChunkSize)
		case "key":
			var out strings.Builder
			for _, line := range strings.Split(strings.TrimSpace(d.Input), "\n") {
				k, err := encodeKeyLine(line)
				if err != nil {
					t.Fatalf("%s: %v", line, err)
				}
				if k == nil {
					fmt.Fprintf(&out, "%s -> nil (unbounded)\n", line)
				} else {
					fmt.Fprintf(&out, "%s -> %x\n", line, k)
				}
			}
			return out.String()
		default:
			t.Fatalf("unknown command %q", d.Cmd)
			return ""
		}
	})
}

// encodeKeyLine builds the key a line describes and checks that the
// decoders (where there are any) give back the arguments.
func encodeKeyLine(line string) (_ []byte, err error) {
	f := strings.Fields(line)
	arg := func(i int) string {
		if i >= len(f) {
			err = fmt.Errorf("missing argument %d", i)
			return "0"
		}
		return f[i]
	}
	id := func(i int) uint32 {
		v, perr := strconv.ParseUint(arg(i), 10, 32)
		if perr != nil && err == nil {
			err = perr
		}
		return uint32(v)
	}
	hexArg := func(i int) []byte {
		b, herr := hex.DecodeString(arg(i))
		if herr != nil && err == nil {
			err = herr
		}
		return b
	}
	k, kerr := encodeKey(f, id, hexArg)
	if err != nil {
		return nil, err
	}
	return k, kerr
}

func encodeKey(f []string, id func(int) uint32, hexArg func(int) []byte) ([]byte, error) {
	switch f[0] {
	case "format-version":
		return FormatVersionKey(), nil
	case "catalog-version":
		return CatalogVersionKey(), nil
	case "id-allocator":
		return IDAllocatorKey(), nil
	case "database-desc":
		return DatabaseDescKey(id(1)), nil
	case "table-desc":
		return TableDescKey(id(1)), nil
	case "sequence":
		return SequenceKey(f[1]), nil
	case "rowid-sequence":
		return RowIDSequenceKey(id(1)), nil
	case "table-prefix":
		return TableRowPrefix(id(1)), nil
	case "table-row":
		k := TableRowKey([]byte("reused"), id(1), hexArg(2))[len("reused"):]
		tid, pk, err := DecodeTableRowKey(k)
		if err != nil || tid != id(1) || !bytes.Equal(pk, hexArg(2)) {
			return nil, fmt.Errorf("decode gave %d %x %v", tid, pk, err)
		}
		return k, nil
	case "index-prefix":
		return IndexPrefix(id(1), id(2)), nil
	case "index":
		k := IndexKey(nil, id(1), id(2), hexArg(3))
		tid, iid, key, err := DecodeIndexKey(k)
		if err != nil || tid != id(1) || iid != id(2) || !bytes.Equal(key, hexArg(3)) {
			return nil, fmt.Errorf("decode gave %d %d %x %v", tid, iid, key, err)
		}
		return k, nil
	case "vector-prefix":
		return VectorBlobPrefix(id(1), id(2)), nil
	case "vector-header":
		return VectorBlobHeaderKey(id(1), id(2)), nil
	case "vector-chunk":
		return VectorBlobChunkKey(id(1), id(2), id(3)), nil
	case "vector-applied":
		return VectorAppliedKey(id(1), id(2)), nil
	case "stats":
		return TableStatsKey(id(1)), nil
	case "prefix-end":
		in := hexArg(1)
		out := PrefixEnd(in)
		if !bytes.Equal(in, hexArg(1)) {
			return nil, fmt.Errorf("PrefixEnd modified its argument")
		}
		return out, nil
	case "sequence-value":
		v, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return nil, err
		}
		b := EncodeSequenceValue(v)
		if got, err := DecodeSequenceValue(b); err != nil || got != v {
			return nil, fmt.Errorf("decode gave %d %v", got, err)
		}
		return b, nil
	}
	return nil, fmt.Errorf("unknown key kind %q", f[0])
}

func TestDecodeRejectsMalformed(t *testing.T) {
	for _, k := range [][]byte{nil, {prefixTableRow, 0, 0}, {prefixIndex, 0, 0, 0, 1}, {prefixCatalog}} {
		if _, _, err := DecodeTableRowKey(k); err == nil {
			t.Errorf("DecodeTableRowKey(%x) succeeded", k)
		}
		if _, _, _, err := DecodeIndexKey(k); err == nil {
			t.Errorf("DecodeIndexKey(%x) succeeded", k)
		}
	}
	if _, err := DecodeSequenceValue([]byte{1, 2, 3}); err == nil {
		t.Error("DecodeSequenceValue of 3 bytes succeeded")
	}
}

// TestKeyOrder checks the property the layout exists for: numeric ID order
// and encoded-key order agree, and prefixes nest under their PrefixEnd.
func TestKeyOrder(t *testing.T) {
	ids := []uint32{0, 1, 255, 256, 16400, 1 << 24, ^uint32(0)}
	for i := 1; i < len(ids); i++ {
		a, b := TableRowKey(nil, ids[i-1], []byte{0xff}), TableRowKey(nil, ids[i], nil)
		if bytes.Compare(a, b) >= 0 {
			t.Errorf("row key of table %d sorts after table %d", ids[i-1], ids[i])
		}
		p := IndexPrefix(ids[i], 7)
		k := IndexKey(nil, ids[i], 7, []byte{0xff, 0xff})
		if bytes.Compare(k, PrefixEnd(p)) >= 0 || bytes.Compare(k, p) < 0 {
			t.Errorf("index key %x not within [%x, %x)", k, p, PrefixEnd(p))
		}
	}
}
