package main

import (
	"fmt"
	"regexp"
	"strings"
)

// prometheusOperatorVersion is the newest release the proxy serves whose
// Documentation/getting-started/compatibility.md is read.
var prometheusOperatorVersion = "v0.94.1"

var (
	// "prometheus-operator >= v0.84.0 requires Kubernetes >= v1.25.0"
	promopFromRE = regexp.MustCompile(`>=\s*v([0-9]+\.[0-9]+\.[0-9]+)\s+requires Kubernetes\s*>=\s*v(1\.[0-9]+)`)
	// "Releases before v0.84.0 require Kubernetes >= v1.16.0"
	promopBeforeRE = regexp.MustCompile(`(?i)releases before\s+v([0-9]+\.[0-9]+\.[0-9]+)\s+require Kubernetes\s*>=\s*v(1\.[0-9]+)`)
	// "(or v1.23.0 with the CustomResourceValidationExpressions feature gate enabled)"
	promopGateRE = regexp.MustCompile("or v(1\\.[0-9]+)\\.[0-9]+ with the `?([A-Za-z]+)`? feature gate")
)

// promopRows reads the minimum Kubernetes versions the compatibility
// document states, with the line each comes from.
func promopRows(doc string) ([]row, error) {
	var rows []row
	for i, l := range strings.Split(doc, "\n") {
		if m := promopFromRE.FindStringSubmatch(l); m != nil {
			r := row{Versions: ">=" + m[1], Kind: "minimum", K8sMin: m[2], Source: fmt.Sprintf(":%d", i+1)}
			if g := promopGateRE.FindStringSubmatch(l); g != nil {
				r.Note = fmt.Sprintf("%s works with the %s feature gate", g[1], g[2])
			}
			rows = append(rows, r)
		}
		if m := promopBeforeRE.FindStringSubmatch(l); m != nil {
			rows = append(rows, row{Versions: "<" + m[1], Kind: "minimum", K8sMin: m[2], Source: fmt.Sprintf(":%d", i+1)})
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("no Kubernetes requirement found")
	}
	return rows, nil
}

func genPrometheusOperator(f *fetcher) (*file, error) {
	const mod = "github.com/prometheus-operator/prometheus-operator"
	const path = "Documentation/getting-started/compatibility.md"
	b, err := f.read(mod, prometheusOperatorVersion, path)
	if err != nil {
		return nil, err
	}
	date, err := f.date(mod, prometheusOperatorVersion)
	if err != nil {
		return nil, err
	}
	rows, err := promopRows(string(b))
	if err != nil {
		return nil, fmt.Errorf("prometheus-operator %s: %w", prometheusOperatorVersion, err)
	}
	for i := range rows {
		rows[i].Source = mod + "@" + prometheusOperatorVersion + ":" + path + rows[i].Source
		rows[i].AsOf, rows[i].Verified = date, true
	}
	fl := &file{
		header: `Prometheus Operator: the minimum Kubernetes versions stated in
Documentation/getting-started/compatibility.md of the pinned release. Anything
beyond follows the client-go matrix, best effort, so rows are minimums.`,
		addon: map[string]any{
			"name":        "prometheus-operator",
			"description": "Prometheus Operator (also installed by kube-prometheus-stack)",
			"url":         "https://prometheus-operator.dev",
			"detect": map[string]any{
				"images":    []string{"prometheus-operator/prometheus-operator", "coreos/prometheus-operator", "prometheus-operator/prometheus-config-reloader"},
				"charts":    []map[string]any{{"name": "kube-prometheus-stack"}, {"name": "prometheus-operator"}},
				"names":     []string{"prometheus-operator", "kube-prometheus-stack-prometheus-operator"},
				"crdGroups": []string{"monitoring.coreos.com"},
			},
		},
		rows:       rows,
		provenance: []string{mod + "@" + prometheusOperatorVersion},
	}
	return fl, nil
}
