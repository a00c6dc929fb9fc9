// Package quantity parses Kubernetes resource quantities from untrusted
// manifests. apimachinery's parser takes time and memory that grow with the
// exponent ("1e-999999999" never returns), so values are checked first.
package quantity

import (
	"fmt"
	"strconv"

	"k8s.io/apimachinery/pkg/api/resource"
)

const (
	// MaxLen is the longest quantity string accepted; real ones are short.
	MaxLen = 64
	// MaxExponent bounds the decimal exponent ("1e30"); larger magnitudes
	// are no real amount of any resource.
	MaxExponent = 30
)

// Check rejects, without parsing, strings that are too long or whose
// exponent is out of range. It does not say the rest is a valid quantity.
func Check(s string) error {
	if len(s) > MaxLen {
		return fmt.Errorf("quantity is %d characters long, more than %d", len(s), MaxLen)
	}
	// <sign><digits>[.<digits>]<suffix>; only an e/E suffix followed by a
	// number is an exponent ("E" alone is exa).
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	if i >= len(s) || (s[i] != 'e' && s[i] != 'E') || i+1 == len(s) {
		return nil
	}
	exp := s[i+1:]
	digits := exp
	if digits[0] == '+' || digits[0] == '-' {
		digits = digits[1:]
	}
	for j := 0; j < len(digits); j++ {
		if digits[j] < '0' || digits[j] > '9' {
			return nil // not an exponent; the parser reports it
		}
	}
	if digits == "" {
		return nil
	}
	n, err := strconv.Atoi(exp)
	if err != nil || n > MaxExponent || n < -MaxExponent {
		return fmt.Errorf("exponent %s is out of range (at most ±%d)", exp, MaxExponent)
	}
	return nil
}

// Parse is resource.ParseQuantity behind Check.
func Parse(s string) (resource.Quantity, error) {
	if err := Check(s); err != nil {
		return resource.Quantity{}, err
	}
	return resource.ParseQuantity(s)
}
