package rules

import (
	"fmt"
	"strings"
)

// Markdown renders a rule's reference page (docs/rules/<id>.md and
// `kupgrade-lint explain`).
func Markdown(r *Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n%s.\n\n", r.ID, upperFirst(r.Title))
	fmt.Fprintf(&b, "- Default severity: **%s**\n", r.Severity)
	state := "on"
	if r.DefaultOff {
		state = "off (enable it in the config)"
	}
	fmt.Fprintf(&b, "- Enabled by default: %s\n", state)
	if len(r.Kinds) > 0 {
		fmt.Fprintf(&b, "- Looks at: %s\n", strings.Join(r.Kinds, ", "))
	}
	fmt.Fprintf(&b, "\n%s\n\n## Why it matters\n\n%s\n\n## How to fix\n\n%s\n\n", r.Summary, strings.TrimSpace(r.Doc), r.Remediation)
	fmt.Fprintf(&b, "## How to suppress\n\nOn one object, annotate it:\n\n```yaml\nmetadata:\n  annotations:\n    kupgrade-lint.io/ignore: \"%s\"\n```\n\n", r.ID)
	fmt.Fprintf(&b, "For the whole repository, in `.kupgrade-lint.yaml`:\n\n```yaml\nrules:\n  %s:\n    enabled: false   # or: severity: info\n```\n", r.ID)
	return b.String()
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
