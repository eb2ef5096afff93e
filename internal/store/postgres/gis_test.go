package postgres_test

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
	"github.com/hotgrid/hotgrid/internal/plan/plantest"
)

// testGISLayers opens the QGIS layers with GDAL's PostgreSQL driver, which
// reads PostGIS metadata as QGIS does: each view must come out as a layer of
// its geometry type in EPSG:4326 with the expected features.
func testGISLayers(t *testing.T, open opener) {
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("ogrinfo not installed (apt-get install gdal-bin)")
		}
		t.Skip("ogrinfo not installed (apt-get install gdal-bin); skipping")
	}
	ctx := context.Background()
	db, dsn := open(t)
	offs := offences(t, "0f0f0f0f", 200)
	ingestAll(t, db, "0f0f0f0f", offs)
	svc := &plan.Service{Store: db}
	p := plantest.Sample()
	if err := svc.Create(ctx, p, "planner"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Transition(ctx, p.ID, 1, hotgrid.PlanProposed, "planner"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Transition(ctx, p.ID, 2, hotgrid.PlanAgreed, "chair"); err != nil {
		t.Fatal(err)
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	conn := "PG:host=" + cfg.Host + " port=" + strconv.Itoa(int(cfg.Port)) + " dbname=" + cfg.Database + " user=" + cfg.User
	tests := []struct {
		layer, geometry, count string
	}{
		{"gis_offences", "Point", "200"},
		{"gis_cells", "Polygon", ""},
		{"gis_plan_cells", "Polygon", "3"},
		{"gis_agreed_plan_cells", "Polygon", "3"},
		{"gis_agreed_plan_areas", "Multi Polygon", "2"},
	}
	for _, tt := range tests {
		out, err := exec.Command(ogrinfo, "-ro", "-so", conn, tt.layer).CombinedOutput()
		if err != nil {
			t.Errorf("ogrinfo %s: %v\n%s", tt.layer, err, out)
			continue
		}
		s := string(out)
		if !strings.Contains(s, "Geometry: "+tt.geometry+"\n") || !strings.Contains(s, `ID["EPSG",4326]`) {
			t.Errorf("ogrinfo %s: want geometry %s in EPSG:4326, got\n%s", tt.layer, tt.geometry, s)
		}
		if tt.count != "" && !strings.Contains(s, "Feature Count: "+tt.count+"\n") {
			t.Errorf("ogrinfo %s: want %s features, got\n%s", tt.layer, tt.count, s)
		}
	}
}
