package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

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

// Text opens with a count per severity and rule, blockers first, then lists
// the findings in that order, grouped by file within each rule:
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
	sevText := func(sev model.Severity) string {
		s := fmt.Sprintf("%-7s", sev.String())
		switch sev {
		case model.SeverityError:
			return paint(ansiRed, s)
		case model.SeverityWarning:
			return paint(ansiYellow, s)
		}
		return paint(ansiBlue, s)
	}
	order := blockersFirst(r.Findings)
	if !opt.Quiet && len(order) > 0 {
		writeRuleSummary(bw, r, order, opt, sevText)
	}
	file := "\x00"
	for _, i := range order {
		f := &r.Findings[i]
		if f.File != file {
			if file != "\x00" {
				fmt.Fprintln(bw)
			}
			file = f.File
			name := safeText(f.File)
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
		sev := sevText(f.Severity)
		obj := safeText(f.Ref())
		line := fmt.Sprintf("  %-7s %s %s", loc, sev, safeText(f.Rule))
		if obj != "" {
			line += "  " + obj
			if f.APIVersion != "" {
				line += " (" + safeText(f.APIVersion) + ")"
			}
		}
		fmt.Fprintln(bw, line)
		fmt.Fprintf(bw, "          %s\n", safeText(f.Message))
		var extra []string
		if f.Origin != "" && f.Origin != f.File {
			extra = append(extra, "rendered from "+safeText(f.Origin))
		}
		if f.Timing != "" {
			switch f.Timing {
			case "current":
				extra = append(extra, "already the case on "+safeText(r.CurrentVersion)+", not caused by the upgrade")
			case "upgrade":
				extra = append(extra, "breaks at the "+safeText(f.Hop)+" hop")
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
		fmt.Fprintln(bw, "render/decode times:")
		UnitTimes(bw, r.Units)
		fmt.Fprintln(bw)
	}
	for _, n := range r.Notices {
		fmt.Fprintln(bw, paint(ansiDim, "note: "+safeText(n)))
	}
	if !opt.Quiet {
		s := r.Summary
		msg := fmt.Sprintf("target %s: %d %s in %d %s, %d %s: %d %s, %d %s, %d info",
			safeText(r.TargetVersion), s.Objects, plural(s.Objects, "object", "objects"), s.Files, plural(s.Files, "source", "sources"),
			s.Findings, plural(s.Findings, "finding", "findings"), s.Errors, plural(s.Errors, "error", "errors"),
			s.Warnings, plural(s.Warnings, "warning", "warnings"), s.Infos)
		if r.CurrentVersion != "" {
			msg = "upgrade " + safeText(r.CurrentVersion) + " → " + msg
		}
		if s.Suppressed > 0 {
			msg += fmt.Sprintf(" (%d suppressed by annotation or config)", s.Suppressed)
		}
		if s.Baselined > 0 {
			msg += fmt.Sprintf(" (%d in baseline, not shown)", s.Baselined)
		}
		if opt.hidden > 0 {
			msg += fmt.Sprintf(" (%d below --min-severity %s, not shown)", opt.hidden, opt.MinSeverity)
		}
		fmt.Fprintln(bw, msg)
	}
	return bw.Flush()
}

// writeRuleSummary prints how many findings each rule has at each severity,
// in the order the findings follow, so the first lines say what blocks the
// upgrade.
func writeRuleSummary(bw *bufio.Writer, r *model.Report, order []int, opt Options, sevText func(model.Severity) string) {
	type row struct {
		sev  model.Severity
		rule string
		n    int
	}
	var rows []row
	for _, i := range order {
		f := &r.Findings[i]
		if n := len(rows); n > 0 && rows[n-1].sev == f.Severity && rows[n-1].rule == f.Rule {
			rows[n-1].n++
			continue
		}
		rows = append(rows, row{f.Severity, f.Rule, 1})
	}
	width, ruleWidth := 0, 0
	for _, rw := range rows {
		width = max(width, len(itoa(rw.n)))
		ruleWidth = max(ruleWidth, utf8.RuneCountInString(safeText(rw.rule)))
	}
	head := fmt.Sprintf("%d %s by rule, blockers first", len(order), plural(len(order), "finding", "findings"))
	if opt.hidden > 0 {
		head += fmt.Sprintf(" (%d below %s not shown)", opt.hidden, opt.MinSeverity)
	}
	fmt.Fprintln(bw, head+":")
	for _, rw := range rows {
		line := fmt.Sprintf("  %*d  %s %s", width, rw.n, sevText(rw.sev), safeText(rw.rule))
		if r.FailOn != model.SeverityNone && rw.sev >= r.FailOn {
			line += strings.Repeat(" ", ruleWidth-utf8.RuneCountInString(safeText(rw.rule))) + "  fails the check"
		}
		fmt.Fprintln(bw, line)
	}
	fmt.Fprintln(bw)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// safeText makes text from scanned files safe to print on a terminal or in a
// CI log: control characters (C0, DEL, C1), Unicode bidi controls and
// invalid UTF-8 bytes are written as Go-style escapes, so input cannot move
// the cursor, set the window title, fake report lines or reorder what is
// shown. Everything else, including other non-ASCII text, is kept.
func safeText(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c < 0x20 || c == 0x7f || c >= 0x80 {
			break
		}
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r <= 0x9f, isBidiControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isBidiControl reports the invisible characters that change the display
// order of text (embeddings, overrides, isolates and marks).
func isBidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}

// UnitTimes lists units slowest first (--stats), escaped for a terminal.
func UnitTimes(w io.Writer, units []model.Unit) {
	units = append([]model.Unit(nil), units...)
	sort.SliceStable(units, func(i, j int) bool { return units[i].DurationMS > units[j].DurationMS })
	for _, u := range units {
		fmt.Fprintf(w, "  %9.1f ms  %-9s %4d objects  %s\n", u.DurationMS, safeText(string(u.Kind)), u.Objects, safeText(u.Path))
	}
}
