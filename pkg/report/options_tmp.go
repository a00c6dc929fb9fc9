package report

// Temporary stand-ins for the lead's options.go, text.go and json.go; deleted
// when main is merged.

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// Options tune the writers.
type Options struct {
	Color      bool
	Quiet      bool
	Timestamps bool
	Stats      bool
	BaseDir    string
}

// Text is a placeholder.
func Text(w io.Writer, r *model.Report, _ Options) error {
	for _, f := range r.Findings {
		fmt.Fprintf(w, "%s:%d:%d: %s: %s [%s]\n", f.File, f.Line, f.Column, f.Severity, f.Message, f.Rule)
	}
	return nil
}

// JSON is a placeholder.
func JSON(w io.Writer, r *model.Report, _ Options) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(r)
}
