package growth

import (
	"errors"
	"math"
)

// LMS are the three parameters of one row of a CDC table: the Box-Cox
// power L, the median M and the coefficient of variation S. A measurement
// X has z = ((X/M)^L − 1)/(L·S), or ln(X/M)/S when L is 0 (CDC, "Use and
// interpretation of the CDC growth charts"; Cole TJ, Eur J Clin Nutr 1990).
type LMS struct {
	L, M, S float64
}

// lZero is where L counts as 0: the limit formula is exact there and the
// general one loses precision.
const lZero = 1e-12

// Z returns the z-score of measurement x. x must be positive.
func (p LMS) Z(x float64) (float64, error) {
	if !(x > 0) || math.IsInf(x, 0) {
		return 0, errors.New("growth: a measurement must be a positive number")
	}
	if math.Abs(p.L) < lZero {
		return math.Log(x/p.M) / p.S, nil
	}
	return (math.Pow(x/p.M, p.L) - 1) / (p.L * p.S), nil
}

// Value returns the measurement at z-score z: X = M(1 + L·S·z)^(1/L), or
// M·e^(S·z) when L is 0. Where 1 + L·S·z is not positive the distribution
// has no such value (far in a tail) and Value returns NaN.
func (p LMS) Value(z float64) float64 {
	if math.Abs(p.L) < lZero {
		return p.M * math.Exp(p.S*z)
	}
	base := 1 + p.L*p.S*z
	if base <= 0 {
		return math.NaN()
	}
	return p.M * math.Pow(base, 1/p.L)
}

// Percentile is the percentage of the reference population below z:
// 100·Φ(z).
func Percentile(z float64) float64 {
	return 50 * math.Erfc(-z/math.Sqrt2)
}

// ZOfPercentile is the inverse of Percentile (0 < pct < 100), by Newton's
// method on Φ from a start that converges for every percentile drawn.
func ZOfPercentile(pct float64) (float64, error) {
	if !(pct > 0 && pct < 100) {
		return 0, errors.New("growth: a percentile lies strictly between 0 and 100")
	}
	z := 0.0
	for i := 0; i < 100; i++ {
		diff := Percentile(z) - pct
		density := 100 * math.Exp(-z*z/2) / math.Sqrt(2*math.Pi)
		step := diff / density
		z -= step
		if math.Abs(step) < 1e-13 {
			break
		}
	}
	return z, nil
}

// interpolate is linear interpolation of each parameter between two rows,
// at fraction t of the way from a to b (CDC: "interpolate L, M and S").
func interpolate(a, b LMS, t float64) LMS {
	lerp := func(x, y float64) float64 { return x + (y-x)*t }
	return LMS{L: lerp(a.L, b.L), M: lerp(a.M, b.M), S: lerp(a.S, b.S)}
}
