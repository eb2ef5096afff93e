package severity

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/hotgrid/hotgrid/internal/hotgrid"
)

// DemoCode is a Home Office offence code used by the demo data. Pinned is
// the CSS weight when the facts pin it to the code; 0 means the category
// median is used.
type DemoCode struct {
	Code, Category, Name string
	Pinned               float64
}

// Category names, for brevity.
const (
	catViolence = "Violence and sexual offences"
	catBurglary = "Burglary"
	catRobbery  = "Robbery"
	catVehicle  = "Vehicle crime"
	catDamage   = "Criminal damage and arson"
	catDrugs    = "Drugs"
	catWeapons  = "Possession of weapons"
	catOrder    = "Public order"
	catOther    = "Other crime"
)

// DemoCodes lists the Home Office codes the demo generator uses. Weights
// are pinned only where ../shared/data/severity pins them: homicide and
// attempted murder (ONS figures), burglary by code counts, robbery, the
// single-code categories, possession of cannabis (3) and dishonest use of
// electricity (7). These are demo codes: replace with the ONS per-code table.
func DemoCodes() []DemoCode {
	return []DemoCode{
		{"1", catViolence, "Homicide", 7978.79308113648},
		{"2", catViolence, "Attempted murder", 4662.78644445245},
		{"3B", catViolence, "Threats to kill", 0},
		{"5D", catViolence, "Assault with intent to cause serious harm", 0},
		{"5E", catViolence, "Endangering life", 0},
		{"8L", catViolence, "Harassment", 0},
		{"8N", catViolence, "Assault with injury", 0},
		{"8P", catViolence, "Racially or religiously aggravated assault with injury", 0},
		{"8Q", catViolence, "Stalking", 0},
		{"8R", catViolence, "Malicious communications", 0},
		{"105A", catViolence, "Assault without injury", 0},
		{"105B", catViolence, "Racially or religiously aggravated assault without injury", 0},
		{"28E", catBurglary, "Burglary - residential - dwelling", 438},
		{"28F", catBurglary, "Attempted burglary - residential - dwelling", 438},
		{"28G", catBurglary, "Burglary - residential - non-dwelling", 438},
		{"28H", catBurglary, "Attempted burglary - residential - non-dwelling", 438},
		{"29", catBurglary, "Aggravated burglary in a dwelling", 2127},
		{"30C", catBurglary, "Burglary - business and community", 117},
		{"30D", catBurglary, "Attempted burglary - business and community", 117},
		{"31", catBurglary, "Aggravated burglary - business and community", 1513},
		{"34A", catRobbery, "Robbery of business property", 746},
		{"34B", catRobbery, "Robbery of personal property", 746},
		{"37.2", catVehicle, "Aggravated vehicle taking", 0},
		{"45", catVehicle, "Theft from a vehicle", 0},
		{"48", catVehicle, "Theft or unauthorised taking of a motor vehicle", 0},
		{"39", "Theft from the person", "Theft from the person", 86},
		{"44", "Bicycle theft", "Theft of a pedal cycle", 10},
		{"46", "Shoplifting", "Shoplifting", 13},
		{"49", "Other theft", "Other theft", 33},
		{"56B", catDamage, "Arson not endangering life", 0},
		{"58A", catDamage, "Criminal damage to a dwelling", 0},
		{"58B", catDamage, "Criminal damage to a building other than a dwelling", 0},
		{"58C", catDamage, "Criminal damage to a vehicle", 0},
		{"58D", catDamage, "Other criminal damage", 0},
		{"92A", catDrugs, "Trafficking in controlled drugs", 0},
		{"92D", catDrugs, "Possession of cannabis", 3},
		{"92E", catDrugs, "Possession of other controlled drugs", 0},
		{"10A", catWeapons, "Possession of firearms with intent", 0},
		{"10C", catWeapons, "Possession of other weapons", 0},
		{"10D", catWeapons, "Possession of article with blade or point", 0},
		{"9A", catOrder, "Public fear, alarm or distress", 0},
		{"9B", catOrder, "Racially or religiously aggravated public fear, alarm or distress", 0},
		{"66", catOrder, "Other offences against the state or public order", 0},
		{"33", catOther, "Going equipped for stealing", 0},
		{"43", catOther, "Dishonest use of electricity", 7},
		{"99", catOther, "Other notifiable offences", 0},
	}
}

// Derive builds the default weights rows from the CSS facts file
// (police_uk_category,n_offence_codes,weights_of_offence_codes): each
// category's representative weight is the MEDIAN of its codes' weights
// (the mean is dominated by rare, very serious codes: violence's mean is
// about 1,000 while most recorded violence is common assault or ABH),
// anti-social behaviour weighs 0 (not a crime), and the demo codes follow
// with their pinned weight or their category's median.
//
// notes reports oddities of the facts file that were accepted, e.g. a
// category listing more weights than its n_offence_codes.
func Derive(facts io.Reader, name string) (rows []Row, notes []string, err error) {
	medians, notes, err := readFacts(facts, name)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range hotgrid.Categories {
		m, ok := medians[c.Name]
		if !ok {
			return nil, nil, fmt.Errorf("facts %s: no row for category %q", name, c.Name)
		}
		rows = append(rows, Row{Category: c.Name, Name: "category median of ONS CSS code weights", Weight: m})
	}
	for _, d := range DemoCodes() {
		w, label := d.Pinned, "demo code; pinned CSS weight; replace with the ONS per-code table"
		if w == 0 {
			w, label = medians[d.Category], "demo code; category median; replace with the ONS per-code table"
		}
		rows = append(rows, Row{Code: d.Code, Category: d.Category, Name: d.Name + " (" + label + ")", Weight: w})
	}
	return rows, notes, nil
}

func readFacts(r io.Reader, name string) (map[string]float64, []string, error) {
	cr := csv.NewReader(r)
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("facts %s: %w", name, err)
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != "police_uk_category,n_offence_codes,weights_of_offence_codes" {
		return nil, nil, fmt.Errorf("facts %s: line 1: unexpected header", name)
	}
	out := map[string]float64{}
	var notes []string
	for i, rec := range recs[1:] {
		ws, err := parseWeights(rec[2])
		if err != nil {
			return nil, nil, fmt.Errorf("facts %s: line %d: field weights_of_offence_codes: %w", name, i+2, err)
		}
		n, err := strconv.Atoi(rec[1])
		if err != nil {
			return nil, nil, fmt.Errorf("facts %s: line %d: field n_offence_codes: %q is not a number", name, i+2, rec[1])
		}
		if n != len(ws) {
			notes = append(notes, fmt.Sprintf("%s line %d: %s lists %d weights but n_offence_codes is %d; all listed weights used",
				name, i+2, rec[0], len(ws), n))
		}
		out[rec[0]] = Median(ws)
	}
	return out, notes, nil
}

func parseWeights(s string) ([]float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var ws []float64
	for _, f := range strings.Split(s, ";") {
		w, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", f)
		}
		ws = append(ws, w)
	}
	return ws, nil
}

// WriteCSV writes rows as a weights file (header code,category,name,weight).
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header()); err != nil {
		return err
	}
	for _, r := range rows {
		rec := []string{r.Code, r.Category, r.Name, strconv.FormatFloat(r.Weight, 'f', -1, 64)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
