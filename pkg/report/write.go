package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

type writer func(io.Writer, *model.Report, Options) error

var writers = map[string]writer{
	"text":     Text,
	"json":     JSON,
	"sarif":    SARIF,
	"junit":    JUnit,
	"github":   GitHub,
	"markdown": Markdown,
	"gitlab":   GitLab,
}

// Formats lists the supported output formats, sorted.
func Formats() []string {
	out := make([]string, 0, len(writers))
	for k := range writers {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Write renders r in the named format, without the findings below
// opt.MinSeverity.
func Write(w io.Writer, format string, r *model.Report, opt Options) error {
	wr, ok := writers[format]
	if !ok {
		return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats(), ", "))
	}
	r, opt.hidden = shown(r, opt)
	return wr(w, r, opt)
}
