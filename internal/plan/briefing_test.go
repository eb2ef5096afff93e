package plan_test

import (
	"bytes"
	"flag"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
	"github.com/hotgrid/hotgrid/internal/plan/plantest"
	"github.com/hotgrid/hotgrid/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestBriefingGolden(t *testing.T) {
	p := plantest.Sample()
	p.ID, p.Version, p.State, p.AgreedBy = 4, 3, hotgrid.PlanAgreed, "chair"
	p.AgreedAt = time.Date(2017, 5, 25, 10, 0, 0, 0, time.UTC)
	p.Areas[1].Doses = append(p.Areas[1].Doses, hotgrid.Dose{Band: "night", VisitMinutes: 20, Visits: 2})
	p.Note = "Focus <on> Broad Street"
	var buf bytes.Buffer
	err := plan.WriteBriefing(&buf, plan.Briefing{Plan: p, UnitName: "Birmingham Central", Bands: testBands(),
		MadeAt: time.Date(2017, 5, 31, 8, 0, 0, 0, time.UTC), Loc: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"@media print", "@page", "<svg viewBox=\"0 0 700 ", "Birmingham Central (B1)", "agreed by chair",
		"1 Jun 2017 to 30 Jun 2017", "Fri Sat 20:00–04:00 (Fri/Sat night)", "2 × 20 min", "Focus &lt;on&gt; Broad Street"} {
		if !strings.Contains(out, want) {
			t.Errorf("briefing lacks %q", want)
		}
	}
	if n := strings.Count(out, "<polygon"); n != 3 {
		t.Errorf("%d polygons, want one per cell (3)", n)
	}
	if strings.Contains(out, "http://") || strings.Contains(out, "https://") {
		t.Error("briefing references an external resource")
	}
	testenv.Golden(t, filepath.Join("testdata", "briefing.golden.html"), buf.Bytes(), *update)
}
