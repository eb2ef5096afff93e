package sqlite

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

// blockCases are offences at the edges of the encoding.
func blockCases() []stored {
	blob := bytes.Repeat([]byte{0xab}, 32)
	return []stored{
		{idBlob: true, id: blob, row: 2, force: 1, category: 2, code: 3, unit: 4, outcome: 5,
			from: 1_496_271_600, to: 1_498_863_600, monthOnly: true, lon: -1.8904, lat: 52.4862,
			lsoa: []byte("E01009148"), location: []byte("On or near Corporation Street"), cell: 0x8b195da49a6afff},
		{id: []byte("WMP/17/123456"), row: 1 << 40, force: 1, category: 9, code: 300, unit: 1, outcome: 1,
			from: 1_500_000_000, to: 1_500_000_000, weapon: 1, lon: 0, lat: 0, cell: math.MaxUint64},
		{id: []byte{}, row: 0, from: 0, to: 0, lon: math.Copysign(0, -1), lat: -90, weapon: 4}, // all zero, empty ID
		{id: []byte("earlier"), row: 7, force: 1 << 33, category: 1, from: -86_400, to: -3_600, lon: 179.999999, lat: 89.999999,
			lsoa: []byte(""), location: []byte("ünïcødé, \"quoted\"\nline"), cell: 1},
		{id: []byte("window runs backwards"), row: 8, from: 1_600_000_000, to: 1_500_000_000, lon: -180, lat: 90},
	}
}

// TestBlockRoundTrip encodes offences into a block and reads them back,
// field for field, and checks the spans the block records.
func TestBlockRoundTrip(t *testing.T) {
	cases := blockCases()
	b := newBlock()
	for i := range cases {
		b.add(&cases[i], keyOfID(cases[i].idBlob, cases[i].id))
	}
	if b.n != len(cases) || len(b.keys) != len(cases)*keySize {
		t.Fatalf("block holds %d offences and %d key bytes, want %d and %d", b.n, len(b.keys), len(cases), len(cases)*keySize)
	}
	var r blockReader
	if err := r.reset(b.rows); err != nil {
		t.Fatal(err)
	}
	var got stored
	for i, want := range cases {
		if !r.next(&got) {
			t.Fatalf("offence %d: block ended early (%v)", i, r.Err())
		}
		if !sameStored(got, want) {
			t.Errorf("offence %d:\n got %+v\nwant %+v", i, got, want)
		}
		if k := keyOfID(got.idBlob, got.id); !bytes.Equal(k[:], b.keys[i*keySize:(i+1)*keySize]) {
			t.Errorf("offence %d: key does not match the keys blob", i)
		}
	}
	if r.next(&got) || r.Err() != nil {
		t.Errorf("block has more than %d offences (err %v)", len(cases), r.Err())
	}
	if b.minFrom != -86_400 || b.maxFrom != 1_600_000_000 || b.maxTo != 1_500_000_000 || b.minCell != 0 || b.maxCell != math.MaxUint64 {
		t.Errorf("spans: from %d..%d, to up to %d, cells %x..%x", b.minFrom, b.maxFrom, b.maxTo, b.minCell, b.maxCell)
	}
	if want := []int64{1, 4, 2, 9, 0, 1 << 33}; !equalInts(b.names.ids, want) {
		t.Errorf("names %v, want %v (force, unit and category, each once)", b.names.ids, want)
	}
	b.reset()
	if b.n != 0 || len(b.rows) != 1 || len(b.keys) != 0 || len(b.names.ids) != 0 || b.names.bits[0] != 0 {
		t.Errorf("reset left n=%d rows=%d keys=%d names=%v", b.n, len(b.rows), len(b.keys), b.names.ids)
	}
}

// sameStored compares two offences field by field (float bits exactly).
func sameStored(a, b stored) bool {
	return a.idBlob == b.idBlob && bytes.Equal(a.id, b.id) && a.row == b.row && a.force == b.force &&
		a.category == b.category && a.code == b.code && a.unit == b.unit && a.outcome == b.outcome &&
		a.from == b.from && a.to == b.to && a.monthOnly == b.monthOnly && a.weapon == b.weapon &&
		math.Float64bits(a.lon) == math.Float64bits(b.lon) && math.Float64bits(a.lat) == math.Float64bits(b.lat) &&
		bytes.Equal(a.lsoa, b.lsoa) && bytes.Equal(a.location, b.location) && a.cell == b.cell
}

// equalInts reports whether two slices hold the same values in order.
func equalInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestBlockCorrupt cuts a block at every length and flips its format
// byte: reading stops with errCorrupt, never a panic or a wrong offence.
func TestBlockCorrupt(t *testing.T) {
	cases := blockCases()
	b := newBlock()
	for i := range cases {
		b.add(&cases[i], keyOfID(cases[i].idBlob, cases[i].id))
	}
	bad := append([]byte{blockFormat + 1}, b.rows[1:]...)
	var r blockReader
	if err := r.reset(bad); !errors.Is(err, errCorrupt) {
		t.Errorf("unknown format: %v, want errCorrupt", err)
	}
	if err := r.reset(nil); !errors.Is(err, errCorrupt) {
		t.Errorf("empty blob: %v, want errCorrupt", err)
	}
	ends := map[int]bool{} // lengths at which a whole number of offences ends
	for i, n := 0, 1; i <= len(cases); i++ {
		ends[n] = true
		if i < len(cases) {
			n = len(appendStored(b.rows[:n:n], &cases[i], prevFrom(cases, i)))
		}
	}
	for cut := 1; cut < len(b.rows); cut++ {
		if err := r.reset(b.rows[:cut]); err != nil {
			t.Fatal(err)
		}
		var s stored
		n := 0
		for r.next(&s) {
			n++
		}
		if ends[cut] != (r.Err() == nil) {
			t.Errorf("cut at %d of %d: read %d offences, error %v", cut, len(b.rows), n, r.Err())
		}
	}
}

// prevFrom is the from time offence i is encoded against.
func prevFrom(cases []stored, i int) int64 {
	if i == 0 {
		return 0
	}
	return cases[i-1].from
}

// FuzzBlockReader decodes arbitrary bytes as a rows blob: it must stop
// with an error or decode offences that encode back to the same bytes.
func FuzzBlockReader(f *testing.F) {
	cases := blockCases()
	b := newBlock()
	for i := range cases {
		b.add(&cases[i], keyOfID(cases[i].idBlob, cases[i].id))
	}
	f.Add(b.rows)
	f.Add([]byte{blockFormat})
	f.Fuzz(func(t *testing.T, data []byte) {
		var r blockReader
		if r.reset(data) != nil {
			return
		}
		out := []byte{blockFormat}
		var (
			s    stored
			prev int64
		)
		for r.next(&s) {
			out = appendStored(out, &s, prev)
			prev = s.from
		}
		if r.Err() == nil && len(out) > len(data) {
			t.Errorf("re-encoded %d bytes from %d", len(out), len(data))
		}
	})
}
