// Package planreport writes upgrade plans (package plan) as text, Markdown,
// JSON and a self-contained HTML page. Every writer escapes what comes from
// the scanned repository: names, paths and messages are untrusted.
package planreport

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/plan"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/report"
)

// Formats lists the plan output formats.
func Formats() []string { return []string{"text", "markdown", "json", "html"} }

// Options are the text writer's presentation settings (scan's --quiet
// and --stats).
type Options struct {
	// Quiet leaves out the evidence checklist and the closing summary.
	Quiet bool
	// Stats adds the render and decode time of every source.
	Stats bool
}

// Write renders p in format.
func Write(w io.Writer, format string, p *plan.Plan) error {
	return WriteWith(w, format, p, Options{})
}

// WriteWith is Write with presentation options (they change text only).
func WriteWith(w io.Writer, format string, p *plan.Plan, opt Options) error {
	switch format {
	case "text":
		return TextWith(w, p, opt)
	case "markdown":
		return Markdown(w, p)
	case "json":
		return JSON(w, p)
	case "html":
		return HTML(w, p)
	}
	return fmt.Errorf("unknown plan format %q (want one of %s)", format, strings.Join(Formats(), ", "))
}

// JSON writes the plan contract documented in docs/plan-json.md.
func JSON(w io.Writer, p *plan.Plan) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(true)
	return enc.Encode(p)
}

