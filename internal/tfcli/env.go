package tfcli

import (
	"os"
	"slices"
)

// runEnv is what any child process gets from the caller's environment:
// where programs are, the home and temporary directories. Nothing else gets
// through. The BIG-IQ settings, proxies, TF_LOG, TF_CLI_ARGS, TF_VAR_* or
// TF_WORKSPACE of whoever runs the tests, the demo or the benchmarks would
// otherwise change what terraform and the provider do.
var runEnv = []string{"PATH", "HOME", "TMPDIR"}

// buildEnv is what `go build` gets on top of runEnv: the go command's own
// settings, and the proxies it may need to reach the module proxy.
var buildEnv = []string{
	"GOCACHE", "GOENV", "GOFLAGS", "GOINSECURE", "GOMODCACHE", "GONOPROXY",
	"GONOSUMDB", "GOPATH", "GOPRIVATE", "GOPROXY", "GOSUMDB", "GOTOOLCHAIN",
	"XDG_CACHE_HOME", "XDG_CONFIG_HOME",
	"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy",
}

// harnessEnv is what every terraform run here is given: no prompts, no
// colour codes, no update check over the network.
var harnessEnv = map[string]string{
	"TF_IN_AUTOMATION":   "1",
	"TF_INPUT":           "0",
	"TF_CLI_ARGS":        "-no-color",
	"CHECKPOINT_DISABLE": "1",
}

// childEnv is an environment holding the variables named in keep that are
// set here, then every variable of set, which wins over a kept one. It is
// sorted, so two runs of the same thing get the same environment.
func childEnv(keep []string, set ...map[string]string) []string {
	vars := map[string]string{}
	for _, k := range keep {
		if v, ok := os.LookupEnv(k); ok {
			vars[k] = v
		}
	}
	for _, m := range set {
		for k, v := range m {
			vars[k] = v
		}
	}
	env := make([]string, 0, len(vars))
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	slices.Sort(env)
	return env
}
