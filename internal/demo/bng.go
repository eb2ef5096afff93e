package demo

import "math"

// WGS84 to British National Grid (EPSG:27700), the inverse of
// ingest.BNGToWGS84, following Ordnance Survey, "A guide to coordinate
// systems in Great Britain" (v3.6): geodetic to Cartesian on WGS84 (B.1),
// the published Helmert WGS84 -> OSGB36 transformation (section 6.6),
// Cartesian to geodetic on Airy 1830 (B.2), then the Transverse Mercator
// projection with the National Grid constants (Annex C.1). Accurate to a
// few metres against OSTN15; the round trip with ingest.BNGToWGS84 is
// within millimetres.
const (
	airyA = 6377563.396
	airyB = 6356256.909
	wgsA  = 6378137.000
	wgsB  = 6356752.3142

	ngF0   = 0.9996012717
	ngLat0 = 49.0
	ngLon0 = -2.0
	ngE0   = 400000.0
	ngN0   = -100000.0

	// Helmert WGS84 -> OSGB36: metres, ppm, arc seconds.
	hTx = -446.448
	hTy = 125.157
	hTz = -542.060
	hS  = 20.4894
	hRx = -0.1502
	hRy = -0.2470
	hRz = -0.8421
)

// WGS84ToBNG converts WGS84 longitude/latitude (degrees) to a British
// National Grid easting and northing (metres).
func WGS84ToBNG(lon, lat float64) (easting, northing float64) {
	phi, lambda := lat*math.Pi/180, lon*math.Pi/180
	x, y, z := toCartesian(phi, lambda, wgsA, wgsB)
	x, y, z = helmert(x, y, z)
	phi, lambda = fromCartesian(x, y, z, airyA, airyB)
	return nationalGrid(phi, lambda)
}

func toCartesian(phi, lambda, a, b float64) (x, y, z float64) {
	e2 := (a*a - b*b) / (a * a)
	sin := math.Sin(phi)
	nu := a / math.Sqrt(1-e2*sin*sin)
	return nu * math.Cos(phi) * math.Cos(lambda), nu * math.Cos(phi) * math.Sin(lambda), (1 - e2) * nu * sin
}

func helmert(x, y, z float64) (float64, float64, float64) {
	const sec = math.Pi / (180 * 3600)
	s := 1 + hS*1e-6
	rx, ry, rz := hRx*sec, hRy*sec, hRz*sec
	return hTx + s*x - rz*y + ry*z,
		hTy + rz*x + s*y - rx*z,
		hTz - ry*x + rx*y + s*z
}

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

func meridionalArc(phi, phi0, b, f0, n float64) float64 {
	n2, n3 := n*n, n*n*n
	d, s := phi-phi0, phi+phi0
	return b * f0 * ((1+n+1.25*n2+1.25*n3)*d -
		(3*n+3*n2+21.0/8*n3)*math.Sin(d)*math.Cos(s) +
		(15.0/8*n2+15.0/8*n3)*math.Sin(2*d)*math.Cos(2*s) -
		35.0/24*n3*math.Sin(3*d)*math.Cos(3*s))
}
