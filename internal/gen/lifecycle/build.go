package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
)

// presence is where a GVK shows up in the swagger documents.
type presence struct{ first, last int } // 0 when never

func (in *inputs) presence(key string) presence {
	var p presence
	for m := oldestMinor; m <= newestMinor; m++ {
		if in.swagger[m].GVKs[key] {
			if p.first == 0 {
				p.first = m
			}
			p.last = m
		}
	}
	return p
}

// ver turns a swagger minor into a Version (0 = zero Version).
func ver(m int) kubeversion.Version {
	if m == 0 {
		return kubeversion.Version{}
	}
	return kubeversion.Version{Major: 1, Minor: m}
}

// payloadKinds travel in webhook or discovery bodies; nobody applies them.
var payloadKinds = map[string]string{
	"AdmissionReview":   "webhook request/response payload, not a manifest kind",
	"ConversionReview":  "conversion webhook payload, not a manifest kind",
	"APIGroupDiscovery": "discovery document payload, not a manifest kind",
}

// build derives one API entry per GVK (data-sources §A.4).
func build(in *inputs, ov []overlayEntry) ([]kubeversion.API, error) {
	keys := map[string][3]string{}
	for k := range in.tags {
		if g, v, kind, ok := splitGVK(k); ok {
			keys[k] = [3]string{g, v, kind}
		}
	}
	for m := oldestMinor; m <= newestMinor; m++ {
		for k := range in.swagger[m].GVKs {
			if g, v, kind, ok := splitGVK(k); ok {
				keys[k] = [3]string{g, v, kind}
			}
		}
	}
	byKey := map[string]*kubeversion.API{}
	var apis []kubeversion.API
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted) // deterministic warnings
	for _, k := range sorted {
		group, version, kind := keys[k][0], keys[k][1], keys[k][2]
		if strings.HasSuffix(kind, "List") {
			continue
		}
		a := in.derive(k, group, version, kind)
		apis = append(apis, a)
	}
	sortAPIs(apis)
	for i := range apis {
		byKey[apis[i].GVK()] = &apis[i]
	}
	for _, e := range ov {
		a, ok := byKey[e.GVK]
		if !ok {
			if !e.Add {
				return nil, fmt.Errorf("overlay: %s is not in the upstream data (set add: true to create it)", e.GVK)
			}
			g, v, kind, ok := splitGVK(e.GVK)
			if !ok {
				return nil, fmt.Errorf("overlay: bad gvk %q", e.GVK)
			}
			apis = append(apis, kubeversion.API{Group: g, Version: v, Kind: kind})
			sortAPIs(apis)
			byKey = map[string]*kubeversion.API{}
			for i := range apis {
				byKey[apis[i].GVK()] = &apis[i]
			}
			a = byKey[e.GVK]
		}
		if err := apply(a, e); err != nil {
			return nil, err
		}
	}
	for i := range apis {
		a := &apis[i]
		if a.Replacement == "" {
			continue
		}
		if _, ok := byKey[a.Replacement]; !ok {
			return nil, fmt.Errorf("%s: replacement %s is not in the data; fix it in the overlay", a.GVK(), a.Replacement)
		}
	}
	return apis, nil
}

// splitGVK splits "group/version/Kind" (core: "v1/Kind").
func splitGVK(k string) (group, version, kind string, ok bool) {
	parts := strings.Split(k, "/")
	switch len(parts) {
	case 2:
		return "", parts[0], parts[1], parts[1] != ""
	case 3:
		return parts[0], parts[1], parts[2], parts[2] != ""
	}
	return "", "", "", false
}

