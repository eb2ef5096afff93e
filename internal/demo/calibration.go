package demo

// Group is a crime group of the WMP 2017 figures.
type Group string

// Groups calibrated per NPU; Other fills the rest of all recorded crime.
const (
	GroupViolence Group = "violence against the person"
	GroupTFMV     Group = "theft from motor vehicle"
	GroupTOMV     Group = "theft of motor vehicle"
	GroupBurglary Group = "burglary"
	GroupRobbery  Group = "robbery"
	GroupOther    Group = "other"
)

// CalibratedGroups returns the groups with a published per-NPU 2017
// volume, in a stable order.
func CalibratedGroups() []Group {
	return []Group{GroupViolence, GroupTFMV, GroupTOMV, GroupBurglary, GroupRobbery}
}

// Volume is one NPU's recorded offences in 2017, by group.
type Volume struct {
	NPU     string
	All     int
	ByGroup map[Group]int
}

// Volumes2017 returns the WMP 2017 per-NPU volumes from the WMP volume-crime
// paper (../shared/data/wmp-2017-figures/npu-volumes-2016-2017.csv, column
// offences_2017): 227,303 offences in all.
func Volumes2017() []Volume {
	v := func(npu string, all, violence, tfmv, tomv, burglary, robbery int) Volume {
		return Volume{NPU: npu, All: all, ByGroup: map[Group]int{GroupViolence: violence, GroupTFMV: tfmv,
			GroupTOMV: tomv, GroupBurglary: burglary, GroupRobbery: robbery,
			GroupOther: all - violence - tfmv - tomv - burglary - robbery}}
	}
	return []Volume{
		v("BE", 39542, 11957, 3429, 1851, 4717, 1432),
		v("BW", 59129, 16086, 5599, 2528, 6376, 2549),
		v("CV", 25043, 6497, 2333, 766, 3456, 791),
		v("DY", 20700, 5578, 1969, 915, 2532, 424),
		v("SH", 15256, 3237, 1703, 869, 2276, 407),
		v("SW", 25861, 7210, 2422, 1170, 3013, 745),
		v("WS", 21220, 5801, 2103, 797, 2929, 493),
		v("WV", 20552, 6669, 1534, 554, 2184, 402),
	}
}

// GroupOfCode returns the calibration group of a demo Home Office code.
func GroupOfCode(code string) Group {
	for _, k := range kinds() {
		for _, c := range k.codes {
			if c.code == code {
				return k.group
			}
		}
	}
	return ""
}
