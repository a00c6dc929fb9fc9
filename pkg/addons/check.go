package addons

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
)

// VerdictKind names the problem a verdict reports; each has one rule.
type VerdictKind string

const (
	Incompatible   VerdictKind = "incompatible"
	Untested       VerdictKind = "untested"
	Retired        VerdictKind = "retired"
	Skew           VerdictKind = "skew"
	UnknownVersion VerdictKind = "unknown-version"
)

// Verdict is one problem with a detection at a target version.
type Verdict struct {
	Kind VerdictKind
	// Message starts lowercase and names the detected version, the window
	// and what the target needs.
	Message string
	// Remediation is a full sentence.
	Remediation string
	// Row is the statement the verdict rests on (nil for retired, skew and
	// unknown-version).
	Row *Row
	// Verified is false when the row is marked unverified; the message then
	// says so.
	Verified bool
	// Suggest is the first addon version that supports the target (or, when
	// the target is older than the detected version supports, the newest
	// one that does); empty when the data names none.
	Suggest string
}

// Check returns the problems of detection d at target, in a fixed order.
func (m *Matrix) Check(d Detection, target kubeversion.Version) []Verdict {
	a, ok := m.Addon(d.Addon)
	if !ok {
		return nil
	}
	var out []Verdict
	if a.Retired {
		note := a.RetiredNote
		if note == "" {
			note = "the project gets no more releases or security fixes"
		}
		out = append(out, Verdict{
			Kind:        Retired,
			Message:     fmt.Sprintf("%s is retired: %s", a.Name, note),
			Remediation: fmt.Sprintf("Plan a migration away from %s; it will not gain support for new Kubernetes releases.", a.Name),
			Verified:    true,
		})
	}
	v := d.semver
	if v == nil {
		if d.Unknown != "" {
			rem := fmt.Sprintf("Pin %s with a version tag (a tag plus digest is fine) so its compatibility can be checked.", a.Name)
			if d.Primary().Signal == SignalDeclared {
				rem = fmt.Sprintf("Pin the %s chart to one release version (not a range, wildcard or variable) so its compatibility can be checked.", a.Name)
			}
			out = append(out, Verdict{
				Kind:        UnknownVersion,
				Message:     fmt.Sprintf("%s detected but its version cannot be read (%s), so support for Kubernetes %s cannot be checked", a.Name, d.Unknown, target),
				Remediation: rem,
				Verified:    true,
			})
		}
		return out
	}
	if a.MustMatchClusterMinor {
		if int(v.Major()) != target.Major || int(v.Minor()) != target.Minor {
			out = append(out, Verdict{
				Kind: Skew,
				Message: fmt.Sprintf("%s %s (%s) is built for Kubernetes %d.%d, not %s; use %s %s.x",
					a.Name, d.Version, d.VersionFrom, v.Major(), v.Minor(), target, a.Name, target),
				Remediation: fmt.Sprintf("Upgrade %s together with the control plane to the release with the same minor, %s.x.", a.Name, target),
				Suggest:     target.String() + ".0",
				Verified:    true,
			})
		}
	}
	rows := a.rowsFor(v)
	if len(rows) == 0 && len(a.Versions) > 0 {
		// A version the data does not reach is said, not skipped.
		oldest, newest := a.dataBounds()
		switch {
		case oldest != nil && v.LessThan(oldest):
			out = append(out, Verdict{
				Kind:        Untested,
				Message:     fmt.Sprintf("%s %s (%s) is older than every release in the compatibility data (it starts at %s), so support for Kubernetes %s is unknown; a release this old most likely predates it", a.Name, d.Version, d.VersionFrom, oldest, target),
				Remediation: fmt.Sprintf("Upgrade %s to a release that supports Kubernetes %s (kupgrade-lint addons --target-version %s lists them).", a.Name, target, target),
				Verified:    true,
			})
		case newest != nil && newest.LessThan(v):
			out = append(out, Verdict{
				Kind:        UnknownVersion,
				Message:     fmt.Sprintf("%s %s (%s) is newer than the compatibility data (it ends at %s), so support for Kubernetes %s cannot be checked", a.Name, d.Version, d.VersionFrom, newest, target),
				Remediation: fmt.Sprintf("Check the %s release notes for Kubernetes %s, or add a row with --addon-matrix.", a.Name, target),
				Verified:    true,
			})
		default:
			out = append(out, Verdict{
				Kind:        UnknownVersion,
				Message:     fmt.Sprintf("%s %s (%s) falls in a gap of the compatibility data, so support for Kubernetes %s cannot be checked", a.Name, d.Version, d.VersionFrom, target),
				Remediation: fmt.Sprintf("Check the %s release notes for Kubernetes %s, or add a row with --addon-matrix.", a.Name, target),
				Verified:    true,
			})
		}
		return out
	}
	// Supported and minimum rows decide compatibility; tested rows only
	// matter when no supported row covers the target.
	covered := false
	for _, r := range rows {
		if r.Kind == Supported && r.Covers(target) {
			covered = true
		}
	}
	for _, r := range rows {
		if r.Kind == Tested || r.Covers(target) {
			continue
		}
		if r.Kind == Supported && covered {
			continue
		}
		out = append(out, a.verdict(Incompatible, d, r, target))
		break
	}
	if !covered && !hasKind(out, Incompatible) {
		var tested []*Row
		inList := false
		for _, r := range rows {
			if r.Kind == Tested {
				tested = append(tested, r)
				inList = inList || r.Covers(target)
			}
		}
		if len(tested) > 0 && !inList {
			out = append(out, a.verdict(Untested, d, tested[0], target))
		}
	}
	return out
}

