// Command linkguard is a main package with a heavy import, for the link
// guard's own test (linkguard_test.go): it imports the Tencent Cloud SDK's
// dnspod package, which holds every DNSPod API action. It is never built.
package main

import dnspod "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/dnspod/v20210323"

func main() { _ = dnspod.NewDescribeDomainListRequest() }
