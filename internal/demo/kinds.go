package demo

// weaponMix gives shares of each hotgrid.Weapon value, in its order:
// unknown, none, knife (or sharp instrument), firearm, other.
type weaponMix [5]float64

// codeShare is one Home Office code's share of its kind.
type codeShare struct {
	code    string
	share   float64
	weapons weaponMix
	windows []window // nil: the kind's windows
}

// window is a template for the occurrence window of an offence, in minutes
// relative to midnight of its anchor day: From is drawn in [fromLo, fromHi],
// To in [toLo, toHi] (after From when relative). exact means To = From and
// the time comes from the kind's hour profile; days limits anchor weekdays.
type window struct {
	share          float64
	exact          bool
	fromLo, fromHi int
	toLo, toHi     int
	relative       bool
	days           [7]bool // by time.Weekday; all false = any day
}

func weekdays() [7]bool { return [7]bool{false, true, true, true, true, true, false} }

func only(d int) [7]bool {
	var w [7]bool
	w[d] = true
	return w
}

// placeMix is where a kind's offences happen: shares at hotspots, along
// corridors and in the background (anywhere in the NPU), and the kind's
// affinity for each hotspot type.
type placeMix struct {
	hotspot, corridor float64
	affinity          [numPlaceTypes]float64
}

// kind is a crime type the generator draws: its police.uk category, group,
// codes, time profile, windows and places.
type kind struct {
	name       string
	category   string
	group      Group
	otherShare float64 // share of the NPU's non-calibrated remainder
	codes      []codeShare
	hours      [24]float64
	days       [7]float64 // by time.Weekday (Sunday first)
	months     [12]float64
	nightBoost float64 // extra factor on Friday and Saturday 20:00-04:00
	windows    []window
	place      placeMix
}

func aff(centre, night, retail, local, estate, campus float64) [numPlaceTypes]float64 {
	return [numPlaceTypes]float64{centre, night, retail, local, estate, campus}
}