func hasKind(vs []Verdict, k VerdictKind) bool {
	for _, v := range vs {
		if v.Kind == k {
			return true
		}
	}
	return false
}

// rowsFor returns the rows matching v; user rows hide embedded ones.
func (a *Addon) rowsFor(v *semver.Version) []*Row {
	var user, embedded []*Row
	for _, r := range a.Versions {
		if !r.Matches(v) {
			continue
		}
		if r.user {
			user = append(user, r)
		} else {
			embedded = append(embedded, r)
		}
	}
	if len(user) > 0 {
		return user
	}
	return embedded
}

func (a *Addon) verdict(k VerdictKind, d Detection, r *Row, target kubeversion.Version) Verdict {
	vd := Verdict{Kind: k, Row: r, Verified: r.IsVerified()}
	what := map[Kind]string{Supported: "supports", Tested: "was tested on", Minimum: "needs"}[r.Kind]
	msg := fmt.Sprintf("%s %s (%s) %s Kubernetes %s, not %s", a.Name, d.Version, d.VersionFrom, what, r.Window(), target)
	if r.Kind == Minimum {
		msg = fmt.Sprintf("%s %s (%s) needs Kubernetes %s, the target %s is older", a.Name, d.Version, d.VersionFrom, r.Window(), target)
	}
	// newer: the target is above the row's window, so the fix is a newer
	// addon; otherwise an older one (or none, for a gap in a tested list).
	newer := !r.K8sMin.IsZero() && r.K8sMin.Less(target) || len(r.K8s) > 0 && r.K8s[0].Less(target)
	verb := "that supports"
	if k == Untested {
		verb = "tested on"
	}
	sug, ok := a.suggest(target, d.semver, newer, k == Untested)
	switch {
	case ok && newer:
		vd.Suggest = sug
		msg += fmt.Sprintf("; the first %s version %s %s is %s", a.Name, verb, target, sug)
	case ok:
		vd.Suggest = sug
		msg += fmt.Sprintf("; the newest %s version %s %s is %s", a.Name, verb, target, sug)
	case k == Incompatible && newer:
		msg += fmt.Sprintf("; no %s release known to the data supports %s yet", a.Name, target)
	}
	msg += " (" + r.describe() + ")"
	if !vd.Verified {
		msg = "unverified data: " + msg
	}
	vd.Message = msg
	src := r.Source
	if r.knownAsOf() {
		src += ", as of " + r.AsOf
	}
	switch {
	case k == Untested && vd.Suggest != "":
		vd.Remediation = fmt.Sprintf("Upgrade %s to %s or later, which was tested on Kubernetes %s, or verify the current version on %s yourself (source: %s).", a.Name, vd.Suggest, target, target, src)
	case k == Untested:
		vd.Remediation = fmt.Sprintf("Verify %s on Kubernetes %s in a test cluster before upgrading (source: %s).", a.Name, target, src)
	case vd.Suggest != "" && newer:
		vd.Remediation = fmt.Sprintf("Upgrade %s to %s or later before upgrading the cluster to Kubernetes %s (source: %s).", a.Name, vd.Suggest, target, src)
	case vd.Suggest != "":
		vd.Remediation = fmt.Sprintf("Use %s %s for Kubernetes %s (source: %s).", a.Name, vd.Suggest, target, src)
	default:
		vd.Remediation = fmt.Sprintf("Check the %s release notes for Kubernetes %s support before upgrading (source: %s).", a.Name, target, src)
	}
	if !vd.Verified {
		vd.Remediation += " The data for this version is marked unverified; confirm it with the project."
	}
	return vd
}

