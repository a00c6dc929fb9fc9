package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// DeprecatedComponentConfig flags deprecated or removed settings of the
// configuration files of Kubernetes components (kube-proxy, kubelet,
// kube-apiserver admission, kubeadm), as files of their own or embedded in
// ConfigMaps.
var DeprecatedComponentConfig = &Rule{
	ID:       "deprecated-component-config",
	Title:    "deprecated or removed component configuration",
	Severity: model.SeverityWarning,
	Summary:  "A kube-proxy, kubelet, admission or kubeadm configuration, as a file or inside a ConfigMap, uses a setting or API version that is deprecated or removed at the target version.",
	Doc: `Components read configuration files that are not served by the API server, so the API
lifecycle checks never see them when they sit in a ConfigMap: kubeadm keeps its
ClusterConfiguration in the kube-system/kubeadm-config ConfigMap and kube-proxy reads its
KubeProxyConfiguration from the kube-system/kube-proxy ConfigMap (key config.conf). When such a
setting goes away, the component fails to start or silently falls back after the upgrade.

The rule reads configuration documents at the top level of a file and inside ConfigMap values
(every value that is a YAML document with an apiVersion and a kind; values over 1 MiB are
skipped), and reports:

- kube-proxy mode ipvs (KubeProxyConfiguration mode), deprecated in 1.35 in favour of nftables
  (GA since 1.33) or iptables, and from 1.37 a KubeProxyConfiguration without a mode, because
  the default on Linux is announced to switch from iptables to nftables;
- the kubelet's streamingConnectionIdleTimeout (KubeletConfiguration), deprecated in 1.34;
- apiserver.config.k8s.io/v1alpha1 WebhookAdmissionConfiguration, removed in 1.36, also when
  nested in an AdmissionConfiguration's plugins;
- inside ConfigMaps, any configuration API version the API lifecycle data marks deprecated or
  removed (kubeadm.k8s.io/v1beta3 is removed in 1.37; top-level documents of those APIs are
  reported by removed-api and deprecated-api instead).

Removed settings are reported as errors from the release that removes them, deprecated ones as
warnings from the release that deprecates them. Each fact names its CHANGELOG source in
rules/deprecated_component_config.go.`,
	Remediation: "Move to the replacement named in the message before upgrading: for kube-proxy set mode nftables (or iptables on older kernels), for kubeadm run kubeadm config migrate, for the admission configuration use apiserver.config.k8s.io/v1.",
	Tags:        []string{"deprecation", "component-config", "upgrade"},
	Check: func(p *Pass) {
		o := p.Object
		if o.Kind == "ConfigMap" && o.Group() == "" {
			checkConfigMapConfigs(p, o)
			return
		}
		checkComponentDoc(p, componentDoc{apiVersion: o.APIVersion, kind: o.Kind, data: o.Data}, "", "", false)
	},
}

// componentFact is one deprecated or removed component configuration
// setting (field set, value set) or API (field empty).
type componentFact struct {
	apiVersion, kind string
	field, value     string
	// unset: the fact is about field being absent or empty.
	unset               bool
	deprecated, removed string
	replacement, note   string
	source              string
}

// componentFacts were verified in the CHANGELOGs inside the k8s.io/kubernetes
// module zips; the line numbers are of those copies.
var componentFacts = []componentFact{
	{apiVersion: "kubeproxy.config.k8s.io/v1alpha1", kind: "KubeProxyConfiguration", field: "mode", value: "ipvs", deprecated: "1.35",
		replacement: "mode nftables (GA since 1.33, needs a recent kernel) or iptables",
		note:        "kubeadm warns about it from 1.37, and 1.37 adds the KubeProxyIPVS feature gate to switch the mode off",
		source:      "CHANGELOG-1.35.md:550 (k8s.io/kubernetes@v1.35.4); CHANGELOG-1.37.md:346,464 (k8s.io/kubernetes@v1.37.2)"},
	{apiVersion: "kubeproxy.config.k8s.io/v1alpha1", kind: "KubeProxyConfiguration", field: "mode", unset: true, deprecated: "1.37",
		replacement: "an explicit mode (iptables, nftables)",
		note:        "kube-proxy warns from 1.37 that the default mode on Linux will switch from iptables to nftables in a future release",
		source:      "CHANGELOG-1.37.md:443 (k8s.io/kubernetes@v1.37.2)"},
	{apiVersion: "kubelet.config.k8s.io/v1beta1", kind: "KubeletConfiguration", field: "streamingConnectionIdleTimeout", deprecated: "1.34",
		note:   "the kubelet ignores it: it no longer has any effect; delete it",
		source: "CHANGELOG-1.34.md:619 (k8s.io/kubernetes@v1.34.4); k8s.io/kubelet@v0.34.0 config/v1beta1/types.go:304 (absent @v0.33.0)"},
	{apiVersion: "apiserver.config.k8s.io/v1alpha1", kind: "WebhookAdmissionConfiguration", deprecated: "1.17", removed: "1.36",
		replacement: "apiserver.config.k8s.io/v1 WebhookAdmissionConfiguration",
		source:      "CHANGELOG-1.36.md:780 (k8s.io/kubernetes@v1.36.3)"},
}

// componentDoc is one configuration document: a top-level object, a
// ConfigMap value or a nested plugin configuration.
type componentDoc struct {
	apiVersion, kind string
	data             map[string]any
}

