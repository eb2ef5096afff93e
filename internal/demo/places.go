package demo

// placeType says what kind of place a hotspot is; crime kinds have an
// affinity for each.
type placeType int

const (
	ptCentre placeType = iota // city or town centre
	ptNight                   // night-time economy
	ptRetail                  // shopping centre, retail park
	ptLocal                   // district centre, high street
	ptEstate                  // residential estate
	ptCampus                  // university area
	numPlaceTypes
)

// place is a hotspot: a real place with a spread (metres) and a weight
// (relative size). Its NPU is found by locating its centre.
type place struct {
	name     string
	lon, lat float64
	sigma    float64
	weight   float64
	typ      placeType
}

// places lists the demo hotspots: city and town centres, night-time
// economy streets, shopping centres, district centres and estates across
// the West Midlands. Coordinates are approximate.
func places() []place {
	return []place{
		// Birmingham city centre and inner city
		{"New Street", -1.8990, 52.4778, 220, 10, ptCentre},
		{"Bull Ring", -1.8935, 52.4772, 150, 7, ptRetail},
		{"Corporation Street", -1.8950, 52.4820, 180, 6, ptCentre},
		{"Broad Street", -1.9110, 52.4768, 160, 7, ptNight},
		{"Hurst Street", -1.8962, 52.4735, 120, 5, ptNight},
		{"Digbeth High Street", -1.8850, 52.4752, 200, 4, ptNight},
		{"Jewellery Quarter", -1.9105, 52.4880, 220, 2, ptLocal},
		{"Five Ways", -1.9230, 52.4710, 200, 2, ptLocal},
		{"Soho Road, Handsworth", -1.9330, 52.5040, 300, 5, ptLocal},
		{"Lozells Road", -1.9030, 52.5035, 250, 3, ptLocal},
		{"Aston Cross", -1.8800, 52.4990, 300, 3, ptEstate},
		{"Ladypool Road, Sparkbrook", -1.8730, 52.4590, 280, 4, ptLocal},
		{"Coventry Road, Small Heath", -1.8560, 52.4700, 300, 4, ptLocal},
		{"Perry Barr One Stop", -1.9020, 52.5175, 220, 3, ptRetail},
		{"Bristol Road, Selly Oak", -1.9370, 52.4410, 250, 4, ptCampus},
		{"Kings Heath High Street", -1.8930, 52.4330, 250, 3, ptLocal},
		{"Northfield", -1.9660, 52.4150, 280, 3, ptLocal},
		{"Longbridge", -1.9870, 52.3950, 280, 2, ptRetail},
		{"Stratford Road, Hall Green", -1.8460, 52.4400, 300, 2, ptLocal},
		{"Ladywood estates", -1.9180, 52.4800, 300, 3, ptEstate},
		{"Kingstanding", -1.8800, 52.5450, 350, 2, ptEstate},
		// Birmingham East
		{"Erdington High Street", -1.8390, 52.5240, 250, 4, ptLocal},
		{"Sutton Coldfield Parade", -1.8240, 52.5640, 220, 3, ptCentre},
		{"Alum Rock Road", -1.8420, 52.4880, 300, 4, ptLocal},
		{"Bordesley Green", -1.8400, 52.4780, 300, 3, ptEstate},
		{"Hodge Hill", -1.8110, 52.4970, 300, 2, ptEstate},
		{"Stechford", -1.8050, 52.4780, 300, 2, ptEstate},
		{"Castle Vale", -1.7890, 52.5210, 300, 2, ptEstate},
		{"Fort Shopping Park", -1.8130, 52.5170, 180, 2, ptRetail},
		{"Sheldon, Coventry Road", -1.7720, 52.4540, 300, 2, ptLocal},
		{"Shard End", -1.7720, 52.4880, 300, 2, ptEstate},
		{"Acocks Green", -1.8180, 52.4480, 250, 2, ptLocal},
		// Coventry
		{"Coventry city centre", -1.5106, 52.4068, 300, 10, ptCentre},
		{"Far Gosford Street", -1.4960, 52.4055, 150, 4, ptNight},
		{"Coventry Precinct", -1.5110, 52.4080, 150, 5, ptRetail},
		{"Hillfields", -1.5000, 52.4140, 300, 4, ptEstate},
		{"Foleshill Road", -1.5020, 52.4300, 350, 4, ptLocal},
		{"Tile Hill", -1.5850, 52.4000, 300, 2, ptEstate},
		{"Canley, University of Warwick", -1.5600, 52.3880, 280, 2, ptCampus},
		{"Bell Green", -1.4770, 52.4380, 250, 2, ptEstate},
		{"Willenhall, Coventry", -1.4700, 52.3870, 250, 2, ptEstate},
		{"Earlsdon", -1.5280, 52.4000, 220, 2, ptLocal},
		// Wolverhampton
		{"Wolverhampton city centre", -2.1288, 52.5862, 280, 10, ptCentre},
		{"Lichfield Street, Wolverhampton", -2.1240, 52.5865, 140, 5, ptNight},
		{"Mander Centre", -2.1300, 52.5850, 120, 4, ptRetail},
		{"Bilston", -2.0750, 52.5660, 280, 4, ptLocal},
		{"Wednesfield", -2.0800, 52.5990, 280, 3, ptLocal},
		{"Whitmore Reans", -2.1450, 52.5950, 250, 3, ptEstate},
		{"Heath Town", -2.1090, 52.5920, 250, 3, ptEstate},
		{"Low Hill", -2.1190, 52.6100, 300, 2, ptEstate},
		// Walsall
		{"Walsall town centre", -1.9826, 52.5862, 260, 10, ptCentre},
		{"Bloxwich", -2.0050, 52.6170, 260, 3, ptLocal},
		{"Willenhall", -2.0570, 52.5850, 260, 3, ptLocal},
		{"Darlaston", -2.0330, 52.5720, 250, 2, ptLocal},
		{"Brownhills", -1.9330, 52.6470, 250, 2, ptLocal},
		{"Aldridge", -1.9170, 52.6040, 250, 1, ptLocal},
		{"Caldmore", -1.9850, 52.5780, 250, 3, ptEstate},
		// Dudley
		{"Dudley town centre", -2.0810, 52.5123, 260, 8, ptCentre},
		{"Merry Hill", -2.1130, 52.4810, 220, 8, ptRetail},
		{"Brierley Hill", -2.1220, 52.4820, 200, 3, ptLocal},
		{"Stourbridge", -2.1430, 52.4560, 250, 5, ptCentre},
		{"Halesowen", -2.0500, 52.4490, 250, 4, ptCentre},
		{"Sedgley", -2.1230, 52.5410, 250, 2, ptLocal},
		{"Kingswinford", -2.1690, 52.4970, 250, 2, ptLocal},
		{"Netherton", -2.0800, 52.4900, 250, 2, ptEstate},
		// Sandwell
		{"West Bromwich", -1.9945, 52.5187, 260, 10, ptCentre},
		{"Oldbury", -2.0170, 52.5050, 250, 4, ptCentre},
		{"Cape Hill, Smethwick", -1.9650, 52.4930, 280, 5, ptLocal},
		{"Wednesbury", -2.0230, 52.5510, 250, 4, ptLocal},
		{"Tipton", -2.0700, 52.5290, 250, 3, ptEstate},
		{"Blackheath", -2.0400, 52.4800, 250, 2, ptLocal},
		{"Cradley Heath", -2.0830, 52.4710, 250, 2, ptLocal},
		{"Great Bridge", -2.0380, 52.5300, 250, 2, ptRetail},
		// Solihull
		{"Solihull town centre", -1.7780, 52.4118, 250, 8, ptCentre},
		{"Chelmsley Wood", -1.7350, 52.4790, 300, 6, ptEstate},
		{"Birmingham Airport and NEC", -1.7250, 52.4530, 400, 3, ptRetail},
		{"Shirley", -1.8180, 52.4050, 280, 3, ptLocal},
		{"Kingshurst", -1.7550, 52.4930, 250, 2, ptEstate},
		{"Castle Bromwich", -1.7850, 52.5050, 250, 2, ptEstate},
		{"Knowle", -1.7320, 52.3870, 200, 1, ptLocal},
	}
}

