package render

import (
	"regexp"

	"helm.sh/helm/v3/pkg/chart"
)

// Sprig's random functions would give every scan different object names
// (a test pod called "ui-test-{{ randAlphaNum 5 }}"), and reports must be
// byte-identical across runs. Inside template actions they are replaced by
// deterministic functions with the same arguments: randAlphaNum 5 renders
// "5", randInt 1 9 renders 9, uuidv4 a fixed UUID. Certificate generators
// become a dict with the same .Cert and .Key fields holding placeholders:
// the certificates are never checked, and generating RSA keys was a tenth
// of the corpus render time. Line structure is kept, so template lines
// still map.
const placeholderCert = `dict "Cert" "kupgrade-lint placeholder certificate" "Key" "kupgrade-lint placeholder key" "args"`

var (
	templateAction = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	randomFuncs    = regexp.MustCompile(`\b(randAlphaNum|randAlpha|randNumeric|randAscii|randInt|uuidv4|genSelfSignedCertWithKey|genSelfSignedCert|genSignedCertWithKey|genSignedCert|genCAWithKey|genCA|genPrivateKey|buildCustomCert)\b`)
	replacements   = map[string]string{
		"randAlphaNum": "toString",
		"randAlpha":    "toString",
		"randNumeric":  "toString",
		"randAscii":    "toString",
		"randInt":      "max",
		"uuidv4":       `"00000000-0000-4000-8000-000000000000"`,
		// The generators' own arguments become further (ignored) dict
		// entries.
		"genCA":                    placeholderCert,
		"genCAWithKey":             placeholderCert,
		"genSelfSignedCert":        placeholderCert,
		"genSelfSignedCertWithKey": placeholderCert,
		"genSignedCert":            placeholderCert,
		"genSignedCertWithKey":     placeholderCert,
		"buildCustomCert":          placeholderCert,
		"genPrivateKey":            `print "kupgrade-lint placeholder key for"`,
	}
)

// makeDeterministic rewrites the random functions in every template of ch
// and its dependencies.
func makeDeterministic(ch *chart.Chart) {
	for _, t := range ch.Templates {
		if !randomFuncs.Match(t.Data) {
			continue
		}
		t.Data = templateAction.ReplaceAllFunc(t.Data, func(action []byte) []byte {
			return randomFuncs.ReplaceAllFunc(action, func(fn []byte) []byte { return []byte(replacements[string(fn)]) })
		})
	}
	for _, d := range ch.Dependencies() {
		makeDeterministic(d)
	}
}