// maxEmbeddedConfig bounds the ConfigMap values decoded as YAML.
const maxEmbeddedConfig = 1 << 20

func checkConfigMapConfigs(p *Pass, o *model.Object) {
	data, _ := o.Data["data"].(map[string]any)
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s, ok := data[k].(string)
		if !ok || len(s) > maxEmbeddedConfig || !strings.Contains(s, "apiVersion") || !strings.Contains(s, "kind") {
			continue
		}
		path := model.JoinKey("data", k)
		dec := yaml.NewDecoder(bytes.NewReader([]byte(s)))
		for i := 0; ; i++ {
			var doc map[string]any
			err := dec.Decode(&doc)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				// Not YAML (a script, a template): not a configuration file.
				break
			}
			av, _ := doc["apiVersion"].(string)
			kind, _ := doc["kind"].(string)
			if av == "" || kind == "" {
				continue
			}
			where := fmt.Sprintf("%s in ConfigMap key %q", kind, k)
			checkComponentDoc(p, componentDoc{apiVersion: av, kind: kind, data: doc}, path, where, true)
		}
	}
}

// checkComponentDoc reports the facts that apply to d. path locates the
// document inside the object ("" for the object itself); where names it in
// messages when embedded.
func checkComponentDoc(p *Pass, d componentDoc, path, where string, embedded bool) {
	subject := d.apiVersion + " " + d.kind
	if where != "" {
		subject = d.apiVersion + " " + where
	}
	for i := range componentFacts {
		f := &componentFacts[i]
		if f.apiVersion != d.apiVersion || f.kind != d.kind {
			continue
		}
		fieldPath := path
		what := subject
		if f.unset {
			if v, _ := d.data[f.field].(string); v != "" {
				continue
			}
			what = fmt.Sprintf("%s without %s", subject, f.field)
		} else if f.field != "" {
			v, ok := d.data[f.field]
			if !ok {
				continue
			}
			if f.value != "" {
				if s, _ := v.(string); !strings.EqualFold(s, f.value) {
					continue
				}
				what = fmt.Sprintf("%s: %s %s", subject, f.field, f.value)
			} else {
				what = fmt.Sprintf("%s: %s", subject, f.field)
			}
			if path == "" {
				fieldPath = f.field
			}
		}
		reportComponentFact(p, fieldPath, what, kubeversion.MustParse(f.deprecated), optVersion(f.removed), f.replacement, f.note)
	}
	if embedded && isConfigAPI(d.apiVersion) {
		// Embedded documents are invisible to removed-api and deprecated-api:
		// judge their API version with the lifecycle data here.
		if a, ok := p.Lifecycle.Lookup(d.apiVersion, d.kind); ok {
			repl := ""
			if av, k := a.ReplacementAPIVersion(); av != "" {
				repl = av + " " + k
			}
			reportComponentFact(p, path, subject, a.Deprecated, a.Removed, repl, a.Notes)
		}
	}
	// Admission plugin configurations nest their own documents.
	if d.kind == "AdmissionConfiguration" && strings.HasPrefix(d.apiVersion, "apiserver.config.k8s.io/") {
		plugins, _ := d.data["plugins"].([]any)
		for i, pl := range plugins {
			m, _ := pl.(map[string]any)
			c, _ := m["configuration"].(map[string]any)
			av, _ := c["apiVersion"].(string)
			kind, _ := c["kind"].(string)
			if av == "" || kind == "" {
				continue
			}
			name, _ := m["name"].(string)
			sub := path
			if sub == "" {
				sub = model.JoinIndex("plugins", i) + ".configuration"
			}
			checkComponentDoc(p, componentDoc{apiVersion: av, kind: kind, data: c}, sub, fmt.Sprintf("%s of admission plugin %q", kind, name), false)
		}
	}
}

// isConfigAPI reports whether apiVersion is a component configuration API
// (file formats, not served resources); only those are judged when embedded
// in a ConfigMap, where other manifests are often kept as plain text.
func isConfigAPI(apiVersion string) bool {
	group, _, _ := strings.Cut(apiVersion, "/")
	return strings.HasSuffix(group, ".config.k8s.io") || group == "kubeadm.k8s.io" || group == "audit.k8s.io"
}

func optVersion(s string) kubeversion.Version {
	if s == "" {
		return kubeversion.Version{}
	}
	return kubeversion.MustParse(s)
}

func reportComponentFact(p *Pass, path, what string, deprecated, removed kubeversion.Version, replacement, note string) {
	var msg string
	var since kubeversion.Version
	sev := model.SeverityNone
	switch {
	case !removed.IsZero() && p.Target.AtLeast(removed):
		msg = fmt.Sprintf("%s is removed in Kubernetes %s", what, removed)
		since, sev = removed, model.SeverityError
	case !deprecated.IsZero() && p.Target.AtLeast(deprecated):
		msg = fmt.Sprintf("%s is deprecated since Kubernetes %s", what, deprecated)
		if !removed.IsZero() {
			msg += fmt.Sprintf(" and removed in %s", removed)
		}
		since = deprecated
	default:
		return
	}
	if replacement != "" {
		msg += "; use " + replacement
	}
	if note != "" {
		msg += " (" + note + ")"
	}
	p.Report(Diagnostic{Path: path, Key: what, Since: since, Severity: sev, Message: msg})
}
