package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// swaggerInfo is what one release's OpenAPI document says about served APIs.
type swaggerInfo struct {
	// GVKs the code base can serve (the spec is generated with every API
	// enabled, alpha included).
	GVKs map[string]bool
	// Kinds maps "group/version/resource" to the kind stored there, to turn
	// resource-level enablement into kinds.
	Kinds map[string]string
	// Deprecated holds the release named by "Deprecated: This API is
	// deprecated in v1.N+" in a definition's description (GA kinds carry no
	// deprecation tag, e.g. core/v1 ComponentStatus and Endpoints).
	Deprecated map[string]int
}

type swaggerGVK struct {
	Group   string `json:"group"`
	Version string `json:"version"`
	Kind    string `json:"kind"`
}

func (g swaggerGVK) String() string { return gvk(g.Group, g.Version, g.Kind) }

type swaggerDoc struct {
	Paths       map[string]map[string]json.RawMessage `json:"paths"`
	Definitions map[string]struct {
		Description string       `json:"description"`
		GVKs        []swaggerGVK `json:"x-kubernetes-group-version-kind"`
	} `json:"definitions"`
}

var deprecatedIn = regexp.MustCompile(`Deprecated: This API is deprecated in v1\.(\d+)\+`)

type swaggerOp struct {
	GVK *swaggerGVK `json:"x-kubernetes-group-version-kind"`
}

// parseSwagger collects the GVKs of every operation. Definitions only
// contribute deprecation notes: their GVK lists also name DeleteOptions and
// WatchEvent for every group version, which are not kinds anyone writes.
func parseSwagger(name string, b []byte) (*swaggerInfo, error) {
	var doc swaggerDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	info := &swaggerInfo{GVKs: map[string]bool{}, Kinds: map[string]string{}, Deprecated: map[string]int{}}
	for _, d := range doc.Definitions {
		m := deprecatedIn.FindStringSubmatch(d.Description)
		if m == nil {
			continue
		}
		n, err := strconv.Atoi(m[1])
		if err != nil {
			continue
		}
		for _, g := range d.GVKs {
			if !strings.HasSuffix(g.Kind, "List") {
				info.Deprecated[g.String()] = n
			}
		}
	}
	for p, ops := range doc.Paths {
		for method, raw := range ops {
			if method == "parameters" {
				continue
			}
			var op swaggerOp
			if err := json.Unmarshal(raw, &op); err != nil || op.GVK == nil {
				continue
			}
			g := *op.GVK
			if g.Kind == "" || strings.HasSuffix(g.Kind, "List") {
				continue
			}
			info.GVKs[g.String()] = true
			if gv, res, ok := resourceOf(p); ok && gv == gvk(g.Group, g.Version, "") {
				info.Kinds[gv+res] = g.Kind
			}
		}
	}
	return info, nil
}

// resourceOf splits "/apis/G/V/[namespaces/{namespace}/]R[/{name}]" into
// "G/V/" and R; subresource and watch paths are rejected.
func resourceOf(p string) (gv, res string, ok bool) {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	switch {
	case len(parts) >= 3 && parts[0] == "api":
		gv, parts = parts[1]+"/", parts[2:]
	case len(parts) >= 4 && parts[0] == "apis":
		gv, parts = parts[1]+"/"+parts[2]+"/", parts[3:]
	default:
		return "", "", false
	}
	if len(parts) >= 3 && parts[0] == "namespaces" && parts[1] == "{namespace}" {
		parts = parts[2:]
	}
	if len(parts) == 0 || len(parts) > 2 || parts[0] == "watch" || strings.HasPrefix(parts[0], "{") {
		return "", "", false
	}
	if len(parts) == 2 && !strings.HasPrefix(parts[1], "{") {
		return "", "", false
	}
	return gv, parts[0], true
}
