package node

import (
	"os"
	"testing"

	"github.com/ddns-operator/ddns-operator/test/node/cluster"
)

func TestMain(m *testing.M) {
	// The node's supervisor is this binary started again; see the
	// cluster package.
	cluster.RunSupervisorIfAsked()
	os.Exit(m.Run())
}
