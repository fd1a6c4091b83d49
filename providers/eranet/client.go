// Package eranet is the DNS provider for Eranet, the international brand
// of 时代互联 Now.cn, at https://www.eranet.com: the Todaynic platform's
// signed query API, which package todaynic speaks for Now.cn, Eranet and
// TNet alike.
package eranet

import "github.com/ddns-operator/ddns-operator/providers/internal/todaynic"

// Descriptor declares the Eranet provider to the registry.
var Descriptor = todaynic.Descriptor(todaynic.Site{Name: "eranet", Title: "Eranet", Endpoint: "https://www.eranet.com"})
