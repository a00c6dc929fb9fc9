package addons

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
)

// WriteTable prints what the matrix knows about each addon at target and,
// when dets is not empty, what the scan detected and its verdicts. The output
// is deterministic (addons sorted by name, detections as given).
func WriteTable(w io.Writer, m *Matrix, target kubeversion.Version, dets []Detection) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "ADDON\tAT KUBERNETES %s\tDATA\tAS OF\n", target)
	for _, a := range m.Addons() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Name, a.windowAt(target), a.dataKinds(), a.asOf())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(dets) == 0 {
		_, err := fmt.Fprintln(w, "\nno addons detected")
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "DETECTED\tVERSION\tWHERE\tVERSION FROM\tAT KUBERNETES %s\n", target)
	for _, d := range dets {
		ver := d.Version
		if ver == "" {
			ver = "unknown"
		}
		from := d.VersionFrom
		if from == "" {
			from = d.Unknown
		}
		if from == "" {
			from = "CRDs only"
		}
		var verdicts []string
		for _, v := range m.Check(d, target) {
			s := string(v.Kind)
			if v.Suggest != "" && v.Kind != Retired {
				s += " (use " + v.Suggest + ")"
			}
			if !v.Verified {
				s += " [unverified]"
			}
			verdicts = append(verdicts, s)
		}
		status := "ok"
		switch {
		case len(verdicts) > 0:
			status = strings.Join(verdicts, ", ")
		case d.semver != nil && !m.hasRows(d):
			status = "no data for this version"
		case d.semver == nil:
			status = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.Addon, ver, d.where(), from, status)
	}
	return tw.Flush()
}

func (m *Matrix) hasRows(d Detection) bool {
	a, ok := m.Addon(d.Addon)
	return ok && (len(a.rowsFor(d.semver)) > 0 || a.MustMatchClusterMinor)
}

// where names the instance: chart/overlay, else file, plus namespace.
func (d *Detection) where() string {
	loc := d.Origin
	if loc == "" {
		if o := d.Primary().Object; o != nil {
			loc = o.Source.File
		} else if d.File != "" {
			loc = fmt.Sprintf("%s:%d", d.File, d.Line)
		}
	}
	if d.Namespace != "" {
		loc += " (ns " + d.Namespace + ")"
	}
	return loc
}

// windowAt summarises which versions of the addon suit target.
func (a *Addon) windowAt(target kubeversion.Version) string {
	var parts []string
	if a.Retired {
		parts = append(parts, "retired")
	}
	switch {
	case a.MustMatchClusterMinor:
		parts = append(parts, fmt.Sprintf("use %s.x", target))
	case len(a.Versions) == 0:
		parts = append(parts, "no version data")
	default:
		if v, ok := a.suggest(target, nil, true, false); ok {
			parts = append(parts, a.firstKind(target)+" from "+v)
		} else if v, ok := a.suggest(target, nil, true, true); ok {
			parts = append(parts, "tested from "+v)
		} else {
			parts = append(parts, "no known release")
		}
	}
	return strings.Join(parts, "; ")
}

// firstKind says whether the rows that cover target are supported, minimum
// or tested statements (the strongest present).
func (a *Addon) firstKind(target kubeversion.Version) string {
	best := ""
	for _, r := range a.Versions {
		if !r.Covers(target) {
			continue
		}
		switch {
		case r.Kind == Supported:
			return "supported"
		case r.Kind == Minimum:
			best = "works"
		case best == "":
			best = "tested"
		}
	}
	return best
}

func (a *Addon) dataKinds() string {
	seen := map[string]bool{}
	var out []string
	unverified := false
	for _, r := range a.Versions {
		if !seen[string(r.Kind)] {
			seen[string(r.Kind)] = true
			out = append(out, string(r.Kind))
		}
		unverified = unverified || !r.IsVerified()
	}
	if a.MustMatchClusterMinor {
		out = append(out, "same minor")
	}
	s := strings.Join(out, "+")
	if unverified {
		s += " (some unverified)"
	}
	return s
}

// asOf is the date the addon's data was checked, else the newest as-of
// date of its rows.
func (a *Addon) asOf() string {
	best := a.AsOf
	for _, r := range a.Versions {
		if r.AsOf > best {
			best = r.AsOf
		}
	}
	if best == "" {
		return "-"
	}
	return best
}
