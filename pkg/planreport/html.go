package planreport

import (
	"html/template"
	"io"
	"sort"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/plan"
)

// cell is one timeline cell: what happens to a row's subject at a column.
type cell struct {
	Class, Text string
}

type timelineRow struct {
	Label string
	Cells []cell
}

type htmlData struct {
	P        *plan.Plan
	Columns  []string
	Timeline []timelineRow
}

// HTML writes one self-contained page (inline styles, no scripts, fonts or
// external resources). html/template escapes every value from the repository.
func HTML(w io.Writer, p *plan.Plan) error {
	var b strings.Builder
	if err := pageTmpl.Execute(&b, htmlData{P: p, Columns: columns(p), Timeline: timeline(p)}); err != nil {
		return err
	}
	// html/template leaves control and bidi characters alone; a hostile name
	// must not reorder or hide what the page shows. The template itself
	// only uses newlines.
	_, err := io.WriteString(w, strings.ReplaceAll(safe(b.String()), `\u000a`, "\n"))
	return err
}

func columns(p *plan.Plan) []string {
	out := []string{"now (" + p.CurrentVersion + ")"}
	for _, h := range p.Hops {
		out = append(out, h.From+" → "+h.To)
	}
	return out
}

// timeline has one row per subject (object or addon) with a mark in every
// column where the plan says something about it.
func timeline(p *plan.Plan) []timelineRow {
	n := len(p.Hops) + 1
	rows := map[string][]cell{}
	put := func(label string, col int, c cell) {
		r, ok := rows[label]
		if !ok {
			r = make([]cell, n)
		}
		if r[col].Text == "" || rank(c.Class) > rank(r[col].Class) {
			r[col] = c
		}
		rows[label] = r
	}
	subject := func(f model.Finding) string {
		if ref := f.Ref(); ref != "" {
			if f.APIVersion != "" {
				return f.APIVersion + " " + ref
			}
			return ref
		}
		return f.File
	}
	sevCell := func(f model.Finding) cell { return cell{Class: f.Severity.String(), Text: f.Rule} }
	for _, f := range p.AlreadyBroken {
		put(subject(f), 0, sevCell(f))
	}
	for _, a := range p.AlreadyBrokenAddons {
		put("addon "+a.Name, 0, cell{Class: "error", Text: upgradeText(a)})
	}
	bySubject := map[string]string{} // fingerprint → row, for redeploy windows
	for i, h := range p.Hops {
		for _, f := range h.Findings {
			put(subject(f), i+1, sevCell(f))
			bySubject[f.Fingerprint] = subject(f)
		}
		for _, a := range h.Addons {
			cls := "addon"
			if a.Track {
				cls = "track"
			}
			put("addon "+a.Name, i+1, cell{Class: cls, Text: upgradeText(a)})
		}
	}
	// A release is redeployed while the control plane runs a window minor:
	// the column of the hop that starts there.
	for _, w := range p.RedeployWindows {
		label, ok := bySubject[w.Fingerprint]
		if !ok {
			continue
		}
		in := false
		for i, h := range p.Hops {
			if h.From == w.From {
				in = true
			}
			if in && rows[label][i+1].Text == "" {
				rows[label][i+1] = cell{Class: "redeploy", Text: "redeploy"}
			}
			if h.From == w.To {
				break
			}
		}
	}
	labels := make([]string, 0, len(rows))
	for l := range rows {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	out := make([]timelineRow, 0, len(labels))
	for _, l := range labels {
		out = append(out, timelineRow{Label: l, Cells: rows[l]})
	}
	return out
}

func upgradeText(a plan.AddonEntry) string {
	if a.UpgradeTo == "" {
		return "unsupported"
	}
	return "upgrade to " + a.UpgradeTo
}

func rank(class string) int {
	switch class {
	case "error":
		return 5
	case "addon":
		return 4
	case "warning":
		return 3
	case "track":
		return 2
	case "info":
		return 1
	}
	return 0
}

type items struct {
	F []model.Finding
	A []plan.AddonEntry
}

var pageTmpl = template.Must(template.New("plan").Funcs(template.FuncMap{
	"dict2": func(f []model.Finding, a []plan.AddonEntry) items { return items{f, a} },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Upgrade plan: Kubernetes {{.P.CurrentVersion}} → {{.P.TargetVersion}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#1b1b1b;background:#fff}
h1{font-size:1.5em}h2{font-size:1.25em;margin-top:2em}h3{font-size:1.05em}
table{border-collapse:collapse;margin:.5em 0 1em}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top;font-size:.9em}
th{background:#f1f1f1}
td.error{background:#f8c9c4}td.warning{background:#fbe7b5}td.info{background:#dbe9f7}
td.addon{background:#c9dcf8}td.track{background:#e3e3e3}td.redeploy{background:#cdeccd}
code{font-family:ui-monospace,monospace;font-size:.95em;word-break:break-all}
.sev-error{color:#a0150b;font-weight:bold}.sev-warning{color:#8a5a00;font-weight:bold}
.legend span{display:inline-block;padding:.1em .5em;margin-right:.5em;border:1px solid #ccc}
</style>
</head>
<body>
<h1 id="title">Upgrade plan: Kubernetes {{.P.CurrentVersion}} → {{.P.TargetVersion}}</h1>
<p id="summary">{{.P.Summary.Hops}} hops; {{.P.Summary.AlreadyBroken}} already broken; {{.P.Summary.HopFindings}} hop findings ({{.P.Summary.Errors}} errors, {{.P.Summary.Warnings}} warnings, {{.P.Summary.Infos}} info); {{.P.Summary.AddonUpgrades}} addon upgrades; {{.P.Summary.Readiness}} node readiness findings.</p>
<h2>Timeline</h2>
<p class="legend"><span class="error" style="background:#f8c9c4">breaks</span><span style="background:#fbe7b5">deprecated</span><span style="background:#c9dcf8">addon upgrade</span><span style="background:#e3e3e3">moves with the control plane</span><span style="background:#cdeccd">redeploy the release</span></p>
<table id="timeline">
<tr><th>Subject</th>{{range .Columns}}<th>{{.}}</th>{{end}}</tr>
{{range .Timeline}}<tr><th>{{.Label}}</th>{{range .Cells}}<td class="{{.Class}}">{{.Text}}</td>{{end}}</tr>
{{end}}</table>
<h2>1. Already broken at {{.P.CurrentVersion}}</h2>
<p>Not caused by the upgrade.</p>
{{template "items" dict2 .P.AlreadyBroken .P.AlreadyBrokenAddons}}
<h2>2. Hops</h2>
<p>Do each hop's steps before the control plane moves to its minor; blockers first.</p>
{{range .P.Hops}}<section class="hop"><h3>{{.From}} → {{.To}}</h3>
{{template "items" dict2 .Findings .Addons}}</section>
{{end}}
<h2>3. Node rollout readiness</h2>
<p>Node pools roll at every hop; these block or endanger draining.</p>
{{template "items" dict2 .P.Readiness nil}}
<h2>4. Evidence</h2>
<ul id="evidence">
<li>{{.P.Evidence.LifecycleData}}</li>
<li>Scanned at every minor: {{range $i, $m := .P.Evidence.Minors}}{{if $i}}, {{end}}{{$m}}{{end}}</li>
{{range .P.Evidence.Addons}}<li>Addon {{.Name}} {{.Version}} (<code>{{.File}}:{{.Line}}</code>): {{.Verdict}}</li>
{{else}}<li>Addons detected: none</li>
{{end}}{{range .P.Evidence.Unjudged}}<li>Not judged: <code>{{.File}}:{{.Line}}</code> {{.Rule}}: {{.Message}}</li>
{{else}}<li>Not judged: nothing</li>
{{end}}{{range .P.Evidence.Notices}}<li>Notice: {{.}}</li>
{{end}}</ul>
</body>
</html>
{{define "items"}}{{if or .F .A}}<table class="items">
<tr><th>Severity</th><th>Location</th><th>Object</th><th>What to do</th></tr>
{{range .F}}<tr><td class="sev-{{.Severity}}">{{.Severity}}</td><td><code>{{.File}}:{{.Line}}</code></td><td>{{.Ref}}</td><td>{{.Message}} ({{.Rule}})</td></tr>
{{end}}{{range .A}}<tr><td class="sev-error">addon</td><td><code>{{.File}}:{{.Line}}</code></td><td>{{.Name}} {{.Version}} → {{if .UpgradeTo}}{{.UpgradeTo}}{{else}}(see reason){{end}}</td><td>{{.Reason}}</td></tr>
{{end}}</table>{{else}}<p>Nothing in the repository.</p>{{end}}{{end}}
`))
