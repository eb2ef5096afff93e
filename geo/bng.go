package geo

import (
	"fmt"
	"math"
)

// British National Grid (EPSG:27700) to and from WGS84, following Ordnance Survey,
// "A guide to coordinate systems in Great Britain" (v3.6, 2020):
//
//  1. Transverse Mercator inverse (Annex C, equations C.1-C.9 and the
//     meridional arc C.3) on the Airy 1830 ellipsoid with the National Grid
//     projection constants (table A.1, section 6.2) gives OSGB36 latitude and
//     longitude;
//  2. geodetic to Cartesian on Airy 1830 (Annex B.1, height 0);
//  3. the Helmert 7-parameter transformation OSGB36 -> WGS84 of section 6.6
//     (the published WGS84 -> OSGB36 parameters with their signs reversed);
//     WGS84ToBNG runs the chain backwards with the published parameters and
//     the Transverse Mercator projection (Annex C.1);
//  4. Cartesian to geodetic on the WGS84 ellipsoid (Annex B.2, iterated).
//
// The guide gives the Helmert step an accuracy of about 5 m over Great
// Britain (better in the Midlands: about 2 m at the test points); OSTN15,
// the definitive transformation, is a grid this package does not ship.
const (
	airyA = 6377563.396 // Airy 1830 semi-major axis, metres
	airyB = 6356256.909 // Airy 1830 semi-minor axis, metres

	ngF0   = 0.9996012717 // National Grid scale factor on the central meridian
	ngLat0 = 49.0         // true origin latitude, degrees N
	ngLon0 = -2.0         // true origin longitude, degrees (2 W)
	ngE0   = 400000.0     // easting of true origin, metres
	ngN0   = -100000.0    // northing of true origin, metres

	wgsA = 6378137.000  // WGS84 semi-major axis, metres
	wgsB = 6356752.3142 // WGS84 semi-minor axis, metres

	// Helmert OSGB36 -> WGS84: translations in metres, scale in ppm,
	// rotations in arc seconds. WGS84 -> OSGB36 negates every one.
	hTx = 446.448
	hTy = -125.157
	hTz = 542.060
	hS  = -20.4894
	hRx = 0.1502
	hRy = 0.2470
	hRz = 0.8421
)

// BNGBounds are the eastings and northings the National Grid covers
// (0-700 km east, 0-1300 km north); points outside are rejected.
const (
	bngMaxEasting  = 700000.0
	bngMaxNorthing = 1300000.0
)

// BNGToWGS84 converts a British National Grid easting and northing (metres)
// to WGS84 longitude and latitude (degrees), accurate to a few metres.
func BNGToWGS84(easting, northing float64) (lon, lat float64, err error) {
	if math.IsNaN(easting) || math.IsNaN(northing) || math.IsInf(easting, 0) || math.IsInf(northing, 0) {
		return 0, 0, fmt.Errorf("easting/northing is not a number")
	}
	if easting < 0 || easting > bngMaxEasting || northing < 0 || northing > bngMaxNorthing {
		return 0, 0, fmt.Errorf("easting %g, northing %g outside the British National Grid (0-700000, 0-1300000)", easting, northing)
	}
	phi, lambda := osgb36LatLon(easting, northing)
	x, y, z := toCartesian(phi, lambda, airyA, airyB)
	x, y, z = helmert(x, y, z, 1)
	phi, lambda = fromCartesian(x, y, z, wgsA, wgsB)
	return lambda * 180 / math.Pi, phi * 180 / math.Pi, nil
}

// WGS84ToBNG converts WGS84 longitude/latitude (degrees) to a British
// National Grid easting and northing (metres); the round trip with
// BNGToWGS84 is within millimetres.
func WGS84ToBNG(lon, lat float64) (easting, northing float64) {
	phi, lambda := lat*math.Pi/180, lon*math.Pi/180
	x, y, z := toCartesian(phi, lambda, wgsA, wgsB)
	x, y, z = helmert(x, y, z, -1)
	phi, lambda = fromCartesian(x, y, z, airyA, airyB)
	return nationalGrid(phi, lambda)
}

// osgb36LatLon is the Transverse Mercator inverse (OS guide Annex C.2):
// National Grid easting/northing to OSGB36 latitude and longitude in radians.
func osgb36LatLon(e, n float64) (phi, lambda float64) {
	a, b, f0 := airyA, airyB, ngF0
	phi0, lambda0 := ngLat0*math.Pi/180, ngLon0*math.Pi/180
	e2 := (a*a - b*b) / (a * a)
	nn := (a - b) / (a + b)

	phi = (n-ngN0)/(a*f0) + phi0
	m := meridionalArc(phi, phi0, b, f0, nn)
	for i := 0; i < 20 && math.Abs(n-ngN0-m) >= 0.00001; i++ {
		phi += (n - ngN0 - m) / (a * f0)
		m = meridionalArc(phi, phi0, b, f0, nn)
	}

	sin, cos, tan := math.Sin(phi), math.Cos(phi), math.Tan(phi)
	nu := a * f0 / math.Sqrt(1-e2*sin*sin)
	rho := a * f0 * (1 - e2) / math.Pow(1-e2*sin*sin, 1.5)
	eta2 := nu/rho - 1
	t2, t4, t6 := tan*tan, math.Pow(tan, 4), math.Pow(tan, 6)
	sec := 1 / cos

	vii := tan / (2 * rho * nu)
	viii := tan / (24 * rho * math.Pow(nu, 3)) * (5 + 3*t2 + eta2 - 9*t2*eta2)
	ix := tan / (720 * rho * math.Pow(nu, 5)) * (61 + 90*t2 + 45*t4)
	x := sec / nu
	xi := sec / (6 * math.Pow(nu, 3)) * (nu/rho + 2*t2)
	xii := sec / (120 * math.Pow(nu, 5)) * (5 + 28*t2 + 24*t4)
	xiia := sec / (5040 * math.Pow(nu, 7)) * (61 + 662*t2 + 1320*t4 + 720*t6)

	de := e - ngE0
	phi = phi - vii*de*de + viii*math.Pow(de, 4) - ix*math.Pow(de, 6)
	lambda = lambda0 + x*de - xi*math.Pow(de, 3) + xii*math.Pow(de, 5) - xiia*math.Pow(de, 7)
	return phi, lambda
}

