// Command gen writes the default severity weights file from the ONS CSS
// facts (see severity.Derive):
//
//	go run ./internal/severity/gen -facts ../shared/data/severity/ons-css-weights-by-police-uk-category.csv -out data/severity/weights.csv
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/hotgrid/hotgrid/internal/severity"
)

func main() {
	facts := flag.String("facts", "../shared/data/severity/ons-css-weights-by-police-uk-category.csv", "ONS CSS facts CSV")
	out := flag.String("out", "data/severity/weights.csv", "weights file to write")
	flag.Parse()
	if err := run(*facts, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(factsPath, out string) error {
	f, err := os.Open(factsPath)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, notes, err := severity.Derive(f, factsPath)
	if err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintln(os.Stderr, "note:", n)
	}
	var buf bytes.Buffer
	if err := severity.WriteCSV(&buf, rows); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}
