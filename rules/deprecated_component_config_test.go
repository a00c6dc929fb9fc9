package rules

import (
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

const kubeProxyIPVS = `apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
bindAddress: 0.0.0.0
mode: ipvs
`

const kubeProxyConfigMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: kube-proxy
  namespace: kube-system
data:
  config.conf: |
    apiVersion: kubeproxy.config.k8s.io/v1alpha1
    kind: KubeProxyConfiguration
    mode: "ipvs"
  kubeconfig.conf: |
    apiVersion: v1
    kind: Config
`

const kubeadmConfigMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: kubeadm-config
  namespace: kube-system
data:
  ClusterConfiguration: |
    apiVersion: kubeadm.k8s.io/v1beta3
    kind: ClusterConfiguration
    kubernetesVersion: v1.30.2
`

const admissionConfig = `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: ValidatingAdmissionWebhook
  configuration:
    apiVersion: apiserver.config.k8s.io/v1alpha1
    kind: WebhookAdmissionConfiguration
    kubeConfigFile: /etc/kubernetes/webhook.kubeconfig
`

var deprecatedComponentConfigCases = []ruleCase{
	{name: "ipvs before 1.35", target: "1.34", files: []string{kubeProxyIPVS}},
	{name: "ipvs at 1.35", target: "1.35", files: []string{kubeProxyIPVS},
		want: []want{{"", "mode", "kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration: mode ipvs is deprecated since Kubernetes 1.35; use mode nftables"}}},
	{name: "nftables is fine", target: "1.37", files: []string{"apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: nftables\n"}},
	{name: "ipvs inside the kube-proxy ConfigMap", target: "1.36", files: []string{kubeProxyConfigMap},
		want: []want{{"kube-proxy", `data["config.conf"]`, `KubeProxyConfiguration in ConfigMap key "config.conf": mode ipvs is deprecated since Kubernetes 1.35`}}},
	{name: "kubeadm v1beta3 in kubeadm-config, deprecated", target: "1.33", files: []string{kubeadmConfigMap},
		want: []want{{"kubeadm-config", "data.ClusterConfiguration", `kubeadm.k8s.io/v1beta3 ClusterConfiguration in ConfigMap key "ClusterConfiguration" is deprecated since Kubernetes 1.31 and removed in 1.37; use kubeadm.k8s.io/v1beta4 ClusterConfiguration`}}},
	{name: "kubeadm v1beta3 in kubeadm-config, removed", target: "1.37", files: []string{kubeadmConfigMap},
		want: []want{{"kubeadm-config", "data.ClusterConfiguration", "is removed in Kubernetes 1.37"}}},
	{name: "top-level kubeadm v1beta3 is left to removed-api", target: "1.37", files: []string{"apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n"}},
	{name: "no mode before 1.37", target: "1.36", files: []string{"apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nbindAddress: 0.0.0.0\n"}},
	{name: "no mode at 1.37", target: "1.37", files: []string{"apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: \"\"\n"},
		want: []want{{"", "", "KubeProxyConfiguration without mode is deprecated since Kubernetes 1.37; use an explicit mode (iptables, nftables)"}}},
	{name: "kubelet streamingConnectionIdleTimeout", target: "1.34", files: []string{"apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nstreamingConnectionIdleTimeout: 4h\n"},
		want: []want{{"", "streamingConnectionIdleTimeout", "KubeletConfiguration: streamingConnectionIdleTimeout is deprecated since Kubernetes 1.34 (the kubelet ignores it"}}},
	{name: "nested webhook admission v1alpha1 removed", target: "1.36", files: []string{admissionConfig},
		want: []want{{"", "plugins[0].configuration", `WebhookAdmissionConfiguration of admission plugin "ValidatingAdmissionWebhook" is removed in Kubernetes 1.36; use apiserver.config.k8s.io/v1 WebhookAdmissionConfiguration`}}},
	{name: "a script mentioning apiVersion is not a config", target: "1.37", files: []string{"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\ndata:\n  run.sh: |\n    echo apiVersion kind: {{ broken\n"}},
	{name: "embedded manifests of served APIs are not judged here", target: "1.37", files: []string{"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\ndata:\n  d.yaml: |\n    apiVersion: extensions/v1beta1\n    kind: Deployment\n"}},
}

func TestDeprecatedComponentConfig(t *testing.T) {
	if fired, clean := runCases(t, DeprecatedComponentConfig, deprecatedComponentConfigCases); fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", DeprecatedComponentConfig.ID, fired, clean)
	}
}

// TestDeprecatedComponentConfigSeverityAndLine: removed settings are errors,
// deprecated ones warnings, located at the line of their key.
func TestDeprecatedComponentConfigSeverityAndLine(t *testing.T) {
	fs := runRule(t, DeprecatedComponentConfig, "1.37", nil, decodeFiles(t, []string{kubeProxyConfigMap, kubeadmConfigMap}))
	if len(fs) != 2 {
		t.Fatalf("%d findings, want 2: %+v", len(fs), fs)
	}
	if f := fs[0]; f.File != "file0.yaml" || f.Line != 7 || f.Severity != model.SeverityWarning {
		t.Errorf("kube-proxy finding at %s:%d severity %v, want file0.yaml:7 warning", f.File, f.Line, f.Severity)
	}
	if f := fs[1]; f.File != "file1.yaml" || f.Line != 7 || f.Severity != model.SeverityError {
		t.Errorf("kubeadm finding at %s:%d severity %v, want file1.yaml:7 error", f.File, f.Line, f.Severity)
	}
}
