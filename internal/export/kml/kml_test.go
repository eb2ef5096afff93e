package kml_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"strconv"
	"strings"
	"testing"

	"github.com/hotgrid/hotgrid/internal/export/exporttest"
	"github.com/hotgrid/hotgrid/internal/export/kml"
	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// doc is the part of a KML document the tests read back.
type doc struct {
	XMLName  xml.Name `xml:"http://www.opengis.net/kml/2.2 kml"`
	Document struct {
		Name         string `xml:"name"`
		ExtendedData struct {
			Data []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value"`
			} `xml:"Data"`
		} `xml:"ExtendedData"`
		Styles []struct {
			ID    string `xml:"id,attr"`
			Color string `xml:"PolyStyle>color"`
		} `xml:"Style"`
		Folders []struct {
			Name       string `xml:"name"`
			Placemarks []struct {
				Name        string `xml:"name"`
				Description string `xml:"description"`
				StyleURL    string `xml:"styleUrl"`
				Data        []struct {
					Name  string `xml:"name,attr"`
					Value string `xml:",chardata"`
				} `xml:"ExtendedData>SchemaData>SimpleData"`
				Outer []string `xml:"Polygon>outerBoundaryIs>LinearRing>coordinates"`
				Multi []string `xml:"MultiGeometry>Polygon>outerBoundaryIs>LinearRing>coordinates"`
			} `xml:"Placemark"`
		} `xml:"Folder"`
	} `xml:"Document"`
}

func TestRoundTrip(t *testing.T) {
	in := exporttest.Small()
	in.Cells[0].Unit = `<b>"BW" & co</b>`
	var buf bytes.Buffer
	if err := kml.Write(context.Background(), &buf, in); err != nil {
		t.Fatal(err)
	}
	var d doc
	if err := xml.Unmarshal(buf.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	if d.Document.Name != "hotgrid" {
		t.Errorf("document name %q", d.Document.Name)
	}
	prov := map[string]string{}
	for _, x := range d.Document.ExtendedData.Data {
		prov[x.Name] = x.Value
	}
	if prov["weights_version"] != "ons-css-2023" || prov["made_at"] != "2024-03-01T09:30:00Z" || prov["resolution"] != "9" || !strings.HasPrefix(prov["source_1"], "wmp-2017.csv.gz") {
		t.Errorf("provenance ExtendedData %v", prov)
	}
	styles := map[string]string{}
	for _, s := range d.Document.Styles {
		styles[s.ID] = s.Color
	}
	for _, c := range []hotgrid.Class{hotgrid.ClassHot99, hotgrid.ClassHot95, hotgrid.ClassHot90, hotgrid.ClassNone, hotgrid.ClassCold90, hotgrid.ClassCold95, hotgrid.ClassCold99} {
		col := styles[string(c)]
		if len(col) != 8 || col[:2] == "ff" || col[:2] == "00" {
			t.Errorf("style %s fill %q: want a semi-transparent aabbggrr colour", c, col)
		}
	}
	if styles["hot-99"] != "b42b18b2" {
		t.Errorf("hot-99 fill %q, want dark red b42b18b2", styles["hot-99"])
	}
	if len(d.Document.Folders) != 2 || d.Document.Folders[0].Name != kml.AreasFolder || d.Document.Folders[1].Name != kml.CellsFolder {
		t.Fatalf("folders %+v", d.Document.Folders)
	}
	cells := d.Document.Folders[1].Placemarks
	if len(cells) != len(in.Cells) {
		t.Fatalf("%d cell placemarks, want %d", len(cells), len(in.Cells))
	}
	for i, p := range cells {
		c := in.Cells[i]
		if want := c.Unit + " #" + strconv.Itoa(c.Rank) + " – " + c.H3; p.Name != want {
			t.Errorf("placemark %d name %q, want %q", i, p.Name, want)
		}
		if p.StyleURL != "#"+string(c.Class) {
			t.Errorf("placemark %d style %q", i, p.StyleURL)
		}
		data := map[string]string{}
		for _, x := range p.Data {
			data[x.Name] = x.Value
		}
		if data["h3"] != c.H3 || data["unit"] != c.Unit || data["rank"] != strconv.Itoa(c.Rank) || data["harm"] != strconv.FormatFloat(c.Harm, 'g', -1, 64) || data["class"] != string(c.Class) {
			t.Errorf("placemark %d data %v", i, data)
		}
		if !strings.Contains(p.Description, "Harm (crime severity): ") || !strings.Contains(p.Description, "Peak band: "+c.PeakBand) {
			t.Errorf("placemark %d description %q", i, p.Description)
		}
		if len(p.Outer) != 1 || strings.Count(p.Outer[0], " ")+1 != 7 {
			t.Errorf("placemark %d: want one 7-point ring, got %q", i, p.Outer)
		}
	}
	if !strings.Contains(cells[0].Description, "Dose: 15 min every 2 h in fri-sat-night (4 visits)") {
		t.Errorf("rank 1 description lacks its dose: %q", cells[0].Description)
	}
	if strings.Contains(cells[0].Description, "<b>") {
		t.Errorf("unit text not escaped as HTML in the description: %q", cells[0].Description)
	}
	areas := d.Document.Folders[0].Placemarks
	if len(areas) != 2 || len(areas[0].Outer) != 1 || len(areas[1].Multi) != 2 {
		t.Errorf("areas: %+v", areas)
	}
}

func TestStyleID(t *testing.T) {
	if kml.StyleID("weird") != string(hotgrid.ClassNone) || kml.StyleID(hotgrid.ClassCold99) != "cold-99" {
		t.Error("StyleID")
	}
}
