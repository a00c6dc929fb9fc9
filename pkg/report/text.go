package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

const (
	ansiReset  = "\x1b[0m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
)

// Text writes findings grouped by file:
//
//	charts/web/templates/ingress.yaml
//	  12:1  error    removed-api  Ingress/web  networking.k8s.io/v1beta1 Ingress was removed ...
func Text(w io.Writer, r *model.Report, opt Options) error {
	bw := bufio.NewWriter(w)
	paint := func(code, s string) string {
		if !opt.Color {
			return s
		}
		return code + s + ansiReset
	}
	file := "\x00"
	for _, f := range r.Findings {
		if f.File != file {
			if file != "\x00" {
				fmt.Fprintln(bw)
			}
			file = f.File
			name := f.File
			if name == "" {
				name = "(no file)"
			}
			fmt.Fprintln(bw, paint(ansiBold, name))
		}
		loc := fmt.Sprintf("%d:%d", f.Line, f.Column)
		switch {
		case f.Line == 0:
			loc = "-"
		case f.Column == 0:
			loc = fmt.Sprintf("%d", f.Line)
		}
		sev := f.Severity.String()
		switch f.Severity {
		case model.SeverityError:
			sev = paint(ansiRed, fmt.Sprintf("%-7s", sev))
		case model.SeverityWarning:
			sev = paint(ansiYellow, fmt.Sprintf("%-7s", sev))
		default:
			sev = paint(ansiBlue, fmt.Sprintf("%-7s", sev))
		}
		obj := f.Ref()
		line := fmt.Sprintf("  %-7s %s %s", loc, sev, f.Rule)
		if obj != "" {
			line += "  " + obj
			if f.APIVersion != "" {
				line += " (" + f.APIVersion + ")"
			}
		}
		fmt.Fprintln(bw, line)
		fmt.Fprintf(bw, "          %s\n", f.Message)
		var extra []string
		if f.Origin != "" && f.Origin != f.File {
			extra = append(extra, "rendered from "+f.Origin)
		}
		if f.Timing != "" {
			switch f.Timing {
			case "current":
				extra = append(extra, "already the case on "+r.CurrentVersion+", not caused by the upgrade")
			case "upgrade":
				extra = append(extra, "breaks at the "+f.Hop+" hop")
			}
		}
		if len(extra) > 0 {
			fmt.Fprintf(bw, "          %s\n", paint(ansiDim, strings.Join(extra, "; ")))
		}
	}
	if len(r.Findings) > 0 {
		fmt.Fprintln(bw)
	}
	if opt.Stats {
		units := append([]model.Unit(nil), r.Units...)
		sort.SliceStable(units, func(i, j int) bool { return units[i].DurationMS > units[j].DurationMS })
		fmt.Fprintln(bw, "render/decode times:")
		for _, u := range units {
			fmt.Fprintf(bw, "  %9.1f ms  %-9s %4d objects  %s\n", u.DurationMS, u.Kind, u.Objects, u.Path)
		}
		fmt.Fprintln(bw)
	}
	for _, n := range r.Notices {
		fmt.Fprintln(bw, paint(ansiDim, "note: "+n))
	}
	if !opt.Quiet {
		s := r.Summary
		msg := fmt.Sprintf("target %s: %d %s in %d %s, %d %s: %d %s, %d %s, %d info",
			r.TargetVersion, s.Objects, plural(s.Objects, "object", "objects"), s.Files, plural(s.Files, "source", "sources"),
			s.Findings, plural(s.Findings, "finding", "findings"), s.Errors, plural(s.Errors, "error", "errors"),
			s.Warnings, plural(s.Warnings, "warning", "warnings"), s.Infos)
		if r.CurrentVersion != "" {
			msg = "upgrade " + r.CurrentVersion + " → " + msg
		}
		if s.Suppressed > 0 {
			msg += fmt.Sprintf(" (%d suppressed by annotation or config)", s.Suppressed)
		}
		if s.Baselined > 0 {
			msg += fmt.Sprintf(" (%d in baseline, not shown)", s.Baselined)
		}
		fmt.Fprintln(bw, msg)
	}
	return bw.Flush()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
