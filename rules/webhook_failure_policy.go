package rules

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/labels"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// WebhookFailurePolicy flags admission webhooks that can block kube-system.
var WebhookFailurePolicy = &Rule{
	ID:       "webhook-failure-policy",
	Title:    "admission webhook can block the cluster during upgrade",
	Severity: model.SeverityWarning,
	Summary:  "An admission webhook fails closed without excluding kube-system, or waits longer than 10 seconds, so an unavailable webhook can block the upgrade.",
	Doc: `During an upgrade the webhook's own pods are evicted and rescheduled like every other pod.
While no replica answers, the API server applies the webhook's failurePolicy: with Fail (the
default in admissionregistration.k8s.io/v1) every request the webhook matches is rejected. If
those requests include kube-system (CoreDNS, CNI and CSI pods, kube-proxy, controllers), the
components the webhook needs to come back cannot start either, and the cluster deadlocks. Long
timeouts make every matching request wait; the API server's own budget is 30 seconds.

A webhook is reported when its effective failurePolicy is Fail (v1beta1 defaulted to Ignore)
and its namespaceSelector matches kube-system (judged by the kubernetes.io/metadata.name label
that every namespace carries) and its objectSelector matches objects without labels, unless
all its rules are for custom API groups. It is also reported when timeoutSeconds, or its
default (10 seconds in v1, 30 in v1beta1), is above 10.`,
	Remediation: "Exclude kube-system with a namespaceSelector such as kubernetes.io/metadata.name NotIn [kube-system], or set failurePolicy: Ignore where a missed check is acceptable; keep timeoutSeconds at 10 or below and run the webhook with several replicas and a PodDisruptionBudget.",
	Tags:        []string{"admission", "availability", "upgrade"},
	Kinds:       []string{"ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"},
	Check: func(p *Pass) {
		if p.Object.Group() != "admissionregistration.k8s.io" {
			return
		}
		beta := p.Object.Version() == "v1beta1"
		hooks, _ := p.Object.Data["webhooks"].([]any)
		for i, it := range hooks {
			h, ok := it.(map[string]any)
			if !ok {
				continue
			}
			base := model.JoinIndex("webhooks", i)
			name, _ := h["name"].(string)
			checkWebhookPolicy(p, h, base, name, beta)
			checkWebhookTimeout(p, h, base, name, beta)
		}
	},
}

var kubeSystemLabels = labels.Set{"kubernetes.io/metadata.name": "kube-system"}

func checkWebhookPolicy(p *Pass, h map[string]any, base, name string, beta bool) {
	policy, set := h["failurePolicy"].(string)
	path := base + ".failurePolicy"
	how := "failurePolicy Fail"
	if !set {
		if beta {
			return // v1beta1 defaulted to Ignore
		}
		policy, path, how = "Fail", base, "failurePolicy defaults to Fail"
	}
	if policy != "Fail" || !interceptsBuiltins(h) {
		return
	}
	ns, err := labelSelector(orEmpty(h, "namespaceSelector"))
	if err != nil || !ns.Matches(kubeSystemLabels) {
		return
	}
	obj, err := labelSelector(orEmpty(h, "objectSelector"))
	if err != nil || !obj.Matches(labels.Set{}) {
		return
	}
	if mc := fmt.Sprint(h["matchConditions"]); strings.Contains(mc, "kube-system") {
		return
	}
	p.Report(Diagnostic{Path: path, Key: name,
		Message: fmt.Sprintf("webhook %q fails closed (%s) and its selectors do not exclude kube-system; while its pods are rescheduled during the upgrade the API server rejects matching requests in kube-system too, which can keep cluster components from starting", name, how)})
}

func checkWebhookTimeout(p *Pass, h map[string]any, base, name string, beta bool) {
	path := base + ".timeoutSeconds"
	timeout, ok := intValue(h["timeoutSeconds"])
	if _, set := h["timeoutSeconds"]; !set {
		if !beta {
			return
		}
		timeout, ok, path = 30, true, base
	}
	if !ok || timeout <= 10 {
		return
	}
	p.Report(Diagnostic{Path: path, Key: name + "/timeout",
		Message: fmt.Sprintf("webhook %q waits up to %d seconds; while its pods are rescheduled during the upgrade every matching request hangs that long, so keep timeoutSeconds at 10 or below", name, timeout)})
}

// orEmpty returns h[key], treating a missing selector as the empty selector
// (which the API server defaults it to: match everything).
func orEmpty(h map[string]any, key string) any {
	if v, ok := h[key]; ok && v != nil {
		return v
	}
	return map[string]any{}
}

// interceptsBuiltins reports whether any rule matches a built-in API group
// (core, *.k8s.io, unqualified groups such as apps, or "*").
func interceptsBuiltins(h map[string]any) bool {
	rules, ok := h["rules"].([]any)
	if !ok || len(rules) == 0 {
		return true
	}
	for _, it := range rules {
		r, _ := it.(map[string]any)
		groups, _ := r["apiGroups"].([]any)
		if len(groups) == 0 {
			return true
		}
		for _, g := range groups {
			s, _ := g.(string)
			if s == "" || s == "*" || !strings.Contains(s, ".") || strings.HasSuffix(s, ".k8s.io") {
				return true
			}
		}
	}
	return false
}
