package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

func runMapFixed(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	open := func(context.Context, *Env, string) (hotgrid.Service, func(), error) {
		return &fixedService{}, func() {}, nil
	}
	err = mapCommand(context.Background(), env, args, open)
	return out.String(), errb.String(), err
}

func TestMapCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bw.svg")
	_, msg, err := runMapFixed(t, "--out", path, "--unit", "BW", "--width", "640", "--height", "480", "--top", "3")
	if err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var svg struct {
		Width  string `xml:"width,attr"`
		View   string `xml:"data-view,attr"`
		Title  string `xml:"title"`
		Badges []struct {
			Rank int `xml:"data-rank,attr"`
		} `xml:"g"`
	}
	if err := xml.Unmarshal(body, &svg); err != nil {
		t.Fatalf("%s is not SVG: %v", path, err)
	}
	if svg.Width != "640" || svg.Title != "hotgrid: hot grids of BW, any time, ranked by harm" || len(svg.Badges) == 0 || !bytes.Contains(body, []byte(`<g class="key"`)) {
		t.Errorf("picture: width %s, title %q, %d badges, legend %v", svg.Width, svg.Title, len(svg.Badges), bytes.Contains(body, []byte(`<g class="key"`)))
	}
	if !strings.Contains(msg, "wrote "+path) || !strings.Contains(msg, "view "+svg.View) {
		t.Errorf("message %q", msg)
	}
	stdout, _, err := runMapFixed(t, "--out", "-", "--map", "12/52.48/-1.9", "--hide", "grids,knife", "--legend", "0")
	if err != nil || !strings.HasPrefix(stdout, "<svg ") || !strings.Contains(stdout, `data-view="12.0000/52.480000/-1.900000"`) || strings.Contains(stdout, `class="key"`) {
		t.Errorf("--out -: %v, %.80s", err, stdout)
	}
}

func TestMapCommandErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--unit", "BW"}, "--out FILE is required"},
		{[]string{"--out", "-", "--width", "huge"}, "--width"},
		{[]string{"--out", "-", "--map", "12/52.48"}, "--map"},
		{[]string{"--out", "-", "--hide", "cells"}, "--hide"},
		{[]string{"--out", "-", "--colour", "rainbow"}, "--colour"},
		{[]string{"--out", "-", "--legend", "perhaps"}, "--legend"},
		{[]string{"--out", "-", "extra"}, "unexpected argument"},
		{[]string{"--out", filepath.Join(t.TempDir(), "no", "such", "dir.svg")}, "no such file"},
	} {
		_, _, err := runMapFixed(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("map %q: error %v; want one naming %q", tc.args, err, tc.want)
		}
	}
}