// corridor is a main road between centres, given by way points.
type corridor struct {
	name string
	way  [][2]float64 // lon, lat
}

// corridors lists main roads where offences also cluster.
func corridors() []corridor {
	return []corridor{
		{"Bristol Road (A38)", [][2]float64{{-1.9000, 52.4740}, {-1.9200, 52.4600}, {-1.9370, 52.4410}, {-1.9600, 52.4200}, {-1.9870, 52.3950}}},
		{"Coventry Road (A45)", [][2]float64{{-1.8850, 52.4752}, {-1.8560, 52.4700}, {-1.8200, 52.4620}, {-1.7720, 52.4540}, {-1.7300, 52.4500}}},
		{"Stratford Road (A34)", [][2]float64{{-1.8850, 52.4700}, {-1.8730, 52.4590}, {-1.8460, 52.4400}, {-1.8180, 52.4050}}},
		{"Walsall Road (A34)", [][2]float64{{-1.8990, 52.4860}, {-1.9020, 52.5175}, {-1.9300, 52.5500}, {-1.9600, 52.5700}, {-1.9826, 52.5862}}},
		{"Soho Road and Holyhead Road (A41)", [][2]float64{{-1.9105, 52.4880}, {-1.9330, 52.5040}, {-1.9700, 52.5150}, {-1.9945, 52.5187}, {-2.0230, 52.5510}, {-2.0750, 52.5660}, {-2.1288, 52.5862}}},
		{"Hagley Road (A456)", [][2]float64{{-1.9230, 52.4710}, {-1.9600, 52.4660}, {-2.0000, 52.4600}, {-2.0500, 52.4490}}},
		{"Tyburn and Chester Road", [][2]float64{{-1.8800, 52.4990}, {-1.8390, 52.5240}, {-1.8240, 52.5640}}},
		{"Birmingham New Road (A4123)", [][2]float64{{-2.0170, 52.5050}, {-2.0500, 52.5200}, {-2.0800, 52.5400}, {-2.1100, 52.5650}, {-2.1288, 52.5862}}},
		{"Dudley to Stourbridge (A461/A491)", [][2]float64{{-2.0810, 52.5123}, {-2.1000, 52.4950}, {-2.1130, 52.4810}, {-2.1430, 52.4560}}},
		{"Foleshill Road (B4113)", [][2]float64{{-1.5106, 52.4068}, {-1.5020, 52.4300}, {-1.4950, 52.4500}}},
		{"Holyhead Road, Coventry", [][2]float64{{-1.5106, 52.4068}, {-1.5400, 52.4150}, {-1.5700, 52.4200}}},
		{"Warwick Road, Solihull (A41)", [][2]float64{{-1.8180, 52.4480}, {-1.7780, 52.4118}, {-1.7320, 52.3870}}},
		{"Stafford Road, Wolverhampton", [][2]float64{{-2.1288, 52.5862}, {-2.1250, 52.6100}, {-2.1200, 52.6300}}},
	}
}

// streets are generic street names for background offences.
func streets() []string {
	return []string{"High Street", "Church Road", "Station Road", "Park Road", "Victoria Road", "Albert Road",
		"Green Lane", "Mill Lane", "School Road", "The Crescent", "Grove Road", "Manor Road", "Springfield Road",
		"Queens Road", "New Road", "Chapel Street", "Oak Tree Lane", "Hill Top", "Birch Road", "Highfield Road",
		"Cherry Tree Avenue", "Windsor Road", "Meadow Way", "Beech Road", "Sandy Lane", "Elm Grove"}
}
