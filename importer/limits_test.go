package importer

import (
	"fmt"
	"math/big"
	"testing"
)

// fitsDecimalExact is fitsDecimal without its fast path.
func fitsDecimalExact(s string, precision, scale int) bool {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return true
	}
	r.Abs(r)
	limit := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(precision-scale)), nil))
	half := new(big.Rat).SetFrac(big.NewInt(5), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale+1)), nil))
	return r.Cmp(limit.Sub(limit, half)) < 0
}

func TestFitsDecimalFastPath(t *testing.T) {
	values := []string{"0", "-0", "0.00", "-.5", ".", "", "abc", "1e3", "+12", "12.", "007.50", "-0001234.5",
		"999999999999.99", "999999999999.995", "999999999999.994", "1000000000000", "-999999999999.999",
		"99999.999", "99999.9995", "99999.9994", "100000", "12345678901234567890"}
	for _, v := range values {
		for _, ps := range [][2]int{{14, 2}, {8, 3}, {5, 0}, {1, 0}, {3, 3}} {
			if got, want := fitsDecimal(v, ps[0], ps[1]), fitsDecimalExact(v, ps[0], ps[1]); got != want {
				t.Errorf("fitsDecimal(%q, %d, %d) = %v, exact %v", v, ps[0], ps[1], got, want)
			}
		}
	}
	for i := range 2000 {
		v := fmt.Sprintf("%d.%03d", i*7919%1000003, i%1000)
		if got, want := fitsDecimal(v, 8, 3), fitsDecimalExact(v, 8, 3); got != want {
			t.Errorf("fitsDecimal(%q, 8, 3) = %v, exact %v", v, got, want)
		}
	}
}