// safe makes one untrusted field fit on one terminal line: control, format
// (bidi) and invalid characters become visible escapes.
func safe(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == unicode.ReplacementChar:
			b.WriteString(`\ufffd`)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || unicode.Is(unicode.Cf, r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func loc(file string, line int) string {
	if line > 0 {
		return fmt.Sprintf("%s:%d", file, line)
	}
	return file
}

// Text writes the plan for a terminal.
func Text(w io.Writer, p *plan.Plan) error { return TextWith(w, p, Options{}) }

// TextWith is Text with presentation options.
func TextWith(w io.Writer, p *plan.Plan, opt Options) error {
	b := bufio.NewWriter(w)
	pr := func(format string, args ...any) { _, _ = fmt.Fprintf(b, format, args...) }
	finding := func(f model.Finding) {
		pr("  %-7s %s  %s\n", f.Severity, safe(loc(f.File, f.Line)), safe(f.Rule))
		if ref := f.Ref(); ref != "" {
			pr("          %s\n", safe(ref))
		}
		pr("          %s\n", safe(f.Message))
	}
	addon := func(a plan.AddonEntry) {
		to := a.UpgradeTo
		if to == "" {
			to = "(see reason)"
		}
		pr("  addon   %s  %s %s → %s\n", safe(loc(a.File, a.Line)), safe(a.Name), safe(a.Version), safe(to))
		pr("          %s\n", safe(a.Reason))
	}
	pr("Upgrade plan: Kubernetes %s → %s (%d %s)\n\n", p.CurrentVersion, p.TargetVersion, len(p.Hops), plural(len(p.Hops), "hop", "hops"))
	pr("1. Already broken at %s (not caused by the upgrade)\n", p.CurrentVersion)
	if len(p.AlreadyBroken)+len(p.AlreadyBrokenAddons) == 0 {
		pr("  nothing\n")
	}
	for _, a := range p.AlreadyBrokenAddons {
		addon(a)
	}
	for _, f := range p.AlreadyBroken {
		finding(f)
	}
	pr("\n2. Hops (do each step before moving the control plane)\n")
	for _, h := range p.Hops {
		pr("\n%s → %s\n", h.From, h.To)
		if len(h.Findings)+len(h.Addons) == 0 {
			pr("  nothing in the repository blocks this hop\n")
		}
		i := 0
		for ; i < len(h.Findings) && h.Findings[i].Severity == model.SeverityError; i++ {
			finding(h.Findings[i])
		}
		for _, a := range h.Addons {
			addon(a)
		}
		for ; i < len(h.Findings); i++ {
			finding(h.Findings[i])
		}
	}
	pr("\n3. Node rollout readiness (node pools roll at every hop)\n")
	if len(p.Readiness) == 0 {
		pr("  nothing blocks draining nodes\n")
	}
	for _, f := range p.Readiness {
		finding(f)
	}
	if opt.Stats {
		pr("\nrender/decode times (all minors):\n")
		report.UnitTimes(b, p.Units)
	}
	if opt.Quiet {
		return b.Flush()
	}
	pr("\n4. Evidence\n")
	writeEvidenceText(pr, p)
	s := p.Summary
	pr("\n%d %s, %d %s already broken, %d hop %s (%d errors, %d warnings, %d info), %d addon %s, %d node readiness %s.\n",
		s.Hops, plural(s.Hops, "hop", "hops"), s.AlreadyBroken, plural(s.AlreadyBroken, "item", "items"),
		s.HopFindings, plural(s.HopFindings, "finding", "findings"), s.Errors, s.Warnings, s.Infos,
		s.AddonUpgrades, plural(s.AddonUpgrades, "upgrade", "upgrades"), s.Readiness, plural(s.Readiness, "finding", "findings"))
	return b.Flush()
}

func writeEvidenceText(pr func(string, ...any), p *plan.Plan) {
	e := p.Evidence
	pr("  %s\n", safe(e.LifecycleData))
	pr("  scanned at every minor: %s\n", strings.Join(e.Minors, ", "))
	if len(e.Addons) == 0 {
		pr("  addons detected: none\n")
	}
	for _, a := range e.Addons {
		pr("  addon %s %s (%s): %s\n", safe(a.Name), safe(a.Version), safe(loc(a.File, a.Line)), safe(a.Verdict))
	}
	if len(e.Unjudged) == 0 {
		pr("  not judged: nothing\n")
	}
	for _, f := range e.Unjudged {
		pr("  not judged: %s %s: %s\n", safe(loc(f.File, f.Line)), safe(f.Rule), safe(f.Message))
	}
	for _, n := range e.Notices {
		pr("  notice: %s\n", safe(n))
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// md escapes untrusted text for Markdown (inline and table cells).
func md(s string) string {
	return strings.NewReplacer(
		`\`, `\\`, "|", `\|`, "<", "&lt;", ">", "&gt;", "&", "&amp;", "`", "\\`", "*", `\*`, "_", `\_`,
		"[", `\[`, "]", `\]`, "#", `\#`, "~", `\~`,
	).Replace(safe(s))
}

// Markdown writes the plan for a pull request or a wiki page.
func Markdown(w io.Writer, p *plan.Plan) error {
	b := bufio.NewWriter(w)
	pr := func(format string, args ...any) { _, _ = fmt.Fprintf(b, format, args...) }
	table := func(fs []model.Finding, as []plan.AddonEntry) {
		if len(fs)+len(as) == 0 {
			pr("Nothing in the repository.\n\n")
			return
		}
		pr("| Severity | Location | Object | What to do |\n|---|---|---|---|\n")
		i := 0
		row := func(f model.Finding) {
			pr("| %s | %s | %s | %s (%s) |\n", f.Severity, md(loc(f.File, f.Line)), md(f.Ref()), md(f.Message), md(f.Rule))
		}
		for ; i < len(fs) && fs[i].Severity == model.SeverityError; i++ {
			row(fs[i])
		}
		for _, a := range as {
			to := a.UpgradeTo
			if to == "" {
				to = "(see reason)"
			}
			pr("| addon | %s | %s %s → %s | %s |\n", md(loc(a.File, a.Line)), md(a.Name), md(a.Version), md(to), md(a.Reason))
		}
		for ; i < len(fs); i++ {
			row(fs[i])
		}
		pr("\n")
	}
	pr("# Upgrade plan: Kubernetes %s → %s\n\n", p.CurrentVersion, p.TargetVersion)
	s := p.Summary
	pr("%d %s; %d already broken; %d hop %s (%d errors, %d warnings, %d info); %d addon %s; %d node readiness %s.\n\n",
		s.Hops, plural(s.Hops, "hop", "hops"), s.AlreadyBroken, s.HopFindings, plural(s.HopFindings, "finding", "findings"),
		s.Errors, s.Warnings, s.Infos, s.AddonUpgrades, plural(s.AddonUpgrades, "upgrade", "upgrades"), s.Readiness, plural(s.Readiness, "finding", "findings"))
	pr("## 1. Already broken at %s\n\nNot caused by the upgrade.\n\n", p.CurrentVersion)
	table(p.AlreadyBroken, p.AlreadyBrokenAddons)
	pr("## 2. Hops\n\nDo each hop's steps before the control plane moves to its minor; blockers first.\n\n")
	for _, h := range p.Hops {
		pr("### %s → %s\n\n", h.From, h.To)
		table(h.Findings, h.Addons)
	}
	pr("## 3. Node rollout readiness\n\nNode pools roll at every hop; these block or endanger draining.\n\n")
	table(p.Readiness, nil)
	pr("## 4. Evidence\n\n")
	e := p.Evidence
	pr("- %s\n- Scanned at every minor: %s\n", md(e.LifecycleData), strings.Join(e.Minors, ", "))
	if len(e.Addons) == 0 {
		pr("- Addons detected: none\n")
	}
	for _, a := range e.Addons {
		pr("- Addon %s %s (%s): %s\n", md(a.Name), md(a.Version), md(loc(a.File, a.Line)), md(a.Verdict))
	}
	if len(e.Unjudged) == 0 {
		pr("- Not judged: nothing\n")
	}
	for _, f := range e.Unjudged {
		pr("- Not judged: %s %s: %s\n", md(loc(f.File, f.Line)), md(f.Rule), md(f.Message))
	}
	for _, n := range e.Notices {
		pr("- Notice: %s\n", md(n))
	}
	return b.Flush()
}
