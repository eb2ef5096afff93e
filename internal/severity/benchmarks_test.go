package severity

import "testing"

func BenchmarkWeight(b *testing.B) {
	tb, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	codes := []string{"105A", "8N", "28E", "", "46"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		tb.Weight(codes[i%len(codes)], "Violence and sexual offences")
	}
}
