package report

import "strings"

// SafeLines escapes text for a terminal or CI log like the text report
// does, keeping its line breaks: error messages of the CLI can quote
// scanned input (a config value, a path) and go to stderr.
func SafeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = safeText(l)
	}
	return strings.Join(lines, "\n")
}
