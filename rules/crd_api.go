package rules

import (
	"fmt"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/schema"
)

// crdAPIStatus reports how a CRD in the scan serves the pass object's
// apiVersion. handled is false when no scanned CRD defines the kind, so the
// built-in lifecycle data applies. Kinds no scanned CRD defines go to the
// addon API data (addon_api.go).
func crdAPIStatus(p *Pass) (msg string, removed, deprecated, handled bool) {
	v, _ := p.Env[EnvSchema].(*schema.Validator)
	if v == nil {
		return addonAPIStatus(p)
	}
	o := p.Object
	name := v.CRDName(o.APIVersion, o.Kind)
	if name == "" {
		return addonAPIStatus(p)
	}
	served, depr, warning, _ := v.CRDVersionStatus(o.APIVersion, o.Kind)
	var others []string
	for _, av := range v.CRDServedVersions(o.APIVersion, o.Kind) {
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
		_, reason := v.Lookup(o.APIVersion, o.Kind)
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
