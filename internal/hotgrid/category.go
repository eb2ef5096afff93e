package hotgrid

import (
	"fmt"
	"strings"
)

// Category is a data.police.uk crime category.
type Category struct {
	Name  string // as written in street-level CSVs, e.g. "Violence and sexual offences"
	Slug  string // as the police.uk API writes it, e.g. "violent-crime"
	Group string // crime group used in reports: violence, burglary, robbery, vehicle, theft, damage, drugs, weapons, order, other, asb
}

// Categories lists the 14 data.police.uk categories in a stable order.
var Categories = []Category{
	{"Anti-social behaviour", "anti-social-behaviour", "asb"},
	{"Bicycle theft", "bicycle-theft", "theft"},
	{"Burglary", "burglary", "burglary"},
	{"Criminal damage and arson", "criminal-damage-arson", "damage"},
	{"Drugs", "drugs", "drugs"},
	{"Other theft", "other-theft", "theft"},
	{"Possession of weapons", "possession-of-weapons", "weapons"},
	{"Public order", "public-order", "order"},
	{"Robbery", "robbery", "robbery"},
	{"Shoplifting", "shoplifting", "theft"},
	{"Theft from the person", "theft-from-the-person", "theft"},
	{"Vehicle crime", "vehicle-crime", "vehicle"},
	{"Violence and sexual offences", "violent-crime", "violence"},
	{"Other crime", "other-crime", "other"},
}

// CrimeGroups lists the report groups in a stable order.
var CrimeGroups = []string{"violence", "burglary", "robbery", "vehicle", "theft", "damage", "drugs", "weapons", "order", "other", "asb"}

// LookupCategory finds a category by name or slug, ignoring case and
// surrounding space. Older API slugs ("public-disorder-weapons") map to
// their current category.
func LookupCategory(s string) (Category, error) {
	k := normalise(s)
	switch k {
	case "public-disorder-weapons":
		k = "public-order"
	case "violence-and-sexual-offences":
		k = "violent-crime"
	}
	for _, c := range Categories {
		if k == strings.ToLower(c.Name) || k == c.Slug {
			return c, nil
		}
	}
	return Category{}, fmt.Errorf("unknown crime category %q", s)
}

// CategoryIndex returns the position of a category name in Categories, or -1.
func CategoryIndex(name string) int {
	for i, c := range Categories {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// IsASB reports whether a category is anti-social behaviour, which is not a
// crime and carries no severity weight.
func IsASB(name string) bool { return name == "Anti-social behaviour" }

func normalise(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
