package bindtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/miekg/dns"
)

// writeConfig writes named.conf and one zone file per zone.
func (s *Server) writeConfig(zones []string) error {
	var keys, keyRefs strings.Builder
	for _, alg := range Algorithms {
		k := s.Keys[alg]
		fmt.Fprintf(&keys, "key %q {\n\talgorithm %s;\n\tsecret %q;\n};\n", k.Name, k.Algorithm, k.Secret)
		fmt.Fprintf(&keyRefs, "key %q; ", k.Name)
	}
	var conf strings.Builder
	fmt.Fprintf(&conf, `options {
	directory %[1]q;
	pid-file %[2]q;
	session-keyfile %[3]q;
	managed-keys-directory %[1]q;
	listen-on port %[4]d { 127.0.0.1; };
	listen-on-v6 { none; };
	recursion no;
	dnssec-validation no;
	notify no;
	allow-transfer { %[5]s};
};
controls { };
%[6]s`, s.Dir, filepath.Join(s.Dir, "named.pid"), filepath.Join(s.Dir, "session.key"), s.Port, keyRefs.String(), keys.String())
	for _, z := range zones {
		name := strings.TrimSuffix(strings.ToLower(z), ".")
		file := filepath.Join(s.Dir, name+".db")
		if err := os.WriteFile(file, []byte(zoneFile(name)), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(&conf, "zone %q {\n\ttype primary;\n\tfile %q;\n\tallow-update { %s};\n};\n", name, file, keyRefs.String())
	}
	return os.WriteFile(filepath.Join(s.Dir, "named.conf"), []byte(conf.String()), 0o644)
}

// zoneFile is an empty zone: SOA and one NS outside it, so no address
// records exist until a test or the operator writes them.
func zoneFile(zone string) string {
	origin := dns.Fqdn(zone)
	return fmt.Sprintf(`$ORIGIN %[1]s
$TTL 300
@	IN	SOA	ns.invalid. hostmaster.%[1]s 1 3600 600 86400 60
@	IN	NS	ns.invalid.
`, origin)
}