func (in *inputs) derive(key, group, version, kind string) kubeversion.API {
	t, tagged := in.tags[key]
	p := in.presence(key)
	alpha := strings.Contains(version, "alpha")
	var src []string
	if tagged {
		src = append(src, t.Source+" tags")
	}
	if p.first != 0 {
		if p.first == p.last {
			src = append(src, fmt.Sprintf("swagger 1.%d", p.first))
		} else {
			src = append(src, fmt.Sprintf("swagger 1.%d-1.%d", p.first, p.last))
		}
		for m := p.first; m <= p.last; m++ {
			if !in.swagger[m].GVKs[key] {
				warnf("%s: missing from swagger 1.%d inside 1.%d-1.%d", key, m, p.first, p.last)
			}
		}
	}
	a := kubeversion.API{Group: group, Version: version, Kind: kind}

	// Introduced: swagger tells from 1.16 on; older releases only by tag.
	switch {
	case tagged && !t.Introduced.IsZero() && t.Introduced.Minor < oldestMinor:
		a.Introduced = t.Introduced
	case p.first > oldestMinor:
		a.Introduced = ver(p.first)
		if tagged && !t.Introduced.IsZero() && t.Introduced.Minor != p.first {
			warnf("%s: tag says introduced %s, swagger first 1.%d (swagger wins)", key, t.Introduced, p.first)
		}
	case tagged:
		a.Introduced = t.Introduced
	}

	// Removed: tags are enforced by the apiserver for betas; for alphas they
	// are defaults (deprecated+3), so swagger presence wins.
	stillServed := p.last == newestMinor
	swRemoved := 0
	if p.last != 0 && !stillServed {
		swRemoved = p.last + 1
	}
	switch {
	case alpha && swRemoved != 0:
		a.Removed = ver(swRemoved)
		if tagged && !t.Removed.IsZero() && t.Removed.Minor != swRemoved {
			warnf("%s: alpha tag says removed %s, swagger last 1.%d (swagger wins)", key, t.Removed, p.last)
		}
	case tagged && !t.Removed.IsZero():
		a.Removed = t.Removed
		switch {
		case swRemoved != 0 && swRemoved != t.Removed.Minor:
			warnf("%s: tag says removed %s, swagger last 1.%d (tag wins)", key, t.Removed, p.last)
		case stillServed && t.Removed.Minor <= newestMinor:
			warnf("%s: tag says removed %s but swagger 1.%d still has it", key, t.Removed, newestMinor)
		}
	case swRemoved != 0:
		a.Removed = ver(swRemoved)
	}

	if tagged {
		a.Deprecated = t.Deprecated
		if !a.Removed.IsZero() && a.Removed.Less(a.Deprecated) {
			a.Deprecated = kubeversion.Version{}
		}
		a.Replacement = t.Replacement
		// Upstream bug: some tags name the List type as the replacement.
		if a.Replacement != "" && strings.HasSuffix(a.Replacement, "List") && !strings.HasSuffix(kind, "List") {
			a.Replacement = strings.TrimSuffix(a.Replacement, "List")
		}
	}

	if a.Deprecated.IsZero() && p.last != 0 {
		if n, ok := in.swagger[p.last].Deprecated[key]; ok {
			a.Deprecated = ver(n)
			src = append(src, fmt.Sprintf("swagger 1.%d description", p.last))
		}
	}

	a.NotServed = p.first == 0 // never in any release's OpenAPI paths
	a.DefaultOff = in.defaultOff(key, group, version, kind, a.Removed, p)
	a.Notes = payloadKinds[kind]
	a.Source = strings.Join(src, "; ")
	return a
}

// defaultOff looks at the last covered release that served the GVK.
func (in *inputs) defaultOff(key, group, version, kind string, removed kubeversion.Version, p presence) bool {
	alpha := strings.Contains(version, "alpha")
	last := p.last
	if !removed.IsZero() && removed.Minor-1 < last {
		last = removed.Minor - 1
	}
	if p.first == 0 || last < p.first || last < oldestMinor {
		return alpha
	}
	for m := last; m >= p.first; m-- {
		if !in.swagger[m].GVKs[key] {
			continue
		}
		on, known := in.enabled[m].defaultOn(group, version, kind, in.swagger[m])
		if !known {
			return alpha
		}
		return !on
	}
	return alpha
}

func apply(a *kubeversion.API, e overlayEntry) error {
	set := func(dst *kubeversion.Version, s string) error {
		switch s {
		case "":
			return nil
		case "none":
			*dst = kubeversion.Version{}
			return nil
		}
		v, err := kubeversion.Parse(s)
		if err != nil {
			return fmt.Errorf("overlay %s: %w", e.GVK, err)
		}
		*dst = v
		return nil
	}
	if err := set(&a.Introduced, e.Introduced); err != nil {
		return err
	}
	if err := set(&a.Deprecated, e.Deprecated); err != nil {
		return err
	}
	if err := set(&a.Removed, e.Removed); err != nil {
		return err
	}
	switch e.Replacement {
	case "":
	case "none":
		a.Replacement = ""
	default:
		a.Replacement = e.Replacement
	}
	if e.Notes != "" {
		a.Notes = e.Notes
	}
	if e.DefaultOff != nil {
		a.DefaultOff = *e.DefaultOff
	}
	if e.NotServed != nil {
		a.NotServed = *e.NotServed
	}
	if a.Source == "" {
		a.Source = e.Cite
	} else {
		a.Source += "; " + e.Cite
	}
	return nil
}
