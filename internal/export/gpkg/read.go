package gpkg

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"
	"github.com/twpayne/go-geom/encoding/wkt"
)

// Geometry is a decoded GeoPackage binary geometry.
type Geometry struct {
	SRSID    int32
	Envelope [4]float64 // minx, maxx, miny, maxy; zero when absent
	Empty    bool
	Geom     geom.T
}

// ReadGeometry decodes a GeoPackage binary geometry: the "GP" header
// (version 0, any envelope type, either byte order) then WKB.
func ReadGeometry(b []byte) (*Geometry, error) {
	if len(b) < 8 || b[0] != 'G' || b[1] != 'P' {
		return nil, fmt.Errorf("geopackage geometry: no GP magic")
	}
	if b[2] != 0 {
		return nil, fmt.Errorf("geopackage geometry: version %d, want 0", b[2])
	}
	flags := b[3]
	if flags&0x20 != 0 {
		return nil, fmt.Errorf("geopackage geometry: extended geometry not supported")
	}
	var order binary.ByteOrder = binary.BigEndian
	if flags&1 == 1 {
		order = binary.LittleEndian
	}
	g := &Geometry{SRSID: int32(order.Uint32(b[4:8])), Empty: flags&0x10 != 0}
	n := 0
	switch env := (flags >> 1) & 7; env {
	case 0:
	case 1:
		n = 4
	case 2, 3:
		n = 6
	case 4:
		n = 8
	default:
		return nil, fmt.Errorf("geopackage geometry: bad envelope type %d", env)
	}
	if len(b) < 8+8*n {
		return nil, fmt.Errorf("geopackage geometry: short envelope")
	}
	for i := 0; i < n && i < 4; i++ {
		g.Envelope[i] = math.Float64frombits(order.Uint64(b[8+8*i:]))
	}
	t, err := wkb.Unmarshal(b[8+8*n:])
	if err != nil {
		return nil, fmt.Errorf("geopackage geometry: %w", err)
	}
	g.Geom = t
	return g, nil
}

// Dump describes a GeoPackage's bytes as text: its application_id and
// user_version, every table's schema and rows (geometries as WKT with their
// header), then the triggers. It is what the golden tests compare, as the bytes of a
// SQLite file depend on the SQLite version.
func Dump(ctx context.Context, gpkg []byte) (string, error) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return "", fmt.Errorf("dump: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		return "", fmt.Errorf("dump: %w", err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		d, ok := dc.(interface{ Deserialize([]byte) error })
		if !ok {
			return fmt.Errorf("sqlite driver %T cannot deserialise", dc)
		}
		return d.Deserialize(bytes.Clone(gpkg))
	})
	if err != nil {
		return "", fmt.Errorf("dump: load: %w", err)
	}
	var sb strings.Builder
	for _, p := range []string{"application_id", "user_version"} {
		var v int64
		if err := conn.QueryRowContext(ctx, "PRAGMA "+p).Scan(&v); err != nil {
			return "", fmt.Errorf("dump: %s: %w", p, err)
		}
		fmt.Fprintf(&sb, "PRAGMA %s = %d\n", p, v)
	}
	// R-tree shadow tables (rtree_*_node, _parent, _rowid) hold SQLite's
	// own node layout: the R-tree itself is dumped instead.
	rows, err := conn.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
		AND NOT (name LIKE 'rtree_%' AND (name LIKE '%_node' OR name LIKE '%_parent' OR name LIKE '%_rowid')) ORDER BY name`)
	if err != nil {
		return "", fmt.Errorf("dump: tables: %w", err)
	}
	var tables [][2]string
	for rows.Next() {
		var name, q string
		if err := rows.Scan(&name, &q); err != nil {
			rows.Close()
			return "", fmt.Errorf("dump: tables: %w", err)
		}
		tables = append(tables, [2]string{name, q})
	}
	rows.Close()
	for _, t := range tables {
		fmt.Fprintf(&sb, "\n%s;\n", t[1])
		if err := dumpRows(ctx, conn, &sb, t[0]); err != nil {
			return "", err
		}
	}
	trs, err := conn.QueryContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name`)
	if err != nil {
		return "", fmt.Errorf("dump: triggers: %w", err)
	}
	defer trs.Close()
	for trs.Next() {
		var q string
		if err := trs.Scan(&q); err != nil {
			return "", fmt.Errorf("dump: triggers: %w", err)
		}
		fmt.Fprintf(&sb, "\n%s;\n", q)
	}
	return sb.String(), trs.Err()
}

func dumpRows(ctx context.Context, conn *sql.Conn, sb *strings.Builder, table string) error {
	rows, err := conn.QueryContext(ctx, fmt.Sprintf("SELECT * FROM %q ORDER BY rowid", table))
	if err != nil {
		return fmt.Errorf("dump %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return fmt.Errorf("dump %s: %w", table, err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("dump %s: %w", table, err)
		}
		parts := make([]string, len(cols))
		for i, v := range vals {
			parts[i] = cols[i] + "=" + dumpValue(v)
		}
		sb.WriteString("  " + strings.Join(parts, " | ") + "\n")
	}
	return rows.Err()
}

func dumpValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		g, err := ReadGeometry(v)
		if err != nil {
			return fmt.Sprintf("BLOB(%d bytes: %v)", len(v), err)
		}
		text, err := wkt.Marshal(g.Geom, wkt.EncodeOptionWithMaxDecimalDigits(7))
		if err != nil {
			text = err.Error()
		}
		return fmt.Sprintf("GP(srs %d, env %.7f %.7f %.7f %.7f) %s", g.SRSID, g.Envelope[0], g.Envelope[1], g.Envelope[2], g.Envelope[3], text)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		return strconv.Quote(v)
	}
	return fmt.Sprint(v)
}
