# Test fixture: addons installed by Terraform's Helm provider.
resource "helm_release" "ingress" {
  name       = "ingress-nginx"
  repository = "https://kubernetes.github.io/ingress-nginx"
  chart      = "ingress-nginx"
  version    = "4.7.3" # want "ingress-nginx 1\.8\.4 \(Terraform helm_release \"ingress\" chart ingress-nginx 4\.7\.3 \(chart map\)\) supports Kubernetes 1\.24.1\.27, not 1\.33"
  namespace  = "ingress-nginx"
}

resource "helm_release" "certs" {
  name       = "cert-manager"
  repository = "https://charts.jetstack.io"
  chart      = "cert-manager"
  version    = "v1.18.2"
}

resource "kubernetes_namespace" "apps" {
  metadata {
    name = "apps"
  }
}
