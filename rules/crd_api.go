package rules

import (
	"fmt"
	"strings"
)

// crdAPIStatus reports how a CRD in the scan serves the pass object's
// apiVersion. handled is false when no scanned CRD defines the kind, so the
// built-in lifecycle data applies. Kinds no scanned CRD defines go to the
// addon API data (addon_api.go).
func crdAPIStatus(p *Pass) (msg string, removed, deprecated, handled bool) {
	o := p.Object
	cv, ck := p.CRDs.Lookup(o.APIVersion, o.Kind)
	if ck == nil {
		return addonAPIStatus(p)
	}
	name := ck.CRD
	var served, depr bool
	var warning string
	if cv != nil {
		served, depr, warning = cv.Served, cv.Deprecated, cv.Warning
	}
	var others []string
	for _, av := range p.CRDs.ServedVersions(o.APIVersion, o.Kind) {
		if av != o.APIVersion {
			others = append(others, av)
		}
	}
	use := ""
	if len(others) > 0 {
		use = "; use " + strings.Join(others, " or ")
	}
	switch {
	case !served:
		reason := p.CRDs.NotServedReason(o.APIVersion, o.Kind)
		if reason == "" {
			reason = fmt.Sprintf("CRD %s does not serve version %s", name, o.Version())
		}
		return fmt.Sprintf("%s %s is not served: %s%s", o.APIVersion, o.Kind, reason, use), true, false, true
	case depr:
		if warning != "" {
			return fmt.Sprintf("%s %s is deprecated by CRD %s: %s", o.APIVersion, o.Kind, name, warning), false, true, true
		}
		return fmt.Sprintf("%s %s is deprecated by CRD %s%s", o.APIVersion, o.Kind, name, use), false, true, true
	}
	return "", false, false, true
}
