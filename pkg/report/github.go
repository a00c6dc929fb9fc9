package report

import (
	"bufio"
	"io"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// GitHub writes one workflow command per finding
// (::error file=…,line=…,col=…,title=…::message), which GitHub Actions turns
// into annotations on the pull request's diff.
func GitHub(w io.Writer, r *model.Report, opt Options) error {
	rules := ruleMap(r)
	bw := bufio.NewWriter(w)
	paths := newPathMap(opt)
	for _, i := range blockersFirst(r.Findings) {
		f := &r.Findings[i]
		var props []string
		if p := paths.path(f.File); p != "" {
			props = append(props, "file="+ghProperty(safeText(p)))
			if f.Line > 0 {
				props = append(props, "line="+itoa(f.Line))
				if f.Column > 0 {
					props = append(props, "col="+itoa(f.Column))
				}
			}
		}
		title := f.Rule
		if ref := f.Ref(); ref != "" {
			title += " " + ref
		}
		props = append(props, "title="+ghProperty(safeText(title)))

		// Line breaks stay (annotations show them, and ghData encodes them);
		// other control characters would reach the job log raw.
		msg := safeLines(f.Message)
		if f.Remediation != "" && !strings.Contains(msg, f.Remediation) {
			msg += "\n" + f.Remediation
		}
		if ri := rules[f.Rule]; ri != nil && ri.HelpURI != "" {
			msg += "\n" + ri.HelpURI
		}
		_, _ = bw.WriteString("::" + ghLevel(f.Severity) + " " + strings.Join(props, ",") + "::" + ghData(msg) + "\n")
	}
	return bw.Flush()
}

// ghLevel maps severities to the three annotation commands.
func ghLevel(s model.Severity) string {
	switch s {
	case model.SeverityError:
		return "error"
	case model.SeverityWarning:
		return "warning"
	}
	return "notice"
}

// ghData escapes a command's message: '%', CR and LF are percent-encoded so
// a message cannot end the command or start a new one.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a command property value; ':' and ',' separate
// properties, so they are encoded too.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// safeLines is safeText for each line, keeping the line breaks.
func safeLines(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = safeText(l)
	}
	return strings.Join(lines, "\n")
}