// describe names the kind of statement and its source for messages.
func (r *Row) describe() string {
	kind := map[Kind]string{Supported: "supported range", Tested: "tested versions", Minimum: "minimum version"}[r.Kind]
	if r.knownAsOf() {
		return kind + " as of " + r.AsOf
	}
	return kind
}

// knownAsOf reports whether the row records when its source was read (the
// data says "not recorded" where the source gave no date).
func (r *Row) knownAsOf() bool { return r.AsOf != "" && r.AsOf != "not recorded" }

// suggest finds the addon version to move to for target: the lowest lower
// bound of rows that cover target above the detected version (newer), or
// the highest below it. Tested rows count only when testedOK is set or no
// supported/minimum row exists for them.
func (a *Addon) suggest(target kubeversion.Version, cur *semver.Version, newer, testedOnly bool) (string, bool) {
	var cands []*semver.Version
	for _, r := range a.Versions {
		if testedOnly && r.Kind != Tested {
			continue
		}
		if !r.Covers(target) {
			continue
		}
		// A row that covers target but whose versions are also held back by
		// a minimum row that excludes target does not count.
		lb := lowerBound(r.Versions)
		if lb == nil || !a.okAt(lb, target, testedOnly) {
			continue
		}
		if newer && cur != nil && !lb.GreaterThan(cur) {
			continue
		}
		if !newer && cur != nil && !lb.LessThan(cur) {
			continue
		}
		cands = append(cands, lb)
	}
	if len(cands) == 0 {
		return "", false
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].LessThan(cands[j]) })
	if newer {
		return cands[0].String(), true
	}
	return cands[len(cands)-1].String(), true
}

// okAt reports whether version v has no incompatible verdict at target.
func (a *Addon) okAt(v *semver.Version, target kubeversion.Version, testedOnly bool) bool {
	rows := a.rowsFor(v)
	covered := false
	for _, r := range rows {
		if r.Kind == Supported && r.Covers(target) {
			covered = true
		}
	}
	for _, r := range rows {
		switch {
		case r.Kind == Tested:
			if testedOnly && !r.Covers(target) {
				return false
			}
		case !r.Covers(target) && (r.Kind != Supported || !covered):
			return false
		}
	}
	return len(rows) > 0
}

// lowerBound returns the smallest version a constraint admits, for the
// forms the data uses (">=1.2.0 <1.3.0", "~1.2", "1.2.x", "^1.2", "=1.2.3",
// "1.2.3", with "||" alternatives). Nil when there is none.
func lowerBound(c string) *semver.Version {
	var best *semver.Version
	for _, alt := range strings.Split(c, "||") {
		var lb *semver.Version
		for _, f := range strings.FieldsFunc(alt, func(r rune) bool { return r == ' ' || r == ',' }) {
			var v *semver.Version
			switch {
			case strings.HasPrefix(f, ">="):
				v = parseLoose(f[2:])
			case strings.HasPrefix(f, ">"):
				if p := parseLoose(f[1:]); p != nil {
					n := p.IncPatch()
					v = &n
				}
			case strings.HasPrefix(f, "<"), strings.HasPrefix(f, "!="):
				continue
			default:
				v = parseLoose(strings.TrimLeft(f, "=~^"))
			}
			if v != nil && (lb == nil || v.GreaterThan(lb)) {
				lb = v
			}
		}
		if lb != nil && (best == nil || lb.LessThan(best)) {
			best = lb
		}
	}
	return best
}

func parseLoose(s string) *semver.Version {
	s = strings.TrimSpace(s)
	parts := strings.Split(strings.TrimPrefix(s, "v"), ".")
	for i, p := range parts {
		if p == "x" || p == "X" || p == "*" {
			parts = parts[:i]
			break
		}
	}
	if len(parts) == 0 {
		return nil
	}
	v, err := semver.NewVersion(strings.Join(parts, "."))
	if err != nil {
		return nil
	}
	return v
}

var versionToken = regexp.MustCompile(`\d+\.\d+(?:\.\d+)?`)

// dataBounds returns the lowest and highest addon versions the rows name.
func (a *Addon) dataBounds() (oldest, newest *semver.Version) {
	for _, r := range a.Versions {
		for _, tok := range versionToken.FindAllString(r.Versions, -1) {
			v, err := semver.NewVersion(tok)
			if err != nil {
				continue
			}
			if oldest == nil || v.LessThan(oldest) {
				oldest = v
			}
			if newest == nil || newest.LessThan(v) {
				newest = v
			}
		}
	}
	return oldest, newest
}
