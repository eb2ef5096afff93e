package tiles

import (
	"encoding/binary"
	"math"
	"sync"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/paulmach/orb"
)

// This file writes vector tiles straight to protobuf bytes. Each cell's
// property values are encoded once when the Index is made, so a tile costs
// little more than projecting and delta-encoding its hexagons; orb's
// encoding/mvt decodes the result (see the tests).

// keys are the tile property names, in the order of prop.key.
var keys = [...]string{"h3", "unit", "rank", "count", "harm", "recency", "z", "class", "patrol_area"}

const (
	keyH3 = iota
	keyUnit
	keyRank
	keyCount
	keyHarm
	keyRecency
	keyZ
	keyClass
	keyArea
)

// prop is one property of a cell: a key index and the encoded Tile.Value.
type prop struct {
	key    uint32
	val    []byte
	shared bool // low-cardinality value, de-duplicated per tile
}

// encodeProps encodes the tile properties of a cell score.
func encodeProps(c *hotgrid.CellScore) []prop {
	ps := []prop{
		{keyH3, stringValue(c.H3), false},
		{keyUnit, stringValue(c.Unit), true},
		{keyRank, sintValue(int64(c.Rank)), false},
		{keyCount, doubleValue(round(c.Count)), false},
		{keyHarm, doubleValue(round(c.Harm)), false},
		{keyRecency, doubleValue(round(c.Recency)), false},
		{keyZ, doubleValue(round(c.Z)), false},
		{keyClass, stringValue(string(c.Class)), true},
	}
	if c.Area != "" {
		ps = append(ps, prop{keyArea, stringValue(c.Area), false})
	}
	return ps
}

func stringValue(s string) []byte {
	b := appendKey(nil, 1, 2)
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func doubleValue(v float64) []byte {
	b := appendKey(nil, 3, 1)
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
}

func sintValue(v int64) []byte {
	b := appendKey(nil, 6, 0)
	return binary.AppendUvarint(b, uint64((v<<1)^(v>>63)))
}

func appendKey(b []byte, field, wire int) []byte {
	return binary.AppendUvarint(b, uint64(field<<3|wire))
}

func appendBytes(b []byte, field int, v []byte) []byte {
	b = appendKey(b, field, 2)
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

// encoder holds the scratch buffers of one tile.
type encoder struct {
	features []byte
	values   []byte
	nvalues  uint32
	shared   map[string]uint32
	tags     []byte
	geom     []byte
	pts      [][2]int32
	layer    []byte
}

var encoders = sync.Pool{New: func() any { return &encoder{shared: map[string]uint32{}} }}

func (e *encoder) reset() {
	e.features, e.values, e.nvalues = e.features[:0], e.values[:0], 0
	clear(e.shared)
}

// value returns the index of an encoded value, adding it to the layer.
func (e *encoder) value(p prop) uint32 {
	if p.shared {
		if i, ok := e.shared[string(p.val)]; ok {
			return i
		}
		e.shared[string(p.val)] = e.nvalues
	}
	e.values = appendBytes(e.values, 4, p.val)
	e.nvalues++
	return e.nvalues - 1
}

// addPolygon appends one polygon feature; rings are in tile units. It
// reports false, adding nothing, when every ring collapsed.
func (e *encoder) addPolygon(poly orb.Polygon, props []prop) bool {
	e.geom = e.geom[:0]
	var cx, cy int32
	for _, r := range poly {
		e.pts = e.pts[:0]
		for i, p := range r {
			if i == len(r)-1 && len(r) > 1 && p == r[0] {
				break // closing point: ClosePath draws it
			}
			q := [2]int32{int32(p[0]), int32(p[1])}
			if n := len(e.pts); n > 0 && e.pts[n-1] == q {
				continue
			}
			e.pts = append(e.pts, q)
		}
		if n := len(e.pts); n > 1 && e.pts[n-1] == e.pts[0] {
			e.pts = e.pts[:n-1]
		}
		if len(e.pts) < 3 || area2(e.pts) == 0 {
			continue
		}
		e.geom = binary.AppendUvarint(e.geom, 1|1<<3) // MoveTo 1
		e.geom = appendDelta(e.geom, e.pts[0], &cx, &cy)
		e.geom = binary.AppendUvarint(e.geom, uint64(2|(len(e.pts)-1)<<3)) // LineTo n
		for _, q := range e.pts[1:] {
			e.geom = appendDelta(e.geom, q, &cx, &cy)
		}
		e.geom = binary.AppendUvarint(e.geom, 7|1<<3) // ClosePath
	}
	if len(e.geom) == 0 {
		return false
	}
	e.tags = e.tags[:0]
	for _, p := range props {
		e.tags = binary.AppendUvarint(e.tags, uint64(p.key))
		e.tags = binary.AppendUvarint(e.tags, uint64(e.value(p)))
	}
	// Feature: tags(2), type(3)=POLYGON, geometry(4)
	n := 1 + uvarintLen(len(e.tags)) + len(e.tags) + 2 + 1 + uvarintLen(len(e.geom)) + len(e.geom)
	e.features = appendKey(e.features, 2, 2)
	e.features = binary.AppendUvarint(e.features, uint64(n))
	e.features = appendBytes(e.features, 2, e.tags)
	e.features = appendKey(e.features, 3, 0)
	e.features = append(e.features, 3)
	e.features = appendBytes(e.features, 4, e.geom)
	return true
}

// finish returns the tile's bytes: one layer named LayerName.
func (e *encoder) finish() []byte {
	l := e.layer[:0]
	l = appendKey(l, 15, 0)
	l = append(l, 2) // version 2
	l = appendBytes(l, 1, []byte(LayerName))
	l = append(l, e.features...)
	for _, k := range keys {
		l = appendKey(l, 3, 2)
		l = binary.AppendUvarint(l, uint64(len(k)))
		l = append(l, k...)
	}
	l = append(l, e.values...)
	l = appendKey(l, 5, 0)
	l = binary.AppendUvarint(l, Extent)
	e.layer = l
	out := make([]byte, 0, len(l)+4)
	return appendBytes(out, 3, l)
}

func appendDelta(b []byte, q [2]int32, cx, cy *int32) []byte {
	dx, dy := q[0]-*cx, q[1]-*cy
	*cx, *cy = q[0], q[1]
	b = binary.AppendUvarint(b, uint64(uint32((dx<<1)^(dx>>31))))
	return binary.AppendUvarint(b, uint64(uint32((dy<<1)^(dy>>31))))
}

func area2(pts [][2]int32) int64 {
	var a int64
	for i := range pts {
		j := (i + 1) % len(pts)
		a += int64(pts[i][0])*int64(pts[j][1]) - int64(pts[j][0])*int64(pts[i][1])
	}
	return a
}

func uvarintLen(n int) int {
	l := 1
	for n >= 0x80 {
		n >>= 7
		l++
	}
	return l
}
