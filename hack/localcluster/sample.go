package main

import (
	"fmt"

	"github.com/ddns-operator/ddns-operator/providers/rfc2136/bindtest"
)

// The local sample: one record in the zone BIND serves for `make run`.
const (
	sampleZone    = "example.test"
	sampleDomain  = "home." + sampleZone
	sampleName    = "local"
	sampleAddress = "81.2.69.160"
)

// sampleYAML is the Secret and record that reach Ready against the BIND
// server dns, with no cloud account and no internet: the provider is
// rfc2136 and the address is static, so nothing leaves the machine.
func sampleYAML(dns *bindtest.Server) string {
	key := dns.Keys["hmac-sha256"]
	return fmt.Sprintf(`# The first record to apply after "make run" (written by make run for this
# run of its local control plane). It reaches Ready with no cloud account and
# no internet:
# - provider rfc2136 updates the BIND 9 server make run started on %[1]s,
#   serving the zone %[2]s; the Secret holds that server's TSIG key, made
#   for this run only;
# - ipSource.static publishes a fixed address instead of the detected public
#   one, so the record does not wait for the internet.
# See the answer with: dig @127.0.0.1 -p %[3]d %[4]s +short
# Change ipSource.static and apply again: DNS follows. Delete the record and
# the name leaves the zone (deletionPolicy: Delete).
apiVersion: v1
kind: Secret
metadata:
  name: local-bind-tsig
  namespace: default
stringData:
  tsigKeyName: %[5]s
  tsigSecret: %[6]s
  tsigAlgorithm: %[7]s
---
apiVersion: ddns.dev/v1alpha1
kind: DynamicDNSRecord
metadata:
  name: %[8]s
  namespace: default
spec:
  domain: %[4]s
  type: A
  ttl: 60
  provider: rfc2136
  rfc2136:
    server: %[1]s
  secretRef:
    name: local-bind-tsig
  ipSource:
    static: %[9]s
  deletionPolicy: Delete
`, dns.Addr, sampleZone, dns.Port, sampleDomain, key.Name, key.Secret, key.Algorithm, sampleName, sampleAddress)
}
