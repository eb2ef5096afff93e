package pgtest_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/hotgrid/hotgrid/internal/store/pgtest"
)

func TestCluster(t *testing.T) {
	c := pgtest.Start(t)
	ctx := context.Background()
	a, b := c.NewDatabase(t), c.NewDatabase(t)
	if a == b {
		t.Fatalf("two databases share the URL %s", a)
	}
	conn, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var version, postgis string
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num'), postgis_lib_version()").Scan(&version, &postgis); err != nil {
		t.Fatal(err)
	}
	if version[:2] != "15" {
		t.Errorf("server version %s, want 15", version)
	}
	if postgis == "" {
		t.Error("postgis_lib_version is empty")
	}
	if _, err := conn.Exec(ctx, "CREATE TABLE marker (v int); INSERT INTO marker VALUES (42)"); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	clone := c.CloneDatabase(t, a)
	cc, err := pgx.Connect(ctx, clone)
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close(ctx)
	var v int
	if err := cc.QueryRow(ctx, "SELECT v FROM marker").Scan(&v); err != nil || v != 42 {
		t.Errorf("clone of %s lacks its table: %d, %v", a, v, err)
	}
	conn = cc
	cpu, err := c.ServerCPU()
	if err != nil || cpu <= 0 {
		t.Errorf("server CPU %v, %v; want > 0 after initdb, start and queries", cpu, err)
	}
	var wkt string
	if err := conn.QueryRow(ctx, "SELECT ST_AsText(ST_SetSRID(ST_MakePoint(-1.9, 52.48), 4326))").Scan(&wkt); err != nil {
		t.Fatal(err)
	}
	if wkt != "POINT(-1.9 52.48)" {
		t.Errorf("point = %s", wkt)
	}
}