// meridionalArc is the developed arc of a meridian from phi0 to phi (C.3).
func meridionalArc(phi, phi0, b, f0, n float64) float64 {
	n2, n3 := n*n, n*n*n
	d, s := phi-phi0, phi+phi0
	return b * f0 * ((1+n+1.25*n2+1.25*n3)*d -
		(3*n+3*n2+21.0/8*n3)*math.Sin(d)*math.Cos(s) +
		(15.0/8*n2+15.0/8*n3)*math.Sin(2*d)*math.Cos(2*s) -
		35.0/24*n3*math.Sin(3*d)*math.Cos(3*s))
}

// toCartesian converts latitude/longitude (radians, height 0) on an
// ellipsoid to Cartesian coordinates (B.1).
func toCartesian(phi, lambda, a, b float64) (x, y, z float64) {
	e2 := (a*a - b*b) / (a * a)
	sin := math.Sin(phi)
	nu := a / math.Sqrt(1-e2*sin*sin)
	return nu * math.Cos(phi) * math.Cos(lambda), nu * math.Cos(phi) * math.Sin(lambda), (1 - e2) * nu * sin
}

// helmert applies the 7-parameter transformation of section 6.6: dir 1 is
// OSGB36 -> WGS84, dir -1 the published WGS84 -> OSGB36.
func helmert(x, y, z, dir float64) (float64, float64, float64) {
	const sec = math.Pi / (180 * 3600)
	s := 1 + dir*hS*1e-6
	rx, ry, rz := dir*hRx*sec, dir*hRy*sec, dir*hRz*sec
	return dir*hTx + s*x - rz*y + ry*z,
		dir*hTy + rz*x + s*y - rx*z,
		dir*hTz - ry*x + rx*y + s*z
}

// fromCartesian converts Cartesian coordinates to latitude/longitude in
// radians on an ellipsoid (B.2), iterating to 1e-12 rad.
func fromCartesian(x, y, z, a, b float64) (phi, lambda float64) {
	e2 := (a*a - b*b) / (a * a)
	lambda = math.Atan2(y, x)
	p := math.Hypot(x, y)
	phi = math.Atan2(z, p*(1-e2))
	for range 10 {
		sin := math.Sin(phi)
		nu := a / math.Sqrt(1-e2*sin*sin)
		next := math.Atan2(z+e2*nu*sin, p)
		if math.Abs(next-phi) < 1e-12 {
			return next, lambda
		}
		phi = next
	}
	return phi, lambda
}

// nationalGrid is the Transverse Mercator projection (C.1) of OSGB36
// latitude/longitude (radians) to easting/northing.
func nationalGrid(phi, lambda float64) (e, n float64) {
	a, b, f0 := airyA, airyB, ngF0
	phi0, lambda0 := ngLat0*math.Pi/180, ngLon0*math.Pi/180
	e2 := (a*a - b*b) / (a * a)
	nn := (a - b) / (a + b)
	sin, cos, tan := math.Sin(phi), math.Cos(phi), math.Tan(phi)
	nu := a * f0 / math.Sqrt(1-e2*sin*sin)
	rho := a * f0 * (1 - e2) / math.Pow(1-e2*sin*sin, 1.5)
	eta2 := nu/rho - 1
	t2, t4 := tan*tan, math.Pow(tan, 4)
	m := meridionalArc(phi, phi0, b, f0, nn)

	i := m + ngN0
	ii := nu / 2 * sin * cos
	iii := nu / 24 * sin * math.Pow(cos, 3) * (5 - t2 + 9*eta2)
	iiia := nu / 720 * sin * math.Pow(cos, 5) * (61 - 58*t2 + t4)
	iv := nu * cos
	v := nu / 6 * math.Pow(cos, 3) * (nu/rho - t2)
	vi := nu / 120 * math.Pow(cos, 5) * (5 - 18*t2 + t4 + 14*eta2 - 58*t2*eta2)
	dl := lambda - lambda0
	n = i + ii*dl*dl + iii*math.Pow(dl, 4) + iiia*math.Pow(dl, 6)
	e = ngE0 + iv*dl + v*math.Pow(dl, 3) + vi*math.Pow(dl, 5)
	return e, n
}
