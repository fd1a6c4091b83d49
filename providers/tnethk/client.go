// Package tnethk is the DNS provider for TNet (tnet.hk), a registrar on
// the Todaynic platform, at https://www.tnet.hk: the platform's signed
// query API, which package todaynic speaks for Now.cn, Eranet and TNet
// alike.
package tnethk

import "github.com/ddns-operator/ddns-operator/providers/internal/todaynic"

// Descriptor declares the TNet provider to the registry.
var Descriptor = todaynic.Descriptor(todaynic.Site{Name: "tnethk", Title: "TNet (tnet.hk)", Endpoint: "https://www.tnet.hk"})
