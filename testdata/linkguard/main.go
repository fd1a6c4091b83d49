// Command linkguard is a main package with a heavy import, for the link
// guard's own test (linkguard_test.go): it imports the Cloudflare SDK's
// root package, which links every Cloudflare service. It is never built.
package main

import cloudflare "github.com/cloudflare/cloudflare-go/v6"

func main() { _ = cloudflare.F("unused") }
