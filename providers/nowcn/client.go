// Package nowcn is the DNS provider for 时代互联 Now.cn, the registrar's
// DNS API at https://api.now.cn: the Todaynic platform's signed query API,
// which package todaynic speaks for Now.cn, Eranet and TNet alike.
package nowcn

import "github.com/ddns-operator/ddns-operator/providers/internal/todaynic"

// Descriptor declares the Now.cn provider to the registry.
var Descriptor = todaynic.Descriptor(todaynic.Site{Name: "nowcn", Title: "时代互联 Now.cn", Endpoint: "https://api.now.cn"})
