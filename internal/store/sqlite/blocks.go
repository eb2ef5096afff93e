package sqlite

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Offences are stored in blocks (migration 7): one offence_blocks row holds
// up to blockRows offences of one source file, encoded one after another
// in its rows blob, with their ID keys in its keys blob. Bulk ingest then
// writes a few hundred rows instead of one row and five index entries per
// offence, and a scan decodes blobs instead of stepping through rows.
//
// Each block records what its offences span, and these columns are
// indexed, so a query reads only the blocks that can match (a block range
// index, like PostgreSQL's BRIN): occurrence times (min_from, max_from,
// max_to), H3 cells (min_cell, max_cell), and in offence_block_names the
// force, unit and category names present. Offences inside a block are then
// filtered exactly.

// blockRows is the most offences one block holds.
const blockRows = 4096

// blockFormat is the first byte of a rows blob: the encoding's version.
const blockFormat = 1

// keySize is the length of an offence's ID key.
const keySize = 16

// idKey is the key of an offence ID in its stored form (blob or text):
// the first 16 bytes of SHA-256 over a type byte and the ID's bytes. Two
// IDs are taken to be the same offence when their keys are equal (a chance
// collision among a billion IDs has odds below 1 in 10^20).
type idKey [keySize]byte

// keyOfID returns the key of a stored ID.
func keyOfID(blob bool, id []byte) idKey {
	h := sha256.New()
	t := [1]byte{'t'}
	if blob {
		t[0] = 'b'
	}
	h.Write(t[:])
	h.Write(id)
	var sum [sha256.Size]byte
	var k idKey
	copy(k[:], h.Sum(sum[:0]))
	return k
}

// appendStoredID appends the stored form of id to dst and reports whether
// it is a blob: a 64-digit lower-case hex ID (the police.uk Crime ID is a
// SHA-256) is stored as its 32 bytes, any other ID as text.
func appendStoredID(dst []byte, id string) ([]byte, bool) {
	if len(id) != 64 || !lowerHex(id) {
		return append(dst, id...), false
	}
	start := len(dst)
	dst = append(dst, make([]byte, 32)...)
	if _, err := hex.Decode(dst[start:], []byte(id)); err != nil {
		return append(dst[:start], id...), false
	}
	return dst, true
}

// lowerHex reports whether s has no upper-case hex letters (hex.Decode
// takes them, but the ID would not read back the same).
func lowerHex(s string) bool {
	for i := range len(s) {
		if c := s[i]; c >= 'A' && c <= 'F' {
			return false
		}
	}
	return true
}

// stored is one offence as a block holds it: names are offence_names ids,
// times Unix seconds, strings the bytes of the value.
type stored struct {
	idBlob                               bool
	id                                   []byte
	row                                  int64
	force, category, code, unit, outcome int64
	from, to                             int64
	monthOnly                            bool
	weapon                               int64
	lon, lat                             float64
	lsoa, location                       []byte
	cell                                 uint64
}

// block is a block being filled: its encoded offences, keys and spans.
type block struct {
	n                       int
	rows                    []byte
	keys                    []byte
	prevFrom                int64
	minFrom, maxFrom, maxTo int64
	minCell, maxCell        uint64
	names                   nameSet // force, unit and category ids present
	newNames                []name  // offence_names rows to add with the block
}

// name is an offence_names row.
type name struct {
	id   int64
	name string
}

// newBlock returns an empty block.
func newBlock() *block {
	b := &block{}
	b.reset()
	return b
}

// reset empties b, keeping its buffers.
func (b *block) reset() {
	b.n = 0
	b.rows = append(b.rows[:0], blockFormat)
	b.keys = b.keys[:0]
	b.prevFrom = 0
	b.minFrom, b.maxFrom, b.maxTo = math.MaxInt64, math.MinInt64, math.MinInt64
	b.minCell, b.maxCell = math.MaxUint64, 0
	b.names.reset()
	b.newNames = b.newNames[:0]
}

// add appends one offence with its key.
func (b *block) add(s *stored, k idKey) {
	b.keys = append(b.keys, k[:]...)
	b.rows = appendStored(b.rows, s, b.prevFrom)
	b.prevFrom = s.from
	b.n++
	b.minFrom = min(b.minFrom, s.from)
	b.maxFrom = max(b.maxFrom, s.from)
	b.maxTo = max(b.maxTo, s.to)
	b.minCell = min(b.minCell, s.cell)
	b.maxCell = max(b.maxCell, s.cell)
	b.names.add(s.force)
	b.names.add(s.unit)
	b.names.add(s.category)
}

// nameSet is a set of offence_names ids (small integers) as a bitmap, with
// its members in the order they were added.
type nameSet struct {
	bits []uint64
	ids  []int64
}

