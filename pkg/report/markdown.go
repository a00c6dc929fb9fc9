package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// markdownTop is how many findings the table shows; a pull-request comment
// past that stops being read.
const markdownTop = 20

// Markdown writes a summary fit for a pull-request comment or a GitHub job
// summary: counts per severity and rule, the worst findings, and what to do.
func Markdown(w io.Writer, r *model.Report, opt Options) error {
	rules := ruleMap(r)
	b := bufio.NewWriter(w)
	// Write errors surface at Flush.
	p := func(format string, args ...any) { _, _ = fmt.Fprintf(b, format, args...) }

	target := "the target version"
	if r.TargetVersion != "" {
		target = "Kubernetes " + r.TargetVersion
	}
	p("## %s: upgrade check for %s\n\n", toolName(r), mdText(target))

	counts := map[model.Severity]int{}
	byRule := map[string]int{}
	failing := 0
	for i := range r.Findings {
		f := &r.Findings[i]
		counts[f.Severity]++
		byRule[f.Rule]++
		if fails(f, r.FailOn) {
			failing++
		}
	}
	objects := r.Summary.Objects
	if objects == 0 {
		objects = len(r.Objects)
	}
	if r.ExitCode >= 2 && len(r.Findings) == 0 {
		p("Nothing was checked: no Kubernetes objects were found, or the scan could not run. See the job log.\n")
		return b.Flush()
	}
	if len(r.Findings) == 0 {
		p("No findings in %d %s from %d %s.\n", objects, plural2(objects, "object", "objects"), len(r.Units), plural2(len(r.Units), "source", "sources"))
		writeSuppressed(p, r)
		return b.Flush()
	}
	p("**%d %s** (%d %s, %d %s, %d %s) in %d %s from %d %s.",
		len(r.Findings), plural2(len(r.Findings), "finding", "findings"),
		counts[model.SeverityError], plural2(counts[model.SeverityError], "error", "errors"),
		counts[model.SeverityWarning], plural2(counts[model.SeverityWarning], "warning", "warnings"),
		counts[model.SeverityInfo], "info",
		objects, plural2(objects, "object", "objects"),
		len(r.Units), plural2(len(r.Units), "source", "sources"))
	if r.FailOn != model.SeverityNone {
		if failing > 0 {
			p(" %d at or above `%s`: the check fails.", failing, r.FailOn)
		} else {
			p(" None at or above `%s`: the check passes.", r.FailOn)
		}
	}
	p("\n")
	writeSuppressed(p, r)
	if opt.hidden > 0 {
		p("\n%d %s below `%s` not shown (`--min-severity`).\n", opt.hidden, plural2(opt.hidden, "finding", "findings"), opt.MinSeverity)
	}

	// Per rule, blockers first: worst severity, then rule priority, as in
	// the text report.
	type row struct {
		id  string
		sev model.Severity
		n   int
	}
	var rows []row
	for id, n := range byRule {
		sev := model.SeverityNone
		for i := range r.Findings {
			if r.Findings[i].Rule == id && r.Findings[i].Severity > sev {
				sev = r.Findings[i].Severity
			}
		}
		rows = append(rows, row{id, sev, n})
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].sev != rows[j].sev {
			return rows[i].sev > rows[j].sev
		}
		if pi, pj := priority(rows[i].id), priority(rows[j].id); pi != pj {
			return pi < pj
		}
		return rows[i].id < rows[j].id
	})
	p("\n### Findings per rule\n\n| Rule | Severity | Findings |\n| --- | --- | ---: |\n")
	for _, rw := range rows {
		p("| %s | %s | %d |\n", ruleLink(rw.id, rules), rw.sev, rw.n)
	}

	// Top findings: blockers first, the order of the text report.
	paths := newPathMap(opt)
	idx := blockersFirst(r.Findings)
	shown := min(len(idx), markdownTop)
	p("\n### Top findings\n\n| Location | Rule | Object | Message |\n| --- | --- | --- | --- |\n")
	for _, i := range idx[:shown] {
		f := &r.Findings[i]
		loc := location(paths.path(f.File), f.Line, 0)
		if loc != "" {
			loc = "`" + mdCode(loc) + "`"
		}
		obj := f.Ref()
		if obj != "" {
			obj = "`" + mdCode(obj) + "`"
		}
		p("| %s | %s | %s | %s |\n", loc, ruleLink(f.Rule, rules), obj, mdCell(f.Message))
	}
	if rest := len(idx) - shown; rest > 0 {
		p("\n…and %d more. Run `%s scan` locally or open the SARIF or text report for the full list.\n", rest, toolName(r))
	}

	p("\n### What to do next\n\n")
	for _, rw := range rows {
		ri := rules[rw.id]
		fix := ""
		if ri != nil {
			fix = ri.Remediation
		}
		if fix == "" {
			fix = "See the rule documentation."
		}
		p("- %s: %s\n", ruleLink(rw.id, rules), mdText(fix))
	}
	p("\nTo accept today's findings and gate only new ones, record a baseline with `%s baseline write FILE` and scan with `--baseline FILE`.\n", toolName(r))
	return b.Flush()
}

func writeSuppressed(p func(string, ...any), r *model.Report) {
	if n := r.Summary.Baselined; n > 0 {
		p("\n%d %s already in the baseline %s not shown.\n", n, plural2(n, "finding", "findings"), plural2(n, "is", "are"))
	}
	if n := r.Summary.Suppressed; n > 0 {
		p("\n%d %s suppressed by configuration or annotations.\n", n, plural2(n, "finding was", "findings were"))
	}
}

func ruleLink(id string, rules map[string]*model.RuleInfo) string {
	if ri := rules[id]; ri != nil && ri.HelpURI != "" {
		return "[" + mdText(id) + "](" + ri.HelpURI + ")"
	}
	return mdText(id)
}

// mdCell makes text safe inside a table cell: no line breaks, no unescaped
// pipes, no HTML.
func mdCell(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	return mdText(safeText(s))
}

// mdText escapes characters that would start markup or break a table.
func mdText(s string) string {
	return strings.NewReplacer(
		`\`, `\\`, "|", `\|`, "<", "&lt;", ">", "&gt;", "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	).Replace(s)
}

// mdCode keeps a code span intact: backticks and pipes cannot appear in it
// unescaped inside a table, and a CR or LF would end the table row.
func mdCode(s string) string {
	return safeText(strings.NewReplacer("`", "'", "|", `\|`, "\r\n", " ", "\n", " ", "\r", " ").Replace(s))
}

func plural2(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