// kinds lists every crime kind the generator draws, in a stable order.
// Burglary windows differ by code: homes are found broken into after a
// night, a working day or a weekend away; sheds overnight; businesses after
// closing time or a weekend.
func kinds() []kind {
	const h = 60 // minutes per hour
	// Weapon mixes. Knife-point robbery: about a quarter of robberies carry the
	// knife or sharp instrument flag (the national share of robberies involving
	// a knife was roughly 20-25% in 2017); some serious violence does too.
	var (
		noWeapon      = weaponMix{0.15, 0.85, 0, 0, 0}
		robberyWeapon = weaponMix{0.10, 0.55, 0.25, 0.02, 0.08}
		gbhWeapon     = weaponMix{0.12, 0.40, 0.30, 0.03, 0.15}
		abhWeapon     = weaponMix{0.10, 0.78, 0.04, 0.00, 0.08}
		homicideWpn   = weaponMix{0.05, 0.20, 0.45, 0.10, 0.20}
		attemptWpn    = weaponMix{0.05, 0.15, 0.50, 0.20, 0.10}
		threatWeapon  = weaponMix{0.10, 0.80, 0.08, 0.02, 0.00}
		aggBurglary   = weaponMix{0.10, 0.00, 0.40, 0.10, 0.40}
		bladeWeapon   = weaponMix{0, 0, 1, 0, 0}
		firearmWeapon = weaponMix{0, 0, 0, 1, 0}
		otherWeapon   = weaponMix{0, 0, 0, 0, 1}
	)
	var (
		exactTime    = window{exact: true}
		overnight    = window{fromLo: 18 * h, fromHi: 23 * h, toLo: 30 * h, toHi: 32*h + 30}
		lateNight    = window{fromLo: 22 * h, fromHi: 25 * h, toLo: 30 * h, toHi: 32*h + 30}
		workingDay   = window{fromLo: 7*h + 30, fromHi: 9*h + 30, toLo: 15*h + 30, toHi: 18*h + 30, days: weekdays()}
		weekendAway  = window{fromLo: 17 * h, fromHi: 20 * h, toLo: 48*h + 12*h, toHi: 72*h + 10*h, days: only(5)}
		shortWindow  = window{fromLo: 0, fromHi: 0, toLo: 15, toHi: 120, relative: true}
		parkedDay    = window{fromLo: 8 * h, fromHi: 12 * h, toLo: 2 * h, toHi: 8 * h, relative: true}
		businessShut = window{fromLo: 17 * h, fromHi: 19*h + 30, toLo: 31 * h, toHi: 33 * h}
		businessWknd = window{fromLo: 12 * h, fromHi: 18 * h, toLo: 48*h + 6*h, toHi: 48*h + 9*h, days: only(6)}
	)
	// Month profiles: summer peak for violence and disorder, dark-evening
	// winter peak for burglary and vehicle crime, flat otherwise.
	var (
		summerPeak = [12]float64{0.92, 0.88, 0.96, 0.99, 1.05, 1.06, 1.10, 1.06, 1.01, 1.00, 0.97, 1.00}
		winterPeak = [12]float64{1.10, 1.00, 0.97, 0.90, 0.88, 0.86, 0.88, 0.90, 0.95, 1.08, 1.20, 1.18}
		flatYear   = [12]float64{0.98, 0.94, 1.00, 0.98, 1.01, 1.00, 1.02, 1.01, 1.00, 1.02, 1.01, 1.03}
		xmasPeak   = [12]float64{0.95, 0.92, 0.97, 0.96, 0.98, 0.96, 0.98, 0.98, 0.98, 1.02, 1.10, 1.20}
	)
	// Hour profiles (relative, hour 0-23).
	var (
		violenceHours = [24]float64{6, 4.5, 3.5, 2.5, 1.5, 1, 1, 1.3, 2, 2.5, 3, 3.5, 4, 4, 4, 4.5, 5, 5.5, 6, 6, 6.5, 7, 7.5, 7}
		robberyHours  = [24]float64{3, 2.5, 2, 1.5, 1, 0.6, 0.5, 0.8, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5.5, 6, 6.5, 6.5, 6.5, 6, 5.5, 5, 4}
		shopHours     = [24]float64{0.05, 0.02, 0.02, 0.02, 0.02, 0.05, 0.2, 0.6, 2, 4, 5.5, 6.5, 7, 7, 7, 7, 7, 6.5, 5.5, 4, 2.5, 1.2, 0.4, 0.1}
		dayHours      = [24]float64{0.8, 0.5, 0.4, 0.3, 0.3, 0.4, 0.8, 1.5, 2.5, 3.5, 4, 4.5, 5, 5, 5, 5, 5, 4.5, 4, 3.5, 3, 2.5, 1.8, 1.2}
		eveningHours  = [24]float64{4, 3, 2.5, 1.8, 1.2, 0.8, 0.8, 1, 1.5, 2, 2.5, 3, 3.5, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 6.5, 6.5, 6, 5}
		officeHours   = [24]float64{0.5, 0.3, 0.3, 0.3, 0.3, 0.5, 1, 2, 4, 5.5, 6, 6, 5.5, 5.5, 6, 6, 5.5, 4.5, 3, 2, 1.5, 1.2, 1, 0.8}
		nightHours    = [24]float64{5, 5, 4.5, 4, 3, 2, 1.5, 1, 1, 1.2, 1.4, 1.6, 1.8, 2, 2.2, 2.4, 2.6, 3, 3.5, 4, 4.5, 5, 5, 5}
		flatWeek      = [7]float64{1, 1, 1, 1, 1, 1, 1}
		weekendWeek   = [7]float64{1.2, 0.95, 0.92, 0.93, 1.0, 1.15, 1.3}
		shopWeek      = [7]float64{0.75, 1, 1, 1, 1, 1.05, 1.2}
		workWeek      = [7]float64{0.6, 1.1, 1.1, 1.1, 1.1, 1.05, 0.7}
	)
	home := []window{withShare(lateNight, 0.40), withShare(workingDay, 0.35), withShare(weekendAway, 0.10), withShare(shortWindow, 0.15)}
	shed := []window{withShare(overnight, 0.7), withShare(workingDay, 0.2), withShare(weekendAway, 0.1)}
	business := []window{withShare(businessShut, 0.6), withShare(businessWknd, 0.3), withShare(shortWindow, 0.1)}
	return []kind{
		{name: "violence", category: "Violence and sexual offences", group: GroupViolence,
			codes: []codeShare{{"105A", 0.36, noWeapon, nil}, {"8N", 0.27, abhWeapon, nil}, {"8L", 0.12, noWeapon, nil},
				{"8R", 0.10, noWeapon, nil}, {"5D", 0.035, gbhWeapon, nil}, {"105B", 0.03, noWeapon, nil}, {"8P", 0.01, abhWeapon, nil},
				{"8Q", 0.03, noWeapon, nil}, {"3B", 0.025, threatWeapon, nil}, {"5E", 0.003, gbhWeapon, nil},
				{"2", 0.0007, attemptWpn, nil}, {"1", 0.0005, homicideWpn, nil}},
			hours: violenceHours, days: weekendWeek, months: summerPeak, nightBoost: 2.2,
			windows: []window{exactTime},
			place:   placeMix{0.55, 0.15, aff(1.5, 2.5, 0.8, 1.2, 1.0, 0.8)}},
		{name: "robbery", category: "Robbery", group: GroupRobbery,
			codes: []codeShare{{"34B", 0.88, robberyWeapon, nil}, {"34A", 0.12, robberyWeapon, nil}},
			hours: robberyHours, days: [7]float64{1, 0.95, 0.95, 0.97, 1.02, 1.08, 1.08}, months: xmasPeak, nightBoost: 1.2,
			windows: []window{exactTime},
			place:   placeMix{0.55, 0.25, aff(2, 1.5, 1.2, 1.3, 0.8, 1.2)}},
		{name: "burglary", category: "Burglary", group: GroupBurglary,
			codes: []codeShare{{"28E", 0.55, noWeapon, home}, {"28F", 0.12, noWeapon, home}, {"28G", 0.10, noWeapon, shed},
				{"28H", 0.02, noWeapon, shed}, {"29", 0.01, aggBurglary, home}, {"30C", 0.17, noWeapon, business}, {"30D", 0.025, noWeapon, business},
				{"31", 0.005, aggBurglary, business}},
			hours: eveningHours, days: flatWeek, months: winterPeak,
			place: placeMix{0.15, 0.10, aff(0.3, 0.2, 0.3, 1, 2.5, 1.5)}},
		{name: "theft from motor vehicle", category: "Vehicle crime", group: GroupTFMV,
			codes: []codeShare{{"45", 1, noWeapon, nil}},
			hours: nightHours, days: flatWeek, months: winterPeak,
			windows: []window{{share: 0.7, fromLo: overnight.fromLo, fromHi: overnight.fromHi, toLo: overnight.toLo, toHi: overnight.toHi},
				withShare(parkedDay, 0.2), withShare(exactTime, 0.1)},
			place: placeMix{0.30, 0.20, aff(1, 0.8, 2, 1, 1.5, 1.2)}},
		{name: "theft of motor vehicle", category: "Vehicle crime", group: GroupTOMV,
			codes: []codeShare{{"48", 0.95, noWeapon, nil}, {"37.2", 0.05, noWeapon, nil}},
			hours: nightHours, days: flatWeek, months: winterPeak,
			windows: []window{withShare(overnight, 0.75), withShare(parkedDay, 0.15), withShare(exactTime, 0.10)},
			place:   placeMix{0.25, 0.20, aff(0.6, 0.5, 1.5, 1, 2, 1)}},
		{name: "shoplifting", category: "Shoplifting", otherShare: 0.20, group: GroupOther,
			codes: []codeShare{{"46", 1, noWeapon, nil}}, hours: shopHours, days: shopWeek, months: xmasPeak,
			windows: []window{exactTime}, place: placeMix{0.85, 0.08, aff(2, 0.2, 3, 1.5, 0.1, 0.3)}},
		{name: "criminal damage", category: "Criminal damage and arson", otherShare: 0.30, group: GroupOther,
			codes: []codeShare{{"58A", 0.25, noWeapon, nil}, {"58B", 0.10, noWeapon, nil}, {"58C", 0.35, noWeapon, nil},
				{"58D", 0.22, noWeapon, nil}, {"56B", 0.08, noWeapon, nil}},
			hours: eveningHours, days: weekendWeek, months: flatYear, nightBoost: 1.3,
			windows: []window{withShare(exactTime, 0.55), withShare(overnight, 0.35), withShare(shortWindow, 0.10)},
			place:   placeMix{0.30, 0.15, aff(1, 1.2, 0.8, 1, 2, 1)}},
		{name: "other theft", category: "Other theft", otherShare: 0.24, group: GroupOther,
			codes: []codeShare{{"49", 1, noWeapon, nil}}, hours: dayHours, days: flatWeek, months: flatYear,
			windows: []window{withShare(exactTime, 0.6), withShare(shortWindow, 0.25), withShare(parkedDay, 0.15)},
			place:   placeMix{0.50, 0.20, aff(2, 1.5, 2, 1.2, 0.8, 1.2)}},
		{name: "public order", category: "Public order", otherShare: 0.10, group: GroupOther,
			codes: []codeShare{{"9A", 0.70, noWeapon, nil}, {"9B", 0.10, noWeapon, nil}, {"66", 0.20, noWeapon, nil}},
			hours: violenceHours, days: weekendWeek, months: summerPeak, nightBoost: 1.8,
			windows: []window{exactTime}, place: placeMix{0.60, 0.15, aff(2, 2.5, 1, 1.2, 0.8, 0.8)}},
		{name: "drugs", category: "Drugs", otherShare: 0.04, group: GroupOther,
			codes: []codeShare{{"92A", 0.15, noWeapon, nil}, {"92D", 0.60, noWeapon, nil}, {"92E", 0.25, noWeapon, nil}},
			hours: eveningHours, days: weekendWeek, months: flatYear, nightBoost: 1.3,
			windows: []window{exactTime}, place: placeMix{0.60, 0.10, aff(2, 2, 0.8, 1.2, 1.5, 0.8)}},
		{name: "weapons", category: "Possession of weapons", otherShare: 0.015, group: GroupOther,
			codes: []codeShare{{"10D", 0.55, bladeWeapon, nil}, {"10C", 0.38, otherWeapon, nil}, {"10A", 0.07, firearmWeapon, nil}},
			hours: eveningHours, days: weekendWeek, months: summerPeak, nightBoost: 1.5,
			windows: []window{exactTime}, place: placeMix{0.50, 0.15, aff(2, 2, 0.8, 1.2, 1.2, 0.6)}},
		{name: "bicycle theft", category: "Bicycle theft", otherShare: 0.025, group: GroupOther,
			codes: []codeShare{{"44", 1, noWeapon, nil}}, hours: officeHours, days: workWeek, months: summerPeak,
			windows: []window{withShare(workingDay, 0.45), withShare(parkedDay, 0.35), withShare(overnight, 0.20)},
			place:   placeMix{0.60, 0.20, aff(2, 0.5, 1, 1, 0.8, 3)}},
		{name: "theft from the person", category: "Theft from the person", otherShare: 0.035, group: GroupOther,
			codes: []codeShare{{"39", 1, noWeapon, nil}}, hours: dayHours, days: weekendWeek, months: xmasPeak, nightBoost: 1.6,
			windows: []window{exactTime}, place: placeMix{0.80, 0.10, aff(3, 2.5, 2, 1, 0.2, 0.8)}},
		{name: "other crime", category: "Other crime", otherShare: 0.045, group: GroupOther,
			codes: []codeShare{{"99", 0.85, noWeapon, nil}, {"33", 0.10, noWeapon, nil}, {"43", 0.05, noWeapon, nil}},
			hours: officeHours, days: workWeek, months: flatYear,
			windows: []window{exactTime}, place: placeMix{0.35, 0.15, aff(1.5, 1, 1, 1, 1, 1)}},
	}
}

func withShare(w window, s float64) window {
	w.share = s
	return w
}
