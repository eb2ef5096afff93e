package plan_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hotgrid/hotgrid/geo"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
	"github.com/hotgrid/hotgrid/internal/plan"
	"github.com/hotgrid/hotgrid/internal/plan/plantest"
)

func london(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	return loc
}

func TestParsePatrolCSV(t *testing.T) {
	loc := london(t)
	p := plantest.Sample()
	p.ID = 5
	in := "area,start,minutes,ref\nB1-1,2017-06-02 21:30,15,PC 12\nB1-2,2017-06-03T01:10,20,\n"
	logs, err := plan.ParsePatrolCSV(strings.NewReader(in), "patrols.csv", p, loc)
	if err != nil {
		t.Fatal(err)
	}
	if len(logs) != 2 || logs[0].Area != "B1-1" || logs[0].Minutes != 15 || logs[0].Ref != "PC 12" || logs[0].PlanID != 5 ||
		logs[0].Unit != "B1" || logs[0].Source != plan.SourceCSV || !logs[0].Start.Equal(time.Date(2017, 6, 2, 20, 30, 0, 0, time.UTC)) {
		t.Fatalf("logs = %+v", logs)
	}
	bad := "area,start,minutes\nB1-1,2017-06-02 21:30,15\nB1-9,2017-06-02 21:30,15\nB1-1,yesterday,15\nB1-1,2017-06-02 21:30,ten\nB1-1,2017-07-02 21:30,15\nB1-1,2017-06-02 21:30,0\n"
	_, err = plan.ParsePatrolCSV(strings.NewReader(bad), "bad.csv", p, loc)
	if hotgrid.ErrorCode(err) != hotgrid.EINVALID {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"5 rows rejected, nothing stored", "bad.csv:3: area: plan 5 has no area \"B1-9\"", "bad.csv:4: start:",
		"bad.csv:5: minutes:", "bad.csv:6: start: 2017-07-02 21:30 is outside the plan period 2017-06-01 to 2017-06-30", "bad.csv:7: minutes:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	for name, in := range map[string]string{"empty": "", "no header col": "area,when,minutes\n", "no rows": "area,start,minutes\n"} {
		if _, err := plan.ParsePatrolCSV(strings.NewReader(in), "x.csv", p, loc); hotgrid.ErrorCode(err) != hotgrid.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestMatchGPS(t *testing.T) {
	loc := london(t)
	p := plantest.Sample()
	// a point at the centre of each area's first cell, one far away
	c0, _ := geo.ParseCell(p.Areas[0].Cells[0])
	c2, _ := geo.ParseCell(p.Areas[1].Cells[0])
	a, b := geo.Center(c0), geo.Center(c2)
	in := "time,lon,lat,vehicle\n" +
		"2017-06-02 10:00," + ll(a) + ",YB01\n" +
		"2017-06-02 10:04," + ll(a) + ",YB01\n" +
		"2017-06-02 10:12," + ll(a) + ",YB01\n" + // more than 5 min gap: a second visit
		"2017-06-02 10:13," + ll(b) + ",YB01\n" +
		"2017-06-02 10:20,-2.5,53.0,YB01\n" +
		"2017-06-02 10:01," + ll(a) + ",YB02\n" +
		"2017-08-02 10:01," + ll(a) + ",YB02\n"
	pts, err := plan.ParseGPSCSV(strings.NewReader(in), "gps.csv", loc)
	if err != nil {
		t.Fatal(err)
	}
	m, err := plan.MatchGPS(p, pts, 0, loc)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range m.Logs {
		got = append(got, l.Ref+":"+l.Area+":"+l.Start.In(loc).Format("15:04")+":"+itoa(l.Minutes))
	}
	want := "YB01:B1-1:10:00:4 YB01:B1-1:10:12:1 YB01:B1-2:10:13:1 YB02:B1-1:10:01:1"
	if strings.Join(got, " ") != want || m.Points != 7 || m.Inside != 5 || m.Outside != 1 || m.OutOfPeriod != 1 {
		t.Fatalf("visits = %q (%+v)\nwant %q", strings.Join(got, " "), m, want)
	}
	if m.Logs[0].Cell != p.Areas[0].Cells[0] || m.Logs[0].Source != plan.SourceGPS {
		t.Errorf("log = %+v", m.Logs[0])
	}
	_, err = plan.ParseGPSCSV(strings.NewReader("time,lon,lat\n2017-06-02 10:00,200,52\nnow,1,52\n"), "gps.csv", loc)
	if err == nil || !strings.Contains(err.Error(), "gps.csv:2: lon/lat:") || !strings.Contains(err.Error(), "gps.csv:3: time:") {
		t.Errorf("bad gps: %v", err)
	}
}

func ll(p [2]float64) string {
	return strings.TrimRight(strings.TrimRight(ftoa(p[0]), "0"), ".") + "," + strings.TrimRight(strings.TrimRight(ftoa(p[1]), "0"), ".")
}
