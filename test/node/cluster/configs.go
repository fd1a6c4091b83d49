package cluster

import (
	"bytes"
	"os"
	"text/template"
)

// The node's addresses. They exist only inside the node's network
// namespace, which has no route to anywhere else (its only interfaces are
// loopback and the pods' bridge; the default route is a blackhole):
// nothing the node does can send a packet off this machine.
const (
	// NodeName is the Node object's name.
	NodeName = "ddns-node"
	// NodeIP is the node's address, on its loopback: the API
	// server advertises it, and the test's servers (echo, DNS relay)
	// listen on it, so pods reach them through the pod network.
	NodeIP = "10.200.0.1"
	// PodCIDR is the pods' network on the bridge cni0, gateway .1.
	PodCIDR = "10.201.0.0/24"
	// ServiceCIDR holds ClusterIPs; the kubernetes Service gets .1.
	ServiceCIDR = "10.202.0.0/24"
	// APIServiceIP is the kubernetes Service's ClusterIP, which pods
	// reach through kube-proxy's nftables rules.
	APIServiceIP = "10.202.0.1"
	// PauseImage is the sandbox image, built by the harness and pinned.
	PauseImage = "localhost/ddns-node/pause:1"
)

// configData fills the templates below.
type configData struct {
	Dir, Bin, Runc, CNIBin, CgroupRoot string
	CA, KubeletKubeconfig              string
	NodeName, NodeIP                   string
	PodCIDR, ServiceCIDR               string
	PauseImage                         string
	ProxyKubeconfig                    string
}

// containerd 2.x configuration (version 3): every path under the node's
// directory, the runc Debian ships, Debian's CNI plugins, our pause
// image pinned (no registry is reachable), NRI off.
const containerdConfig = `version = 3
root = "{{.Dir}}/containerd/root"
state = "{{.Dir}}/containerd/state"

[grpc]
  address = "{{.Dir}}/containerd/containerd.sock"

[ttrpc]
  address = "{{.Dir}}/containerd/containerd-ttrpc.sock"

[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "{{.Dir}}/containerd/opt"

[plugins."io.containerd.nri.v1.nri"]
  disable = true

[plugins."io.containerd.grpc.v1.cri"]
  disable_tcp_service = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"

[plugins."io.containerd.cri.v1.runtime"]
  enable_selinux = false
  netns_mounts_under_state_dir = true
  # Machines like this one drop CAP_SYS_RESOURCE, so no process may lower
  # its oom_score_adj; the kubelet asks -998 for sandboxes. Keep every
  # container at or above containerd's own score, as rootless setups do.
  restrict_oom_score_adj = true
  [plugins."io.containerd.cri.v1.runtime".containerd]
    default_runtime_name = "runc"
    [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]
        BinaryName = "{{.Runc}}"
        SystemdCgroup = false
  [plugins."io.containerd.cri.v1.runtime".cni]
    bin_dirs = ["{{.CNIBin}}"]
    conf_dir = "{{.Dir}}/cni/net.d"

[plugins."io.containerd.cri.v1.images"]
  snapshotter = "overlayfs"
  [plugins."io.containerd.cri.v1.images".pinned_images]
    sandbox = "{{.PauseImage}}"
`

// The pods' network: a bridge with host-local addresses, no masquerade
// (nothing leaves the namespace).
const cniConfig = `{
  "cniVersion": "1.0.0",
  "name": "ddns-node",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "{{.Dir}}/cni/ipam",
        "ranges": [[{"subnet": "{{.PodCIDR}}"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    }
  ]
}
`

// kubelet configuration. failCgroupV1: false is what lets kubelet >= 1.35
// run on this cgroup v1 host; everything else keeps it inside the node's
// directory and cgroup.
const kubeletConfig = `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: {{.CgroupRoot}}
containerRuntimeEndpoint: unix://{{.Dir}}/containerd/containerd.sock
address: {{.NodeIP}}
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: {{.CA}}}
authorization:
  mode: Webhook
clusterDomain: cluster.local
clusterDNS: [{{.NodeIP}}]
resolvConf: {{.Dir}}/resolv.conf
podLogsDir: {{.Dir}}/var-log/pods
failSwapOn: false
memorySwap: {swapBehavior: NoSwap}
evictionHard:
  memory.available: 100Mi
  nodefs.available: 1%
  nodefs.inodesFree: 1%
  imagefs.available: 1%
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
rotateCertificates: false
serverTLSBootstrap: false
registerNode: true
maxPods: 110
nodeStatusUpdateFrequency: 5s
syncFrequency: 10s
fileCheckFrequency: 10s
logging:
  format: text
`

// kube-proxy in nftables mode (no iptables needed), confined to the
// namespace; conntrack limits are the machine's, so left alone.
const kubeProxyConfig = `apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: nftables
clientConnection:
  kubeconfig: {{.ProxyKubeconfig}}
hostnameOverride: {{.NodeName}}
clusterCIDR: {{.PodCIDR}}
bindAddress: {{.NodeIP}}
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
`

func writeTemplate(path, text string, data configData) error {
	t, err := template.New(path).Option("missingkey=error").Parse(text)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