// maxBitName bounds the ids kept in the bitmap; larger ones (never seen
// in practice: ids count the distinct names) are looked up in ids.
const maxBitName = 1 << 16

// add puts id in the set.
func (n *nameSet) add(id int64) {
	if id < 0 || id >= maxBitName {
		if !slices.Contains(n.ids, id) {
			n.ids = append(n.ids, id)
		}
		return
	}
	w, bit := int(id>>6), uint64(1)<<(id&63)
	if w >= len(n.bits) {
		n.bits = append(n.bits, make([]uint64, w+1-len(n.bits))...)
	}
	if n.bits[w]&bit == 0 {
		n.bits[w] |= bit
		n.ids = append(n.ids, id)
	}
}

// reset empties the set.
func (n *nameSet) reset() {
	clear(n.bits)
	n.ids = n.ids[:0]
}

// appendStored encodes s after dst; prevFrom is the previous offence's
// from time in the block (0 for the first), which from is stored against.
func appendStored(dst []byte, s *stored, prevFrom int64) []byte {
	idHead := uint64(len(s.id)) << 1
	if s.idBlob {
		idHead |= 1
	}
	dst = binary.AppendUvarint(dst, idHead)
	dst = append(dst, s.id...)
	dst = binary.AppendUvarint(dst, uint64(s.row))
	for _, v := range [5]int64{s.force, s.category, s.code, s.unit, s.outcome} {
		dst = binary.AppendUvarint(dst, uint64(v))
	}
	dst = binary.AppendVarint(dst, s.from-prevFrom)
	dst = binary.AppendVarint(dst, s.to-s.from)
	flags := byte(s.weapon) << 1
	if s.monthOnly {
		flags |= 1
	}
	dst = append(dst, flags)
	dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(s.lon))
	dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(s.lat))
	dst = binary.AppendUvarint(dst, uint64(len(s.lsoa)))
	dst = append(dst, s.lsoa...)
	dst = binary.AppendUvarint(dst, uint64(len(s.location)))
	dst = append(dst, s.location...)
	return binary.LittleEndian.AppendUint64(dst, s.cell)
}

// errCorrupt is returned for a rows blob that does not decode.
var errCorrupt = errors.New("corrupt offence block")

// blockReader decodes the offences of a rows blob in order. The byte
// slices of what next fills alias the blob.
type blockReader struct {
	b        []byte
	prevFrom int64
	err      error
}

// reset starts r on another rows blob.
func (r *blockReader) reset(rows []byte) error {
	if len(rows) == 0 || rows[0] != blockFormat {
		return fmt.Errorf("%w: unknown format", errCorrupt)
	}
	*r = blockReader{b: rows[1:]}
	return nil
}

// next decodes the next offence into s; it returns false at the end or on
// an error (see Err).
func (r *blockReader) next(s *stored) bool {
	if len(r.b) == 0 || r.err != nil {
		return false
	}
	idHead := r.uvarint()
	s.idBlob = idHead&1 == 1
	s.id = r.bytes(int(idHead >> 1))
	s.row = int64(r.uvarint())
	s.force, s.category, s.code = int64(r.uvarint()), int64(r.uvarint()), int64(r.uvarint())
	s.unit, s.outcome = int64(r.uvarint()), int64(r.uvarint())
	s.from = r.prevFrom + r.varint()
	r.prevFrom = s.from
	s.to = s.from + r.varint()
	flags := r.bytes(1)
	if len(flags) == 1 {
		s.monthOnly, s.weapon = flags[0]&1 == 1, int64(flags[0]>>1)
	}
	s.lon = math.Float64frombits(r.fixed64())
	s.lat = math.Float64frombits(r.fixed64())
	s.lsoa = r.bytes(int(r.uvarint()))
	s.location = r.bytes(int(r.uvarint()))
	s.cell = r.fixed64()
	return r.err == nil
}

// Err returns why decoding stopped early, or nil.
func (r *blockReader) Err() error { return r.err }

// uvarint reads an unsigned varint.
func (r *blockReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

// varint reads a signed varint: binary.AppendVarint's zig-zag encoding
// of it as an unsigned one.
func (r *blockReader) varint() int64 {
	u := r.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

// fixed64 reads 8 little-endian bytes.
func (r *blockReader) fixed64() uint64 {
	b := r.bytes(8)
	if len(b) < 8 {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

// bytes reads n bytes.
func (r *blockReader) bytes(n int) []byte {
	if n < 0 || n > len(r.b) {
		r.fail()
		return nil
	}
	v := r.b[:n:n]
	r.b = r.b[n:]
	return v
}

// fail records a truncated or malformed blob.
func (r *blockReader) fail() {
	if r.err == nil {
		r.err = fmt.Errorf("%w: truncated offence", errCorrupt)
	}
	r.b = nil
}
