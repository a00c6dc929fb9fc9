package rules

import "testing"

func webhookCfg(apiVersion, kind, hook string) string {
	s := "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata:\n  name: cfg\nwebhooks:\n"
	for i, l := range splitLines(hook) {
		if i == 0 {
			s += "- " + l + "\n"
		} else {
			s += "  " + l + "\n"
		}
	}
	return s
}

const podRules = "rules:\n- apiGroups: [\"\"]\n  apiVersions: [v1]\n  operations: [CREATE]\n  resources: [pods]\nclientConfig:\n  service: {name: wh, namespace: wh}\nadmissionReviewVersions: [v1]\nsideEffects: None"

var webhookFailurePolicyCases = []ruleCase{
	{name: "fail without exclusion", files: []string{webhookCfg("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "name: pods.example.com\nfailurePolicy: Fail\n"+podRules)},
		want: []want{{"cfg", "webhooks[0].failurePolicy", `webhook "pods.example.com" fails closed (failurePolicy Fail) and its selectors do not exclude kube-system`}}},
	{name: "default policy is Fail in v1", files: []string{webhookCfg("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "name: pods.example.com\n"+podRules)},
		want: []want{{"cfg", "webhooks[0]", "failurePolicy defaults to Fail"}}},
	{name: "namespaceSelector excludes kube-system", files: []string{webhookCfg("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "name: pods.example.com\nfailurePolicy: Fail\nnamespaceSelector:\n  matchExpressions:\n  - {key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system]}\n"+podRules)}},
	{name: "opt-in namespace label excludes kube-system", files: []string{webhookCfg("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "name: pods.example.com\nfailurePolicy: Fail\nnamespaceSelector:\n  matchLabels: {webhook: enabled}\n"+podRules)}},
	{name: "opt-out label does not exclude kube-system", files: []string{webhookCfg("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "name: pods.example.com\nfailurePolicy: Fail\nnamespaceSelector:\n  matchExpressions:\n  - {key: webhook-ignore, operator: DoesNotExist}\n"+podRules)},
		want: []want{{"cfg", "webhooks[0].failurePolicy", "do not exclude kube-system"}}},
	{name: "ignore policy is fine", files: []string{webhookCfg("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "name: pods.example.com\nfailurePolicy: Ignore\n"+podRules)}},
	{name: "custom groups only", files: []string{webhookCfg("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "name: certs.example.com\nfailurePolicy: Fail\nrules:\n- apiGroups: [cert-manager.io]\n  apiVersions: [v1]\n  operations: [CREATE]\n  resources: [certificates]")}},
	{name: "long timeout", files: []string{webhookCfg("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "name: pods.example.com\nfailurePolicy: Ignore\ntimeoutSeconds: 30\n"+podRules)},
		want: []want{{"cfg", "webhooks[0].timeoutSeconds", `webhook "pods.example.com" waits up to 30 seconds`}}},
	{name: "v1beta1 defaults Ignore and 30 seconds", files: []string{webhookCfg("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", "name: pods.example.com\n"+podRules)},
		want: []want{{"cfg", "webhooks[0]", "waits up to 30 seconds"}}},
	{name: "templated timeout is skipped", files: []string{webhookCfg("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "name: pods.example.com\nfailurePolicy: Ignore\ntimeoutSeconds: \"{{ .Values.t }}\"\n"+podRules)}},
}

func TestWebhookFailurePolicy(t *testing.T) {
	if fired, clean := runCases(t, WebhookFailurePolicy, webhookFailurePolicyCases); fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", WebhookFailurePolicy.ID, fired, clean)
	}
}
