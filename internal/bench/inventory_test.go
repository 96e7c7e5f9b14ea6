package bench

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

// TestInventoryPlan runs only the large-inventory part of the issue-6
// harness (terraform plan of each data source, whole process), a few times,
// so a change to the data sources can be measured in a minute rather than
// with the full five-minute run:
//
//	BIGIQ_BENCH_INVENTORY=3 go test -run InventoryPlan -v ./internal/bench/
//
// The value is the number of repetitions; unset, the test is skipped.
func TestInventoryPlan(t *testing.T) {
	reps, _ := strconv.Atoi(os.Getenv("BIGIQ_BENCH_INVENTORY"))
	if reps < 1 {
		t.Skip("set BIGIQ_BENCH_INVENTORY to the number of repetitions to run it")
	}
	root, err := tfcli.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tf, err := NewTerraform(ctx, root, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for range reps {
		res, err := MeasureInventory(ctx, tf, 10000, 5)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range []struct {
			what string
			run  Run
		}{{fmt.Sprintf("%d devices", res.Devices), res.DevicesPlan}, {fmt.Sprintf("%d apps", res.Apps), res.AppsPlan}} {
			t.Logf("%s: wall %.2f s, provider peak %s; CPU: provider %.2f s, terraform %.2f s",
				r.what, r.run.Wall.Seconds(), mib(r.run.ProviderPeakBytes),
				r.run.ProviderCPU.Seconds(), (r.run.CPU - r.run.ProviderCPU).Seconds())
		}
	}
}
