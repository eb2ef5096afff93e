package evaluate

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteJSON writes the report as JSON: config, results (one object per
// method, budget, unit, crime group and origin), summaries and notes.
func WriteJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	v := struct {
		*Report
		Summary  []Summary `json:"summary"`
		Headline string    `json:"headline"`
	}{rep, Summarise(rep.Results, -1), MakeHeadline(rep).Text}
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// WriteTable writes, per crime group, the median PAI (and median hit rate)
// across units of each method at each budget, then the notes.
func WriteTable(w io.Writer, rep *Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, MakeHeadline(rep).Text)
	sums := Summarise(rep.Results, -1)
	for _, g := range rep.Config.Groups {
		fmt.Fprintf(tw, "\ncrime group %s: median PAI across %s (median hit rate)\n", g, rep.Config.By+"s")
		head := "method\t"
		for _, b := range rep.Config.Budgets {
			head += pct(b) + "\t"
		}
		fmt.Fprintln(tw, head)
		row := map[string][]string{}
		var order []string
		for _, s := range sums {
			if s.CrimeGroup != g {
				continue
			}
			name := s.Method
			if s.Default {
				name += " *"
			}
			if _, ok := row[name]; !ok {
				order = append(order, name)
			}
			row[name] = append(row[name], fmtNum(s.MedianPAI, 2)+" ("+pctNum(s.MedianHitRate)+")")
		}
		for _, m := range order {
			fmt.Fprintln(tw, m+"\t"+strings.Join(row[m], "\t")+"\t")
		}
	}
	fmt.Fprintln(tw, "\n* hotgrid's default method.")
	for _, n := range rep.Notes {
		fmt.Fprintln(tw, "note: "+n)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	return nil
}

func fmtNum(n Num, digits int) string {
	if !n.Valid() {
		return "-"
	}
	return strconv.FormatFloat(float64(n), 'f', digits, 64)
}

func pctNum(n Num) string {
	if !n.Valid() {
		return "-"
	}
	return pct(float64(n))
}

// pct formats a fraction as a percentage with sensible digits.
func pct(f float64) string {
	if math.IsNaN(f) {
		return "-"
	}
	p := f * 100
	switch {
	case p == math.Trunc(p):
		return strconv.FormatFloat(p, 'f', 0, 64) + "%"
	case p < 10:
		return strconv.FormatFloat(p, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(p, 'f', 0, 64) + "%"
}

// span formats a half-open window for people: "January 2025",
// "January to May 2017", or "1 Jan 2025 to 14 Jan 2025".
func span(from, to time.Time) string {
	last := to.AddDate(0, 0, -1)
	if from.Day() == 1 && to.Day() == 1 && from.Hour() == 0 && to.Hour() == 0 {
		lastM := to.AddDate(0, -1, 0)
		if lastM.Equal(from) {
			return from.Format("January 2006")
		}
		if from.Year() == lastM.Year() {
			return from.Format("January") + " to " + lastM.Format("January 2006")
		}
		return from.Format("January 2006") + " to " + lastM.Format("January 2006")
	}
	return from.Format("2 Jan 2006") + " to " + last.Format("2 Jan 2006")
}
