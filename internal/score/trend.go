package score

import "math"

// MannKendallResult is the outcome of a Mann-Kendall trend test.
type MannKendallResult struct {
	S   float64 // sum of signs of all later-minus-earlier differences
	Var float64 // variance of S, corrected for ties
	Z   float64 // continuity-corrected normal score
	P   float64 // two-sided p-value
	Tau float64 // Kendall's tau (S over the number of pairs)
}

// MannKendall tests a series for a monotonic trend, with the tie
// correction of the variance: Var(S) = [n(n-1)(2n+5) - sum t(t-1)(2t+5)]/18
// over groups of t tied values, and Z = (S-1)/sqrt(Var) for S > 0,
// (S+1)/sqrt(Var) for S < 0.
func MannKendall(x []float64) MannKendallResult {
	n := len(x)
	var r MannKendallResult
	if n < 2 {
		r.P = 1
		return r
	}
	for i := 0; i < n-1; i++ {
		for j := i + 1; j < n; j++ {
			switch {
			case x[j] > x[i]:
				r.S++
			case x[j] < x[i]:
				r.S--
			}
		}
	}
	nf := float64(n)
	v := nf * (nf - 1) * (2*nf + 5)
	used := make([]bool, n)
	for i := 0; i < n; i++ {
		if used[i] {
			continue
		}
		t := 0.0
		for j := i; j < n; j++ {
			if !used[j] && x[j] == x[i] {
				used[j] = true
				t++
			}
		}
		v -= t * (t - 1) * (2*t + 5)
	}
	r.Var = v / 18
	r.Tau = r.S / (nf * (nf - 1) / 2)
	switch {
	case r.Var <= 0:
		r.Z = 0
	case r.S > 0:
		r.Z = (r.S - 1) / math.Sqrt(r.Var)
	case r.S < 0:
		r.Z = (r.S + 1) / math.Sqrt(r.Var)
	}
	r.P = PValue(r.Z)
	return r
}

// Trend names: emerging hot spot classes (ArcGIS Pro "Emerging Hot Spot
// Analysis", R sfdep). Cold classes mirror the hot ones.
const (
	TrendNone         = "no-pattern"
	TrendNew          = "new"
	TrendConsecutive  = "consecutive"
	TrendIntensifying = "intensifying"
	TrendPersistent   = "persistent"
	TrendDiminishing  = "diminishing"
	TrendSporadic     = "sporadic"
	TrendOscillating  = "oscillating"
	TrendHistorical   = "historical"
)

// TrendAlpha is the significance level for a period's Gi* (two-sided p,
// uncorrected, as sfdep classifies each period) and for the Mann-Kendall
// trend.
const TrendAlpha = 0.05

// trendZ is the two-sided normal critical value of TrendAlpha: |z| above
// it means p below TrendAlpha.
const trendZ = 1.959963984540054

// EmergingClass names a cell's emerging hot spot class from its Gi* z in
// each period (oldest first) and their p-values: "<class>-hot",
// "<class>-cold", or "no-pattern". Fewer than two periods give "".
//
// Rules (hot side; cold mirrors with hot and cold swapped, upward and
// downward swapped):
//   - new: hot only in the final period, never cold before;
//   - consecutive: one uninterrupted run of hot periods ending in the final
//     one, never hot before the run, under 90% of periods hot;
//   - intensifying: hot in at least 90% of periods including the final one,
//     with a significant upward Mann-Kendall trend in z;
//   - persistent: as intensifying but no significant trend;
//   - diminishing: as intensifying but a significant downward trend;
//   - sporadic: hot in the final period, hot on and off before, under 90%
//     of periods hot, never cold;
//   - oscillating: hot in the final period, cold in some earlier period,
//     under 90% of periods hot;
//   - historical: hot in at least 90% of periods but not in the final one.
func EmergingClass(z, p []float64) string {
	if len(z) < 2 {
		return ""
	}
	if c := emerging(z, p, 1); c != "" {
		return c + "-hot"
	}
	if c := emerging(z, p, -1); c != "" {
		return c + "-cold"
	}
	return TrendNone
}

// emerging applies the rules for one side: sign 1 for hot, -1 for cold.
func emerging(z, p []float64, sign float64) string {
	n := len(z)
	hot := make([]bool, n)
	cold := false
	nHot := 0
	for i := range z {
		sig := p[i] < TrendAlpha
		hot[i] = sig && z[i]*sign > 0
		if hot[i] {
			nHot++
		}
		if sig && z[i]*sign < 0 && i < n-1 {
			cold = true
		}
	}
	final := hot[n-1]
	mostly := float64(nHot) >= 0.9*float64(n)
	switch {
	case mostly && !final:
		return TrendHistorical
	case !final:
		return ""
	case mostly:
		mk := MannKendall(z)
		up := mk.P < TrendAlpha && mk.S*sign > 0
		down := mk.P < TrendAlpha && mk.S*sign < 0
		switch {
		case up:
			return TrendIntensifying
		case down:
			return TrendDiminishing
		}
		return TrendPersistent
	case cold:
		return TrendOscillating
	case nHot == 1:
		return TrendNew
	}
	// run of hot periods at the end, with nothing hot before it?
	i := n - 1
	for i >= 0 && hot[i] {
		i--
	}
	for j := 0; j <= i; j++ {
		if hot[j] {
			return TrendSporadic
		}
	}
	return TrendConsecutive
}

// trendNames lists every value EmergingClass returns; scored cells store an
// index into it. It is never modified.
var trendNames = func() []string {
	out := []string{"", TrendNone}
	for _, side := range []string{"-hot", "-cold"} {
		for _, c := range []string{TrendNew, TrendConsecutive, TrendIntensifying, TrendPersistent,
			TrendDiminishing, TrendSporadic, TrendOscillating, TrendHistorical} {
			out = append(out, c+side)
		}
	}
	return out
}()

// trendCode returns the index of a trend name in trendNames.
func trendCode(name string) uint8 {
	for i, n := range trendNames {
		if n == name {
			return uint8(i)
		}
	}
	return 0
}
